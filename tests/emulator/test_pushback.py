"""The emulator pushes back like Twilio: 20429 above a REST concurrency, 21611 above a sender's queue."""
from __future__ import annotations

import threading

import pytest
import requests

from flask_twilio_rb import Config, Message, RateLimitError
from flask_twilio_rb.emulator import rules
from flask_twilio_rb.errors import APIError
from flask_twilio_rb.testing.emulator import TwilioEmulator

from tests.emulator.emulator_helpers import FROM, TO, messaging_service, running


def _session(emu: TwilioEmulator) -> requests.Session:
    session = requests.Session()
    session.auth = (emu.account_sid, emu.auth_token)
    return session


def test_a_throttled_answer_carries_retry_after_when_asked():
    with TwilioEmulator(rate_limit=1, retry_after=2) as emu, _session(emu) as session:
        url = f"{emu.base_url}/2010-04-01/Accounts/{emu.account_sid}/Messages.json"
        answers = [session.get(url, timeout=5) for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 429]
    assert answers[1].headers["Retry-After"] == "2"
    assert "Retry-After" not in answers[0].headers


def test_without_retry_after_a_429_has_no_such_header():
    with TwilioEmulator(rate_limit=1) as emu, _session(emu) as session:
        url = f"{emu.base_url}/2010-04-01/Accounts/{emu.account_sid}/Messages.json"
        answers = [session.get(url, timeout=5) for _ in range(2)]
    assert answers[1].status_code == 429 and "Retry-After" not in answers[1].headers


def test_the_concurrency_limiter_refuses_a_request_above_its_slots_and_frees_them():
    limiter = rules.ConcurrencyLimiter(1, retry_after=3)
    with limiter.slot("AC1"):
        with limiter.slot("AC2"):  # another account has its own slots
            pass
        with pytest.raises(rules.TwilioAPIError) as refused:
            with limiter.slot("AC1"):
                pass  # pragma: no cover (never entered)
    assert (refused.value.status, refused.value.code, refused.value.retry_after) == (429, 20429, 3)
    assert "more than 1 at once" in refused.value.message
    with limiter.slot("AC1"):  # the slot was given back
        pass


def test_requests_above_the_concurrency_limit_get_20429():
    entered, release = threading.Event(), threading.Event()
    with running(concurrency_limit=1, callbacks=False) as emu:
        Config.setup(max_retries=0)  # the refused GET is not retried after a backoff
        original = emu._backend._answer

        def slow_answer(*args):
            entered.set()
            release.wait(5)
            return original(*args)

        emu._backend._answer = slow_answer
        first = threading.Thread(target=lambda: Message.create(to=TO, from_=FROM, body="first"))
        first.start()
        assert entered.wait(5)
        emu._backend._answer = original
        try:
            with pytest.raises(RateLimitError) as refused:
                Message.all(page_size=1)
        finally:
            release.set()
            first.join(5)
        assert refused.value.code == 20429
        assert len(emu.records("Message")) == 1  # the refused request did nothing
        assert Message.all(page_size=1)  # once the slot is free, requests go through


def test_a_sender_with_a_full_queue_gets_21611_until_its_messages_move_on():
    with running(queue_limit=2, callbacks=False) as emu:
        for n in range(2):
            Message.create(to=TO, from_=FROM, body=f"queued {n}")
        with pytest.raises(APIError) as refused:
            Message.create(to=TO, from_=FROM, body="one too many")
        assert (refused.value.status, refused.value.code) == (400, 21611)
        Message.create(to=TO, from_="+15005550010", body="another sender has its own queue")
        emu.advance()  # queued -> sent: the queue is empty again
        assert Message.create(to=TO, from_=FROM, body="now it fits").status == "queued"


def test_the_queue_limit_counts_a_messaging_service_as_one_sender():
    with running(queue_limit=1, callbacks=False) as emu:
        service = messaging_service(emu, FROM, "+15005550010")
        Message.create(to=TO, messaging_service_sid=service, body="first")
        with pytest.raises(APIError) as refused:
            Message.create(to=TO, messaging_service_sid=service, body="second")
        assert refused.value.code == 21611
