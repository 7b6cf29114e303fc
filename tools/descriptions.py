"""Twilio's OpenAPI descriptions read into resources: what the generators in tools/ write out.

Each description (``twilio_verify_v2.json``) gives one module (``verify.v2``; the preview
descriptions, which have no version, give one per first path segment, as Twilio's SDK splits
them). A module is a set of resources: a class name, its list and instance paths, its
operations with their parameters, its parent and the attribute that mounts it on the parent.

Names follow Twilio's SDKs (checked against twilio-python's generated ``twilio/rest``): the
``x-twilio`` ``className`` of a path, else its ``mountName`` (singular), else the last literal
path segment (singular). Where two resources of one module would share a name, the ones deeper
down take their parent's name in front (``ServiceConversation``). Parents come from the
``x-twilio`` ``parent`` hint; the attribute on the parent from ``mountName``, else the path.
Nothing of the descriptions' prose is kept.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Mapping, Optional, Tuple

from flask_twilio_rb.resources.params import python_name

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "twilio-oai"
METHODS = ("get", "post", "put", "patch", "delete")
#: The capability an operationId's verb names.
VERBS = {"Create": "create", "Fetch": "fetch", "List": "list", "Update": "update", "Delete": "delete",
         "Patch": "patch"}
#: Where a capability goes when nothing says otherwise.
ON_LIST = frozenset({"create", "list"})
#: The HTTP method of a capability when nothing says otherwise.
DEFAULT_METHODS = {"create": "POST", "list": "GET", "fetch": "GET", "update": "POST", "delete": "DELETE",
                   "patch": "PATCH"}
#: Python packages that Twilio's SDK names differently from the description's file.
PACKAGES = {"flex": "flex_api", "frontline": "frontline_api", "iam_organizations": "preview_iam"}
#: Descriptions without a version in their name: the module of a path, from its first segment.
UNVERSIONED = {
    "preview": lambda first: python_name(first),                                  # preview.marketplace ...
    "iam_organizations": lambda first: first if first == "v1" else "versionless",  # as in Twilio's SDK
}
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
_SID_PATTERN = re.compile(r"\^?\(?([A-Z]{2}(?:\|[A-Z]{2})*)\)?\[0-9a-f(?:A-F)?\]\{32\}\$?\Z")


# -- the model --------------------------------------------------------------------------------------

@dataclass
class Param:
    """One parameter of an operation: its wire name, Python keyword, place and schema facts."""

    name: str
    python: str
    where: str  # "path", "query", "body"
    required: bool
    schema: Dict[str, Any]


@dataclass
class Op:
    """One operation: its capability on its resource, method, path and parameters."""

    operation_id: str
    capability: str
    method: str
    path: str  # the description's path, e.g. /v2/Services/{ServiceSid}
    params: List[Param]
    body_type: Optional[str]  # "application/json", the form type, or None
    list_key: Optional[str] = None

    def of(self, where: str) -> List[Param]:
        """The parameters in the path, the query or the body."""
        return [p for p in self.params if p.where == where]


@dataclass
class Resource:
    """One class: the paths (relative to the module's prefix, placeholders in snake_case) and operations."""

    name: str
    list_path: str
    instance_path: Optional[str]
    id_field: Optional[str]
    ops: Dict[str, Op] = field(default_factory=dict)
    parent_hint: Optional[str] = None
    mount_hint: Optional[str] = None
    class_hint: bool = False
    parent: Optional["Resource"] = None
    mount: str = ""
    #: Whether the resource has one instance where it lives (no id in its path).
    singleton: bool = False

    def where(self, capability: str) -> str:
        """``"list"`` or ``"instance"``: which of the two paths the capability's operation uses."""
        op = self.ops[capability]
        own = _normal(template(op.path, self.module_prefix, ".json" if op.path.endswith(".json") else ""))
        return "instance" if self.instance_path is not None and own == _normal(self.instance_path) else "list"

    module_prefix: str = ""


@dataclass
class Module:
    """The classes of one description (or one part of an unversioned one)."""

    key: str  # "verify.v2"
    description: str  # "twilio_verify_v2"
    host: str
    prefix: str  # "/v2"
    suffix: str  # ".json" for the 2010-04-01 API
    resources: List[Resource] = field(default_factory=list)

    @property
    def package(self) -> str:
        """``"verify"``."""
        return self.key.split(".")[0]

    @property
    def version(self) -> str:
        """``"v2"``."""
        return self.key.split(".", 1)[1]


# -- reading ----------------------------------------------------------------------------------------

def description_files(directory: Path = SHARED) -> List[Path]:
    """Every description in ``directory``, by name."""
    return sorted(directory.glob("twilio_*.json"))


def load(path: Path) -> Dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def resolve(spec: Mapping[str, Any], node: Any, depth: int = 0) -> Any:
    """``node`` with every ``$ref`` (``#/components/...``) replaced by what it names."""
    if depth > 40:
        raise ValueError("$ref nesting too deep")
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = spec
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            return resolve(spec, target, depth + 1)
        return {k: resolve(spec, v, depth + 1) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve(spec, v, depth + 1) for v in node]
    return node


def operations(spec: Mapping[str, Any]) -> Iterator[Tuple[str, str, Dict[str, Any], Dict[str, Any]]]:
    """``(path, method, operation, path item)`` for every operation, in the description's order."""
    for path, item in spec["paths"].items():
        for method in METHODS:
            if isinstance(item.get(method), dict):
                yield path, method, item[method], item


def split_name(stem: str) -> Tuple[str, Optional[str]]:
    """``"twilio_verify_v2"`` -> ``("verify", "v2")``; ``"twilio_api_v2010"`` -> ``("api", "v2010")``."""
    match = re.match(r"twilio_(.*?)(?:_(v\d+))?\Z", stem)
    assert match, stem
    return match.group(1), match.group(2)


def module_of(stem: str, path: str) -> Tuple[str, str]:
    """The module key and path prefix of an operation's path."""
    name, version = split_name(stem)
    first = path.split("/")[1]
    if version is None:
        return f"{PACKAGES.get(name, name)}.{UNVERSIONED[name](first)}", ("" if UNVERSIONED[name](first) ==
                                                                           "versionless" else "/" + first)
    return f"{PACKAGES.get(name, name)}.{version}", "/" + first


def template(path: str, prefix: str, suffix: str = "") -> str:
    """``/v2/Services/{ServiceSid}`` -> ``/Services/{service_sid}`` (under the prefix, no suffix)."""
    assert path.startswith(prefix), (path, prefix)
    rest = path[len(prefix):]
    if suffix and rest.endswith(suffix):
        rest = rest[:-len(suffix)]
    return re.sub(r"{(\w+)}", lambda m: "{%s}" % python_name(m.group(1)), rest)


def singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us")):
        return word[:-1]
    return word


def plural(word: str) -> str:
    if word.endswith("y") and not word.endswith(("ay", "ey", "oy", "uy")):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def camel(snake: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in snake.split("_") if part)


def literal_segments(path: str) -> List[str]:
    return [s for s in path.split("/") if s and not s.startswith("{")]


def resource_name(path: str, hints: Mapping[str, Any], op: Mapping[str, Any]) -> Tuple[str, bool]:
    """The SDK's name of the resource an operation at ``path`` acts on, and whether ``className`` gave it.

    An operation's own ``mountName`` (``CreateNewFactor`` on ``.../Factors``) makes it a resource
    of its own, as in Twilio's SDK (``entity.new_factors.create()`` beside ``entity.factors.list()``).
    """
    if hints.get("className"):
        return camel(hints["className"]), True
    mount = hints.get("mountName") or (op.get("x-twilio") or {}).get("mountName")
    if mount:
        parts = mount.split("_")
        return camel("_".join(parts[:-1] + [singular(parts[-1])])), False
    last = literal_segments(path)[-1]
    last = re.sub(r"\.json\Z", "", last)
    if last.isupper():
        return last.capitalize(), False  # AWS -> Aws, SIP -> Sip
    return singular(last[:1].upper() + last[1:]), False


def sid_prefix(schema: Mapping[str, Any]) -> Optional[str]:
    """``"VA"`` for a ``^VA[0-9a-fA-F]{32}$`` pattern (``"SM|MM"`` for alternatives), else ``None``."""
    match = _SID_PATTERN.match(schema.get("pattern") or "")
    return match.group(1) if match else None


def schema_facts(schema: Mapping[str, Any]) -> Dict[str, Any]:
    """The facts of a schema a request is checked against: type, format, enum, pattern, bounds, items."""
    facts = {k: schema[k] for k in ("type", "format", "enum", "pattern", "minLength", "maxLength", "minimum",
                                    "maximum") if k in schema}
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        facts["items"] = schema_facts(schema["items"])
    return facts


def read_op(spec: Mapping[str, Any], path: str, method: str, op: Mapping[str, Any], prefix: str) -> Op:
    verb = re.match(r"[A-Z][a-z]+", op["operationId"]).group(0)  # type: ignore[union-attr]
    params: List[Param] = []
    for raw in op.get("parameters", []):
        prm = resolve(spec, raw)
        if prm["in"] not in ("path", "query"):
            continue  # header parameters (X-Twilio-Webhook-Enabled, If-Match...) are not sent
        params.append(Param(prm["name"], python_name(prm["name"]), prm["in"], bool(prm.get("required")),
                            schema_facts(prm.get("schema", {}))))
    body_type = None
    content = (op.get("requestBody") or {}).get("content", {})
    for kind in (JSON, FORM):
        if kind in content:
            body_type = kind
            schema = resolve(spec, content[kind].get("schema", {}))
            required = set(schema.get("required") or ())
            for name, prop in (schema.get("properties") or {}).items():
                params.append(Param(name, python_name(name), "body", name in required, schema_facts(prop)))
            break
    list_key = None
    if VERBS[verb] == "list":
        content = op["responses"]["200"]["content"]
        answer = resolve(spec, content.get(JSON, content.get("application/scim+json", {})).get("schema", {}))
        list_key = next(k for k, v in answer.get("properties", {}).items() if v.get("type") == "array")
    return Op(op["operationId"], VERBS[verb], method.upper(), path, params, body_type, list_key)


def read_description(path: Path) -> List[Module]:
    """The modules of one description, their resources named, grouped, parented and mounted."""
    spec = load(path)
    stem = path.stem
    host = spec["servers"][0]["url"].split("://", 1)[1]
    modules: Dict[str, Module] = {}
    groups: Dict[Tuple[str, str], Dict[str, Any]] = {}
    by_path: Dict[str, List[Tuple[str, Dict[str, Any], Dict[str, Any]]]] = {}
    for op_path, method, op, item in operations(spec):
        by_path.setdefault(op_path, []).append((method, op, item))
    for op_path, entries in by_path.items():
        key, prefix = module_of(stem, op_path)
        suffix = ".json" if op_path.endswith(".json") and prefix == "/2010-04-01" else ""
        module = modules.setdefault(key, Module(key, stem, host, prefix, suffix))
        item = entries[0][2]
        hints = item.get("x-twilio") or {}
        tpl = template(op_path, prefix, suffix)
        ends_in_id = tpl.endswith("}")
        kind = hints.get("pathType") or ("instance" if ends_in_id else "list")
        if kind == "instance" and not ends_in_id:
            kind = "singleton"
        if kind == "list" and ends_in_id:  # a list under an id (insights' reports): the instance's path
            kind = "instance"
        base = tpl.rsplit("/", 1)[0] if kind == "instance" else tpl
        for method, op, _ in entries:
            name, from_class = resource_name(op_path, hints, op)
            group = groups.setdefault((key, name + "@" + base), {
                "module": module, "name": name, "base": base, "paths": {}, "hints": [], "class": from_class})
            if kind in group["paths"] and group["paths"][kind][0] != op_path:
                raise SystemExit(f"{stem}: {name} has two {kind} paths: {group['paths'][kind][0]}, {op_path}")
            group["paths"].setdefault(kind, (op_path, tpl, []))[2].append((method, op, item))
            group["hints"].append(dict(hints, own_mount=(op.get("x-twilio") or {}).get("mountName")))
    for group in _merge_odd_pairs(list(groups.values())):
        module = group["module"]
        paths = group["paths"]
        list_tpl = paths["list"][1] if "list" in paths else group["base"]
        instance_tpl = paths["instance"][1] if "instance" in paths else None
        id_field = None
        if instance_tpl:  # the placeholder the list path does not have (usually the last one)
            extra = [p for p in re.findall(r"{(\w+)}", instance_tpl) if "{%s}" % p not in list_tpl]
            id_field = extra[-1] if extra else re.findall(r"{(\w+)}", instance_tpl)[-1]
        if "singleton" in paths:
            list_tpl = paths["singleton"][1]
        hints = next((h for h in group["hints"] if h.get("parent")), group["hints"][0])
        mount_hint = next((h.get("mountName") or h.get("own_mount") for h in group["hints"]
                           if h.get("mountName") or h.get("own_mount")), None)
        res = Resource(group["name"], list_tpl, instance_tpl, id_field, parent_hint=hints.get("parent"),
                       mount_hint=mount_hint, class_hint=group["class"], module_prefix=module.prefix,
                       singleton="singleton" in paths)
        for op_path, _, entries in paths.values():
            for method, op, _ in entries:
                read = read_op(spec, op_path, method, op, module.prefix)
                if read.capability in res.ops:
                    raise SystemExit(f"{stem}: {res.name} has two {read.capability} operations: "
                                     f"{res.ops[read.capability].operation_id}, {read.operation_id}")
                res.ops[read.capability] = read
        module.resources.append(res)
    for module in modules.values():
        _parents(module)
        _parent_ids(module)
        _unique_names(module)
        _mounts(module)
    return list(modules.values())


def _merge_odd_pairs(groups: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Join a list path and an instance path of one resource whose instance is not ``list/{id}``.

    ``/ComplianceInquiries/Customers/Initialize`` and ``/ComplianceInquiries/Customers/{CustomerId}/Initialize``
    are one resource in Twilio's SDK: same name, same module, the second the first with an id inserted.
    """
    lonely = {}
    for group in groups:
        kinds = set(group["paths"])
        if kinds in ({"instance"}, {"singleton"}):
            lonely[(group["module"].key, group["name"])] = group
    for group in groups:
        other = lonely.get((group["module"].key, group["name"]))
        if set(group["paths"]) != {"list"} or other is None or other is group:
            continue
        kind = next(iter(other["paths"]))
        instance_tpl = other["paths"][kind][1]
        list_tpl = group["paths"]["list"][1]
        inserted = instance_tpl.count("{") == list_tpl.count("{") + 1
        if inserted and re.sub(r"/{\w+}", "", instance_tpl) == re.sub(r"/{\w+}", "", list_tpl):
            group["paths"]["instance"] = other["paths"][kind]
            group["hints"].extend(other["hints"])
            other["merged"] = True
    return [g for g in groups if not g.get("merged")]


def _normal(tpl: str) -> str:
    return re.sub(r"{\w+}", "{}", tpl)


def _parents(module: Module) -> None:
    """Each resource's parent: the resource whose instance path the ``parent`` hint names (else the longest prefix)."""
    by_instance = {}
    for res in module.resources:
        if res.instance_path:
            by_instance[_normal(res.instance_path)] = res
        elif res.singleton:
            by_instance.setdefault(_normal(res.list_path), res)
    for res in module.resources:
        parent = None
        if res.parent_hint:
            hint = res.parent_hint
            if module.prefix and hint.startswith(module.prefix + "/"):
                hint = hint[len(module.prefix):]
            parent = by_instance.get(_normal(re.sub(r"\.json\Z", "", hint)))
        if parent is None:
            own = _normal(res.list_path)
            best = None
            for path, candidate in by_instance.items():
                if candidate is not res and own.startswith(path + "/") and (best is None or len(path) > len(best[0])):
                    best = (path, candidate)
            parent = best[1] if best else None
        res.parent = parent if parent is not res else None


def _parent_ids(module: Module) -> None:
    """A parent's id called ``{Sid}`` or ``{id}`` in a child's path takes the parent's name: ``flow_sid``.

    ``/Flows/{Sid}/Revisions`` is ``FlowRevision.all(flow_sid=...)``: ``sid`` stays the keyword
    of the instance itself (``find(sid)``, ``update(sid, ...)``).
    """
    for res in module.resources:
        tpl = res.list_path
        for name in re.findall(r"{(\w+)}", tpl):
            if name in ("sid", "id"):
                before = tpl[:tpl.index("{%s}" % name)]
                owner = singular(camel(python_name(literal_segments(before)[-1]))) if literal_segments(before) else "Parent"
                renamed = f"{python_name(owner)}_{name}"
                res.list_path = res.list_path.replace("{%s}" % name, "{%s}" % renamed, 1)
                if res.instance_path:
                    res.instance_path = res.instance_path.replace("{%s}" % name, "{%s}" % renamed, 1)


def _unique_names(module: Module) -> None:
    """Two resources of a module with one name: the deeper ones take their parent's name in front.

    ``/Services/{ChatServiceSid}/Conversations`` is ``ServiceConversation`` beside ``/Conversations``'s
    ``Conversation``, and its messages ``ServiceConversationMessage``; a name that already starts
    with the parent's own (``UserConversation`` under ``User``) takes only what the parent's adds.
    """
    original = {id(res): res.name for res in module.resources}
    for _ in range(6):  # each pass settles one more level of parents
        names: Dict[str, List[Resource]] = {}
        for res in module.resources:
            names.setdefault(res.name, []).append(res)
        clashes = [group for group in names.values() if len(group) > 1]
        if not clashes:
            return
        for group in clashes:
            depth = min(r.list_path.count("/") for r in group)
            shallow = [r for r in group if r.list_path.count("/") == depth]
            for res in group:
                if len(shallow) == 1 and res is shallow[0]:
                    continue
                own = original[id(res)]
                parent_own = original.get(id(res.parent)) if res.parent is not None else None
                if parent_own and own.startswith(parent_own) and res.parent is not None:
                    res.name = res.parent.name[:len(res.parent.name) - len(parent_own)] + own
                else:
                    res.name = _qualifier(res) + own
    raise SystemExit(f"{module.key}: resource names stay ambiguous: {sorted(r.name for r in module.resources)}")


def _qualifier(res: Resource) -> str:
    if res.parent is not None:
        return res.parent.name
    before = literal_segments(res.list_path)[-2:-1]
    return singular(camel(python_name(before[0]))) if before else "Root"


def _mounts(module: Module) -> None:
    """The attribute a resource hangs on its parent under, as Twilio's SDK spells it."""
    for res in module.resources:
        if res.mount_hint:
            res.mount = res.mount_hint
        elif res.class_hint:
            res.mount = python_name(literal_segments(res.list_path)[-1])
        elif res.singleton:
            res.mount = python_name(res.name)
        else:
            res.mount = plural(python_name(res.name))


def read_all(directory: Path = SHARED) -> List[Module]:
    """Every module of every description in ``directory`` (descriptions without operations give none)."""
    modules: List[Module] = []
    for path in description_files(directory):
        modules.extend(read_description(path))
    return sorted(modules, key=lambda m: m.key)
