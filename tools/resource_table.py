"""Print README.rst's reference table of every resource class (reST list-table).

    python tools/resource_table.py
"""
from __future__ import annotations

from flask_twilio_rb.resources import REGISTRY
from flask_twilio_rb.resources.proxies import Association, Scoped


def main() -> None:
    print(".. list-table::\n   :header-rows: 1\n\n   * - Class\n     - Operations\n     - Path under /2010-04-01\n"
          "     - Associations / choices")
    for name in sorted(REGISTRY):
        cls = REGISTRY[name]
        capabilities = sorted({k.split("[")[0] for k in cls._operations}) or ["retired"]
        members = [k for klass in reversed(cls.__mro__) for k, v in vars(klass).items()]
        assoc = sorted({k for k in members if isinstance(getattr(cls, k, None), Association)})
        scoped = sorted({k for k in members if isinstance(vars(cls).get(k), Scoped)})
        extra = ", ".join(assoc + ["." + s for s in scoped]) or "-"
        print(f"   * - ``{name}``\n     - {', '.join(capabilities)}\n     - ``{cls._path}.json``\n     - {extra}")
    print()


if __name__ == "__main__":
    main()
