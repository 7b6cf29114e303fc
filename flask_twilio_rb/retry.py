"""When a failed request is sent again, and after how long.

Pure functions, no I/O: the retrying transport (:mod:`flask_twilio_rb.transport.retrying`)
asks :func:`should_retry` after each failed attempt and sleeps :func:`delay` seconds before
the next one.

* GET and DELETE (and the other idempotent methods) are retried on a connection failure or
  timeout, on ``429`` and on ``500``/``502``/``503``/``504``.
* POST creates and changes things (a text, a call), so it is retried only when Twilio
  certainly did not act on it: the connection failed before a byte was sent, or Twilio
  answered ``429`` (error 20429, the request was refused, not queued). A POST that timed
  out or broke after it was sent is never sent again: it could text or call twice.
* Waits grow exponentially with full jitter (``uniform(0, BACKOFF_BASE * 2 ** (n - 1))``, at
  most :data:`BACKOFF_MAX`); a ``Retry-After`` header (seconds or an HTTP date) replaces the
  wait, capped at :data:`RETRY_AFTER_MAX`.
"""
from __future__ import annotations

import time
from typing import Optional, Union

from .errors import TwilioConnectionError

#: Seconds: the first retry waits up to this, each later one up to twice as long.
BACKOFF_BASE = 0.5
#: Seconds: no computed backoff waits longer than this.
BACKOFF_MAX = 8.0
#: Seconds: the longest ``Retry-After`` honoured; a longer one is waited for this long.
RETRY_AFTER_MAX = 30.0

#: Methods that can be sent twice with the same effect as once.
IDEMPOTENT = frozenset({"GET", "HEAD", "DELETE", "OPTIONS", "PUT"})
#: Statuses worth another try for an idempotent request: overload and gateway failures.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

#: What an attempt ended with: an HTTP status, or the connection error it raised.
Outcome = Union[int, TwilioConnectionError]


def should_retry(method: str, outcome: Outcome, attempt: int, max_retries: int) -> bool:
    """Whether to send again after attempt number ``attempt`` (1 is the first) ended with ``outcome``."""
    if attempt > max_retries:
        return False
    if isinstance(outcome, TwilioConnectionError):
        return not outcome.sent or method in IDEMPOTENT
    if outcome == 429:  # Twilio refused it (rate limit): nothing was done, whatever the method
        return True
    return outcome in RETRY_STATUSES and method in IDEMPOTENT


def delay(attempt: int, retry_after: Optional[float] = None) -> float:
    """Seconds to wait before attempt ``attempt + 1``: the server's ``Retry-After`` (capped), else full jitter."""
    if retry_after is not None:
        return min(max(retry_after, 0.0), RETRY_AFTER_MAX)
    import random  # here, not at start-up: most processes never retry

    return random.uniform(0.0, min(BACKOFF_MAX, BACKOFF_BASE * 2 ** (attempt - 1)))


def parse_retry_after(value: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """Seconds from a ``Retry-After`` header: ``"5"`` or an HTTP date; ``None`` when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    from email.utils import (
        parsedate_to_datetime,  # rare: not worth its import time at start-up
    )

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # an HTTP date is GMT by definition
        return None
    return when.timestamp() - (time.time() if now is None else now)


def max_total_time(timeout: float, max_retries: int) -> float:
    """The longest a call can take: every attempt at ``timeout``, plus the longest waits between them."""
    return timeout * (max_retries + 1) + max_retries * max(BACKOFF_MAX, RETRY_AFTER_MAX)
