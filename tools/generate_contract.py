"""Derive the compact contract the test suite checks requests against: tests/twilio_contract.json.

    python tools/generate_contract.py [path/to/twilio-oai] [--check]

Twilio's OpenAPI descriptions live outside this repository (../shared/twilio-oai); a fresh clone
has none. This tool keeps the facts a request is checked against (each operation's key, method,
host, path, content type, and its path, query and body parameters with their types, formats,
enums, patterns, bounds and whether they are required), not the descriptions' prose, so every
contract test runs on a fresh clone. ``--check`` exits non-zero when the committed file is out
of step with the descriptions. One operation per line, so a new description reads as a diff.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import descriptions  # noqa: E402

OUTPUT = descriptions.ROOT / "tests" / "twilio_contract.json"


def operation_key(module: descriptions.Module, operation_id: str) -> str:
    """``CreateCall`` for the 2010-04-01 API; ``verify.v2.CreateService`` for every other description."""
    return operation_id if module.key == "api.v2010" else f"{module.key}.{operation_id}"


def build(directory: Path) -> Dict[str, Any]:
    """The contract of every description in ``directory``."""
    operations: Dict[str, Any] = {}
    enums: List[List[Any]] = []
    enum_ids: Dict[str, int] = {}

    def facts(schema: Dict[str, Any]) -> Dict[str, Any]:
        out = dict(schema)
        if "enum" in out:  # long enums (usage categories...) repeat across operations: kept once
            text = json.dumps(out["enum"])
            if text not in enum_ids:
                enum_ids[text] = len(enums)
                enums.append(out["enum"])
            out["enum"] = enum_ids[text]
        if "items" in out:
            out["items"] = facts(out["items"])
        return out

    paged = {}
    for module in descriptions.read_all(directory):
        for res in module.resources:
            for op in res.ops.values():
                key = operation_key(module, op.operation_id)
                entry: Dict[str, Any] = {
                    "module": module.key, "description": module.description, "host": module.host,
                    "method": op.method, "path": op.path,
                }
                if op.body_type:
                    entry["body"] = op.body_type
                entry["params"] = [[p.name, p.where, int(p.required), facts(p.schema)] for p in op.params]
                if op.list_key:
                    entry["list_key"] = op.list_key
                    paged[key] = entry
                operations[key] = entry
    for entry in paged.values():
        entry["paging"] = "meta" if entry["host"] != "api.twilio.com" else "next_page_uri"
    return {"source": "Twilio's OpenAPI descriptions, twilio-oai (MIT); facts only, see tools/generate_contract.py",
            "enums": enums, "operations": dict(sorted(operations.items()))}


def dumps(contract: Dict[str, Any]) -> str:
    """The contract as committed: one enum and one operation per line."""
    lines = ["{", f'"source": {json.dumps(contract["source"])},', '"enums": [']
    lines.append(",\n".join(json.dumps(e, separators=(",", ":")) for e in contract["enums"]))
    lines.extend(["],", '"operations": {'])
    lines.append(",\n".join(f"{json.dumps(k)}: {json.dumps(v, separators=(',', ':'))}"
                            for k, v in contract["operations"].items()))
    lines.extend(["}", "}"])
    return "\n".join(lines) + "\n"


def main(argv: List[str]) -> int:
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    directory = Path(args[0]) if args else descriptions.SHARED
    text = dumps(build(directory))
    if check:
        if not OUTPUT.is_file() or OUTPUT.read_text() != text:
            print(f"{OUTPUT} is out of step with {directory}: run python tools/generate_contract.py")
            return 1
        print(f"{OUTPUT} is in step with {directory}")
        return 0
    OUTPUT.write_text(text)
    print(f"wrote {OUTPUT} ({len(text) // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
