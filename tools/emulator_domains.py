"""The newer descriptions (Verify, Lookups, Conversations...) as the emulator's tables: used by
``tools/generate_emulator_table.py``, which writes them and the 2010-04-01 table.

One description gives one table module with the 2010 table's shape (ROUTES, FIELDS, ENUMS,
COLLECTIONS) plus what the newer APIs add: a date style per collection (ISO 8601 or RFC 2822),
``links`` templates, and the operations that take a JSON body. Only facts are kept (names,
kinds, patterns' SID prefixes), never the descriptions' text.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Mapping, Optional, Tuple

METHODS = ("get", "post", "put", "patch", "delete")
#: operationId verbs; ``Patch`` (a SCIM user) updates like ``Update``.
VERBS = {"Create": "Create", "Fetch": "Fetch", "List": "List", "Update": "Update", "Delete": "Delete",
         "Patch": "Update"}
_SID_PATTERN = re.compile(r"\^\(?([A-Z]{2})")
_FORMATS = {"date": "date", "date-time": "datetime", "uri": "uri", "phone-number": "phone",
            "endpoint": "endpoint", "http-method": "method"}
_TYPES = {"integer": "int", "number": "num", "boolean": "bool"}
_JSON_TYPES = {"integer": "int", "number": "num", "boolean": "bool", "object": "obj"}
_JSON_CONTENT = ("application/json", "application/scim+json")
_MAP = re.compile(r"prefixed-collapsible-map-(\w+)\Z")


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


#: Packages Twilio's SDKs name differently from the description's file (twilio_flex_v1: flex_api.v1).
PACKAGES = {"flex": "flex_api", "frontline": "frontline_api", "iam_organizations": "preview_iam"}
#: Descriptions without a version in their name: a path's version is its first segment, as the SDKs split them.
UNVERSIONED = {
    "preview": lambda first: snake(first),                                        # preview.hosted_numbers ...
    "iam_organizations": lambda first: first if first == "v1" else "versionless",  # preview_iam.versionless
}


def module_key(stem: str, path: str) -> str:
    """The key qualifying a path's operations, as Twilio's SDKs name its module: ``verify_v2`` ->
    ``verify.v2``, ``flex_v1`` -> ``flex_api.v1``, ``preview`` + ``/HostedNumbers/...`` -> ``preview.hosted_numbers``."""
    versioned = re.match(r"(.+)_(v\d+)\Z", stem)
    name, version = (versioned.group(1), versioned.group(2)) if versioned else (stem, None)
    if version is None:
        version = UNVERSIONED[name](path.split("/")[1])
    return f"{PACKAGES.get(name, name)}.{version}"


def split(table: Mapping[str, Any], key_of: Any) -> Dict[str, Dict[str, Any]]:
    """One table per module key (``key_of(path)``), each with only the fields, enums, collections
    and links its own routes use."""
    keys = sorted({key_of(path) for path in table["ROUTES"]})
    parts = {}
    for key in keys:
        routes = {path: ops for path, ops in table["ROUTES"].items() if key_of(path) == key}
        used = [op for ops in routes.values() for op in ops.values()]
        schemas = {op[3] for op in used if op[3]}
        collections = {op[2] for op in used}
        kinds = {kind.rstrip("!").replace("list:", "") for op in used for kind in op[6].values()}
        parts[key] = {
            "ENUMS": {name: v for name, v in table["ENUMS"].items() if f"enum:{name}" in kinds},
            "FIELDS": {name: v for name, v in table["FIELDS"].items() if name in schemas},
            "COLLECTIONS": {c: v for c, v in table["COLLECTIONS"].items() if c in collections},
            "LINKS": {c: v for c, v in table["LINKS"].items() if c in collections},
            "JSON_BODIES": tuple(name for name in table["JSON_BODIES"] if any(op[0] == name for op in used)),
            "ROUTES": routes,
        }
    return parts


class Description:
    """One description read into a table: ``build()`` returns the module's constants."""

    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.spec = spec
        self.schemas: Mapping[str, Any] = spec.get("components", {}).get("schemas", {})
        self.enums: Dict[str, Tuple[str, ...]] = {}
        self.fields: Dict[str, Tuple[str, ...]] = {}
        self.answers: Dict[str, Mapping[str, Any]] = {}  # schema name -> its properties
        self.collections: Dict[str, Tuple[str, str, str]] = {}
        self.links: Dict[str, Dict[str, str]] = {}
        self.json_bodies: List[str] = []
        self.routes: Dict[str, Dict[str, Tuple[Any, ...]]] = {}

    # -- schemas ----------------------------------------------------------------------------------
    def resolve(self, schema: Mapping[str, Any]) -> Tuple[Optional[str], Mapping[str, Any]]:
        """(the referenced schema's name or None, the schema itself)."""
        name = None
        while "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = self.schemas[name]
        return name, schema

    def kind(self, schema: Mapping[str, Any], where: str, answer: Optional[Mapping[str, Any]] = None) -> str:
        """A form or query parameter's kind, as :mod:`flask_twilio_rb.emulator.validation` reads it.

        :param answer: the response field of the same name, if any: a free-form parameter (no
            type) whose field is free-form too holds JSON (``json``), stored decoded.
        """
        name, target = self.resolve(schema)
        if name and "enum" in target:
            self.enums[name] = tuple(target["enum"])
            return f"enum:{name}"
        if target.get("type") == "array":
            return "list:" + self.kind(target.get("items", {}), where)
        fmt = target.get("format") or ""
        collapsible = _MAP.match(fmt)
        if collapsible:
            return "map:" + collapsible.group(1)  # AddOns.<name>=...: prefixed names, any value
        if fmt in _FORMATS:
            return _FORMATS[fmt]
        if "enum" in target:
            self.enums[where] = tuple(target["enum"])
            return f"enum:{where}"
        sid = _SID_PATTERN.match(target.get("pattern") or "")
        if sid and target.get("maxLength") == 34:
            return f"sid:{sid.group(1)}"
        shown = self.resolve(answer)[1] if answer is not None else {"type": "string"}
        if target.get("type") in (None, "object") and shown.get("type") in (None, "object", "array"):
            return "json"  # a JSON text (Data, Attributes...) whose field Twilio answers as JSON
        return _TYPES.get(target.get("type"), "str")

    def json_kind(self, schema: Mapping[str, Any], where: str) -> str:
        """A JSON body member's kind: the form kinds for strings, else ``int``, ``obj``, ``list:...``, ``any``."""
        _, target = self.resolve(schema)
        if target.get("type") == "array":
            return "list:" + self.json_kind(target.get("items", {}), where)
        if target.get("type") == "string" or "enum" in target:
            return self.kind(schema, where)
        if "properties" in target:
            return "obj"
        return _JSON_TYPES.get(target.get("type"), "any")

    def answer(self, op: Mapping[str, Any], operation_id: str) -> Tuple[Optional[str], Optional[str], int]:
        """(schema name, list key, HTTP status) of the success answer; inline schemas are named after the operation."""
        for code, answer in op.get("responses", {}).items():  # in the description's order: 201 before 200
            content = next((answer["content"][t] for t in _JSON_CONTENT if t in (answer.get("content") or {})), None)
            if not code.startswith(("2", "3")) or not content or "schema" not in content:
                continue
            status = 200 if code.startswith("3") else int(code)
            name, schema = self.resolve(content["schema"])
            properties = schema.get("properties") or {}
            arrays = [(key, prop) for key, prop in properties.items() if prop.get("type") == "array"]
            if arrays and operation_id.startswith("List"):  # (a SCIM user's "meta" is no page's)
                key, prop = arrays[0]
                item_name, item = self.resolve(prop.get("items", {}))
                return self.keep(item_name or f"{operation_id}.item", item), key, status
            return self.keep(name or operation_id, schema), None, status
        return None, None, 204

    def keep(self, name: str, schema: Mapping[str, Any]) -> str:
        self.fields[name] = tuple(schema.get("properties") or ())
        self.answers[name] = schema.get("properties") or {}
        return name

    def pattern(self, schema: Optional[str], field: str) -> str:
        return self.answers.get(schema or "", {}).get(field, {}).get("pattern") or ""

    def dates(self, schema: Optional[str]) -> str:
        """How the schema writes its dates: ``rfc2822`` (as 2010-04-01 does) or ``iso`` (8601)."""
        fields = self.answers.get(schema or "", {})
        created = fields.get("date_created") or fields.get("dateCreated") or {}
        return "rfc2822" if created.get("format") == "date-time-rfc-2822" else "iso"

    # -- operations -------------------------------------------------------------------------------
    def build(self) -> Dict[str, Any]:
        for path, item in self.spec["paths"].items():
            for method in METHODS:
                if method in item:
                    self.operation(path, item, method, item[method])
        for by_method in self.routes.values():  # collections without an instance path: the sid's pattern
            for _, _, collection, schema, *_ in by_method.values():
                if collection not in self.collections and schema:
                    sid = _SID_PATTERN.match(self.pattern(schema, "sid"))
                    self.collections[collection] = ("sid", sid.group(1) if sid else "", self.dates(schema))
        return {"ENUMS": dict(sorted(self.enums.items())), "FIELDS": dict(sorted(self.fields.items())),
                "COLLECTIONS": dict(sorted(self.collections.items())), "LINKS": dict(sorted(self.links.items())),
                "JSON_BODIES": tuple(sorted(self.json_bodies)), "ROUTES": dict(sorted(self.routes.items()))}

    def operation(self, path: str, item: Mapping[str, Any], method: str, op: Mapping[str, Any]) -> None:
        operation_id = op["operationId"]
        verb = next(v for prefix, v in VERBS.items() if operation_id.startswith(prefix))
        bare = path[:-len(".json")] if path.endswith(".json") else path
        last = bare.rsplit("/", 1)[-1]
        is_instance = verb != "List" and last.startswith("{")
        collection = bare.rsplit("/", 1)[0] if is_instance else bare
        schema, list_key, status = self.answer(op, operation_id)
        answer = self.answers.get(schema or "", {})
        if is_instance:
            name = last[1:-1]
            field = snake(name)
            if field not in answer and answer:  # /scim/Users/{UserSid} names the user's "id"
                field = next((known for known in ("sid", "id") if known in answer), field)
            parameter = next(p for p in self.parameters(op) if p["name"] == name)
            pattern = parameter.get("schema", {}).get("pattern") or self.pattern(schema, field)
            sid = _SID_PATTERN.match(pattern)
            known = self.collections.get(collection)
            if known is None or (schema and not known[1]):  # a delete (no answer) tells less than a fetch
                self.collections[collection] = (field, sid.group(1) if sid else "", self.dates(schema))
        params: Dict[str, str] = {}
        for param in self.parameters(op):
            if param["in"] == "query":
                kind = self.kind(param.get("schema", {}), f"{operation_id}.{param['name']}")
                params[param["name"]] = kind + ("!" if param.get("required") else "")
        content = (op.get("requestBody") or {}).get("content", {})
        if "application/json" in content:
            self.json_bodies.append(operation_id)
            _, body = self.resolve(content["application/json"].get("schema", {}))
            for name, prop in (body.get("properties") or {}).items():
                params[name] = self.json_kind(prop, f"{operation_id}.{name}")
        else:
            _, body = self.resolve(content.get("application/x-www-form-urlencoded", {}).get("schema", {}))
            for name, prop in (body.get("properties") or {}).items():
                params[name] = self.kind(prop, f"{operation_id}.{name}", answer.get(snake(name)))
        for name in body.get("required") or ():
            if name in params:
                params[name] += "!"
        self.routes.setdefault(path, {})[method.upper()] = (operation_id, verb, collection, schema, list_key,
                                                            status, params)
        dependents = (item.get("x-twilio") or {}).get("dependentProperties") or {}
        if dependents and (is_instance or collection not in self.links):
            self.links[collection] = {name: self.link(dep) for name, dep in sorted(dependents.items())}

    def parameters(self, op: Mapping[str, Any]) -> List[Mapping[str, Any]]:
        """The operation's parameters, ``$ref``-erenced ones resolved (headers left out)."""
        found = []
        for param in op.get("parameters", []):
            if "$ref" in param:
                param = self.spec["components"]["parameters"][param["$ref"].rsplit("/", 1)[-1]]
            if param["in"] != "header":
                found.append(param)
        return found

    @staticmethod
    def link(dependent: Mapping[str, Any]) -> str:
        """``/v2/Services/{service_sid}/Verifications`` with the record's fields as placeholders (``{sid}``)."""
        mapping = dependent.get("mapping") or {}
        return re.sub(r"{(\w+)}", lambda m: "{%s}" % mapping.get(m.group(1), m.group(1)), dependent["resource_url"])
