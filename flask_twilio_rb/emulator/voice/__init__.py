"""Phone calls and texts that run the TwiML they fetch, on a virtual clock: the emulator's phone network.

``emulator.dial(to)`` calls one of the emulator's numbers and returns a :class:`PhoneCall`
whose TwiML runs as Twilio runs it (:mod:`.verbs`, :mod:`.dial`, :mod:`.conference`,
:mod:`.queue`), fetching
``action`` URLs and <Redirect>s (signed, with Twilio's parameters), creating the records Twilio
creates (recordings, texts, calls, conferences and their participants, queues and members,
notifications), until the call ends. ``emulator.answer(sid)`` picks up a call that rings
(``Call.create``, a <Dial>), ``emulator.text(to, body)`` runs an arriving text's answer
(:mod:`.messaging`). Failures are Twilio's (:mod:`.webhook`): "An application error has
occurred", the fallback URL, a Notification with the code.

:func:`transcript_lines` prints a call's :class:`Step` list, one line each; ``flask twilio
phone`` and the example app's page show calls with it.
"""
from __future__ import annotations

from .phone import PhoneCall
from .transcript import Step, describe, transcript_lines

__all__ = ["PhoneCall", "Step", "describe", "transcript_lines"]
