"""Who sends: the kind of a sender and how many segments a second Twilio lets it send.

Twilio's throughput for US senders: a long code about 1 segment a second, a toll-free
number 3, a short code 100; an alphanumeric sender ID and a WhatsApp sender are faster, and
a messaging service sends as fast as the numbers in its pool together, which Twilio does not
say through the API: a service gets a default of 10 a second, and a job's ``rate=`` (or
``TWILIO_BULK_RATE``) says what your account really has.
"""
from __future__ import annotations

import re

#: Segments per second by kind of sender.
RATES = {
    "long_code": 1.0,
    "toll_free": 3.0,
    "short_code": 100.0,
    "alphanumeric": 10.0,
    "whatsapp": 80.0,
    "messaging_service": 10.0,
}
#: North American toll-free area codes.
_TOLL_FREE = re.compile(r"\+1(800|833|844|855|866|877|888)\d{7}\Z")
_SHORT_CODE = re.compile(r"\d{3,8}\Z")
_MESSAGING_SERVICE = re.compile(r"MG[0-9a-fA-F]{32}\Z")


def kind_of(sender: str) -> str:
    """The kind of ``sender``: one of :data:`RATES`' keys."""
    if _MESSAGING_SERVICE.match(sender):
        return "messaging_service"
    if sender.startswith("whatsapp:"):
        return "whatsapp"
    if _TOLL_FREE.match(sender):
        return "toll_free"
    if _SHORT_CODE.match(sender):
        return "short_code"
    if not sender.startswith("+") and not sender.isdigit():
        return "alphanumeric"
    return "long_code"


def default_rate(sender: str) -> float:
    """Segments per second Twilio lets ``sender`` send."""
    return RATES[kind_of(sender)]
