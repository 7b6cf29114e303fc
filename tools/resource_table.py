"""README.rst's reference of every domain: each module's classes, operations, paths and associations.

    python tools/resource_table.py          # rewrite the reference in README.rst
    python tools/resource_table.py --print  # print it

The reference is read off the declarations (not the descriptions), between the
``.. reference: start`` and ``.. reference: end`` comments of README.rst;
tests/test_readme_reference.py checks that README is in step with it.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_twilio_rb.catalog import MODULES  # noqa: E402
from flask_twilio_rb.registry import classes  # noqa: E402
from flask_twilio_rb.resources.proxies import Association, Scoped  # noqa: E402

README = Path(__file__).resolve().parents[1] / "README.rst"
START, END = ".. reference: start", ".. reference: end"


def _line(cls: type) -> str:
    capabilities = sorted({k.split("[")[0] for k in cls._operations}) or ["retired"]  # type: ignore[attr-defined]
    members = {k for klass in reversed(cls.__mro__) for k in vars(klass)}
    assoc = sorted(k for k in members if isinstance(getattr(cls, k, None), Association))
    scoped = sorted(k for k in members if isinstance(vars(cls).get(k), Scoped))
    api = cls._api  # type: ignore[attr-defined]
    path = f"{api.prefix}{cls._path}{api.suffix}"  # type: ignore[attr-defined]
    extra = ", ".join(assoc + ["." + s for s in scoped])
    return f"* ``{cls.__name__}``: {', '.join(capabilities)}; ``{path}``" + (f"; {extra}" if extra else "")


def render() -> str:
    """The reference, as README shows it (one line per class, grouped by domain and version)."""
    lines: List[str] = [START, ""]
    packages: dict = {}
    for module in MODULES:
        packages.setdefault(module.split(".")[0], []).append(module)
    for package, modules in packages.items():
        for module in modules:
            members = sorted(classes([module]), key=lambda cls: cls.__name__)
            host = members[0]._api.host  # type: ignore[attr-defined]
            lines.append(f"``flask_twilio_rb.{module}`` (``{host}``, {len(members)} classes)")
            lines.append("")
            lines.extend(_line(cls) for cls in members)
            lines.append("")
    lines.append(END)
    return "\n".join(lines)


def in_readme(text: str) -> str:
    """The reference as README.rst holds it now."""
    return text[text.index(START):text.index(END) + len(END)]


def main(argv: List[str]) -> None:
    reference = render()
    if "--print" in argv:
        print(reference)
        return
    text = README.read_text()
    README.write_text(text.replace(in_readme(text), reference))
    print(f"README.rst: reference of {len(MODULES)} modules rewritten")


if __name__ == "__main__":
    main(sys.argv[1:])
