"""A local, stateful emulator of Twilio's 2010-04-01 REST API (see :class:`TwilioEmulator`)."""
from __future__ import annotations

from .callbacks import CallbackRecord
from .errors import TwilioAPIError
from .server import TwilioEmulator

__all__ = ["CallbackRecord", "TwilioAPIError", "TwilioEmulator"]
