"""The resource mechanism: the object model, paths, paging, parameters and capability mixins.

The declarations generated from Twilio's API descriptions live in one package per domain
(``flask_twilio_rb.verify.v2``, ``flask_twilio_rb.api.v2010``...). The 2010-04-01 API's classes
are also importable from here (``from flask_twilio_rb.resources import Call``), loaded on first
use, so that importing a domain's classes loads nothing of the 2010-04-01 API.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .base import REGISTRY, Resource  # noqa: F401

if TYPE_CHECKING:  # the real types for mypy and IDEs; at run time each name loads on first use
    from ..api.v2010 import *  # noqa: F401,F403


def __getattr__(name: str) -> Any:
    declarations = import_module("flask_twilio_rb.api.v2010")
    try:
        return getattr(declarations, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
