"""Helpers for testing apps that use flask-twilio-rb."""
from __future__ import annotations

from typing import Any

from .signing import post_as_twilio, sign_request, signed_headers, with_body_hash

__all__ = ["TwilioEmulator", "post_as_twilio", "sign_request", "signed_headers", "with_body_hash"]


def __getattr__(name: str) -> Any:
    # The emulator (a server, a generated table of the API) loads only when it is asked for.
    if name == "TwilioEmulator":
        from .emulator import TwilioEmulator

        return TwilioEmulator
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
