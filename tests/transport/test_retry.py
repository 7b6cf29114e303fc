"""The retry policy (flask_twilio_rb.retry) and the client's retry loop, without a network."""
from __future__ import annotations

import logging
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from typing import Any, List, Optional

import pytest

from flask_twilio_rb import APIError, Client, Settings, TwilioConnectionError, TwilioTimeout, retry
from flask_twilio_rb.transport import RawResponse, Transport, retrying
from flask_twilio_rb.wire import Operation

SID = "AC" + "a" * 32
TOKEN = "retry-token-" + "3" * 20
MESSAGES = f"/2010-04-01/Accounts/{SID}/Messages.json"
CALL = f"/2010-04-01/Accounts/{SID}/Calls/CA{'b' * 32}.json"

not_sent = TwilioConnectionError("refused", method="POST", url="u", sent=False)
sent = TwilioTimeout("slow", method="POST", url="u", sent=True)


# -- should_retry ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "DELETE", "POST"])
def test_a_request_that_never_left_is_retried_whatever_the_method(method):
    assert retry.should_retry(method, not_sent, 1, 3) is True


@pytest.mark.parametrize("method, expected", [("GET", True), ("DELETE", True), ("POST", False)])
def test_a_request_that_may_have_arrived_is_retried_only_when_idempotent(method, expected):
    assert retry.should_retry(method, sent, 1, 3) is expected


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_retried_for_get_and_delete_only(status):
    assert retry.should_retry("GET", status, 1, 3) and retry.should_retry("DELETE", status, 1, 3)
    assert not retry.should_retry("POST", status, 1, 3)


def test_429_is_retried_for_post_too():
    assert retry.should_retry("POST", 429, 1, 3) and retry.should_retry("GET", 429, 1, 3)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 501, 505])
def test_other_statuses_are_final(status):
    assert not retry.should_retry("GET", status, 1, 3)


def test_retries_stop_at_max_retries():
    assert retry.should_retry("GET", 503, 3, 3) is True
    assert retry.should_retry("GET", 503, 4, 3) is False
    assert retry.should_retry("GET", not_sent, 1, 0) is False


# -- delay and Retry-After -------------------------------------------------------------------------------

def test_delay_is_full_jitter_under_an_exponential_cap(monkeypatch):
    import random

    caps: List[float] = []
    monkeypatch.setattr(random, "uniform", lambda low, high: caps.append(high) or low)
    for attempt in range(1, 8):
        assert retry.delay(attempt) == 0.0
    assert caps == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


def test_delay_is_random_within_its_cap():
    values = {retry.delay(2) for _ in range(50)}
    assert all(0 <= v <= 1.0 for v in values) and len(values) > 1


def test_retry_after_replaces_the_backoff_and_is_capped():
    assert retry.delay(1, 2.5) == 2.5
    assert retry.delay(1, 3600) == retry.RETRY_AFTER_MAX == 30.0
    assert retry.delay(1, -5) == 0.0


def test_parse_retry_after_seconds_and_dates():
    assert retry.parse_retry_after("7") == 7.0
    assert retry.parse_retry_after(" 0 ") == 0.0
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    later = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert retry.parse_retry_after(later, now=now.timestamp()) == 90.0
    assert 0 < retry.parse_retry_after(format_datetime(datetime.now(timezone.utc) + timedelta(seconds=60),
                                                       usegmt=True)) <= 60


@pytest.mark.parametrize("value", [None, "", "soon", "-3", "1.5e3", "Wed, 21 Oct 2015 07:28:00", "Mon, 99 Foo"])
def test_unreadable_retry_after_is_ignored(value):
    assert retry.parse_retry_after(value) is None


def test_max_total_time():
    assert retry.max_total_time(15, 3) == 15 * 4 + 3 * 30
    assert retry.max_total_time(2, 0) == 2


# -- the client's loop -----------------------------------------------------------------------------------

class Scripted(Transport):
    """A transport answering from a script of RawResponses and exceptions; records every send."""

    def __init__(self, *script: Any) -> None:
        self.script = list(script)
        self.sent: List[str] = []

    def send(self, method: str, url: str, *, params: Any = None, data: Any = None, auth: Any,
             timeout: float) -> RawResponse:
        self.sent.append(method)
        item = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(item, BaseException):
            raise item
        return item


def ok(status: int = 200, body: bytes = b'{"sid": "SM1"}', headers: Optional[dict] = None) -> RawResponse:
    return RawResponse(status, headers or {}, body)


@pytest.fixture
def waits(monkeypatch) -> List[float]:
    recorded: List[float] = []
    monkeypatch.setattr(retrying, "sleep", recorded.append)
    return recorded


def client_with(*script: Any, max_retries: int = 3) -> Client:
    client = Client(Settings(account_sid=SID, auth_token=TOKEN, max_retries=max_retries))
    client.transport = Scripted(*script)
    return client


@pytest.mark.no_contract  # a scripted transport: nothing reaches a server
def test_happy_path_sends_once_and_never_waits(waits):
    client = client_with(ok())
    assert client.request("GET", CALL) == {"sid": "SM1"}
    assert client.transport.sent == ["GET"] and waits == []


@pytest.mark.no_contract
def test_post_that_never_left_is_sent_again_and_succeeds(waits):
    refused = TwilioConnectionError("Could not connect", method="POST", url="u", sent=False)
    client = client_with(refused, refused, ok(201))
    assert client.request("POST", MESSAGES, data=[("Body", "hi")]) == {"sid": "SM1"}
    assert client.transport.sent == ["POST"] * 3 and len(waits) == 2


@pytest.mark.no_contract
def test_post_sent_then_timed_out_is_raised_at_once_naming_what_to_check(waits):
    timeout = TwilioTimeout("x did not answer; the request was sent, so its outcome is unknown.",
                            method="POST", url="u", sent=True)
    client = client_with(timeout)
    with pytest.raises(TwilioTimeout) as info:
        client.request("POST", MESSAGES, data=[("Body", "hi")],
                       operation=Operation("Message", "create", "CreateMessage"))
    error = info.value
    assert client.transport.sent == ["POST"] and waits == []
    assert error.sent is True and error.attempts == 1 and error.method == "POST" and error.url == "u"
    assert str(error) == ("x did not answer; the request was sent, so its outcome is unknown. It was not retried, "
                          "to avoid doing it twice: list Messages (Message.all()) to see whether it was created "
                          "before sending it again.")
    assert error.__cause__ is None and error.__suppress_context__


@pytest.mark.no_contract
def test_post_update_names_the_instance_to_fetch(waits):
    broken = TwilioConnectionError("The connection broke.", method="POST", url="u", sent=True)
    with pytest.raises(TwilioConnectionError) as info:
        client_with(broken).request("POST", CALL, data=[("Status", "canceled")])
    assert str(info.value).endswith(f"fetch Calls/CA{'b' * 32} to see whether it was changed before sending it again.")
    assert type(info.value) is TwilioConnectionError

    with pytest.raises(TwilioConnectionError) as info:
        client_with(broken).request("POST", CALL, data=[("Status", "canceled")],
                                    operation=Operation("Call", "update", "UpdateCall"))
    assert f"fetch Calls/CA{'b' * 32} (Call.find(...)) to see" in str(info.value)


def test_a_patch_whose_outcome_is_unknown_names_the_instance_to_fetch(waits):
    broken = TwilioConnectionError("The connection broke.", method="PATCH", url="u", sent=True)
    user = "/Organizations/OR" + "1" * 32 + "/scim/Users/US" + "2" * 32
    with pytest.raises(TwilioConnectionError) as info:
        client_with(broken).request("PATCH", user, host="preview-iam.twilio.com",
                                    operation=Operation("preview_iam.versionless.User", "patch",
                                                        "preview_iam.versionless.PatchOrganizationUser"))
    assert f"fetch Users/US{'2' * 32} (preview_iam.versionless.User.find(...)) to see whether it was changed" \
        in str(info.value)


@pytest.mark.no_contract
def test_get_gives_up_after_max_retries_with_the_count(waits, caplog):
    timeout = TwilioTimeout("slow", method="GET", url="u", sent=True)
    client = client_with(timeout, max_retries=2)
    with caplog.at_level(logging.WARNING, logger="flask_twilio_rb"):
        with pytest.raises(TwilioTimeout) as info:
            client.request("GET", CALL)
    assert str(info.value) == "slow Gave up after 3 attempts."
    assert info.value.attempts == 3 and client.transport.sent == ["GET"] * 3 and len(waits) == 2
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2
    assert messages[0].startswith(f"Twilio request GET {CALL} failed with TwilioTimeout (sent=True); retry 1 in ")
    assert all(r.levelno == logging.WARNING for r in caplog.records)


@pytest.mark.no_contract
def test_status_retries_honour_retry_after_then_decode(waits, caplog):
    client = client_with(ok(503, b"<html>down</html>", {"Retry-After": "2"}), ok(429, b"{}", {}), ok())
    with caplog.at_level(logging.WARNING, logger="flask_twilio_rb"):
        assert client.request("GET", CALL) == {"sid": "SM1"}
    assert waits[0] == 2.0 and 0 <= waits[1] <= 2 * retry.BACKOFF_BASE
    assert "failed with HTTP 503; retry 1 in 2.00 s" in caplog.records[0].getMessage()


@pytest.mark.no_contract
def test_last_error_status_is_raised_as_api_error(waits):
    client = client_with(ok(502, b"<html>bad gateway</html>"), max_retries=1)
    with pytest.raises(APIError) as info:
        client.request("GET", CALL)
    assert info.value.status == 502 and len(waits) == 1


@pytest.mark.no_contract
def test_delete_after_an_unknown_outcome_treats_404_as_done(waits):
    gone = ok(404, b'{"code": 20404, "message": "not found"}')
    timeout = TwilioTimeout("slow", method="DELETE", url="u", sent=True)
    assert client_with(timeout, gone).request("DELETE", CALL) is None
    assert client_with(ok(500, b""), gone).request("DELETE", CALL) is None


@pytest.mark.no_contract
def test_delete_404_after_a_429_or_a_refusal_is_still_an_error(waits):
    gone = ok(404, b'{"code": 20404, "message": "not found"}')
    refused = TwilioConnectionError("refused", method="DELETE", url="u", sent=False)
    for first in (ok(429, b"{}"), refused):
        with pytest.raises(APIError) as info:
            client_with(first, gone).request("DELETE", CALL)
        assert info.value.status == 404


@pytest.mark.no_contract
def test_get_404_after_a_timeout_is_still_none_for_find_but_an_error_here(waits):
    gone = ok(404, b'{"code": 20404, "message": "not found"}')
    timeout = TwilioTimeout("slow", method="GET", url="u", sent=True)
    with pytest.raises(APIError):
        client_with(timeout, gone).request("GET", CALL)
