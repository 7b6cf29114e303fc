"""Fault injection: every failure a server or network can produce, on both transports.

For each fault: the exception raised, that it came within the time bound (every attempt
within ``TWILIO_TIMEOUT``, plus the waits between attempts), how many attempts the server
saw, and that a POST whose outcome is unknown was never sent twice. Waits are shrunk to
hundredths of a second so the whole file runs in seconds.
"""
from __future__ import annotations

import json
import logging
from time import monotonic
from typing import Any, Callable, List, Tuple

import pytest
from tests.transport.fault_servers import (
    HTML_BODY,
    JSON_BODY,
    RawServer,
    ScriptedApp,
    close_without_answer,
    ok,
    refused_url,
    reset_mid_body,
    silent,
    slow_body,
    truncated,
)

from flask_twilio_rb import (APIError, Call, Config, Message, NotFoundError, RateLimitError, TwilioConnectionError,
                             TwilioTimeout, retry)
from flask_twilio_rb.transport import retrying

SID = "AC" + "a" * 32
TOKEN = "fault-token-" + "5" * 20
CALL_SID = "CA" + "b" * 32
TIMEOUT = 0.2
RETRIES = 3
#: Generous slack for a loaded CI machine: the bound is a correctness property, not a benchmark.
SLACK = 0.6

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


@pytest.fixture(params=["requests", "urllib3"])
def transport(request: Any) -> str:
    return request.param


@pytest.fixture(autouse=True)
def fast_waits(monkeypatch: Any) -> List[float]:
    """Backoff and Retry-After waits of hundredths of a second; each wait is recorded and really slept."""
    import time

    monkeypatch.setattr(retry, "BACKOFF_BASE", 0.01)
    monkeypatch.setattr(retry, "BACKOFF_MAX", 0.02)
    monkeypatch.setattr(retry, "RETRY_AFTER_MAX", 0.05)
    waits: List[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    monkeypatch.setattr(retrying, "sleep", sleep)
    return waits


@pytest.fixture
def use(transport: str) -> Any:
    """Point the script configuration at a server, with tiny timeouts, on the transport under test."""
    from flask_twilio_rb.client import get_client

    def configure(base_url: str) -> None:
        Config.setup(account_sid=SID, auth_token=TOKEN, api_base_url=base_url, timeout=TIMEOUT,
                     max_retries=RETRIES, transport=transport)

    yield configure
    get_client().close()


def fetch() -> Any:
    return Call.find(CALL_SID)


def create() -> Any:
    return Message.create(to="+15005550006", from_="+15005550001", body="Your code is 1234")


def delete() -> Any:
    return Call.delete(CALL_SID)


def timed(call: Callable[[], Any]) -> Tuple[Any, float]:
    """``(exception or result, seconds)``."""
    start = monotonic()
    try:
        outcome = call()
    except Exception as exc:  # noqa: BLE001 - the tests look at what came out
        outcome = exc
    return outcome, monotonic() - start


def bound(attempts: int) -> float:
    """The longest ``attempts`` attempts may take: each within the timeout, the longest waits between."""
    return attempts * TIMEOUT + (attempts - 1) * max(retry.BACKOFF_MAX, retry.RETRY_AFTER_MAX) + SLACK


# -- nothing listening -----------------------------------------------------------------------------------

@pytest.mark.parametrize("call", [fetch, create], ids=["GET", "POST"])
def test_connection_refused_is_retried_for_every_method(use, call, fast_waits):
    use(refused_url())
    error, elapsed = timed(call)
    assert type(error) is TwilioConnectionError  # not a timeout
    assert error.sent is False and error.attempts == RETRIES + 1
    assert "Could not connect" in str(error) and f"Gave up after {RETRIES + 1} attempts" in str(error)
    assert len(fast_waits) == RETRIES
    assert elapsed < bound(RETRIES + 1)


# -- a connection that breaks after the request was sent --------------------------------------------------

@pytest.mark.parametrize("fault", [reset_mid_body, close_without_answer, truncated],
                         ids=["reset mid-body", "closed without an answer", "truncated JSON"])
def test_broken_answer_to_get_is_retried(use, fault):
    with RawServer(fault) as server:
        use(server.base_url)
        error, elapsed = timed(fetch)
    assert type(error) is TwilioConnectionError and error.sent is True
    assert server.count("GET") == RETRIES + 1 and error.attempts == RETRIES + 1
    assert elapsed < bound(RETRIES + 1)


@pytest.mark.parametrize("fault", [reset_mid_body, close_without_answer, truncated],
                         ids=["reset mid-body", "closed without an answer", "truncated JSON"])
def test_broken_answer_to_post_is_never_sent_twice(use, fault, fast_waits):
    with RawServer(fault) as server:
        use(server.base_url)
        error, elapsed = timed(create)
    assert type(error) is TwilioConnectionError and error.sent is True
    assert server.count("POST") == 1 and error.attempts == 1 and fast_waits == []
    assert "list Messages (Message.all()) to see whether it was created before sending it again" in str(error)
    assert elapsed < bound(1)


def test_get_recovers_after_a_broken_answer(use):
    with RawServer(reset_mid_body, ok) as server:
        use(server.base_url)
        call, elapsed = timed(fetch)
    assert call.sid == "SM" + "1" * 32
    assert server.count("GET") == 2


# -- no answer in time -----------------------------------------------------------------------------------

@pytest.mark.parametrize("fault", [silent, slow_body], ids=["headers never sent", "slow body"])
def test_get_that_times_out_is_retried_within_the_bound(use, fault):
    with RawServer(fault) as server:
        use(server.base_url)
        error, elapsed = timed(fetch)
    assert type(error) is TwilioTimeout and error.sent is True
    assert "did not answer within 0.2 s" in str(error)
    assert server.count("GET") == RETRIES + 1
    assert elapsed < bound(RETRIES + 1)


@pytest.mark.parametrize("fault", [silent, slow_body], ids=["headers never sent", "slow body"])
def test_post_that_times_out_is_never_sent_twice(use, fault):
    with RawServer(fault) as server:
        use(server.base_url)
        error, elapsed = timed(create)
    assert type(error) is TwilioTimeout and error.sent is True
    assert "the request was sent, so its outcome is unknown" in str(error)
    assert "list Messages (Message.all()) to see whether it was created" in str(error)
    assert server.count("POST") == 1
    assert elapsed < bound(1)


# -- error pages -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_html_error_page_to_get_is_retried_then_raised(use, status, caplog):
    with ScriptedApp((status, HTML_BODY % status, {})) as server:
        use(server.base_url)
        with caplog.at_level(logging.WARNING, logger="flask_twilio_rb"):
            error, elapsed = timed(fetch)
    assert type(error) is APIError and error.status == status and error.code is None
    assert "body that is not JSON" in error.message
    assert server.count("GET") == RETRIES + 1
    retries = [r for r in caplog.records if r.name == "flask_twilio_rb"]
    assert len(retries) == RETRIES and f"HTTP {status}" in retries[0].getMessage()
    assert all(TOKEN not in r.getMessage() for r in caplog.records)
    assert elapsed < bound(RETRIES + 1)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_html_error_page_to_post_is_not_retried(use, status):
    with ScriptedApp((status, HTML_BODY % status, {})) as server:
        use(server.base_url)
        error, elapsed = timed(create)
    assert type(error) is APIError and error.status == status
    assert server.count("POST") == 1


def test_get_recovers_after_a_503(use):
    with ScriptedApp((503, HTML_BODY % 503, {}), (200, JSON_BODY, {})) as server:
        use(server.base_url)
        call, _ = timed(fetch)
    assert call.sid == "SM" + "1" * 32 and server.count("GET") == 2


def test_delete_whose_first_attempt_may_have_worked_answers_deleted(use):
    not_found = json.dumps({"code": 20404, "message": "not found", "status": 404}).encode()
    with ScriptedApp((502, HTML_BODY % 502, {}), (404, not_found, {})) as server:
        use(server.base_url)
        result, _ = timed(delete)
    assert result is True and server.count("DELETE") == 2


def test_delete_of_a_missing_instance_still_raises(use):
    not_found = json.dumps({"code": 20404, "message": "not found", "status": 404}).encode()
    with ScriptedApp((404, not_found, {})) as server:
        use(server.base_url)
        error, _ = timed(delete)
    assert type(error) is NotFoundError and isinstance(error, APIError) and error.status == 404 and server.count("DELETE") == 1


# -- rate limits -----------------------------------------------------------------------------------------

TOO_MANY = json.dumps({"code": 20429, "message": "Too Many Requests", "status": 429}).encode()


@pytest.mark.parametrize("retry_after", ["1", "Wed, 21 Oct 2037 07:28:00 GMT"], ids=["seconds", "HTTP date"])
def test_429_with_retry_after_is_retried_even_for_post(use, retry_after, fast_waits):
    with ScriptedApp((429, TOO_MANY, {"Retry-After": retry_after}), (201, JSON_BODY, {})) as server:
        use(server.base_url)
        message, elapsed = timed(create)
    assert message.sid == "SM" + "1" * 32
    assert server.count("POST") == 2
    assert fast_waits == [retry.RETRY_AFTER_MAX]  # both ask for longer than the cap
    assert elapsed < bound(2)


def test_429_without_retry_after_backs_off_with_jitter(use, fast_waits):
    with ScriptedApp((429, TOO_MANY, {}), (429, TOO_MANY, {}), (201, JSON_BODY, {})) as server:
        use(server.base_url)
        message, _ = timed(create)
    assert message.sid == "SM" + "1" * 32 and server.count("POST") == 3
    assert 0 <= fast_waits[0] <= retry.BACKOFF_BASE and 0 <= fast_waits[1] <= 2 * retry.BACKOFF_BASE


def test_429_that_never_ends_raises_twilio_error_20429(use, fast_waits):
    with ScriptedApp((429, TOO_MANY, {"Retry-After": "0"})) as server:
        use(server.base_url)
        error, elapsed = timed(create)
    assert type(error) is RateLimitError and isinstance(error, APIError) and error.status == 429 and error.code == 20429
    assert server.count("POST") == RETRIES + 1 and fast_waits == [0.0] * RETRIES
    assert elapsed < bound(RETRIES + 1)


def test_no_retries_when_max_retries_is_zero(use, transport):
    with ScriptedApp((503, HTML_BODY % 503, {})) as server:
        use(server.base_url)
        Config.setup(max_retries=0)
        error, _ = timed(fetch)
    assert type(error) is APIError and server.count("GET") == 1
