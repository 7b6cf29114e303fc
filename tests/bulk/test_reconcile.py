"""find_sent: the message a job already sent, told apart from others to the same number."""
from __future__ import annotations

import time

from flask_twilio_rb import Message
from flask_twilio_rb.bulk import reconcile
from flask_twilio_rb.bulk.reconcile import find_sent

from tests.emulator.emulator_helpers import content_template, messaging_service

FROM = "+15005550006"
TO = "+15558675310"


def test_it_matches_the_sender_the_number_and_the_body(emu):
    mine = Message.create(to=TO, from_=FROM, body="Hi Ada")
    Message.create(to=TO, from_=FROM, body="Another text")  # newer, other body
    spec = {"from_": FROM, "started": time.time()}
    assert find_sent(spec, TO, "Hi Ada") == (mine.sid, "queued")
    assert find_sent(spec, TO, "Nothing like it") is None
    assert find_sent(spec, "+15558675311", "Hi Ada") is None


def test_a_messaging_service_job_matches_its_service(emu):
    other, service, third = (messaging_service(emu, number) for number in (FROM, "+15005550010", "+15005550011"))
    Message.create(to=TO, messaging_service_sid=other, body="Hi")
    mine = Message.create(to=TO, messaging_service_sid=service, body="Hi")
    Message.create(to=TO, messaging_service_sid=third, body="Hi")
    spec = {"messaging_service_sid": service, "started": time.time()}
    assert find_sent(spec, TO, "Hi") == (mine.sid, "accepted")  # a service's message is accepted first


def test_messages_from_before_the_job_are_not_its_own(emu, monkeypatch):
    Message.create(to=TO, from_=FROM, body="Hi")
    monkeypatch.setattr(reconcile, "CLOCK_SLACK", -60.0)  # the job began a minute after that message
    assert find_sent({"from_": FROM, "started": time.time()}, TO, "Hi") is None


def test_a_content_template_job_matches_without_a_body(emu):
    mine = Message.create(to=TO, from_=FROM, content_sid=content_template(emu, "Hello"))
    assert find_sent({"from_": FROM, "started": time.time()}, TO, None) == (mine.sid, "queued")
