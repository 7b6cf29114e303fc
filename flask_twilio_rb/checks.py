"""One checker per kind of setting: each turns a raw value into the setting's value, or says what it takes.

A checker is called with a value that is set (never ``None``) and returns the value the
settings keep (``"2.5"`` from the environment becomes ``2.5``), or raises :class:`Invalid`
with what the setting takes. :mod:`flask_twilio_rb.config` maps every setting to its checker
(``CHECKS``) and turns :class:`Invalid` into a :class:`~flask_twilio_rb.ConfigurationError`
naming the setting and where its value came from. Settings fail closed: a value that is not
plainly one of the accepted ones is an error, never a default.
"""
from __future__ import annotations

import math
import re
from typing import Any, Callable, Optional
from urllib.parse import SplitResult, urlsplit

__all__ = ["FALSE", "TRUE", "Checker", "Invalid", "choice", "flag", "positive", "redis_url", "seconds", "sid", "text",
           "url", "whole"]

#: A checker: the raw value in, the setting's value out (or :class:`Invalid`).
Checker = Callable[[Any], Any]

#: The spellings that switch a flag on and off (strings compare stripped and case-insensitively).
TRUE = (True, 1, "true", "1", "yes", "on")
FALSE = (False, 0, "false", "0", "no", "off")


class Invalid(ValueError):
    """A value a setting does not take; the message says what it takes (``"a number of seconds"``)."""


def flag(value: Any) -> bool:
    """``True``/``False``, ``1``/``0`` or one of their spellings (``"yes"``, ``"off"``...); nothing else."""
    word = value.strip().lower() if isinstance(value, str) else value
    # `is` for the booleans and an int check, so that 1.0, [] or "" never pass as a flag.
    if word is True or (type(word) is int and word == 1) or word in TRUE[2:]:
        return True
    if word is False or (type(word) is int and word == 0) or word in FALSE[2:]:
        return False
    raise Invalid(f"on or off: one of {_spellings(TRUE)} to switch it on, {_spellings(FALSE)} to switch it off")


def seconds(meaning: str) -> Checker:
    """A checker of finite numbers of seconds above 0 (a number, or its text); ``meaning`` says what they time."""
    return positive(meaning, "a number of seconds above 0")


def positive(meaning: str, kind: str = "a number above 0") -> Checker:
    """A checker of finite numbers above 0 (a number, or its text); ``meaning`` says what they count."""

    def check(value: Any) -> float:
        number = _number(value)
        if number is None or not (number > 0 and math.isfinite(number)):
            raise Invalid(f"{kind} ({meaning})")
        return number

    return check


def whole(minimum: int, meaning: str) -> Checker:
    """A checker of whole numbers from ``minimum`` up; ``meaning`` says what the number counts."""

    def check(value: Any) -> int:
        number = _number(value)
        if number is None or not math.isfinite(number) or number != int(number) or number < minimum:
            raise Invalid(f"a whole number, {minimum} or more ({meaning})")
        return int(number)

    return check


def sid(prefix: str, meaning: str) -> Checker:
    """A checker of SIDs: ``prefix`` and 32 hexadecimal digits; ``meaning`` says where to find one."""
    pattern = re.compile(prefix + r"[0-9a-fA-F]{32}\Z")

    def check(value: Any) -> str:
        if not isinstance(value, str) or not pattern.match(value.strip()):
            raise Invalid(f"{prefix} followed by 32 hexadecimal digits ({meaning})")
        return value.strip()

    return check


def _url_parts(value: Any) -> Optional[SplitResult]:
    """``value`` split as a URL, or ``None`` when it is no URL at all (spaces, ``http://[::1``, port 99999)."""
    if not isinstance(value, str) or re.search(r"\s", value.strip()):
        return None
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 (reading it checks it)
    except ValueError:
        return None
    return parts


def url(value: Any) -> str:
    """An ``http://`` or ``https://`` URL with a host (and no trailing ``/``)."""
    parts = _url_parts(value)
    if parts is not None and parts.scheme in ("http", "https") and parts.hostname:
        return str(value).strip().rstrip("/")
    raise Invalid("a URL starting with http:// or https:// and a host, e.g. https://api.twilio.com")


def redis_url(value: Any) -> str:
    """A ``redis://``, ``rediss://`` (TLS) or ``unix://`` URL of a Redis server."""
    parts = _url_parts(value)
    if parts is not None and ((parts.scheme in ("redis", "rediss") and parts.hostname)
                              or (parts.scheme == "unix" and parts.path)):
        return str(value).strip()
    raise Invalid("a Redis URL, e.g. redis://127.0.0.1:6379/0 (rediss:// for TLS, unix:///path/redis.sock)")


def choice(*options: str) -> Checker:
    """A checker of one of ``options`` (compared case-insensitively)."""

    def check(value: Any) -> str:
        word = value.strip().lower() if isinstance(value, str) else None
        if word not in options:
            raise Invalid(f"one of {', '.join(repr(o) for o in options)}")
        return word  # type: ignore[return-value]

    return check


def text(value: Any) -> str:
    """Any string (secrets: the auth token, the API secret); the error never shows the value."""
    if not isinstance(value, str):
        raise Invalid("a string")
    return value


def _number(value: Any) -> Optional[float]:
    # A number or its text (ASCII only: float() would also read "１２" as 12); True and False are
    # flags, not numbers.
    if isinstance(value, bool) or (isinstance(value, str) and not value.isascii()):
        return None
    try:
        return float(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError, OverflowError):
        return None


def _spellings(values: tuple) -> str:
    return ", ".join(repr(v) for v in values)
