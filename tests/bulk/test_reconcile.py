"""find_sent: the message a job already sent, told apart from others to the same number."""
from __future__ import annotations

import time

from flask_twilio_rb import Message
from flask_twilio_rb.bulk import reconcile
from flask_twilio_rb.bulk.reconcile import find_sent

FROM = "+15005550006"
TO = "+15558675310"
SERVICE = "MG" + "1" * 32


def test_it_matches_the_sender_the_number_and_the_body(emu):
    mine = Message.create(to=TO, from_=FROM, body="Hi Ada")
    Message.create(to=TO, from_=FROM, body="Another text")  # newer, other body
    spec = {"from_": FROM, "started": time.time()}
    assert find_sent(spec, TO, "Hi Ada") == (mine.sid, "queued")
    assert find_sent(spec, TO, "Nothing like it") is None
    assert find_sent(spec, "+15558675311", "Hi Ada") is None


def test_a_messaging_service_job_matches_its_service(emu):
    Message.create(to=TO, messaging_service_sid="MG" + "2" * 32, body="Hi")
    mine = Message.create(to=TO, messaging_service_sid=SERVICE, body="Hi")
    Message.create(to=TO, messaging_service_sid="MG" + "3" * 32, body="Hi")
    spec = {"messaging_service_sid": SERVICE, "started": time.time()}
    assert find_sent(spec, TO, "Hi") == (mine.sid, "queued")


def test_messages_from_before_the_job_are_not_its_own(emu, monkeypatch):
    Message.create(to=TO, from_=FROM, body="Hi")
    monkeypatch.setattr(reconcile, "CLOCK_SLACK", -60.0)  # the job began a minute after that message
    assert find_sent({"from_": FROM, "started": time.time()}, TO, "Hi") is None


def test_a_content_template_job_matches_without_a_body(emu):
    mine = Message.create(to=TO, from_=FROM, content_sid="HX" + "a" * 32)
    assert find_sent({"from_": FROM, "started": time.time()}, TO, None) == (mine.sid, "queued")
