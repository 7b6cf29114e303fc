"""Generate the typing of every resource: a ``.pyi`` stub beside each generated declaration module.

    python tools/generate_stubs.py [path/to/twilio-oai]

Run after tools/generate_resources.py. The stubs are read by mypy, pyright and editors only;
Python never imports a ``.pyi``, so the declarations stay a few lines each and import time is
what it was. Each stub is written from two sources, so it says exactly what works:

* the declarations themselves (imported): classes, bases, scope (parents, ``account_sid``,
  ``connect``, path choices), associations, and the keyword each Twilio parameter is sent by
  (a keyword is offered only when the mechanism really sends it under that name);
* the descriptions (../shared/twilio-oai), read by :mod:`tools.descriptions`: every operation's
  parameters (type, format, enum, required) and the fields of its answers.

Types: ``str``/``int``/``float``/``bool``; ``Literal[...]`` for an enum; a date-time is
``datetime | date | str``, a date ``date | str``; a repeated parameter a list (or tuple); a JSON
object a ``dict``; ``parameters=`` a mapping (Twilio's numbered ``Parameter1.Name``...). Fields
are ``Optional`` (Twilio sends ``null``), read-only properties, with a setter where the update
takes them; dates in fields stay the strings Twilio sends. An association is typed as a class of
the stub alone (``_CallProxy``): the child class (its class methods; the parent is filled in at
run time) with a metaclass that makes it iterable, as the runtime proxy is.
"""
from __future__ import annotations

import importlib
import keyword
import re
import sys
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import descriptions  # noqa: E402
from declaring import docstring  # noqa: E402
from descriptions import JSON  # noqa: E402

from flask_twilio_rb.catalog import MODULES  # noqa: E402
from flask_twilio_rb.registry import lookup  # noqa: E402
from flask_twilio_rb.resources.base import Resource  # noqa: E402
from flask_twilio_rb.resources.params import python_name, twilio_name  # noqa: E402
from flask_twilio_rb.resources.proxies import Association, Scoped, SingletonAssociation  # noqa: E402
from flask_twilio_rb.resources.singleton import Singleton  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "flask_twilio_rb"
#: The numbered custom parameters (``Parameter1.Name``...) the mechanism takes as one ``parameters=`` dict.
NUMBERED = re.compile(r"Parameter\d+\.(Name|Value)\Z")
PAGES = "Iterator[Tuple[List[Dict[str, Any]], Optional[str]]]"


# -- reading the descriptions ------------------------------------------------------------------------

class Spec:
    """One description's operations by operationId, read once."""

    def __init__(self, path: Path) -> None:
        self.raw = descriptions.load(path)
        self.ops: Dict[str, Tuple[str, str, Dict[str, Any]]] = {
            op["operationId"]: (op_path, method, op) for op_path, method, op, _ in descriptions.operations(self.raw)}

    def params(self, operation_id: str) -> List[descriptions.Param]:
        op_path, method, op = self.ops[operation_id]
        return descriptions.read_op(self.raw, op_path, method, op, "").params

    def body_type(self, operation_id: str) -> Optional[str]:
        op_path, method, op = self.ops[operation_id]
        return descriptions.read_op(self.raw, op_path, method, op, "").body_type

    def fields(self, operation_id: str) -> Dict[str, Dict[str, Any]]:
        """The fields of the records the operation answers with (a list's records, else the answer's own)."""
        _, _, op = self.ops[operation_id]
        for status, answer in sorted(op.get("responses", {}).items()):
            if not status.startswith("2"):
                continue
            content = answer.get("content") or {}
            media = content.get(JSON) or content.get("application/scim+json") or {}
            schema = descriptions.resolve(self.raw, media.get("schema") or {})
            props = schema.get("properties") or {}
            if operation_id.startswith("List"):
                array = next((v for v in props.values() if v.get("type") == "array"), None)
                props = ((array or {}).get("items") or {}).get("properties") or {}
            return props
        return {}


# -- types ------------------------------------------------------------------------------------------

def literal(values: Iterable[Any]) -> str:
    return "Literal[" + ", ".join(repr(v) for v in values) + "]"


def param_type(facts: Mapping[str, Any], name: str, json: bool, objects: frozenset) -> str:
    """The type a keyword takes (without ``Optional``)."""
    kind, fmt = facts.get("type"), facts.get("format")
    if "enum" in facts:
        values = list(dict.fromkeys(facts["enum"]))
        if name.endswith("Method"):  # the mechanism sends a method in the case the description spells it
            values = list(dict.fromkeys([v for e in values if isinstance(e, str) for v in (e.upper(), e.lower())]))
        return literal(values)
    if kind == "array":
        return f"Many[{param_type(facts.get('items') or {}, name, json, objects)}]"
    if name in objects:
        return "Union[Dict[str, Any], List[Any], str]"
    if kind == "object":
        return "Dict[str, Any]"
    if kind == "integer":
        return "int"
    if kind == "number":
        return "float"
    if kind == "boolean":
        return "bool"
    if kind == "string":
        return {"date-time": "DateTime", "date": "Date"}.get(fmt, "str")
    return "Any"


def field_type(schema: Mapping[str, Any]) -> str:
    """The type of a field as Twilio sends it (dates stay strings: the mechanism does not parse them)."""
    kind = schema.get("type")
    if "enum" in schema:
        return literal(dict.fromkeys(schema["enum"]))
    if kind == "array":
        return f"List[{field_type(schema.get('items') or {})}]"
    return {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "object": "Dict[str, Any]"}.get(
        kind or "", "Any")


# -- one class --------------------------------------------------------------------------------------

class Writer:
    """The stub lines of the classes of one module."""

    def __init__(self, module: str, spec: Spec) -> None:
        self.module = module
        self.spec = spec
        self.needs: set = set()  # the names of other modules a stub refers to: (module, name)
        self.dropped: List[str] = []
        self.proxies: Dict[str, type] = {}  # the stub's proxy classes: name -> the class it stands for

    def ref(self, cls: type) -> str:
        """How the stub names ``cls`` (imported when it lives in another module)."""
        if cls.__module__ != f"flask_twilio_rb.{self.module}":
            self.needs.add((cls.__module__, cls.__name__))
        return cls.__name__

    # keywords ---------------------------------------------------------------------------------------
    def keywords(self, cls: Any, capability: str, operation_id: str, scope: set) -> List[Tuple[str, str, bool]]:
        """``(keyword, type, required)`` of every parameter the operation takes, as the mechanism sends it."""
        action = capability.partition("[")[0]
        as_json = self.spec.body_type(operation_id) == JSON and action in cls._json
        aliases = cls._action_aliases.get(action, cls._names if as_json else cls._aliases)
        by_wire: Dict[str, List[str]] = {}
        for kw, wire in aliases.items():
            by_wire.setdefault(wire, []).append(kw)
        found: List[Tuple[str, str, bool]] = []
        numbered = False
        for prm in self.spec.params(operation_id):
            if prm.where == "path":
                continue
            if NUMBERED.match(prm.name):
                numbered = True
                continue
            json_body = as_json and prm.where == "body"
            for kw in by_wire.get(prm.name, []) + [python_name(prm.name)]:
                sent = aliases.get(kw, kw) if json_body else (aliases.get(kw) or twilio_name(kw))
                usable = kw.isidentifier() and not keyword.iskeyword(kw)
                if sent == prm.name and usable and kw not in scope and all(kw != k for k, _, _ in found):
                    found.append((kw, param_type(prm.schema, prm.name, json_body, cls._objects), prm.required))
                    break
            else:
                if not any(kw in scope for kw in by_wire.get(prm.name, []) + [python_name(prm.name)]):
                    self.dropped.append(f"{cls.qualified_name}.{capability}: {prm.name}")
        if numbered and "parameters" not in scope:
            found.append(("parameters", "Mapping[str, Any]", False))
        return sorted(found, key=lambda k: (not k[2], k[0]))

    def scope(self, cls: Any, parents: Dict[str, type], extra: Tuple[str, ...] = ()) -> List[Tuple[str, str, bool]]:
        """The scope keywords: path values (and the parent objects for ``*_sid``), path choices, ``connect``."""
        found: List[Tuple[str, str, bool]] = []
        names = [p for p in cls._placeholders if p not in extra]
        for alias, name in cls._path_aliases.items():
            found.append((alias, "str", False))
        for name in names:
            if name in cls._choices:
                found.append((name, literal(k for k in cls._choices[name] if k is not None), False))
                continue
            found.append((name, "str", False))
            if name.endswith("_sid"):
                parent = parents.get(name)
                found.append((name[:-4], self.ref(parent) if parent is not None else "Resource", False))
        for name in extra:
            found.append((name, "str", True))
        found.append(("connect", "bool", False))
        return found

    # the class ----------------------------------------------------------------------------------------
    def klass(self, cls: Any, parents: Dict[str, type]) -> str:
        bases = ", ".join(self.ref(b) for b in cls.__bases__)
        doc = docstring(cls.__doc__ or "", cls.__name__)
        lines = [f"class {cls.__name__}({bases}):", f'    """{doc}"""', ""]
        own = cls.__name__
        single = issubclass(cls, Singleton)
        caps: Dict[str, List[str]] = {}
        for capability, operation_id in cls._operations.items():
            if operation_id in self.spec.ops and capability.partition("[")[0] not in cls._retired:
                caps.setdefault(capability.partition("[")[0], []).append(operation_id)
        members = set()
        methods: List[str] = []
        base_scope = self.scope(cls, parents)
        scope_names = {k for k, _, _ in base_scope}

        def sig(head: str, kws: List[Tuple[str, str, bool]], result: str, override: bool = True) -> str:
            """A method's signature: one line when it is short, else one keyword a line."""
            name, _, first = head.partition("(")
            parts = first.split(", ") + (["*"] if kws else [])
            parts += [f"{kw}: {kind}" if required else f"{kw}: Optional[{kind}] = ..." for kw, kind, required in kws]
            # (the mixins take **params: Any; a stub names them, so mypy sees an override it cannot check)
            # (count is a field_first_classmethod there: pyright sees a variable, mypy a class method)
            ignore = "  # type: ignore[override]" if override else "  # pyright: ignore[reportIncompatibleVariableOverride]"
            one = f"def {name}({', '.join(parts)}) -> {result}: ...{ignore}"
            if len(one) + 4 <= 110:
                return one
            return "\n".join([f"def {name}({ignore}", *(f"        {p}," for p in parts),
                              f"    ) -> {result}: ..."])

        def params(cap: str, scope: set) -> List[Tuple[str, str, bool]]:
            merged: Dict[str, Tuple[str, str, bool]] = {}
            for operation_id in caps[cap]:
                for kw in self.keywords(cls, cap, operation_id, scope):
                    old = merged.get(kw[0])
                    # A keyword of one path choice only (create[type=local]) is required of none.
                    merged[kw[0]] = kw if old is None else (kw[0], kw[1], kw[2] and old[2])
            if len(caps[cap]) > 1:
                counts = {k: sum(1 for o in caps[cap] if k in {x for x, _, _ in self.keywords(cls, cap, o, scope)})
                          for k in merged}
                merged = {k: (v[0], v[1], v[2] and counts[k] == len(caps[cap])) for k, v in merged.items()}
            return sorted(merged.values(), key=lambda k: (not k[2], k[0]))

        def classmethod_(line: str) -> None:
            methods.extend(["    @classmethod", f"    {line}"])

        if "create" in caps:
            extra = (cls._id_field,) if "create" in cls._instance_ops and cls._id_field else ()
            scope = self.scope(cls, parents, extra)
            kws = params("create", {k for k, _, _ in scope})
            classmethod_(sig("create(cls", kws + scope, own))
            members.add("create")
        if "fetch" in caps and single:
            kws = params("fetch", scope_names)
            classmethod_(sig("fetch(cls", kws + base_scope, own))
            members.add("fetch")
        elif "fetch" in caps:
            kws = params("fetch", scope_names | {"sid"})
            classmethod_(sig("find(cls, sid: Optional[str]", kws + base_scope, f"Optional[{own}]"))
            methods.append(f"    def reload(self) -> {own}: ...")
            members.update({"find", "reload"})
        if "list" in caps:
            extra = (cls._id_field,) if "list" in cls._instance_ops and cls._id_field else ()
            scope = self.scope(cls, parents, extra)
            kws = params("list", {k for k, _, _ in scope} | {"limit", "start"})
            classmethod_(sig("all(cls", kws + scope, f"List[{own}]"))
            classmethod_(sig("each(cls, limit: Optional[int] = None", kws + scope, f"Iterator[{own}]"))
            classmethod_(sig("count(cls", kws + scope, "int", override=False))
            classmethod_(sig("pages(cls, start: Optional[str] = None", kws + scope, PAGES))
            members.update({"all", "each", "count", "pages"})
        setters: Dict[str, str] = {}
        if "update" in caps:
            kws = params("update", set())
            methods.append("    " + sig("update_attributes(self", kws, own))
            on_instance = cls._id_field is not None and "update" not in cls._list_ops
            kws = params("update", scope_names | {"sid"})
            classmethod_(sig("update(cls" + (", sid: str" if on_instance else ""), kws + base_scope, own))
            setters = {kw: kind for kw, kind, _ in kws if kw in cls._updatable}
            members.update({"update", "update_attributes"})
        if "patch" in caps:
            methods.append("    " + sig("patch(self", params("patch", set()), own))
            members.add("patch")
        if "delete" in caps:
            on_instance = cls._id_field is not None and "delete" not in cls._list_ops
            kws = params("delete", scope_names | {"sid"})
            classmethod_(sig("delete(cls" + (", sid: str" if on_instance else ""), kws + base_scope, "bool"))
            members.add("delete")
        attributes: List[str] = []
        for name in sorted(vars(cls)):
            value = vars(cls)[name]
            if isinstance(value, Association):
                target = lookup(value.target)
                if isinstance(value, SingletonAssociation):
                    kind = self.ref(target)
                elif issubclass(target, Singleton):
                    kind = f"Type[{self.ref(target)}]"
                else:  # the class with the parent filled in, and iteration (a class of the stub alone)
                    self.proxies[f"_{target.__name__}Proxy"] = target
                    kind = f"Type[_{target.__name__}Proxy]"
                attributes.extend(["    @property", f"    def {name}(self) -> {kind}: ..."])
                members.add(name)
            elif isinstance(value, Scoped):
                attributes.append(f"    {name}: ClassVar[Type[{own}]]")
                members.add(name)
        body = self.fields(cls, caps, members, setters) + attributes + methods
        return "\n".join(lines + (body or ["    ..."]))

    def fields(self, cls: Any, caps: Dict[str, List[str]], members: set, setters: Dict[str, str]) -> List[str]:
        """The fields of the operations' answers: read-only properties, with a setter for what the update takes."""
        found: Dict[str, str] = {}
        for cap in ("fetch", "create", "update", "patch", "list"):
            for operation_id in caps.get(cap, []):
                for name, schema in self.spec.fields(operation_id).items():
                    found.setdefault(name, field_type(schema))
        taken = members | {n for klass in cls.__mro__ for n in vars(klass)} | {"id"}
        lines: List[str] = []
        for name, kind in sorted(found.items()):
            attr = name + "_" if keyword.iskeyword(name) else name
            if not attr.isidentifier() or attr in taken or attr.startswith("_"):
                continue  # (a method of the same name wins, as at run time; obj["count"] reads the field)
            if issubclass(cls, Singleton):  # read on the class too (Balance.balance): Final where read-only
                lines.append(f"    {attr}: Optional[{kind}]" if attr in setters else f"    {attr}: Final[Optional[{kind}]]")
                continue
            # The id an instance is named by is always there (answered, or the one it was found by).
            kind = kind if attr == cls._id_field else f"Optional[{kind}]"
            lines.extend(["    @property", f"    def {attr}(self) -> {kind}: ..."])
            if attr in setters:
                lines.extend([f"    @{attr}.setter", f"    def {attr}(self, value: Optional[{setters[attr]}]) -> None: ..."])
        return lines


# -- one module -------------------------------------------------------------------------------------

def parents_of(classes: List[Any]) -> Dict[type, Dict[str, type]]:
    """For each class, the class of each parent whose id fills a placeholder (read off the associations)."""
    found: Dict[type, Dict[str, type]] = {}
    for parent in classes:
        for value in vars(parent).values():
            if isinstance(value, Association):
                child = lookup(value.target)
                missing = [p for p in child._placeholders if p not in parent._placeholders
                           and p not in child._choices and p not in child._defaults]
                if missing:
                    found.setdefault(child, {}).setdefault(missing[-1], parent)
    return found


HEADER = '''"""Typing of {module} for mypy, pyright and editors (never imported at run time).

Generated by tools/generate_stubs.py from the declarations in {name}.py and {description};
do not edit."""
'''


def module_stub(key: str, description: str, spec: Spec) -> Tuple[str, List[str]]:
    """The stub text of ``flask_twilio_rb.<key>``, and the parameters no keyword sends."""
    module = importlib.import_module(f"flask_twilio_rb.{key}")
    classes = [v for v in vars(module).values()
               if isinstance(v, type) and issubclass(v, Resource) and v.__module__ == module.__name__]
    classes.sort(key=lambda c: c.__name__)
    parents = parents_of(classes)
    writer = Writer(key, spec)
    chunks = [writer.klass(cls, parents.get(cls, {})) for cls in classes]
    for name, target in sorted(writer.proxies.items()):  # (a metaclass each: iterating gives the class's own type)
        own = writer.ref(target)
        chunks.append(f"class {name}Meta(type):\n    def __iter__(cls) -> Iterator[{own}]: ...\n\n\n"
                      f"class {name}({own}, metaclass={name}Meta):\n"
                      f'    """An association to {own}: its class methods with the parent filled in; iterating gives '
                      'each one."""')
    for cls in classes:
        for base in cls.__bases__:
            writer.ref(base)
    imports: Dict[str, List[str]] = {}
    for source, name in sorted(writer.needs):
        imports.setdefault(source, []).append(name)
    header = HEADER.format(module=f"flask_twilio_rb.{key}", name=key.split(".")[1], description=description)
    lines = [header, "import datetime",
             "from typing import Any, ClassVar, Dict, Final, Iterator, List, Literal, Mapping, Optional, Tuple, Type, Union",
             "", "from ..resources.base import Resource",
             "from ..resources.kinds import Date, DateTime, Many"]
    for source, names in sorted(imports.items()):
        relative = ".." + source[len("flask_twilio_rb."):]
        lines.append(f"from {relative} import {', '.join(sorted(set(names)))}")
    module_names = [n for n, v in vars(module).items() if not n.startswith("__") and not isinstance(v, type)
                    and not callable(v) and n.isupper()]
    if "API" in module_names:
        lines.extend(["from ..wire import Api", "", "API: Api"])
    text = "\n".join(lines) + "\n\n\n" + "\n\n\n".join(chunks) + "\n"
    return text, writer.dropped


def main(directory: Path, package: Path = PACKAGE) -> None:
    """Write ``<module>.pyi`` beside every generated module under ``package`` (the library's, by default)."""
    specs: Dict[str, Spec] = {}
    dropped: List[str] = []
    for key, description in MODULES.items():
        spec = specs.get(description) or specs.setdefault(description, Spec(directory / description))
        text, lost = module_stub(key, description, spec)
        dropped.extend(lost)
        target = package / key.split(".")[0] / f"{key.split('.')[1]}.pyi"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    print(f"wrote {len(MODULES)} stubs" + (f"; parameters no keyword sends: {', '.join(dropped)}" if dropped else ""))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else descriptions.SHARED)
