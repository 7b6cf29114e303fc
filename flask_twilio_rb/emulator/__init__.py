"""A local, stateful emulator of Twilio's REST API (see :class:`TwilioEmulator`).

A leaf of the package: it knows Twilio's API from its own generated tables (paths,
operationIds, parameter kinds, response fields: :mod:`.table` for 2010-04-01, :mod:`.tables`
for every other description, read through :mod:`.domains`) and imports nothing of the library
but pure helpers (:mod:`flask_twilio_rb.wire`,
:mod:`flask_twilio_rb.signature`, :mod:`flask_twilio_rb.serving`). The library uses it
(suppressed sending, ``TWILIO_EMULATOR``, ``flask twilio emulator``) through the adapter
:class:`flask_twilio_rb.testing.TwilioEmulator`, which also names resources by class.

.. code-block:: python

    from flask_twilio_rb import Config, Message
    from flask_twilio_rb.testing import TwilioEmulator

    with TwilioEmulator() as emu:               # a Flask app on 127.0.0.1, an ephemeral port
        Config.setup(account_sid=emu.account_sid, auth_token=emu.auth_token, api_base_url=emu.base_url)
        message = Message.create(to="+15558675310", from_="+15005550006", body="Hi",
                                 status_callback="http://127.0.0.1:5000/status")
        emu.advance()                           # queued -> sent: the signed status callback is sent
        emu.finish()                            # ... -> delivered
        emu.callbacks[-1].status_code           # what the app answered
        emu.records("Message")                  # what is stored

What it does, for every operation of the spec (the generated :mod:`.table`): Basic auth
against the accounts it knows (subaccounts made through ``/Accounts.json`` and API keys made
through ``/Keys.json`` included); create, fetch, list (paged like Twilio, with filters and date
ranges), update and delete; Twilio's error bodies and codes; the magic numbers of Twilio's test
credentials (:data:`.rules.MAGIC_NUMBERS`); every other product (Verify, Lookups, Content...)
under ``/{product}`` (``/verify/v2/Services``) with the same generic operations, paged under
``meta``, JSON bodies where the description takes them; calls that ring, answer and complete,
messages that are sent and delivered, on :meth:`TwilioEmulator.advance` or a clock; status
callbacks signed with the account's auth token (a call made with an ``ApplicationSid`` uses the
application's URLs). An answered call runs its TwiML, as Twilio would (:mod:`.voice`): with
:meth:`TwilioEmulator.dial`, :meth:`~TwilioEmulator.answer` and :meth:`~TwilioEmulator.text` a
test places, picks up and texts, and drives the :class:`~.voice.PhoneCall` on a virtual clock.
:meth:`TwilioEmulator.receive_message` and :meth:`TwilioEmulator.receive_call` only post an
arrival to the number's ``sms_url`` / ``voice_url``. Records only Twilio makes (conferences,
recordings, a number's lookup...) are stored with :meth:`TwilioEmulator.seed`, named by
operationId (``"FetchConference"``; qualified beyond 2010-04-01: ``"lookups.v2.FetchPhoneNumber"``).
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .callbacks import CallbackRecord
    from .errors import TwilioAPIError
    from .server import TwilioEmulator

#: Each public name and the module that defines it: they load on first use, so the command-line
#: module (:mod:`.command`, imported by every ``flask`` invocation) costs no Flask app or table.
_EXPORTS = {"CallbackRecord": "callbacks", "TwilioAPIError": "errors", "TwilioEmulator": "server"}

__all__ = ["CallbackRecord", "TwilioAPIError", "TwilioEmulator"]


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'flask_twilio_rb.emulator' has no attribute {name!r}") from None
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
