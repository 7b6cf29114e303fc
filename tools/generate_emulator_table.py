"""Generate the emulator's tables from Twilio's OpenAPI descriptions.

    python tools/generate_emulator_table.py [path/to/twilio-oai]

Writes ``flask_twilio_rb/emulator/table.py`` from ``twilio_api_v2010.json``: for every path its
operations, each with the parameters it takes (name -> a short kind), the response schema and,
for lists, the list key; the field names of every response schema; the enums parameters refer
to; for every collection the field naming an instance and its SID prefix; and the subresource
URIs Twilio shows. Every other description with operations becomes one module of
``flask_twilio_rb/emulator/tables/`` of the same shape (:mod:`emulator_domains`; the two without
a version, one per part as Twilio's SDKs split them), and ``tables/__init__.py`` indexes them by
product (the first label of the description's host).
The descriptions themselves (prose, examples) are never copied. Run it again when Twilio
publishes new descriptions and review the diff.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
import emulator_domains  # noqa: E402  (beside this file: the newer descriptions' tables)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DESCRIPTIONS = ROOT.parent / "shared" / "twilio-oai"
OUTPUT = ROOT / "flask_twilio_rb" / "emulator" / "table.py"
TABLES = ROOT / "flask_twilio_rb" / "emulator" / "tables"
PREFIX = "/2010-04-01"
VERBS = ("Create", "Fetch", "List", "Update", "Delete")
# Typed variants of one collection: a number bought through /Local.json is listed by /IncomingPhoneNumbers.json.
COLLECTION_ALIASES = {
    "/Accounts/{AccountSid}/IncomingPhoneNumbers/" + kind: "/Accounts/{AccountSid}/IncomingPhoneNumbers"
    for kind in ("Local", "Mobile", "TollFree")
}
_SID_PATTERN = re.compile(r"\^\(?([A-Z]{2})")
_FORMATS = {"date": "date", "date-time": "datetime", "uri": "uri", "phone-number": "phone",
            "endpoint": "endpoint", "http-method": "method"}
_TYPES = {"integer": "int", "number": "num", "boolean": "bool"}
_NUMBERED = re.compile(r"\A(Parameter)\d+(\.\w+)\Z")


def ref_name(schema: Mapping[str, Any]) -> Optional[str]:
    ref = schema.get("$ref")
    return ref.rsplit("/", 1)[-1] if ref else None


def kind_of(spec: Mapping[str, Any], schema: Mapping[str, Any], enums: Dict[str, Tuple[str, ...]], where: str) -> str:
    """A short description of a parameter's type: ``int``, ``phone``, ``enum:call_enum_status``, ``list:uri``..."""
    name = ref_name(schema)
    if name:
        target = spec["components"]["schemas"][name]
        if "enum" in target:
            enums[name] = tuple(target["enum"])
            return f"enum:{name}"
        return kind_of(spec, target, enums, where)
    if schema.get("type") == "array":
        return "list:" + kind_of(spec, schema.get("items", {}), enums, where)
    fmt = schema.get("format")
    if fmt in _FORMATS:
        return _FORMATS[fmt]
    if "enum" in schema:
        enums[where] = tuple(schema["enum"])
        return f"enum:{where}"
    sid = _SID_PATTERN.match(schema.get("pattern") or "")
    if sid and schema.get("maxLength") == 34:
        return f"sid:{sid.group(1)}"
    return _TYPES.get(schema.get("type"), "str")


def response_schema(op: Mapping[str, Any]) -> Tuple[Optional[str], Optional[str], int]:
    """(schema name, list key, HTTP status) of an operation's success answer."""
    for code, answer in sorted(op.get("responses", {}).items()):
        content = (answer.get("content") or {}).get("application/json")
        if not code.startswith(("2", "3")) or not content:
            continue
        # A 307 (a payload's data) carries its target in the body too: the emulator answers 200.
        status = 200 if code.startswith("3") else int(code)
        schema = content["schema"]
        if ref_name(schema):
            return ref_name(schema), None, status
        for key, prop in schema.get("properties", {}).items():
            if prop.get("type") == "array":
                return ref_name(prop["items"]), key, status
    return None, None, 204


def build(spec: Mapping[str, Any]) -> Dict[str, Any]:
    routes: Dict[str, Dict[str, Tuple[Any, ...]]] = {}
    enums: Dict[str, Tuple[str, ...]] = {}
    used_schemas = set()
    collections: Dict[str, Tuple[str, str]] = {}
    subresources: Dict[str, Dict[str, str]] = {}
    for path, item in spec["paths"].items():
        template = path[len(PREFIX):]
        for method in ("get", "post", "delete"):
            op = item.get(method)
            if not op:
                continue
            operation_id = op["operationId"]
            verb = next(v for v in VERBS if operation_id.startswith(v))
            last = template[:-len(".json")].rsplit("/", 1)[-1]
            is_instance = verb in ("Fetch", "Update", "Delete") and last.startswith("{")
            collection = template[:-len(".json")]
            if is_instance:
                collection = collection.rsplit("/", 1)[0]
                id_param = next(p for p in op["parameters"] if "{%s}" % p["name"] == last)
                id_field = snake(id_param["name"])
                pattern = id_param["schema"].get("pattern") or field_pattern(spec, op, id_field)
                sid = _SID_PATTERN.match(pattern)
                collections[collection] = (id_field, sid.group(1) if sid else "")
            collection = COLLECTION_ALIASES.get(collection, collection)
            params: Dict[str, str] = {}
            for param in op.get("parameters", []):
                if param["in"] == "query":
                    kind = kind_of(spec, param.get("schema", {}), enums, f"{operation_id}.{param['name']}")
                    params[param["name"]] = kind + ("!" if param.get("required") else "")
            body = (op.get("requestBody") or {}).get("content", {}).get("application/x-www-form-urlencoded", {})
            body_schema = body.get("schema", {})
            required = set(body_schema.get("required") or ())
            for name, prop in (body_schema.get("properties") or {}).items():
                kind = kind_of(spec, prop, enums, f"{operation_id}.{name}")
                # Parameter1.Name ... Parameter99.Value: one entry, "#" standing for the number.
                params[_NUMBERED.sub(r"\1#\2", name)] = kind + ("!" if name in required else "")
            schema, list_key, status = response_schema(op)
            if schema:
                used_schemas.add(schema)
            routes.setdefault(template, {})[method.upper()] = (operation_id, verb, collection, schema, list_key,
                                                               status, params)
            dependents = (item.get("x-twilio") or {}).get("dependentProperties") or {}
            if dependents and verb in ("Fetch", "List", "Create"):
                subresources[collection] = {
                    name: dep["resource_url"].rsplit("}", 1)[-1] for name, dep in sorted(dependents.items())
                }
    for by_method in routes.values():  # collections without an instance path: the sid's pattern
        for _, _, collection, schema, *_ in by_method.values():
            if collection not in collections and schema:
                match = _SID_PATTERN.match(schema_pattern(spec, schema, "sid"))
                collections[collection] = ("sid", match.group(1) if match else "")
    fields = {name: tuple(spec["components"]["schemas"][name]["properties"]) for name in sorted(used_schemas)}
    return {"ENUMS": dict(sorted(enums.items())), "FIELDS": fields,
            "COLLECTIONS": dict(sorted(collections.items())), "SUBRESOURCES": dict(sorted(subresources.items())),
            "ROUTES": dict(sorted(routes.items()))}


def field_pattern(spec: Mapping[str, Any], op: Mapping[str, Any], field: str) -> str:
    """The pattern of ``field`` in the operation's response schema ("" when it has none)."""
    schema, _, _ = response_schema(op)
    return schema_pattern(spec, schema, field) if schema else ""


def schema_pattern(spec: Mapping[str, Any], schema: str, field: str) -> str:
    return spec["components"]["schemas"][schema]["properties"].get(field, {}).get("pattern") or ""


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


HEADER = '''"""The 2010-04-01 API as the emulator serves it: generated by tools/generate_emulator_table.py.

Derived from Twilio's OpenAPI description; run the tool again (never edit this file) when Twilio
publishes a new spec. The parameter kinds are read by :mod:`.validation`.
"""
from __future__ import annotations

from typing import Dict, Optional, Tuple

Route = Tuple[str, str, str, Optional[str], Optional[str], int, Dict[str, str]]
'''

DOCS = {
    "ENUMS": "#: Allowed values of the enumerated parameters.\nENUMS: Dict[str, Tuple[str, ...]] = ",
    "FIELDS": "#: Every response schema's field names, in the spec's order.\nFIELDS: Dict[str, Tuple[str, ...]] = ",
    "COLLECTIONS": "#: Collection path -> (the field naming an instance, its SID prefix).\n"
                   "COLLECTIONS: Dict[str, Tuple[str, str]] = ",
    "SUBRESOURCES": "#: Collection path -> the subresource URIs of its instances (name -> suffix).\n"
                    "SUBRESOURCES: Dict[str, Dict[str, str]] = ",
    "ROUTES": "#: Path -> method -> (operationId, verb, collection, response schema, list key, HTTP status,\n"
              "#: parameters).\n"
              "ROUTES: Dict[str, Dict[str, Route]] = ",
}


def shared(entries: Any, suffix: str) -> Dict[str, Tuple[str, Any]]:
    """Values that several entries have alike: repr -> (the name of a constant holding it, the value).

    :param entries: ``(label, value)`` pairs; the constant is named after the first label.
    """
    seen: Dict[str, List[Any]] = {}
    for label, value in entries:
        seen.setdefault(repr(value), [value]).append(label)
    constants: Dict[str, Tuple[str, Any]] = {}
    taken: Dict[str, int] = {}
    for text, found in seen.items():
        if len(found) > 2 and len(found[0]) > 1:
            name = re.sub(r"\W+", "_", snake(found[1])).upper() + suffix
            taken[name] = taken.get(name, 0) + 1  # two values first seen under one label: NAME, NAME_2...
            constants[text] = (name if taken[name] == 1 else f"{name[:-len(suffix)]}_{taken[name]}{suffix}", found[0])
    return constants


def constant_lines(constants: Mapping[str, Tuple[str, Any]], kind: str) -> List[str]:
    lines = []
    for constant, value in constants.values():
        if isinstance(value, dict):
            lines.extend(wrap(f"{constant}: {kind} = {{", [f"{k!r}: {v!r}," for k, v in value.items()], "    "))
            lines.append("}")
        else:
            lines.extend(wrap(f"{constant}: {kind} = (", [repr(item) + "," for item in value], "    "))
            lines.append(")")
    return lines


def render(table: Mapping[str, Any], header: str = HEADER, docs: Mapping[str, str] = DOCS) -> str:
    """The module text of ``table`` (a :func:`build` result or a newer description's)."""
    parts = [header]
    params_alike = shared(((op[0], op[-1]) for by_method in table["ROUTES"].values() for op in by_method.values()),
                          "_PARAMS")
    fields_alike = shared(((name.rsplit(".", 1)[-1], fields) for name, fields in table["FIELDS"].items()), "_FIELDS")
    for name, value in table.items():
        if isinstance(value, tuple):  # a set of names
            lines = [docs[name] + "frozenset({"] + wrap("    ", [repr(item) + "," for item in value], "    ")
            parts.append("\n".join(lines) + "\n})\n")
            continue
        lines = [docs[name] + "{"]
        if name == "FIELDS" and fields_alike:
            parts.append("\n".join(["#: Field names several schemas have alike."] +
                                   constant_lines(fields_alike, "Tuple[str, ...]")) + "\n")
        if name == "ROUTES" and params_alike:
            parts.append("\n".join(["#: Parameters several operations take alike."] +
                                   constant_lines(params_alike, "Dict[str, str]")) + "\n")
        for key, entry in value.items():
            if name == "FIELDS" and repr(entry) in fields_alike:
                lines.append(f"    {key!r}: {fields_alike[repr(entry)][0]},")
            elif name == "ROUTES":
                lines.append(f"    {key!r}: {{")
                for method, (*head, params) in entry.items():
                    if repr(params) in params_alike:
                        lines.extend(wrap(f"        {method!r}: (", [repr(h) + "," for h in head] +
                                          [params_alike[repr(params)][0] + "),"], "            "))
                        continue
                    lines.extend(wrap(f"        {method!r}: (", [repr(h) + "," for h in head] + ["{"], "            "))
                    lines.extend(wrap("            ", [f"{k!r}: {v!r}," for k, v in params.items()], "            "))
                    lines.append("        }),")
                lines.append("    },")
            elif isinstance(entry, tuple) and name != "COLLECTIONS":
                lines.extend(wrap(f"    {key!r}: (", [repr(item) + "," for item in entry], "        "))
                lines.append("    ),")
            elif isinstance(entry, dict):
                lines.extend(wrap(f"    {key!r}: {{", [f"{k!r}: {v!r}," for k, v in entry.items()], "        "))
                lines.append("    },")
            else:
                lines.append(f"    {key!r}: {entry!r},")
        lines.append("}\n")
        parts.append("\n".join(lines))
    return "\n".join(parts)


def wrap(first: str, items: Any, indent: str, width: int = 110) -> list:
    """``first`` followed by ``items``, wrapped at ``width`` with ``indent`` on continuation lines."""
    lines, current = [], first
    for item in items:
        if len(current) + len(item) + 1 > width and current.strip():
            lines.append(current.rstrip())
            current = indent
        current += ("" if current.endswith(("(", "{")) or not current.strip() else " ") + item
    if current.strip():
        lines.append(current.rstrip())
    return lines


DOMAIN_HEADER = '''"""{key} ({host}) as the emulator serves it: generated by tools/generate_emulator_table.py.

Derived from Twilio's OpenAPI description {file}; run the tool again (never edit this file).
The shape is :mod:`flask_twilio_rb.emulator.table`'s, read through :mod:`..domains`.
"""
from __future__ import annotations

from typing import Dict, FrozenSet, Optional, Tuple

Route = Tuple[str, str, str, Optional[str], Optional[str], int, Dict[str, str]]
'''

DOMAIN_DOCS = {
    **DOCS,
    "COLLECTIONS": "#: Collection path -> (the field naming an instance, its SID prefix, ``iso`` or ``rfc2822`` dates).\n"
                   "COLLECTIONS: Dict[str, Tuple[str, str, str]] = ",
    "LINKS": "#: Collection path -> its instances' ``links`` (name -> path, the record's fields in braces).\n"
             "LINKS: Dict[str, Dict[str, str]] = ",
    "JSON_BODIES": "#: The operations whose request body is JSON (the others take forms).\n"
                   "JSON_BODIES: FrozenSet[str] = ",
}

INDEX = '''"""Which generated table serves which product: generated by tools/generate_emulator_table.py.

A product is the first label of a description's host (``verify`` for verify.twilio.com); the
emulator serves it under ``/{{product}}`` and loads its tables on the first request for it.
"""
from __future__ import annotations

from typing import Dict, Tuple

#: Module key (the qualifier of its operationIds, as Twilio's SDKs name the module: ``verify.v2``,
#: ``flex_api.v1``, ``preview.hosted_numbers``) -> (product, table module).
DESCRIPTIONS: Dict[str, Tuple[str, str]] = {{
{descriptions}
}}

#: Product -> the keys of the modules it serves.
PRODUCTS: Dict[str, Tuple[str, ...]] = {{
{products}
}}
'''


def generate(directory: Path) -> Dict[Path, str]:
    """Every file the tool writes, by path, from the descriptions in ``directory``."""
    files = {OUTPUT: render(build(json.loads((directory / "twilio_api_v2010.json").read_text())))}
    index: Dict[str, Tuple[str, str]] = {}
    for path in sorted(directory.glob("twilio_*.json")):
        stem = path.stem[len("twilio_"):]
        spec = json.loads(path.read_text())
        host = spec["servers"][0]["url"].split("//", 1)[1]
        if stem == "api_v2010":
            continue
        table = emulator_domains.Description(spec).build()
        parts = emulator_domains.split(table, lambda route: emulator_domains.module_key(stem, route))
        for key, part in parts.items():
            module = key.replace(".", "_")
            index[key] = (host.split(".", 1)[0], module)
            header = DOMAIN_HEADER.format(key=key, host=host, file=path.name)
            files[TABLES / f"{module}.py"] = render(part, header, DOMAIN_DOCS)
    products: Dict[str, List[str]] = {}
    for key, (product, _) in index.items():
        products.setdefault(product, []).append(key)
    files[TABLES / "__init__.py"] = INDEX.format(
        descriptions="\n".join(f"    {key!r}: {entry!r}," for key, entry in sorted(index.items())),
        products="\n".join(f"    {product!r}: {tuple(keys)!r}," for product, keys in sorted(products.items())))
    return files


def main(directory: Path) -> None:
    TABLES.mkdir(exist_ok=True)
    files = generate(directory)
    for stale in sorted(set(TABLES.glob("*.py")) - set(files)):  # a module Twilio no longer describes
        stale.unlink()
        print(f"removed {stale.relative_to(ROOT)}")
    for path, text in files.items():
        path.write_text(text)
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DESCRIPTIONS)
