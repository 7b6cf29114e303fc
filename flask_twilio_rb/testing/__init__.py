"""Helpers for testing apps that use flask-twilio-rb: signing, the emulator and its phone calls, the outbox,
a live server.

Nothing of the library's runtime lives here: the emulator is its own package
(:mod:`flask_twilio_rb.emulator`) and the local modes are chosen by the transport factory.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

from ..signature import with_body_hash
from .signing import post_as_twilio, sign_request, signed_headers

#: Names that load on first use: the emulator (a server, a generated table of the API) is heavy.
_LAZY = {
    "PhoneCall": "flask_twilio_rb.emulator.voice",
    "Step": "flask_twilio_rb.emulator.voice",
    "TwilioEmulator": "flask_twilio_rb.local",
    "transcript_lines": "flask_twilio_rb.emulator.voice",
    "recording_outbox": "flask_twilio_rb.testing.fixtures",
    "running_emulator": "flask_twilio_rb.testing.fixtures",
    "serving": "flask_twilio_rb.serving",
}

__all__ = sorted(["post_as_twilio", "sign_request", "signed_headers", "with_body_hash", *_LAZY])


def __getattr__(name: str) -> Any:
    try:
        module = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    return getattr(import_module(module), name)
