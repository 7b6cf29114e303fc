"""Contract checking against Twilio's OpenAPI description of the 2010-04-01 API.

The spec is not part of this repository: it is ``twilio_api_v2010.json`` from Twilio's
twilio-oai repository (https://github.com/twilio/twilio-oai, MIT licence). Tests look for it
next to the checkout (``../shared/twilio-oai/twilio_api_v2010.json``) or at ``$TWILIO_OAI_SPEC``.
Without it the contract tests skip -- except under CI (``$CI`` set), where they fail.
"""
from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path
from typing import Any, Dict, List, Mapping, Sequence, Tuple, Union
from urllib.parse import parse_qsl, urlsplit

import pytest

SPEC_PATH = Path(os.environ.get("TWILIO_OAI_SPEC")
                 or Path(__file__).resolve().parents[1].parent / "shared/twilio-oai/twilio_api_v2010.json")
SPEC_ORIGIN = (
    "Twilio's OpenAPI description twilio_api_v2010.json comes from Twilio's twilio-oai repository "
    "(https://github.com/twilio/twilio-oai, MIT licence, spec/json/twilio_api_v2010.json); "
    f"put it at {SPEC_PATH} or point $TWILIO_OAI_SPEC at it."
)
_METHODS = ("get", "post", "put", "delete", "patch")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?\Z")


def require_spec() -> Dict[str, Any]:
    """The parsed spec; skips the calling test when it is absent (fails instead when ``$CI`` is set)."""
    if not SPEC_PATH.is_file():
        message = f"Twilio spec not found at {SPEC_PATH}. {SPEC_ORIGIN}"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return load_spec()


@functools.lru_cache(maxsize=1)
def load_spec() -> Dict[str, Any]:
    with open(SPEC_PATH, encoding="utf-8") as fh:
        return json.load(fh)


class Operation:
    """One operation of the spec, with what a request to it may carry."""

    def __init__(self, spec: Mapping[str, Any], path: str, method: str, op: Mapping[str, Any]) -> None:
        self.operation_id: str = op["operationId"]
        self.method = method.upper()
        self.path = path
        params = list(op.get("parameters", []))
        self.path_params = {p["name"]: resolve(spec, p.get("schema", {})) for p in params if p["in"] == "path"}
        self.query_params = {p["name"]: resolve(spec, p.get("schema", {})) for p in params if p["in"] == "query"}
        self.required_query = {p["name"] for p in params if p["in"] == "query" and p.get("required")}
        body = (op.get("requestBody") or {}).get("content", {}).get("application/x-www-form-urlencoded", {})
        schema = resolve(spec, body.get("schema", {}))
        self.form_fields = {k: resolve(spec, v) for k, v in (schema.get("properties") or {}).items()}
        self.required_form = set(schema.get("required") or ())
        self.has_body = bool(body)

    def __repr__(self) -> str:
        return f"<{self.operation_id} {self.method} {self.path}>"


def resolve(spec: Mapping[str, Any], schema: Mapping[str, Any]) -> Dict[str, Any]:
    """Follow ``$ref`` (``#/components/schemas/...``) until a concrete schema."""
    seen = 0
    while "$ref" in schema and seen < 20:
        node: Any = spec
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
        seen += 1
    return dict(schema)


class Contract:
    """Every operation of the spec, matched by URL path template and method."""

    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.operations: Dict[str, Operation] = {}
        self._routes: List[Tuple[re.Pattern, str, Dict[str, Operation]]] = []
        for path, item in spec["paths"].items():
            by_method: Dict[str, Operation] = {}
            for method in _METHODS:
                if isinstance(item.get(method), dict) and "operationId" in item[method]:
                    operation = Operation(spec, path, method, item[method])
                    by_method[operation.method] = operation
                    self.operations[operation.operation_id] = operation
            pattern = re.compile("^" + re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(path)) + "$")
            self._routes.append((pattern, path, by_method))
        # A literal segment beats a placeholder (``/Calls/Events.json`` is not ``/Calls/{Sid}.json``).
        self._routes.sort(key=lambda route: route[1].count("{"))

    @property
    def operation_ids(self) -> frozenset:
        return frozenset(self.operations)

    def check_request(self, method: str, url: str, body: Union[None, str, bytes, Mapping[str, Any]] = None) -> str:
        """Validate one request against the spec; return its operationId or raise AssertionError."""
        method = method.upper()
        parts = urlsplit(url)
        for pattern, template, by_method in self._routes:
            match = pattern.match(parts.path)
            if match:
                break
        else:
            raise AssertionError(f"{method} {parts.path}: no operation of the spec has this path")
        operation = by_method.get(method)
        if operation is None:
            raise AssertionError(f"{method} {parts.path}: {template} allows only {', '.join(sorted(by_method))}")
        where = f"{operation.operation_id} ({method} {template})"
        for name, value in match.groupdict().items():
            schema = operation.path_params.get(name)
            if schema is None:
                raise AssertionError(f"{where}: path parameter {name} is not declared")
            _check_value(where, f"path parameter {name}", value, schema)

        query = parse_qsl(parts.query, keep_blank_values=True)
        for name, value in query:
            if name not in operation.query_params:
                allowed = ", ".join(sorted(operation.query_params)) or "none"
                raise AssertionError(f"{where}: unknown query parameter {name!r}; the spec lists: {allowed}")
            _check_value(where, f"query parameter {name}", value, operation.query_params[name])
        missing = operation.required_query - {name for name, _ in query}
        if missing:
            raise AssertionError(f"{where}: required query parameters missing: {', '.join(sorted(missing))}")

        form = _form_pairs(body)
        if form and not operation.has_body:
            raise AssertionError(f"{where}: takes no request body, got fields {', '.join(k for k, _ in form)}")
        for name, value in form:
            if name not in operation.form_fields:
                allowed = ", ".join(sorted(operation.form_fields)) or "none"
                raise AssertionError(f"{where}: unknown form field {name!r}; the spec lists: {allowed}")
            schema = operation.form_fields[name]
            if schema.get("type") == "array":
                schema = resolve(load_spec(), schema.get("items", {}))
            _check_value(where, f"form field {name}", value, schema)
        missing = operation.required_form - {name for name, _ in form}
        if missing:
            raise AssertionError(f"{where}: required form fields missing: {', '.join(sorted(missing))}")
        return operation.operation_id


def _form_pairs(body: Union[None, str, bytes, Mapping[str, Any]]) -> List[Tuple[str, str]]:
    if body is None:
        return []
    if isinstance(body, Mapping):
        return [(str(k), str(v)) for k, v in body.items()]
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    return parse_qsl(body, keep_blank_values=True)


def _check_value(where: str, what: str, value: str, schema: Mapping[str, Any]) -> None:
    enum = schema.get("enum")
    if enum is not None and value not in [str(e) for e in enum]:
        raise AssertionError(f"{where}: {what}={value!r} is not one of {enum}")
    pattern = schema.get("pattern")
    if pattern and not re.search(pattern, value):
        raise AssertionError(f"{where}: {what}={value!r} does not match {pattern}")
    kind, fmt = schema.get("type"), schema.get("format")
    if kind == "integer" and not re.fullmatch(r"-?\d+", value):
        raise AssertionError(f"{where}: {what}={value!r} is not an integer")
    if kind == "number" and not re.fullmatch(r"-?\d+(\.\d+)?", value):
        raise AssertionError(f"{where}: {what}={value!r} is not a number")
    if kind == "boolean" and value not in ("true", "false"):
        raise AssertionError(f"{where}: {what}={value!r} is not true/false")
    if fmt == "date" and not _DATE.match(value):
        raise AssertionError(f"{where}: {what}={value!r} is not a date (YYYY-MM-DD)")
    if fmt == "date-time" and not _DATE_TIME.match(value):  # a date alone is accepted
        raise AssertionError(f"{where}: {what}={value!r} is not a date-time")
    for bound, test in (("minLength", lambda n: len(value) < n), ("maxLength", lambda n: len(value) > n)):
        if bound in schema and test(schema[bound]):
            raise AssertionError(f"{where}: {what}={value!r} violates {bound}={schema[bound]}")


@functools.lru_cache(maxsize=1)
def contract() -> Contract:
    """The contract built once per session (call :func:`require_spec` first)."""
    return Contract(load_spec())


def check_request(method: str, url: str, body: Union[None, str, bytes, Mapping[str, Any]] = None) -> str:
    """Validate a request against Twilio's spec; the operationId, or AssertionError saying what is wrong."""
    require_spec()
    return contract().check_request(method, url, body)


def example_value(name: str, schema: Mapping[str, Any]) -> Any:
    """A plausible value satisfying ``schema`` (for the required fields of create operations)."""
    if schema.get("type") == "array":
        return [example_value(name, resolve(load_spec(), schema.get("items", {})))]
    if schema.get("enum"):
        return schema["enum"][0]
    pattern = schema.get("pattern") or ""
    sid = re.match(r"\^\(?([A-Z]{2})(\|[A-Z]{2})*\)?\[0-9a-fA-F\]\{32\}\$", pattern)
    if sid:  # ^CA[0-9a-fA-F]{32}$ or ^(SM|MM)[0-9a-fA-F]{32}$
        return sid.group(1) + "0123456789abcdef" * 2
    kind, fmt = schema.get("type"), schema.get("format")
    if kind == "boolean":
        return True
    if kind in ("integer", "number"):
        return 1
    if fmt == "uri":
        return "https://example.com/twilio"
    if fmt in ("phone-number", "endpoint"):
        return "+15005550006"
    if fmt == "date":
        return "2024-01-31"
    if fmt == "date-time":
        return "2024-01-31T12:00:00Z"
    if fmt == "http-method":
        return "POST"
    if "Url" in name:
        return "https://example.com/twilio"
    if "Number" in name or name in ("To", "From"):
        return "+15005550006"
    return f"example-{name.lower()}"


__all__: Sequence[str] = ("SPEC_PATH", "SPEC_ORIGIN", "Contract", "check_request", "contract", "example_value",
                          "load_spec", "require_spec", "resolve")
