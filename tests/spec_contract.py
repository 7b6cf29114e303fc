"""Contract checking against Twilio's OpenAPI descriptions, all 55, through a compact contract.

``tests/twilio_contract.json`` (written by ``tools/generate_contract.py``, committed) keeps the
facts of every operation of every description: key (``CreateCall``; ``verify.v2.CreateService``),
method, host, path, content type and parameters with their types, formats, enums, patterns and
bounds. Every request the suite sends is checked against it, on a fresh clone too. The
descriptions themselves (https://github.com/twilio/twilio-oai, MIT licence) are not part of this
repository: tests that read them (``test_contract_file.py`` compares the contract with them; the
emulator's schema tests read the 2010-04-01 answers) look for them next to the checkout
(``../shared/twilio-oai/``) or at ``$TWILIO_OAI_SPEC`` (the 2010-04-01 file) and skip without
them -- except under CI (``$CI`` set), where they fail.
"""
from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest

CONTRACT_PATH = Path(__file__).resolve().parent / "twilio_contract.json"
SPEC_PATH = Path(os.environ.get("TWILIO_OAI_SPEC")
                 or Path(__file__).resolve().parents[1].parent / "shared/twilio-oai/twilio_api_v2010.json")
SPEC_ORIGIN = (
    "Twilio's OpenAPI descriptions come from Twilio's twilio-oai repository "
    "(https://github.com/twilio/twilio-oai, MIT licence, spec/json/); "
    f"put them at {SPEC_PATH.parent} or point $TWILIO_OAI_SPEC at twilio_api_v2010.json."
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?\Z")
Body = Union[None, str, bytes, Mapping[str, Any]]


def missing_descriptions(what: str) -> None:
    """Skip the calling test for want of the descriptions (fail instead when ``$CI`` is set)."""
    message = f"{what} not found. {SPEC_ORIGIN}"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def require_spec() -> Dict[str, Any]:
    """The parsed 2010-04-01 description; skips the calling test when it is absent (fails under CI)."""
    if not SPEC_PATH.is_file():
        missing_descriptions(f"Twilio spec {SPEC_PATH}")
    return load_spec()


@functools.lru_cache(maxsize=1)
def load_spec() -> Dict[str, Any]:
    with open(SPEC_PATH, encoding="utf-8") as fh:
        return json.load(fh)


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


class Operation:
    """One operation of the contract, with what a request to it may carry."""

    def __init__(self, key: str, entry: Mapping[str, Any], enums: Sequence[Sequence[Any]]) -> None:
        self.operation_id = key
        self.module: str = entry["module"]
        self.host: str = entry["host"]
        self.method: str = entry["method"]
        self.path: str = entry["path"]
        self.body_type: Optional[str] = entry.get("body")
        self.list_key: Optional[str] = entry.get("list_key")
        self.paging: Optional[str] = entry.get("paging")
        params = [(name, where, bool(required), _with_enum(facts, enums))
                  for name, where, required, facts in entry["params"]]
        self.path_params = {n: f for n, w, _, f in params if w == "path"}
        self.query_params = {n: f for n, w, _, f in params if w == "query"}
        self.required_query = {n for n, w, r, _ in params if w == "query" and r}
        #: The body's fields (form or JSON), by their names in the description.
        self.form_fields = {n: f for n, w, _, f in params if w == "body"}
        self.required_form = {n for n, w, r, _ in params if w == "body" and r}
        self.has_body = self.body_type is not None
        self.template = re.compile("^" + re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(self.path)) + "$")

    def __repr__(self) -> str:
        return f"<{self.operation_id} {self.method} {self.host}{self.path}>"


def _with_enum(facts: Mapping[str, Any], enums: Sequence[Sequence[Any]]) -> Dict[str, Any]:
    out = dict(facts)
    if isinstance(out.get("enum"), int):
        out["enum"] = list(enums[out["enum"]])
    if "items" in out:
        out["items"] = _with_enum(out["items"], enums)
    return out


class Contract:
    """Every operation of every description, matched by host, path template and method."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.operations: Dict[str, Operation] = {
            key: Operation(key, entry, data["enums"]) for key, entry in data["operations"].items()}
        self.products = {op.host.split(".", 1)[0]: op.host for op in self.operations.values()}
        self._routes: Dict[str, List[Operation]] = {}
        for op in self.operations.values():
            self._routes.setdefault(op.host, []).append(op)
        for ops in self._routes.values():
            # A literal segment beats a placeholder (``/Calls/Events.json`` is not ``/Calls/{Sid}.json``).
            ops.sort(key=lambda op: op.path.count("{"))

    @property
    def operation_ids(self) -> frozenset:
        return frozenset(self.operations)

    def locate(self, url: str) -> Tuple[str, str]:
        """``(host, path)`` of a request: Twilio's own hosts (regional ones too), or ``BASE/{product}/...``."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        if host.endswith(".twilio.com") and not host.startswith("api.twilio.com"):
            product = host.split(".", 1)[0]
            return self.products.get(product, host), parts.path
        if host == "api.twilio.com" or (host.endswith(".twilio.com") and host.startswith("api.")):
            return "api.twilio.com", parts.path
        first, _, rest = parts.path.lstrip("/").partition("/")  # an emulator or a proxy
        if first == "2010-04-01":
            return "api.twilio.com", parts.path
        if first in self.products:
            return self.products[first], "/" + rest
        raise AssertionError(f"{url}: no description has the product {first!r}")

    def match(self, method: str, host: str, path: str) -> Tuple[Operation, Dict[str, str]]:
        """The operation a request goes to, with its path values; AssertionError saying why none."""
        allowed = []
        for op in self._routes.get(host, ()):
            found = op.template.match(path)
            if found:
                if op.method == method:
                    return op, {k: unquote(v) for k, v in found.groupdict().items()}
                allowed.append(op.method)
        if allowed:
            raise AssertionError(f"{method} {host}{path}: that path allows only {', '.join(sorted(allowed))}")
        raise AssertionError(f"{method} {host}{path}: no operation of the spec has this path")

    def check_request(self, method: str, url: str, body: Body = None, content_type: Optional[str] = None) -> str:
        """Validate one request against its description; return its operation's key or raise AssertionError."""
        host, path = self.locate(url)
        return self.check(method, host, path, urlsplit(url).query, body, content_type)

    def check(self, method: str, host: str, path: str, query_string: str = "", body: Body = None,
              content_type: Optional[str] = None) -> str:
        """Validate a request to ``path`` on ``host`` (the description's own), wherever the client sent it."""
        method = method.upper()
        operation, values = self.match(method, host, path.partition("?")[0])
        query_string = "&".join(q for q in (path.partition("?")[2], query_string) if q)
        where = f"{operation.operation_id} ({method} {operation.path})"
        for name, value in values.items():
            schema = operation.path_params.get(name)
            if schema is None:
                raise AssertionError(f"{where}: path parameter {name} is not declared")
            _check_value(where, f"path parameter {name}", value, schema)

        query = parse_qsl(query_string, keep_blank_values=True)
        for name, value in query:
            if name not in operation.query_params:
                allowed = ", ".join(sorted(operation.query_params)) or "none"
                raise AssertionError(f"{where}: unknown query parameter {name!r}; the spec lists: {allowed}")
            _check_value(where, f"query parameter {name}", value, operation.query_params[name])
        missing = operation.required_query - {name for name, _ in query}
        if missing:
            raise AssertionError(f"{where}: required query parameters missing: {', '.join(sorted(missing))}")
        _check_body(where, operation, body, content_type)
        return operation.operation_id


def _check_body(where: str, operation: Operation, body: Body, content_type: Optional[str]) -> None:
    is_json = operation.body_type == "application/json"
    if content_type is not None and body:
        sent = content_type.split(";")[0].strip()
        if operation.has_body and sent != operation.body_type:
            raise AssertionError(f"{where}: the body must be {operation.body_type}, not {sent}")
    fields = _json_fields(where, body) if is_json else _form_pairs(body)
    if fields and not operation.has_body:
        raise AssertionError(f"{where}: takes no request body, got fields {', '.join(k for k, _ in fields)}")
    for name, value in fields:
        if name not in operation.form_fields:
            if is_json and not operation.form_fields:
                continue  # a JSON body the description leaves open
            allowed = ", ".join(sorted(operation.form_fields)) or "none"
            raise AssertionError(f"{where}: unknown {'JSON key' if is_json else 'form field'} {name!r}; "
                                 f"the spec lists: {allowed}")
        schema = operation.form_fields[name]
        if is_json:
            _check_json(where, f"JSON key {name}", value, schema)
            continue
        if schema.get("type") == "array":
            schema = schema.get("items", {})
        _check_value(where, f"form field {name}", value, schema)
    missing = {n for n in operation.required_form if n in operation.form_fields} - {name for name, _ in fields}
    if missing:
        raise AssertionError(f"{where}: required {'JSON keys' if is_json else 'form fields'} missing: "
                             f"{', '.join(sorted(missing))}")


def _form_pairs(body: Body) -> List[Tuple[str, Any]]:
    if body is None:
        return []
    if isinstance(body, Mapping):
        return [(str(k), str(v)) for k, v in body.items()]
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    return parse_qsl(body, keep_blank_values=True)


def _json_fields(where: str, body: Body) -> List[Tuple[str, Any]]:
    if body is None or body == b"" or body == "":
        return []
    value = json.loads(body) if isinstance(body, (str, bytes)) else dict(body)
    if not isinstance(value, dict):
        raise AssertionError(f"{where}: the JSON body must be an object, got {type(value).__name__}")
    return list(value.items())


def _check_json(where: str, what: str, value: Any, schema: Mapping[str, Any]) -> None:
    kind = schema.get("type")
    expected = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "array": list,
                "object": dict}.get(kind or "")
    if expected is not None and (not isinstance(value, expected) or (kind in ("integer", "number")
                                                                    and isinstance(value, bool))):
        raise AssertionError(f"{where}: {what}={value!r} is not a JSON {kind}")
    if kind == "string":
        _check_value(where, what, value, schema)
    if kind == "array":
        for item in value:
            _check_json(where, what, item, schema.get("items", {}))


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
    """The contract, read once per session from ``tests/twilio_contract.json``."""
    with open(CONTRACT_PATH, encoding="utf-8") as fh:
        return Contract(json.load(fh))


def check_request(method: str, url: str, body: Body = None, content_type: Optional[str] = None) -> str:
    """Validate a request against Twilio's descriptions; its operation's key, or AssertionError saying what is wrong."""
    return contract().check_request(method, url, body, content_type)


def example_value(name: str, schema: Mapping[str, Any]) -> Any:
    """A plausible value satisfying ``schema`` (for the required fields of create operations)."""
    if schema.get("type") == "array":
        return [example_value(name, schema.get("items", {}))]
    if schema.get("enum"):
        return schema["enum"][0]
    pattern = schema.get("pattern") or ""
    sid = re.match(r"\^?\(?([A-Z]{2})(\|[A-Z]{2})*\)?\[[^]]*\]\{32\}\$?\Z", pattern)
    if sid:  # ^CA[0-9a-fA-F]{32}$, ^(SM|MM)[0-9a-fA-F]{32}$, ^OQ[a-zA-Z0-9]{32}$
        return sid.group(1) + "0123456789abcdef" * 2
    if re.match(r"\^?\[(a-z)?A-Z(a-z)?\]\{2\}\[0-9a-fA-F\]\{32\}\$?\Z", pattern):  # any SID
        return "AB" + "0123456789abcdef" * 2
    literal = re.match(r"\^([a-z_]+)\.\+\$\Z", pattern)
    if literal:  # ^aia_asst_.+$
        return literal.group(1) + "example"
    kind, fmt = schema.get("type"), schema.get("format")
    if kind == "boolean":
        return True
    if kind in ("integer", "number"):
        return max(1, schema.get("minimum", 1))
    if kind == "object":
        return {}
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


__all__: Sequence[str] = ("CONTRACT_PATH", "SPEC_PATH", "SPEC_ORIGIN", "Contract", "check_request", "contract",
                          "example_value", "load_spec", "missing_descriptions", "require_spec", "resolve")
