"""Every resource class by name, filled in as the classes are declared.

A leaf with no imports of its own, so that anything (associations, the API map, the emulator's
adapter) can find a resource class by name without importing the resources, and so without an
import cycle through the client.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Dict, Type

if TYPE_CHECKING:
    from .resources.base import Resource

#: Every declared resource class by name (``"Call"``), as soon as its module is imported.
REGISTRY: Dict[str, Type["Resource"]] = {}


def register(cls: Type["Resource"]) -> None:
    """Make ``cls`` findable by its name (called by ``Resource.__init_subclass__``)."""
    REGISTRY[cls.__name__] = cls
