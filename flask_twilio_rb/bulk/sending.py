"""One recipient, sent at most once: claim, render, wait for the sender's bucket, send, record.

Both backends run :func:`deliver` for every recipient; what differs is only where it runs
(a thread here, a Celery worker anywhere). What each answer from Twilio means:

* accepted: recorded ``sent`` with its SID;
* 20429 / 429 (too many requests) and 21611 (the sender's queue is full): the sender's bucket
  slows down and pauses for the ``Retry-After`` (else a growing backoff), then the same
  recipient is tried again;
* a broken connection after the POST was written (``TwilioConnectionError.sent``), or a 5xx:
  Twilio may have created the message, so it is looked up (:func:`~.reconcile.find_sent`)
  and only sent again when it is not there;
* any other refusal (21211 invalid number, 21610 unsubscribed, 21614 not a mobile...):
  recorded ``failed`` with Twilio's code and message, never retried.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from functools import lru_cache
from typing import Any, Dict, Optional, Tuple

import jinja2

from ..errors import APIError, RateLimitError, TwilioConnectionError
from ..api.v2010 import Message
from ..retry import RETRY_AFTER_MAX, max_total_time
from .ledger import Item, Ledger
from .ratelimit import RateLimiter
from .reconcile import find_sent
from .segments import segments
from .senders import default_rate

log = logging.getLogger("flask_twilio_rb.bulk")

#: Replaced by tests that must not wait.
sleep = time.sleep
#: Sends of one recipient before it is recorded failed (pushback and broken connections).
MAX_ATTEMPTS = 8
#: Seconds of the first backoff when Twilio names no ``Retry-After``; it doubles each time.
BACKOFF = 1.0
#: Twilio's codes that mean "not now", not "never".
THROTTLED = frozenset({20429, 21611})
#: How often a recipient whose number another worker holds is looked at again (a second apart at most).
MAX_WAITS = 600
#: Seconds added to the longest a send can take: a claim older than that belongs to a dead worker.
LEASE_MARGIN = 5.0


def template(body: str) -> jinja2.Template:
    """The compiled Jinja template of a body (a missing variable is an error, not an empty string)."""
    # One compile at a time: CPython 3.11 can fail compiling in several threads at once
    # ("AST constructor recursion depth mismatch"), and a worker's threads start together.
    with _COMPILING:
        return _compiled(body)


@lru_cache(maxsize=64)
def _compiled(body: str) -> jinja2.Template:
    return _ENVIRONMENT.from_string(body)


_COMPILING = threading.Lock()


_ENVIRONMENT = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False)


def lease(settings: Any) -> float:
    """Seconds after which a recipient's claim is taken to belong to a worker that died."""
    return max_total_time(settings.timeout, settings.max_retries) + LEASE_MARGIN


def sender_of(spec: Dict[str, Any]) -> str:
    """The sender whose bucket a job's sends take from: its number or messaging service."""
    return spec.get("messaging_service_sid") or spec["from_"]


def rate_of(spec: Dict[str, Any], settings: Any) -> float:
    """Segments per second: the job's ``rate=``, else ``TWILIO_BULK_RATE``, else the sender type's."""
    return float(spec.get("rate") or settings.bulk_rate or default_rate(sender_of(spec)))


def deliver_one(ledger: Ledger, spec: Dict[str, Any], item: Item, limiter: RateLimiter, settings: Any) -> None:
    """:func:`deliver` ``item``, waiting (bounded) while another worker holds its number; a bug fails the item only."""
    try:
        for _ in range(MAX_WAITS):
            wait = deliver(ledger, spec, item, limiter, settings)
            if not wait:
                return
            sleep(min(wait, 1.0))
        ledger.failed(item, None, "Another worker held this number for too long; nothing was sent from here.")
    except Exception as exc:
        log.exception("bulk job %s: sending to a recipient failed", ledger.job_id)
        ledger.failed(item, None, f"{type(exc).__name__}: {exc}")


def deliver(ledger: Ledger, spec: Dict[str, Any], item: Item, limiter: RateLimiter, settings: Any) -> float:
    """Send ``item`` unless the ledger says it is done; returns seconds to wait before trying it again (0: done)."""
    claim = ledger.claim(item, lease(settings))
    if claim.action == "done":
        return 0.0
    if claim.action == "wait":
        return claim.wait
    try:
        body = render(spec, item)
    except (jinja2.TemplateError, ValueError) as exc:
        ledger.failed(item, None, f"Cannot render the body for {item.to}: {exc}; fix the template or the recipient's"
                                  f" variables.")
        return 0.0
    if claim.action == "reconcile" and _reconciled(ledger, spec, item, body):
        return 0.0
    _send(ledger, spec, item, body, limiter, settings)
    return 0.0


def render(spec: Dict[str, Any], item: Item) -> Optional[str]:
    """The text for ``item``: the job's body template with the recipient's variables (``None`` for content templates)."""
    if not item.to:
        raise ValueError("the recipient has no number")
    if spec.get("body") is None:
        return None
    return template(spec["body"]).render({**item.variables, "to": item.to})


def _send(ledger: Ledger, spec: Dict[str, Any], item: Item, body: Optional[str], limiter: RateLimiter,
          settings: Any) -> None:
    sender, rate = sender_of(spec), rate_of(spec, settings)
    cost = segments(body) if body is not None else 1
    last: Tuple[Optional[int], str] = (None, "")
    for attempt in range(1, MAX_ATTEMPTS + 1):
        sleep(limiter.reserve(sender, rate, cost))
        if ledger.canceled():
            ledger.skipped(item)
            return
        try:
            message = Message.create(**_parameters(spec, item, body))
        except RateLimitError as exc:
            last = (exc.code, exc.message)
            _back_off(ledger, limiter, sender, attempt, exc.code, exc.retry_after)
        except APIError as exc:
            last = (exc.code, exc.message)
            if exc.code in THROTTLED:
                _back_off(ledger, limiter, sender, attempt, exc.code, None)
            elif exc.status < 500:
                ledger.failed(item, exc.code, exc.message)
                return
            elif _reconciled(ledger, spec, item, body):  # a 5xx: Twilio may have created it
                return
        except TwilioConnectionError as exc:
            last = (None, str(exc))
            if exc.sent and _reconciled(ledger, spec, item, body):
                return
            sleep(min(BACKOFF * 2 ** (attempt - 1), RETRY_AFTER_MAX))
        else:
            ledger.sent(item, message.sid, message.to_dict().get("status") or "queued")
            return
    code, text = last
    ledger.failed(item, code, f"Gave up after {MAX_ATTEMPTS} attempts: {text}")


def _parameters(spec: Dict[str, Any], item: Item, body: Optional[str]) -> Dict[str, Any]:
    params: Dict[str, Any] = {"to": item.to}
    if spec.get("messaging_service_sid"):
        params["messaging_service_sid"] = spec["messaging_service_sid"]
    if spec.get("from_"):
        params["from_"] = spec["from_"]
    if body is not None:
        params["body"] = body
    else:
        params["content_sid"] = spec["content_sid"]
        if item.variables:
            params["content_variables"] = json.dumps(item.variables)
    if spec.get("status_callback"):
        params["status_callback"] = spec["status_callback"]
    return params


def _reconciled(ledger: Ledger, spec: Dict[str, Any], item: Item, body: Optional[str]) -> bool:
    """Whether Twilio already has ``item``'s message (then it is recorded ``sent``)."""
    found = find_sent(spec, item.to, body)
    if found is None:
        return False
    log.warning("bulk job %s: a message that may have been sent was found at Twilio (%s); not sent again",
                ledger.job_id, found[0])
    ledger.sent(item, *found)
    return True


def _back_off(ledger: Ledger, limiter: RateLimiter, sender: str, attempt: int, code: Optional[int],
              retry_after: Optional[float]) -> None:
    pause = min(retry_after if retry_after is not None else BACKOFF * 2 ** (attempt - 1), RETRY_AFTER_MAX)
    share = limiter.slow_down(sender, pause)
    log.warning("bulk job %s: Twilio pushed back (error %s); backing off %.1f s, sender at %d%% of its rate",
                ledger.job_id, code, pause, round(share * 100))
