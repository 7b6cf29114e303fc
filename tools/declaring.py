"""Writing declarations: the few shapes every generated class's lines take (tools/generate_resources.py).

Shared by the generic writer and the 2010-04-01 API's (tools/api_2010.py), so every generated
module reads the same.
"""
from __future__ import annotations

import re
from typing import Dict, List, Optional

MIXINS = (("create", "Creatable"), ("fetch", "Fetchable"), ("list", "Listable"), ("update", "Updatable"),
          ("patch", "Patchable"), ("delete", "Deletable"))
SOURCES = {"Creatable": "mixins", "Fetchable": "mixins", "Listable": "mixins", "Updatable": "mixins",
           "Patchable": "mixins", "Deletable": "mixins", "Singleton": "singleton", "Association": "proxies",
           "SingletonAssociation": "proxies", "Scoped": "proxies"}


def query_sets(query: Dict[str, List[str]]) -> List[str]:
    lines = ["    _query = {"]
    for cap, params in query.items():
        lines.append(f'        "{cap}": frozenset({{')
        lines.extend(wrap([f'"{p}"' for p in params], "            "))
        lines.append("        }),")
    return lines + ["    }"]


def operations(ops: Dict[str, str]) -> List[str]:
    return ["    _operations = {", *(f'        "{k}": "{v}",' for k, v in sorted(ops.items())), "    }"]


def mapping(attribute: str, values: Dict[str, str]) -> List[str]:
    items = [f'"{k}": "{v}"' for k, v in values.items()]
    one = f"    {attribute} = {{{', '.join(items)}}}"
    if len(one) <= 110:
        return [one]
    return [f"    {attribute} = {{", *wrap(items, "        "), "    }"]


def frozen(attribute: str, values: List[str]) -> List[str]:
    return [f"    {attribute} = frozenset({{", *wrap([f'"{v}"' for v in values], "        "), "    })"]


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


def docstring(doc: str, fallback: str) -> str:
    doc = re.sub(r"\s+", " ", doc).strip().replace('"""', "'").replace("\\", "\\\\") or fallback
    if not doc.endswith("."):
        doc += "."
    return doc


def module_text(header: str, chunks: List[str], imports: set, api: Optional[str], tail: str = "") -> str:
    lines = [header, "from __future__ import annotations", ""]
    for source in ("actions", "mixins", "proxies", "singleton"):
        names_ = sorted(n for n in imports if SOURCES.get(n, "actions") == source)
        if names_:
            lines.append(f"from ..resources.{source} import {', '.join(names_)}")
    if api:
        lines.extend(["from ..wire import Api", "", f"API = {api}"])
    return "\n".join(lines) + "\n\n\n" + "\n\n\n".join(chunks) + "\n" + tail
