"""The emulator for tests: ``from flask_twilio_rb.testing.emulator import TwilioEmulator``.

The class is the library's adapter (:mod:`flask_twilio_rb.local`) over the emulator package
(:mod:`flask_twilio_rb.emulator`): ``records`` and ``seed`` take resource names or classes.
"""
from __future__ import annotations

from ..emulator import CallbackRecord, TwilioAPIError
from ..local import TwilioEmulator

__all__ = ["CallbackRecord", "TwilioAPIError", "TwilioEmulator"]
