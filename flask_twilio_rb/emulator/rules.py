"""Twilio's own rules beyond the spec: which code a missing or refused value gets, magic numbers, rate limits.

Codes come from Twilio's error pages (https://www.twilio.com/docs/errors/<code>) and its test
credentials page (https://www.twilio.com/docs/iam/test-credentials), whose magic numbers the
emulator honours for every account.
"""
from __future__ import annotations

import re
import threading
import time
from collections import deque
from contextlib import contextmanager
from typing import Any, Deque, Dict, Iterator, Mapping, Optional, Tuple

from .errors import TwilioAPIError, invalid_parameter

#: (collection, parameter) -> the code Twilio answers when the parameter is missing.
#: Calls have their own codes (21201 No 'To' number, 21213 No 'From' number); messages use 2160x.
MISSING_CODES: Dict[Tuple[str, str], int] = {
    ("Calls", "To"): 21201, ("Calls", "From"): 21213,
    ("Messages", "To"): 21604, ("Messages", "From"): 21603,
}
#: (collection, parameter) -> the code Twilio answers when the value is not acceptable.
INVALID_CODES: Dict[Tuple[str, str], int] = {
    ("Calls", "To"): 21211, ("Calls", "From"): 21212, ("Calls", "Url"): 21205,
    ("Messages", "To"): 21211, ("Messages", "From"): 21212,
}
#: Test-credential magic numbers: (collection, parameter, value) -> (Twilio code, message).
MAGIC_NUMBERS: Dict[Tuple[str, str, str], Tuple[int, str]] = {
    ("Messages", "From", "+15005550001"): (21212, "The 'From' number +15005550001 is not a valid phone number, "
                                                  "shortcode, or alphanumeric sender ID."),
    ("Messages", "From", "+15005550007"): (21606, "The 'From' phone number provided is not a valid message-capable "
                                                  "Twilio phone number for this destination/account."),
    ("Messages", "From", "+15005550008"): (21611, "This 'From' number has exceeded the maximum number of queued "
                                                  "messages."),
    ("Messages", "To", "+15005550001"): (21211, "The 'To' number +15005550001 is not a valid phone number."),
    ("Messages", "To", "+15005550002"): (21612, "The 'To' phone number is not currently reachable via SMS."),
    ("Messages", "To", "+15005550003"): (21408, "Permission to send an SMS has not been enabled for the region "
                                                "indicated by the 'To' number: +15005550003."),
    ("Messages", "To", "+15005550004"): (21610, "Attempt to send to unsubscribed recipient."),
    ("Messages", "To", "+15005550009"): (21614, "'To' number is not a valid mobile number."),
    # Calls answer with the voice codes of the same conditions (21217, 21214, 21215, 21216).
    ("Calls", "From", "+15005550001"): (21212, "The 'From' number +15005550001 is not a valid phone number."),
    ("Calls", "To", "+15005550001"): (21217, "Phone number does not appear to be valid."),
    ("Calls", "To", "+15005550002"): (21214, "'To' phone number cannot be reached."),
    ("Calls", "To", "+15005550003"): (21215, "Account not authorized to call +15005550003."),
    ("Calls", "To", "+15005550004"): (21216, "Account not allowed to call +15005550004."),
    ("IncomingPhoneNumbers", "PhoneNumber", "+15005550000"): (21422, "Phone number +15005550000 is not available."),
    ("IncomingPhoneNumbers", "PhoneNumber", "+15005550001"): (21421, "PhoneNumber +15005550001 is invalid."),
}
#: A phone number (E.164, optionally behind a channel such as ``whatsapp:``), a short code or an
#: alphanumeric sender ID (up to 11 characters, at least one letter).
_PHONE = re.compile(r"(?:[a-z]+:)?\+?[1-9][0-9]{4,14}\Z|[A-Za-z0-9 ]{0,10}[A-Za-z][A-Za-z0-9 ]{0,10}\Z")
#: What a text or call goes to: a number, never a sender ID (Twilio answers To=abc with 21211).
#: ASCII digits only: ``\d`` would take any script's.
_RECIPIENT = re.compile(r"(?:[a-z]+:)?\+?[1-9][0-9]{4,14}\Z")
#: Calls also reach Twilio Client identities and SIP addresses.
_ENDPOINT = re.compile(r"(?:client|sip):\S+\Z")


def check_create(kind: str, params: Mapping[str, Any]) -> None:
    """Twilio's checks of a new call, message or number that the spec does not express."""
    # A missing To (and a call's missing From) is refused earlier: the spec marks them required.
    if kind == "Messages":
        if not (params.get("From") or params.get("MessagingServiceSid")):
            raise invalid_parameter("A 'From' phone number is required.", MISSING_CODES[(kind, "From")])
        if not (params.get("Body") or params.get("MediaUrl") or params.get("ContentSid")):
            raise invalid_parameter("Message body is required.", 21602)
    if kind == "Calls":
        # Twilio answers 21205 "Url parameter is required." (seen in twilio/twilio-node#275).
        if not (params.get("Url") or params.get("Twiml") or params.get("ApplicationSid")):
            raise invalid_parameter("Url parameter is required.", 21205)
    for name in ("From", "To", "PhoneNumber"):
        value = params.get(name)
        if value is None:
            continue
        if (kind, name, value) in MAGIC_NUMBERS:
            code, message = MAGIC_NUMBERS[(kind, name, value)]
            raise invalid_parameter(message, code)
        if (kind, name) in INVALID_CODES and not is_address(value, calls=kind == "Calls", sender=name != "To"):
            raise invalid_parameter(f"The '{name}' number {value} is not a valid phone number.",
                                    INVALID_CODES[(kind, name)])


def is_address(value: Any, *, calls: bool, sender: bool = True) -> bool:
    """Whether ``value`` can be a From (``sender``) or a To: a phone number, or short code; a From also a
    sender ID; calls also reach client:/sip: endpoints."""
    text = str(value)
    return bool((_PHONE if sender else _RECIPIENT).match(text) or (calls and _ENDPOINT.match(text)))


#: What Twilio answers when a sender has too many messages waiting to go out.
QUEUE_FULL = (21611, "This 'From' number has exceeded the maximum number of queued messages.")


class RateLimiter:
    """At most ``per_second`` requests per account in any one-second window; ``None`` means no limit.

    :param retry_after: whole seconds sent as ``Retry-After`` with the 429, or ``None`` for no header.
    """

    def __init__(self, per_second: Optional[float], retry_after: Optional[int] = None) -> None:
        self.per_second = per_second
        self.retry_after = retry_after
        self._lock = threading.Lock()
        self._seen: Dict[str, Deque[float]] = {}

    def check(self, account_sid: str) -> None:
        """Count one request for ``account_sid``; 429 with code 20429 when it is over the limit."""
        if self.per_second is None:
            return
        now = time.monotonic()
        with self._lock:
            seen = self._seen.setdefault(account_sid, deque())
            while seen and now - seen[0] >= 1.0:
                seen.popleft()
            if len(seen) >= self.per_second:
                raise TwilioAPIError(429, 20429, "Too Many Requests", retry_after=self.retry_after)
            seen.append(now)


class ConcurrencyLimiter:
    """At most ``limit`` requests per account in flight at once (Twilio's REST concurrency); ``None``: no limit.

    Above it the request is refused with 429 (20429), as Twilio refuses it, and never carried out.
    """

    def __init__(self, limit: Optional[int], retry_after: Optional[int] = None) -> None:
        self.limit = limit
        self.retry_after = retry_after
        self._lock = threading.Lock()
        self._in_flight: Dict[str, int] = {}

    @contextmanager
    def slot(self, account_sid: str) -> Iterator[None]:
        """Hold one of the account's slots while the block runs; 429 when none is free."""
        if self.limit is None:
            yield
            return
        with self._lock:
            busy = self._in_flight.get(account_sid, 0)
            if busy >= self.limit:
                raise TwilioAPIError(429, 20429, f"Too Many Requests: more than {self.limit} at once",
                                     retry_after=self.retry_after)
            self._in_flight[account_sid] = busy + 1
        try:
            yield
        finally:
            with self._lock:
                self._in_flight[account_sid] -= 1


def check_queue(queued: int, limit: Optional[int]) -> None:
    """A sender with ``queued`` messages not yet sent takes no more above ``limit`` (400, 21611)."""
    if limit is not None and queued >= limit:
        raise invalid_parameter(QUEUE_FULL[1], QUEUE_FULL[0])
