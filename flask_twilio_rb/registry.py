"""Every resource class by name, filled in as the classes are declared.

A leaf with no imports of the library, so that anything (associations, the API map, the
emulator's adapter) can find a resource class by name without importing the resources, and so
without an import cycle through the client. Names are qualified by their description
(``verify.v2.Service``); the 2010-04-01 API's stay bare (``Call``, also ``api.v2010.Call``).
A class's module is imported the first time its name is looked up.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Dict, Iterable, List, Optional, Type

if TYPE_CHECKING:
    from .resources.base import Resource

#: Every declared resource class by name (``"Call"``, ``"verify.v2.Service"``), once its module is imported.
REGISTRY: Dict[str, Type["Resource"]] = {}

#: The module of the 2010-04-01 API's classes, whose names stay bare.
API_2010 = "api.v2010"


def register(cls: Type["Resource"]) -> None:
    """Make ``cls`` findable by its qualified name (called by ``Resource.__init_subclass__``)."""
    REGISTRY[cls.qualified_name] = cls


def lookup(name: str) -> Type["Resource"]:
    """The class named ``name`` (``"Call"``, ``"api.v2010.Call"``, ``"verify.v2.Service"``), importing its module.

    Raises :class:`KeyError` naming the class when no description declares it.
    """
    if name.startswith(API_2010 + "."):
        name = name[len(API_2010) + 1:]
    found = REGISTRY.get(name)
    if found is None:
        module = name.rpartition(".")[0] or API_2010
        try:
            import_module(f"flask_twilio_rb.{module}")
        except ImportError:
            pass
        found = REGISTRY.get(name)
    if found is None:
        raise KeyError(f"no resource class is named {name!r}; names are like 'Call' or 'verify.v2.Service'")
    return found


def classes(modules: Optional[Iterable[str]] = None) -> List[Type["Resource"]]:
    """Every class of ``modules`` (``["verify.v2"]``; all descriptions by default), importing them."""
    from .catalog import MODULES

    wanted = list(MODULES if modules is None else modules)
    for module in wanted:
        import_module(f"flask_twilio_rb.{module}")
    prefixes = tuple(f"{m}." for m in wanted if m != API_2010)
    return [cls for name, cls in REGISTRY.items()
            if name.startswith(prefixes) or (API_2010 in wanted and "." not in name)]
