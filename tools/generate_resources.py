"""Generate the resource declarations in flask_twilio_rb/resources/ from Twilio's OpenAPI spec.

    python tools/generate_resources.py [path/to/twilio_api_v2010.json]

The spec (by default ../shared/twilio-oai/twilio_api_v2010.json) is read, never copied: the
output is short, readable Python declarations that are committed. Behaviour lives in the
hand-written mechanism (base.py, mixins.py, proxies.py, singleton.py, actions.py); this script
only writes what the spec says: paths, operations, list keys, updatable fields, date filters
and parents. Run it again when Twilio publishes a new spec and review the diff.
"""
from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SPEC = ROOT.parent / "shared" / "twilio-oai" / "twilio_api_v2010.json"
PREFIX = "/2010-04-01"

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
MODULES = [  # (module, first path segment under the account)
    ("accounts", {None, "Balance", "Applications", "ConnectApps", "AuthorizedConnectApps", "Notifications", "SMS"}),
    ("calls", {"Calls"}), ("messages", {"Messages"}), ("conferences", {"Conferences"}), ("queues", {"Queues"}),
    ("numbers", {"IncomingPhoneNumbers", "AvailablePhoneNumbers", "Addresses", "OutgoingCallerIds"}),
    ("recordings", {"Recordings", "Transcriptions"}), ("sip", {"SIP"}), ("usage", {"Usage"}),
    ("keys", {"Keys", "SigningKeys", "Tokens"}),
]
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


def main(spec_path: Path) -> None:
    spec = json.loads(spec_path.read_text())
    groups: dict = defaultdict(lambda: {"ops": {}, "list": None, "instance": None, "doc": "", "params": {}})
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
                    base_tpl = tpl.rsplit("/", 1)[0]
                    g["list"] = base_tpl + ("{%s}" % choice[0] if name != "AvailablePhoneNumber" else "{%s}" % choice[0])
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
            if kind == "update":
                body = op.get("requestBody", {}).get("content", {}).get("application/x-www-form-urlencoded", {})
                g["updatable"] = sorted(snake(n) for n in body.get("schema", {}).get("properties", {}))
            g["ops"][kind] = op["operationId"]
    for name, g in groups.items():
        if g["list"] is None:
            g["list"] = g["instance"]
        if g.get("choice"):
            key = g["choice"]
            base = g["list"].rsplit("{", 1)[0]
            g["list"] = base + "{%s}" % key
    write(groups)


def bases_of(name: str, g: dict) -> list:
    if g.get("singleton"):
        return ["Singleton"]
    ops = {k.split("[")[0] for k in g["ops"]}
    bases = list(EXTRA_BASES.get(name, []))
    for op, mixin in (("create", "Creatable"), ("fetch", "Fetchable"), ("list", "Listable"),
                      ("update", "Updatable"), ("delete", "Deletable")):
        if op in ops and mixin not in bases:
            bases.append(mixin)
    return bases


def parent_of(name: str, g: dict, groups: dict):
    best = None
    for other, og in groups.items():
        if other == name or og.get("singleton"):
            continue
        if not og["instance"]:
            continue
        # The child's list path continues the parent's instance path, whatever the id is called.
        match = re.match(re.escape(og["instance"]) + r"/{\w+}/", g["list"])
        if match and (best is None or len(match.group(0)) > len(best[1])):
            best = (other, match.group(0)[:-1])
    if best is None and g["list"].startswith("/Accounts/{account_sid}/"):
        return "Account", "/Accounts/{account_sid}"
    return best


def module_of(tpl: str) -> str:
    parts = tpl.split("/")
    first = parts[3] if len(parts) > 3 else None
    first = re.sub(r"{\w+}", "", first) if first else None
    for module, firsts in MODULES:
        if first in firsts:
            return module
    raise SystemExit(f"no module for {tpl}")


def write(groups: dict) -> None:
    children = defaultdict(list)
    for name, g in groups.items():
        parent = parent_of(name, g, groups)
        if parent:
            rest = g["list"][len(parent[1]) + 1:]
            rest = re.sub(r"{\w+}", "", rest)
            assoc = ASSOCIATION_NAMES.get((parent[0], name)) or "_".join(snake(seg) for seg in rest.split("/") if seg)
            if not g.get("singleton") and not assoc.endswith("s") and assoc not in ("feedback", "siprec", "media"):
                assoc += "s"
            children[parent[0]].append((assoc, name, bool(g.get("singleton"))))
    for parent, extra in EXTRA_ASSOCIATIONS.items():
        children[parent].extend(extra)
    by_module = defaultdict(list)
    for name in sorted(groups):
        by_module[module_of(groups[name]["list"])].append(name)
    for module, names in by_module.items():
        imports = set()
        chunks = []
        for name in names:
            g = groups[name]
            bases = bases_of(name, g)
            imports.update(bases)
            lines = [f"class {name}({', '.join(bases)}):", f'    """{docstring(name, g)}"""', ""]
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
            if g.get("updatable"):
                lines.append("    _updatable = frozenset({")
                lines.extend(wrap([f'"{u}"' for u in g["updatable"]], "        "))
                lines.append("    })")
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
            if name in RETIRED:
                lines.append(f"    _retired = {RETIRED[name]!r}")
            lines.append("    _operations = {")
            lines.extend(f'        "{k}": "{v}",' for k, v in sorted(g["ops"].items()))
            lines.append("    }")
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
        header = [
            f'"""{module.capitalize()} resources, declared from the Twilio 2010-04-01 spec.',
            "",
            "Generated by tools/generate_resources.py from Twilio's OpenAPI description; edit the",
            'generator (or the mechanism in base.py/mixins.py), not this file."""',
            "from __future__ import annotations",
            "",
        ]
        sources = {"Creatable": "mixins", "Fetchable": "mixins", "Listable": "mixins", "Updatable": "mixins",
                   "Deletable": "mixins", "Singleton": "singleton", "Association": "proxies",
                   "SingletonAssociation": "proxies", "Scoped": "proxies"}
        for src in ("actions", "mixins", "proxies", "singleton"):
            names_ = sorted(n for n in imports if sources.get(n, "actions") == src)
            if names_:
                header.append(f"from .{src} import {', '.join(names_)}")
        text = "\n".join(header) + "\n\n\n" + "\n\n\n".join(chunks) + "\n"
        (ROOT / "flask_twilio_rb" / "resources" / f"{module}.py").write_text(text)
        print(f"wrote resources/{module}.py: {', '.join(names)}")


def wrap(items: list, indent: str, width: int = 100) -> list:
    lines, current = [], indent
    for item in items:
        piece = item + ", "
        if len(current) + len(piece) > width and current.strip():
            lines.append(current.rstrip())
            current = indent
        current += piece
    if current.strip():
        lines.append(current.rstrip())
    return lines


def docstring(name: str, g: dict) -> str:
    doc = re.sub(r"\s+", " ", g["doc"]).strip().replace('"""', "'") or f"Twilio's {name} resource."
    if not doc.endswith("."):
        doc += "."
    return doc


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SPEC)
