"""Retries as a wrapper around any transport: the whole loop of attempts, waits and the last error.

:class:`RetryingTransport` asks the policy (:mod:`flask_twilio_rb.retry`) after each failed
attempt, logs and sleeps before the next one, and when it gives up raises an error that says
how often it tried and, for a POST whose outcome is unknown, what to check before sending again.
"""
from __future__ import annotations

import time
from typing import Any, Optional, Tuple

from ..errors import TwilioConnectionError
from ..retry import IDEMPOTENT, Outcome, delay, parse_retry_after, should_retry
from ..wire import Operation, Params, is_sid
from .base import RawResponse, Transport
from .shared import origin

#: Replaced by tests that must not wait.
sleep = time.sleep


class RetryingTransport(Transport):
    """Send through ``inner``, again after a failure the policy says is safe to retry, at most ``max_retries`` more times."""

    def __init__(self, inner: Transport, max_retries: int) -> None:
        self.inner = inner
        self.max_retries = max_retries

    def send(self, method: str, url: str, *, params: Optional[Params] = None, data: Optional[Params] = None,
             json: Any = None, auth: Tuple[str, str], timeout: float,
             operation: Optional[Operation] = None) -> RawResponse:
        """Send until an attempt succeeds or no retry may follow; ``operation`` names the request in errors."""
        attempt = 0
        unknown = False  # an earlier attempt may have been carried out
        body = {"data": data} if json is None else {"json": json}  # (transports written before JSON bodies work on)
        while True:
            attempt += 1
            try:
                raw = self.inner.send(method, url, params=params, auth=auth, timeout=timeout, **body)
            except TwilioConnectionError as exc:
                if not should_retry(method, exc, attempt, self.max_retries):
                    raise final_error(exc, path_of(url), operation, attempt) from None
                unknown = unknown or exc.sent
                wait(method, url, attempt, exc, None)
                continue
            status = raw.status
            if status < 400 or not should_retry(method, status, attempt, self.max_retries):
                if status == 404 and unknown and method == "DELETE":
                    return RawResponse(204, raw.headers, b"")  # an earlier attempt deleted it
                return raw
            unknown = unknown or status != 429
            wait(method, url, attempt, status, raw.headers.get("Retry-After"))

    def close(self) -> None:
        """Close the wrapped transport."""
        self.inner.close()


def path_of(url: str) -> str:
    """The path and query of ``url``: what logs and errors show of it."""
    return url[len(origin(url)):] if "://" in url else url


def wait(method: str, url: str, attempt: int, outcome: Outcome, retry_after: Optional[str]) -> None:
    """Log the retry (method, path and why: never a header, a parameter or a secret) and sleep before it."""
    seconds = delay(attempt, parse_retry_after(retry_after))
    import logging  # here, not at start-up: most processes never retry

    why = f"HTTP {outcome}" if isinstance(outcome, int) else f"{type(outcome).__name__} (sent={outcome.sent})"
    logging.getLogger("flask_twilio_rb").warning(
        "Twilio request %s %s failed with %s; retry %d in %.2f s", method, path_of(url), why, attempt, seconds)
    sleep(seconds)


def final_error(exc: TwilioConnectionError, path: str, operation: Optional[Operation],
                attempts: int) -> TwilioConnectionError:
    """The error to raise when no retry follows: what happened, how often, and what to check when unsure."""
    message = str(exc)
    if attempts > 1:
        message += f" Gave up after {attempts} attempts."
    if exc.sent and exc.method not in IDEMPOTENT:
        message += f" It was not retried, to avoid doing it twice: {what_to_check(path, operation)} before sending it again."
    error = type(exc)(message, method=exc.method, url=exc.url, sent=exc.sent)
    error.attempts = attempts
    return error


def what_to_check(path: str, operation: Optional[Operation]) -> str:
    """How to find out whether a POST that may have reached Twilio was carried out.

    The resource's operation says whether it created or changed something; a request sent
    without one is read from its path (a SID at the end names an instance).
    """
    segments = path.partition("?")[0].rsplit(".json", 1)[0].split("/")
    name = operation.resource if operation is not None else None
    changed = operation.action in ("update", "patch") if operation is not None and name else is_sid(segments[-1])
    if changed:
        finder = f" ({name}.find(...))" if name else ""
        return f"fetch {'/'.join(segments[-2:])}{finder} to see whether it was changed"
    lister = f" ({name}.all())" if name else ""
    return f"list {segments[-1]}{lister} to see whether it was created"
