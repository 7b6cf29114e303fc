"""Names the seed library had that Twilio renamed or retired."""
from __future__ import annotations

from .messages import Message
from .singleton import Singleton

_SANDBOX_GONE = ("Twilio retired the Sandbox resource; use a trial account's verified numbers or "
                 "flask_twilio_rb.testing.TwilioEmulator for development instead.")


class SMS(Message):
    """The seed's SMS resource; Twilio retired SMS/Messages.json, so it works on Messages.json."""

    __slots__ = ()


class Sandbox(Singleton):
    """Retired by Twilio: reading or fetching it raises :class:`~flask_twilio_rb.RetiredOperationError`."""

    __slots__ = ()
    _path = "/Accounts/{account_sid}/Sandbox"
    _retired = {"fetch": _SANDBOX_GONE}
