"""send_messages on the threads backend, against the emulator: once each, at the sender's pace, errors kept."""
from __future__ import annotations

import logging
import threading
import time
from collections import Counter

import pytest

from flask_twilio_rb import Message, TwilioConnectionError
from flask_twilio_rb.bulk import BulkJob, send_messages
from flask_twilio_rb.errors import APIError, ConfigurationError
from flask_twilio_rb.testing.emulator import TwilioEmulator
from flask_twilio_rb import Config

from tests.emulator.emulator_helpers import content_template, messaging_service

FROM = "+15005550006"
NUMBERS = [f"+1555{n:07d}" for n in range(40)]


def sent_to(emu):
    return Counter(record["to"] for record in emu.records("Message"))


def test_every_recipient_is_sent_once_with_its_own_variables(emu):
    people = ({"to": n, "name": f"P{i}"} for i, n in enumerate(NUMBERS))  # a generator: streamed
    job = send_messages(people, body="Hi {{ name }} at {{ to }}", from_=FROM, rate=1000)
    assert job.wait(30)
    assert job.progress().sent == 40 and job.failures() == []
    assert sent_to(emu) == Counter(NUMBERS)
    bodies = {r["to"]: r["body"] for r in emu.records("Message")}
    assert bodies[NUMBERS[3]] == f"Hi P3 at {NUMBERS[3]}"
    assert repr(job).startswith(f"<BulkJob {job.id} total=40 queued=0 sent=40")


def test_a_number_given_twice_is_sent_once_and_counted_skipped(emu):
    job = send_messages([NUMBERS[0], NUMBERS[1], f" {NUMBERS[0]} "], body="Hi", from_=FROM, rate=1000)
    assert job.wait(10)
    p = job.progress()
    assert (p.total, p.sent, p.skipped) == (3, 2, 1)
    assert sent_to(emu) == Counter(NUMBERS[:2])


def test_permanent_errors_are_recorded_not_retried(emu):
    job = send_messages(["+15005550001", "+15005550004", "+15005550009", NUMBERS[0]], body="Hi", from_=FROM,
                        rate=1000)
    assert job.wait(10)
    assert sorted((f.number, f.code) for f in job.failures()) == [
        ("+15005550001", 21211), ("+15005550004", 21610), ("+15005550009", 21614)]
    assert (job.progress().failed, job.progress().sent) == (3, 1)


def test_a_content_template_sends_the_variables_as_content_variables(emu):
    template = content_template(emu, "Hi {{1}}", {"1": "friend"})
    job = send_messages([{"to": NUMBERS[0], "1": "Ada"}, NUMBERS[1]], content_sid=template, from_=FROM,
                        rate=1000)
    assert job.wait(10) and job.progress().sent == 2
    bodies = {r["to"]: r["body"] for r in emu.records("Message")}  # rendered by the emulator from the template
    assert (bodies[NUMBERS[0]], bodies[NUMBERS[1]]) == ("Hi Ada", "Hi friend")


def test_a_messaging_service_job_sends_through_it(emu):
    service = messaging_service(emu, FROM)
    job = send_messages(NUMBERS[:3], body="Hi", messaging_service_sid=service, rate=1000)
    assert job.wait(10)
    assert {r["messaging_service_sid"] for r in emu.records("Message")} == {service}


def test_the_status_callback_goes_with_every_message(emu):
    job = send_messages(NUMBERS[:2], body="Hi", from_=FROM, rate=1000, status_callback="https://example.com/s")
    assert job.wait(10)
    assert job.progress().sent == 2


def test_sends_keep_to_the_rate(emu):
    started = time.monotonic()
    job = send_messages(NUMBERS[:11], body="Hi", from_=FROM, rate=20)
    assert job.wait(10)
    assert time.monotonic() - started >= 0.4  # ten intervals of 0.05 s after the first burst


def test_a_missing_template_variable_fails_that_recipient_only(emu):
    job = send_messages([{"to": NUMBERS[0], "name": "Ada"}, {"to": NUMBERS[1]}], body="Hi {{ name }}", from_=FROM,
                        rate=1000)
    assert job.wait(10)
    [failure] = job.failures()
    assert failure.number == NUMBERS[1] and "'name' is undefined" in failure.message
    assert "fix the template" in failure.message


def test_a_broken_recipient_stream_ends_the_job_with_its_error(emu):
    def people():
        yield NUMBERS[0]
        raise OSError("disk gone")

    job = send_messages(people(), body="Hi", from_=FROM, rate=1000)
    assert job.wait(10)
    assert job.progress().error == "Reading the recipients failed: OSError: disk gone"
    assert job.progress().sent == 1


@pytest.mark.parametrize("bad, message", [
    ([{"name": "x"}], "recipient #0 has no 'to' number"),
    ([42], "recipient #0 is a int"),
])
def test_bad_recipients_stop_the_reading_with_a_message(emu, bad, message):
    job = send_messages(bad, body="Hi", from_=FROM)
    assert job.wait(10)
    assert message in job.progress().error


@pytest.mark.parametrize("kwargs, message", [
    ({"from_": FROM}, "needs body= "),
    ({"body": "x", "content_sid": "HX1", "from_": FROM}, "needs body= "),
    ({"body": "x"}, "needs from_= "),
    ({"body": "{% if %}", "from_": FROM}, "not a valid Jinja template"),
    ({"body": "x", "from_": FROM, "rate": 0}, "rate=0"),
    ({"body": "x", "from_": FROM, "rate": True}, "rate=True"),
    ({"body": "x", "from_": FROM, "status_callback": "/status"}, "full http(s) URL"),
    ({"body": "x", "from_": FROM, "job_id": "a b"}, "job_id='a b'"),
])
def test_bad_arguments_are_refused_before_anything_is_sent(kwargs, message):
    with pytest.raises(ValueError) as refused:
        send_messages(["+15558675310"], **kwargs)
    assert message in str(refused.value)


def test_recipients_must_be_an_iterable_of_them():
    with pytest.raises(TypeError, match="not a single str; wrap one recipient in a list"):
        send_messages("+15558675310", body="x", from_=FROM)


def test_the_same_job_id_goes_on_where_it_stopped_and_sends_nobody_twice(emu):
    first = send_messages(NUMBERS[:10], body="Hi", from_=FROM, rate=1000, job_id="campaign-1")
    assert first.wait(10)
    again = send_messages(NUMBERS[:15], body="Hi", from_=FROM, rate=1000, job_id="campaign-1")
    assert again.wait(10)
    assert again.progress().total == 15 and again.progress().sent == 15
    assert sent_to(emu) == Counter(NUMBERS[:15])
    with pytest.raises(ConfigurationError, match="was started with other parameters"):
        send_messages(NUMBERS[:15], body="Other", from_=FROM, job_id="campaign-1")


def test_a_canceled_job_sends_nothing_more(emu, monkeypatch):
    from flask_twilio_rb.bulk import threads

    monkeypatch.setattr(threads, "PUT_TIMEOUT", 0.01)
    job = send_messages(iter([f"+1555{n:07d}" for n in range(2000)]), body="Hi", from_=FROM, rate=50)
    job.cancel()
    assert job.wait(10)
    p = job.progress()
    assert p.canceled and p.skipped > 0 and p.sent < 100
    assert p.total < 2000  # what was not read yet is not part of the job
    assert sum(sent_to(emu).values()) == p.sent


def test_a_20429_storm_backs_off_in_the_logs_and_sends_everyone_once(caplog):
    with TwilioEmulator(callbacks=False, rate_limit=10, retry_after=1) as emu:
        Config.setup(account_sid=emu.account_sid, auth_token=emu.auth_token, api_base_url=emu.base_url,
                     max_retries=0)
        with caplog.at_level(logging.WARNING, "flask_twilio_rb.bulk"):
            job = send_messages(NUMBERS[:20], body="Hi", from_=FROM, rate=1000)
            assert job.wait(30), job.progress()
        assert sent_to(emu) == Counter(NUMBERS[:20])
    assert job.progress().sent == 20
    assert "Twilio pushed back (error 20429); backing off 1.0 s" in caplog.text


def test_a_full_sender_queue_backs_off_until_it_drains(caplog):
    with TwilioEmulator(callbacks=False, queue_limit=3, auto_advance=0.05) as emu:
        Config.setup(account_sid=emu.account_sid, auth_token=emu.auth_token, api_base_url=emu.base_url)
        with caplog.at_level(logging.WARNING, "flask_twilio_rb.bulk"):
            job = send_messages(NUMBERS[:12], body="Hi", from_=FROM, rate=1000)
            assert job.wait(30), job.progress()
        assert sent_to(emu) == Counter(NUMBERS[:12])
    assert "error 21611" in caplog.text


def test_endless_pushback_gives_up_and_records_the_code(no_backoff, monkeypatch, emu):
    def refuse(**params):
        raise APIError(400, "queue full", code=21611)

    monkeypatch.setattr(Message, "create", refuse)
    job = send_messages([NUMBERS[0]], body="Hi", from_=FROM, rate=1000)
    assert job.wait(10)
    [failure] = job.failures()
    assert failure.code == 21611 and failure.message.startswith("Gave up after 8 attempts: queue full")


def test_a_post_that_may_have_reached_twilio_is_looked_up_not_sent_again(emu, monkeypatch, caplog):
    real_create = Message.create

    def created_then_broken(**params):
        real_create(**params)  # Twilio got it...
        raise TwilioConnectionError("connection reset", method="POST", sent=True)  # ...but the answer was lost

    monkeypatch.setattr(Message, "create", created_then_broken)
    with caplog.at_level(logging.WARNING, "flask_twilio_rb.bulk"):
        job = send_messages(NUMBERS[:3], body="Hi {{ to }}", from_=FROM, rate=1000)
        assert job.wait(10)
    assert job.progress().sent == 3
    assert sent_to(emu) == Counter(NUMBERS[:3])
    assert "found at Twilio" in caplog.text


def test_a_5xx_is_reconciled_and_sent_again_only_when_twilio_has_nothing(emu, monkeypatch, no_backoff):
    real_create = Message.create
    calls = []

    def flaky(**params):
        calls.append(params["to"])
        if len(calls) == 1:
            raise APIError(503, "unavailable", code=20503)  # nothing was created
        return real_create(**params)

    monkeypatch.setattr(Message, "create", flaky)
    job = send_messages([NUMBERS[0]], body="Hi", from_=FROM, rate=1000)
    assert job.wait(10) and job.progress().sent == 1
    assert calls == [NUMBERS[0], NUMBERS[0]] and sent_to(emu) == Counter([NUMBERS[0]])


def test_a_connection_that_failed_before_sending_is_retried(emu, monkeypatch, no_backoff):
    real_create = Message.create
    calls = []

    def refused_once(**params):
        calls.append(1)
        if len(calls) == 1:
            raise TwilioConnectionError("connection refused", method="POST", sent=False)
        return real_create(**params)

    monkeypatch.setattr(Message, "create", refused_once)
    job = send_messages([NUMBERS[0]], body="Hi", from_=FROM, rate=1000)
    assert job.wait(10) and job.progress().sent == 1 and len(calls) == 2
    assert 1.0 in no_backoff


def test_a_bug_while_sending_fails_that_recipient_and_the_job_goes_on(emu, monkeypatch):
    def broken(**params):
        raise RuntimeError("bug")

    monkeypatch.setattr(Message, "create", broken)
    job = send_messages([NUMBERS[0]], body="Hi", from_=FROM, rate=1000)
    assert job.wait(10)
    assert job.failures()[0].message == "RuntimeError: bug"


def test_a_number_another_worker_holds_too_long_is_left_to_it(emu, monkeypatch, no_backoff):
    from flask_twilio_rb.bulk import sending
    from flask_twilio_rb.bulk.ledger import Claim, Ledger

    monkeypatch.setattr(sending, "MAX_WAITS", 3)
    monkeypatch.setattr(Ledger, "claim", lambda self, item, lease: Claim("wait", wait=5.0))
    job = send_messages([NUMBERS[0]], body="Hi", from_=FROM)
    assert job.wait(10)
    assert job.failures()[0].message.startswith("Another worker held this number for too long")
    assert no_backoff == [1.0, 1.0, 1.0]


def test_a_dead_workers_claim_is_reconciled_and_sent_when_twilio_has_nothing(emu, monkeypatch):
    from flask_twilio_rb.bulk.ledger import Claim, Ledger

    real_claim = Ledger.claim
    monkeypatch.setattr(Ledger, "claim", lambda self, item, lease: Claim("reconcile", real_claim(self, item, lease).token))
    job = send_messages([NUMBERS[0]], body="Hi", from_=FROM, rate=1000)
    assert job.wait(10) and job.progress().sent == 1 and sent_to(emu) == Counter([NUMBERS[0]])


def test_canceled_between_the_wait_and_the_send_it_is_skipped(emu, monkeypatch):
    from flask_twilio_rb.bulk.ledger import Ledger

    answers = iter([False, True])
    monkeypatch.setattr(Ledger, "canceled", lambda self: next(answers, True))
    job = send_messages([NUMBERS[0]], body="Hi", from_=FROM)
    assert job.wait(10)
    assert job.progress().skipped == 1 and emu.records("Message") == []


def test_wait_gives_up_at_its_timeout_and_find_knows_only_real_jobs(emu):
    job = send_messages(NUMBERS[:5], body="Hi", from_=FROM, rate=5)
    assert job.wait(0.05) is False
    assert BulkJob.find(job.id).id == job.id
    job.cancel()
    assert job.wait(10)  # its threads are done: nothing of it reaches the next test's emulator
    with pytest.raises(ConfigurationError, match="keeps a job in the process that sends it"):
        BulkJob.find("nope")


def test_an_empty_number_fails_that_recipient(emu):
    job = send_messages(["", NUMBERS[0]], body="Hi", from_=FROM, rate=1000)
    assert job.wait(10)
    [failure] = job.failures()
    assert failure.number == "" and "the recipient has no number" in failure.message


def test_a_dead_workers_claim_whose_message_twilio_has_is_not_sent_again(emu, monkeypatch):
    from flask_twilio_rb.bulk.ledger import Claim, Ledger

    Message.create(to=NUMBERS[0], from_=FROM, body="Hi")  # what the dead worker managed to send
    real_claim = Ledger.claim
    monkeypatch.setattr(Ledger, "claim", lambda self, item, lease: Claim("reconcile", real_claim(self, item, lease).token))
    job = send_messages([NUMBERS[0]], body="Hi", from_=FROM, rate=1000)
    assert job.wait(10) and job.progress().sent == 1
    assert sent_to(emu) == Counter([NUMBERS[0]])


def test_a_5xx_after_twilio_created_the_message_is_not_sent_again(emu, monkeypatch):
    real_create = Message.create

    def created_then_500(**params):
        real_create(**params)
        raise APIError(500, "internal error", code=20500)

    monkeypatch.setattr(Message, "create", created_then_500)
    job = send_messages([NUMBERS[0]], body="Hi", from_=FROM, rate=1000)
    assert job.wait(10) and job.progress().sent == 1
    assert sent_to(emu) == Counter([NUMBERS[0]])


def test_canceling_while_the_reader_waits_for_room_stops_it(emu, monkeypatch, no_backoff):
    from flask_twilio_rb.bulk import threads

    monkeypatch.setattr(threads, "PUT_TIMEOUT", 0.01)
    Config.setup(pool_size=1)
    release = threading.Event()
    real_create = Message.create

    def slow(**params):
        release.wait(10)
        return real_create(**params)

    monkeypatch.setattr(Message, "create", slow)
    job = send_messages(NUMBERS[:20], body="Hi", from_=FROM, rate=1000)
    deadline = time.monotonic() + 10
    while job.progress().total < 6 and time.monotonic() < deadline:  # 1 sending + 4 queued + 1 waiting
        time.sleep(0.01)
    time.sleep(0.1)  # the reader finds no room a few times
    job.cancel()
    time.sleep(0.1)
    release.set()
    assert job.wait(10)
    p = job.progress()
    assert p.total == 6 and p.sent == 1 and p.skipped == 5
