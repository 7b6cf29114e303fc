"""Generate the resource declarations of every Twilio API description, one package per domain.

    python tools/generate_resources.py [path/to/twilio-oai]

The descriptions (by default ../shared/twilio-oai/twilio_*.json) are read, never copied: the
output is short, readable Python declarations that are committed:

* ``flask_twilio_rb/<domain>/<version>.py``: the classes of one description
  (``flask_twilio_rb/verify/v2.py``), read by :mod:`tools.descriptions`;
* ``flask_twilio_rb/<domain>/__init__.py``: the newest version of each class, loaded on first use;
* ``flask_twilio_rb/api/v2010.py``: the 2010-04-01 API, whose names (and a few choices: the
  seed library's ``type="toll_free"``, ``UsageRecord.daily``, date filters) predate Twilio's
  SDK naming and stay as they are;
* ``flask_twilio_rb/catalog.py``: every module and the description it comes from.

Behaviour lives in the hand-written mechanism (``flask_twilio_rb/resources/``); this script only
writes what the descriptions say. Run it again when Twilio publishes new descriptions and review the diff.
"""
from __future__ import annotations

import re
import sys
from collections import defaultdict
from keyword import iskeyword
from pathlib import Path
from typing import Dict, List, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import descriptions  # noqa: E402
from api_2010 import LEGACY, legacy_module  # noqa: E402
from declaring import MIXINS, docstring, frozen, mapping, module_text, operations, query_sets, wrap  # noqa: E402
from descriptions import DEFAULT_METHODS, FORM, JSON, Module, Resource  # noqa: E402

from flask_twilio_rb.resources.params import python_name, twilio_name  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "flask_twilio_rb"
#: Names an association must not take: the mechanism's own methods and attributes.
RESERVED = {"all", "count", "create", "delete", "destroy", "each", "fetch", "find", "id", "patch", "qualified_name",
            "reload", "to_dict", "update", "update_attributes"}


# -- every other description: Twilio's SDK names, read by tools/descriptions.py -------------------

def generic_module(module: Module) -> Tuple[List[str], set]:
    """The class declarations of one description's module, and the mechanism names they use."""
    imports: set = set()
    chunks = []
    mounts = _mounts(module)
    for res in sorted(module.resources, key=lambda r: r.name):
        bases = _bases(res)
        imports.update(bases)
        lines = [f"class {res.name}({', '.join(bases)}):", f'    """{_doc(module, res)}"""', ""]
        lines.append("    _api = API")
        lines.append(f'    _path = "{res.list_path}"')
        id_field = res.id_field if res.instance_path else None
        if res.instance_path and res.instance_path != f"{res.list_path}/{{{id_field}}}":
            lines.append(f'    _instance_path = "{res.instance_path}"')
        list_op = res.ops.get("list")
        if list_op is not None and list_op.list_key:
            lines.append(f'    _list_key = "{list_op.list_key}"')
        changes_by_id = set(res.ops) & {"fetch", "update", "delete", "patch"}
        if id_field is None and changes_by_id and "Singleton" not in bases:
            lines.append("    _id_field = None")
        elif id_field is not None and id_field != "sid":
            lines.append(f'    _id_field = "{id_field}"')
        prefixes = _prefixes(res)
        if id_field is not None and prefixes.get(id_field):
            lines.append(f'    _id_prefix = "{prefixes[id_field]}"')
        parent_prefixes = {p: prefixes[p] for p in re.findall(r"{(\w+)}", res.list_path) if p in prefixes}
        if parent_prefixes:
            lines.extend(mapping("_prefixes", parent_prefixes))
        updatable = sorted({p.python for cap in ("update",) if cap in res.ops for p in res.ops[cap].of("body")})
        if updatable:
            lines.extend(frozen("_updatable", updatable))
        names, action_names = _names(module, res)
        if names:
            lines.extend(mapping("_names", names))
        if action_names:
            lines.append("    _action_names = {")
            lines.extend(f'        "{cap}": {{' + ", ".join(f'"{k}": "{v}"' for k, v in names_.items()) + "},"
                         for cap, names_ in action_names.items())
            lines.append("    }")
        query = {cap: sorted(p.python for p in op.of("query")) for cap, op in sorted(res.ops.items())
                 if cap != "list" and op.of("query")}
        if query:
            lines.extend(query_sets(query))
        lower = sorted({p.name for op in res.ops.values() for p in op.params if p.name.endswith("Method")
                        and any(isinstance(e, str) and e in ("get", "post") for e in p.schema.get("enum", ()))})
        if lower:
            lines.append("    _lower_methods = frozenset({" + ", ".join(f'"{n}"' for n in lower) + "})")
        objects = sorted({p.name for op in res.ops.values() if op.body_type == FORM for p in op.of("body")
                          if p.schema.get("type") in (None, "object")})
        if objects:
            lines.append("    _objects = frozenset({" + ", ".join(f'"{n}"' for n in objects) + "})")
        json_caps = sorted(cap for cap, op in res.ops.items() if op.body_type == JSON)
        if json_caps:
            lines.append("    _json = frozenset({" + ", ".join(f'"{c}"' for c in json_caps) + "})")
        methods = {cap: op.method for cap, op in sorted(res.ops.items()) if op.method != DEFAULT_METHODS[cap]}
        if methods:
            lines.extend(mapping("_methods", methods))
        if id_field is not None:
            on_list = sorted(c for c in res.ops if c not in ("create", "list") and res.where(c) == "list")
            on_instance = sorted(c for c in res.ops if c in ("create", "list") and res.where(c) == "instance")
            if on_list:
                lines.append("    _list_ops = frozenset({" + ", ".join(f'"{c}"' for c in on_list) + "})")
            if on_instance:
                lines.append("    _instance_ops = frozenset({" + ", ".join(f'"{c}"' for c in on_instance) + "})")
        lines.extend(operations({cap: op.operation_id for cap, op in res.ops.items()}))
        children = mounts.get(id(res), [])
        if children:
            lines.append("")
            for attribute, child in children:
                fetched = child.singleton and "fetch" in child.ops
                kind = "SingletonAssociation" if fetched else "Association"
                imports.add(kind)
                lines.append(f'    {attribute} = {kind}("{module.key}.{child.name}")')
        chunks.append("\n".join(lines))
    return chunks, imports


def _bases(res: Resource) -> List[str]:
    single = res.instance_path is None and "fetch" in res.ops
    bases = [mixin for cap, mixin in MIXINS if cap in res.ops and not (single and cap == "fetch")]
    if single:
        bases.insert(1 if "create" in res.ops else 0, "Singleton")
    return bases


def _prefixes(res: Resource) -> Dict[str, str]:
    found: Dict[str, str] = {}
    for op in res.ops.values():
        for prm in op.of("path"):
            prefix = descriptions.sid_prefix(prm.schema)
            if prefix:
                found[prm.python] = prefix
    return found


def _names(module: Module, res: Resource) -> Tuple[Dict[str, str], Dict[str, Dict[str, str]]]:
    """The keywords whose Twilio name the mechanism would not work out by itself.

    One map for the class; where a keyword means different names in different operations
    (a list's ``status`` filter, an update's ``Status`` field), a map per operation instead.
    """
    wires: Dict[str, Dict[str, str]] = defaultdict(dict)  # keyword -> capability -> irregular name
    regular: Dict[str, set] = defaultdict(set)
    for cap, op in res.ops.items():
        placeholders = {p.python for p in op.of("path")}
        for prm in op.of("query") + op.of("body"):
            plain = prm.python if op.body_type == JSON and prm.where == "body" else twilio_name(prm.python)
            if prm.python in placeholders:
                raise SystemExit(f"{module.key}.{res.name}: parameter {prm.name} is also a path value")
            if plain != prm.name:
                if wires[prm.python].get(cap, prm.name) != prm.name:
                    raise SystemExit(f"{module.key}.{res.name}: {prm.python} means both "
                                     f"{wires[prm.python][cap]} and {prm.name} in {cap}")
                wires[prm.python][cap] = prm.name
            else:
                regular[prm.python].add(cap)
    common: Dict[str, str] = {}
    by_action: Dict[str, Dict[str, str]] = defaultdict(dict)
    for keyword, caps in sorted(wires.items()):
        if not caps:
            continue
        if len(set(caps.values())) == 1 and not regular.get(keyword):
            common[keyword] = next(iter(caps.values()))
        else:
            for cap, name in caps.items():
                by_action[cap][keyword] = name
    return common, {cap: dict(sorted(names.items())) for cap, names in sorted(by_action.items())}


def _mounts(module: Module) -> Dict[int, List[Tuple[str, Resource]]]:
    """Each parent's associations, ``(attribute, child)``, named as Twilio's SDK names them."""
    children: Dict[int, List[Tuple[str, Resource]]] = defaultdict(list)
    for res in sorted(module.resources, key=lambda r: r.name):
        if res.parent is None:
            continue
        attribute = res.mount
        taken = {a for a, _ in children[id(res.parent)]}
        if attribute in RESERVED or iskeyword(attribute) or attribute in taken:
            attribute = python_name(res.name) + ("s" if not res.singleton else "")
        if attribute in taken:
            raise SystemExit(f"{module.key}.{res.parent.name}: two associations named {attribute}")
        children[id(res.parent)].append((attribute, res))
    return {k: sorted(v, key=lambda pair: pair[0]) for k, v in children.items()}


def _doc(module: Module, res: Resource) -> str:
    capabilities = ", ".join(sorted(res.ops))
    return docstring("", f"{res.name} ({module.key}, {module.prefix}{res.instance_path or res.list_path}: {capabilities})")


# -- writing ---------------------------------------------------------------------------------------


def package_text(package: str, modules: List[Module], exports: Dict[str, str]) -> str:
    versions = ", ".join(m.version for m in modules)
    hosts = ", ".join(sorted({m.host for m in modules}))
    lines = [
        f'"""Twilio\'s {package} API ({hosts}): {versions}.',
        "",
        f"Each class of the newest version that declares it, loaded on first use: ``from flask_twilio_rb.{package}",
        f"import {sorted(exports)[0]}`` imports flask_twilio_rb.{package}.{exports[sorted(exports)[0]]} and nothing else. The",
        "versions are modules of their own. Generated by tools/generate_resources.py; do not edit.\"\"\"",
        "from __future__ import annotations",
        "",
        "from typing import TYPE_CHECKING, Any, List",
        "",
        "from .. import lazy",
        "",
        *_typing_imports(exports),
        "",
        "#: Each class and the version that declares its newest form.",
        "EXPORTS = {",
        *(f'    "{name}": "{version}",' for name, version in sorted(exports.items())),
        "}",
        "__all__ = sorted(EXPORTS)",
        "",
        "",
        "def __getattr__(name: str) -> Any:",
        "    return lazy.attribute(__name__, EXPORTS, name)",
        "",
        "",
        "def __dir__() -> List[str]:",
        "    return lazy.names(__name__, EXPORTS)",
    ]
    return "\n".join(lines) + "\n"


def _typing_imports(exports: Dict[str, str]) -> List[str]:
    """The exports' real types for mypy and IDEs (at run time each name loads on first use)."""
    lines = ["# The real types for mypy and IDEs (``X as X``: re-exported, as mypy --strict wants); at run time",
             "# each name loads on first use.",
             "if TYPE_CHECKING:"]
    for version in sorted(set(exports.values())):
        names = sorted(f"{n} as {n}" for n, v in exports.items() if v == version)
        lines.append(f"    from .{version} import (")
        lines.extend(wrap(names, "        "))
        lines.append("    )")
    return lines


def version_order(module: Module) -> Tuple[int, str]:
    match = re.fullmatch(r"v(\d+)", module.version)
    return (int(match.group(1)) if match else 0, module.version)


def main(directory: Path, package: Path = PACKAGE) -> None:
    """Write every module of the descriptions in ``directory`` under ``package`` (the library's, by default)."""
    modules = descriptions.read_all(directory)
    by_package: Dict[str, List[Module]] = defaultdict(list)
    written = []
    for module in modules:
        by_package[module.package].append(module)
        folder = package / module.package
        folder.mkdir(parents=True, exist_ok=True)
        if module.key == "api.v2010":
            chunks, imports = legacy_module(descriptions.load(directory / f"{module.description}.json"))
            header = ('"""The 2010-04-01 API (https://api.twilio.com/2010-04-01), declared from Twilio\'s OpenAPI '
                      'description.\n\nGenerated by tools/generate_resources.py from twilio_api_v2010.json; edit the '
                      'generator (or the\nmechanism in flask_twilio_rb/resources/), not this file."""')
            text = module_text(header, chunks, imports, None, LEGACY)
            classes = re.findall(r"^class (\w+)\(", text, re.M)
            module.capabilities = {}  # type: ignore[attr-defined]
        else:
            chunks, imports = generic_module(module)
            header = (f'"""{module.key}: {module.host}{module.prefix}, {len(module.resources)} resources declared from '
                      f"Twilio's OpenAPI description.\n\nGenerated by tools/generate_resources.py from "
                      f"{module.description}.json; edit the generator (or the\nmechanism in "
                      'flask_twilio_rb/resources/), not this file."""')
            api = f'Api("{module.key}", "{module.host}", "{module.prefix}")'
            text = module_text(header, chunks, imports, api)
            classes = [r.name for r in module.resources]
            module.capabilities = {r.name: set(r.ops) for r in module.resources}  # type: ignore[attr-defined]
        (folder / f"{module.version}.py").write_text(text)
        module.class_names = classes  # type: ignore[attr-defined]
        written.append(f"{module.key} ({len(classes)} classes)")
    for name, members in sorted(by_package.items()):
        exports: Dict[str, str] = {}
        capabilities: Dict[str, set] = {}
        for module in sorted(members, key=version_order):
            for cls in module.class_names:  # type: ignore[attr-defined]
                caps = module.capabilities.get(cls, set())  # type: ignore[attr-defined]
                # A newer version's class takes the name when it does at least what the older one did
                # (content v2's Content only lists: Content stays v1's, content.v2.Content is v2's).
                if caps >= capabilities.get(cls, set()):
                    exports[cls], capabilities[cls] = module.version, caps
        (package / name / "__init__.py").write_text(package_text(name, members, exports))
    catalog = [
        '"""Every module that declares one of Twilio\'s API descriptions, and the description it comes from.',
        "",
        'Generated by tools/generate_resources.py; do not edit."""',
        "from __future__ import annotations",
        "",
        "#: Module (under flask_twilio_rb) -> the twilio-oai description its classes are declared from.",
        "MODULES = {",
        *(f'    "{m.key}": "{m.description}.json",' for m in modules),
        "}",
    ]
    (package / "catalog.py").write_text("\n".join(catalog) + "\n")
    print(f"wrote {len(modules)} modules in {len(by_package)} packages: {', '.join(written)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else descriptions.SHARED)
