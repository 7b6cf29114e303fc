"""Helpers for testing apps that use flask-twilio-rb: signing, the emulator, the outbox, a live server."""
from __future__ import annotations

from importlib import import_module
from typing import Any

from .signing import post_as_twilio, sign_request, signed_headers, with_body_hash

#: Names that load on first use: the emulator (a server, a generated table of the API) is heavy.
_LAZY = {
    "TwilioEmulator": ".emulator",
    "recording_outbox": ".fixtures",
    "running_emulator": ".fixtures",
    "serving": ".live",
}

__all__ = sorted(["post_as_twilio", "sign_request", "signed_headers", "with_body_hash", *_LAZY])


def __getattr__(name: str) -> Any:
    try:
        module = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    return getattr(import_module(module, __name__), name)
