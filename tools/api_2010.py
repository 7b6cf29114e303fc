"""The 2010-04-01 API's declarations, as the seed library named and grouped them (tools/generate_resources.py).

Its names predate Twilio's SDK naming and stay (``CallRecording``, ``SipDomain``), with the
seed's choices (``IncomingPhoneNumber.local``, ``UsageRecord.daily``), date filters
(``started_after``) and hand-written behaviour (``call.cancel()``): the tables below.
"""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, Dict, List, Tuple

import descriptions
from declaring import MIXINS, docstring, frozen, mapping, operations, query_sets, wrap
from descriptions import FORM

from flask_twilio_rb.resources.params import python_name

PREFIX = "/2010-04-01"

# -- the 2010-04-01 API: the seed library's names and choices --------------------------------------
# Path segments that pick a variant of one resource: one class, a keyword to choose.
CHOICES = {
    "AvailablePhoneNumber": ("type", ["Local", "MachineToMachine", "Mobile", "National", "SharedCost", "TollFree", "Voip"]),
    "IncomingPhoneNumber": ("type", ["Local", "Mobile", "TollFree"]),
    "UsageRecord": ("period", ["AllTime", "Daily", "LastMonth", "Monthly", "ThisMonth", "Today", "Yearly", "Yesterday"]),
}
# Python names of date-range filters, as the seed library spelled them.
DATE_PREFIXES = {"StartTime": ["started"], "EndTime": ["ended"], "DateSent": ["sent", "created"],
                 "MessageDate": ["created"], "DateCreated": ["created"], "DateUpdated": ["updated"]}
# Hand-written behaviour mixed into a declaration (flask_twilio_rb/resources/actions.py).
EXTRA_BASES = {
    "Call": ["CallActions"], "Participant": ["ParticipantActions"], "Recording": ["RecordingMedia"],
    "CallRecording": ["RecordingMedia"], "ConferenceRecording": ["RecordingMedia"],
    "AvailablePhoneNumber": ["Purchasable"], "OutgoingCallerId": ["CallerIdVerification"],
    "Notification": ["Deletable"],
}
RETIRED = {
    "Notification": {"delete": "Twilio retired deleting notifications (the 2010-04-01 API no longer "
                               "has DELETE on Notifications); they expire on their own."},
}
# Association names where the path alone would read badly or clash.
ASSOCIATION_NAMES = {
    ("Account", "ValidationRequest"): "validation_requests", ("Account", "NewKey"): "new_keys",
    ("Account", "NewSigningKey"): "new_signing_keys", ("Account", "ShortCode"): "short_codes",
    ("Account", "AvailablePhoneNumberCountry"): "available_phone_number_countries",
    ("Account", "AvailablePhoneNumber"): "available_phone_numbers",
    ("AvailablePhoneNumberCountry", "AvailablePhoneNumber"): "available_phone_numbers",
    ("Message", "MessageFeedback"): "feedback",
}
EXTRA_ASSOCIATIONS = {"Account": [("sms", "SMS", False)]}
RENAMES = {"Payments": "Payment"}
# Singletons fetched once per client and account, then reused (the seed's Balance.balance).
REUSED = {"Balance", "RecordingAddOnResultPayloadData"}
# The seed library's names that Twilio renamed or retired, declared after the generated classes.
LEGACY = '''

_SANDBOX_GONE = ("Twilio retired the Sandbox resource; use a trial account's verified numbers or "
                 "flask_twilio_rb.testing.TwilioEmulator for development instead.")


class SMS(Message):
    """The seed's SMS resource; Twilio retired SMS/Messages.json, so it works on Messages.json."""

    __slots__ = ()


class Sandbox(Singleton):
    """Retired by Twilio: reading or fetching it raises :class:`~flask_twilio_rb.RetiredOperationError`."""

    __slots__ = ()
    _path = "/Accounts/{account_sid}/Sandbox"
    _retired = {"fetch": _SANDBOX_GONE}
'''
VERBS = ("Create", "Fetch", "List", "Update", "Delete")


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def template(path: str) -> str:
    """'/2010-04-01/Accounts/{AccountSid}/Calls.json' -> '/Accounts/{account_sid}/Calls'."""
    path = path[len(PREFIX):-len(".json")]
    return re.sub(r"{(\w+)}", lambda m: "{%s}" % snake(m.group(1)), path)


def resource_name(operation_id: str) -> str:
    for verb in VERBS:
        if operation_id.startswith(verb):
            name = operation_id[len(verb):]
            break
    return RENAMES.get(name, name)


def legacy_groups(spec: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    """The 2010-04-01 API's classes as the seed library named and grouped them."""
    groups: dict = defaultdict(lambda: {"ops": {}, "list": None, "instance": None, "doc": "", "params": {},
                                        "prefixes": {}})
    for path, item in spec["paths"].items():
        for method in ("post", "get", "delete"):
            if method not in item:
                continue
            op = item[method]
            name = resource_name(op["operationId"])
            tpl = template(path)
            choice = None
            for base, (key, options) in CHOICES.items():
                if name.startswith(base) and name[len(base):] in options:
                    name, choice = base, (key, snake(name[len(base):]))
            g = groups[name]
            g["doc"] = g["doc"] or (item.get("description") or "").strip()
            for prm in op.get("parameters", []):
                prefix = descriptions.sid_prefix(prm.get("schema", {})) if prm["in"] == "path" else None
                if prefix:
                    g["prefixes"][snake(prm["name"])] = prefix
            last = tpl.rsplit("/", 1)[-1]
            is_instance = last.startswith("{") and not name.endswith(("Country",)) or (
                name == "AvailablePhoneNumberCountry" and last.startswith("{"))
            kind = {"post": "create", "get": "list", "delete": "delete"}[method]
            if is_instance:
                kind = {"post": "update", "get": "fetch", "delete": "delete"}[method]
                id_param = next(p for p in op.get("parameters", []) if p["in"] == "path" and "{%s}" % p["name"] in path.rsplit("/", 1)[-1])
                g["id"] = (snake(id_param["name"]), (id_param["schema"].get("pattern") or ""))
                g["instance"] = tpl.rsplit("/", 1)[0]
            elif op["operationId"].startswith("Fetch"):
                kind = "fetch"
                g["singleton"] = True
                g["list"] = tpl
            else:
                if choice:
                    g["list"] = tpl.rsplit("/", 1)[0] + "{%s}" % choice[0]
                    g["choice"] = choice[0]
                    kind = f"{kind}[{choice[0]}={choice[1]}]"
                elif g["list"] is None or not g.get("choice"):
                    g["list"] = tpl
            if kind.startswith("list"):
                props = op["responses"]["200"]["content"]["application/json"]["schema"]["properties"]
                g["list_key"] = next(k for k, v in props.items() if v.get("type") == "array")
                for prm in op.get("parameters", []):
                    if prm["in"] == "query" and prm["name"][-1] in "<>":
                        g.setdefault("dates", set()).add(prm["name"][:-1])
            query = sorted(python_name(p["name"]) for p in op.get("parameters", []) if p["in"] == "query")
            if query and not kind.startswith("list"):
                g.setdefault("query", {})[kind] = query
            if kind == "update":
                body = op.get("requestBody", {}).get("content", {}).get(FORM, {})
                g["updatable"] = sorted(snake(n) for n in body.get("schema", {}).get("properties", {}))
            g["ops"][kind] = op["operationId"]
    for name, g in groups.items():
        if g["list"] is None:
            g["list"] = g["instance"]
        if g.get("choice"):
            g["list"] = g["list"].rsplit("{", 1)[0] + "{%s}" % g["choice"]
    return groups


def legacy_bases(name: str, g: dict) -> list:
    if g.get("singleton"):
        return ["Singleton"]
    ops = {k.split("[")[0] for k in g["ops"]}
    bases = list(EXTRA_BASES.get(name, []))
    for op, mixin in MIXINS:
        if op in ops and mixin not in bases:
            bases.append(mixin)
    return bases


def legacy_parent(name: str, g: dict, groups: dict):
    best = None
    for other, og in groups.items():
        if other == name or og.get("singleton") or not og["instance"]:
            continue
        # The child's list path continues the parent's instance path, whatever the id is called.
        match = re.match(re.escape(og["instance"]) + r"/{\w+}/", g["list"])
        if match and (best is None or len(match.group(0)) > len(best[1])):
            best = (other, match.group(0)[:-1])
    if best is None and g["list"].startswith("/Accounts/{account_sid}/"):
        return "Account", "/Accounts/{account_sid}"
    return best


def legacy_module(spec: Dict[str, Any]) -> Tuple[List[str], set]:
    """The class declarations of the 2010-04-01 API, and the mechanism names they use."""
    groups = legacy_groups(spec)
    children = defaultdict(list)
    for name, g in groups.items():
        parent = legacy_parent(name, g, groups)
        if parent:
            rest = re.sub(r"{\w+}", "", g["list"][len(parent[1]) + 1:])
            assoc = ASSOCIATION_NAMES.get((parent[0], name)) or "_".join(snake(seg) for seg in rest.split("/") if seg)
            if not g.get("singleton") and not assoc.endswith("s") and assoc not in ("feedback", "siprec", "media"):
                assoc += "s"
            children[parent[0]].append((assoc, name, bool(g.get("singleton"))))
    for parent, extra in EXTRA_ASSOCIATIONS.items():
        children[parent].extend(extra)
    imports: set = {"Singleton"}
    chunks = []
    for name in sorted(groups):
        g = groups[name]
        bases = legacy_bases(name, g)
        imports.update(bases)
        doc = docstring(g["doc"], "Twilio's " + name + " resource")
        lines = [f"class {name}({', '.join(bases)}):", f'    """{doc}"""', ""]
        lines.append(f'    _path = "{g["list"]}"')
        if "list_key" in g:
            lines.append(f'    _list_key = "{g["list_key"]}"')
        if "id" in g:
            field, pattern = g["id"]
            if field != "sid":
                lines.append(f'    _id_field = "{field}"')
            prefix = re.match(r"\^\(?([A-Z|]+)\)?\[", pattern)
            if prefix:
                lines.append(f'    _id_prefix = "{prefix.group(1)}"')
        prefixes = {p: g["prefixes"][p] for p in re.findall(r"{(\w+)}", g["list"]) if p in g["prefixes"]}
        if prefixes:
            lines.extend(mapping("_prefixes", prefixes))
        if name in REUSED:
            lines.append("    _reuse = True")
        if g.get("updatable"):
            lines.extend(frozen("_updatable", g["updatable"]))
        if g.get("dates"):
            pairs = [f'"{p}": "{d}"' for d in sorted(g["dates"]) for p in DATE_PREFIXES[d]]
            lines.append("    _date_filters = {" + ", ".join(pairs) + "}")
        if g.get("choice"):
            key, options = CHOICES[name]
            opts = ([] if name == "AvailablePhoneNumber" else ['None: ""']) + [f'"{snake(o)}": "/{o}"' for o in options]
            lines.append(f'    _choices = {{"{key}": {{')
            lines.extend(wrap(opts, "        "))
            lines.append("    }}")
            if name == "AvailablePhoneNumber":
                lines.append('    _defaults = {"country_code": "US", "type": "local"}')
                lines.append('    _path_aliases = {"country": "country_code"}')
        if g.get("query"):
            lines.extend(query_sets(g["query"]))
        if name in RETIRED:
            lines.append(f"    _retired = {RETIRED[name]!r}")
        lines.extend(operations(g["ops"]))
        if g.get("choice"):
            key, options = CHOICES[name]
            lines.append("")
            lines.extend(f'    {snake(o)} = Scoped({key}="{snake(o)}")' for o in options)
            imports.add("Scoped")
        if children.get(name):
            lines.append("")
            for assoc, child, single in sorted(children[name]):
                kind = "SingletonAssociation" if single else "Association"
                imports.add(kind)
                lines.append(f'    {assoc} = {kind}("{child}")')
        chunks.append("\n".join(lines))
    return chunks, imports
