"""Names a package exports from its submodules, loaded on first use (PEP 562).

``from flask_twilio_rb.verify import Service`` imports ``flask_twilio_rb.verify.v2`` and nothing
of the other domains; ``import flask_twilio_rb`` imports no resource, Flask or Jinja at all.
"""
from __future__ import annotations

import sys
from importlib import import_module
from typing import Any, List, Mapping


def attribute(package: str, exports: Mapping[str, str], name: str) -> Any:
    """``name`` from the submodule of ``package`` that ``exports`` names (kept on the package afterwards)."""
    try:
        module = exports[name]
    except KeyError:
        raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
    value = getattr(import_module(f".{module}", package), name)
    setattr(sys.modules[package], name, value)  # later lookups skip the package's __getattr__
    return value


def names(package: str, exports: Mapping[str, str]) -> List[str]:
    """What ``dir(package)`` shows: what it holds and what it exports."""
    return sorted(set(vars(sys.modules[package])) | set(exports))
