"""Helpers for testing apps that use flask-twilio-rb: signing, the emulator and its phone calls, the outbox,
a live server.

Nothing of the library's runtime lives here: the emulator is its own package
(:mod:`flask_twilio_rb.emulator`) and the local modes are chosen by the transport factory.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:  # the lazy names' real types for mypy and IDEs (``X as X``: re-exported)
    from ..emulator.voice import PhoneCall as PhoneCall, Step as Step, transcript_lines as transcript_lines
    from ..local import TwilioEmulator as TwilioEmulator
    from ..serving import serving as serving
    from .fixtures import recording_outbox as recording_outbox, running_emulator as running_emulator

#: (a list mypy reads: what ``from flask_twilio_rb.testing import ...`` re-exports)
__all__ = [
    "PhoneCall", "Step", "TwilioEmulator", "post_as_twilio", "recording_outbox", "running_emulator", "serving",
    "sign_request", "signed_headers", "transcript_lines", "with_body_hash",
]


def __getattr__(name: str) -> Any:
    try:
        module = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    return getattr(import_module(module), name)
