"""``emulator.fail()``: a text that is not delivered, a call that is busy, with Twilio's callbacks."""
from __future__ import annotations

import pytest

from flask_twilio_rb import Call, Message

from tests.emulator.emulator_helpers import FROM, TO, running


@pytest.fixture
def emulator():
    """Callbacks go to the test's own app on 127.0.0.1 only."""
    with running() as emu:
        yield emu


def test_an_undelivered_text_reports_twilios_error_code(emulator, webhook_app):
    message = Message.create(to=TO, from_=FROM, body="hi", status_callback=webhook_app.base_url + "/status")
    emulator.advance(message.sid)  # sent
    assert emulator.fail(message.sid) == (message.sid, "undelivered")
    received = webhook_app.wait_for(2)
    assert [(r["values"]["MessageStatus"], r["values"].get("ErrorCode")) for r in received] == [
        ("sent", None), ("undelivered", "30003")]
    found = Message.find(message.sid)
    assert (found.status, found.error_code, found.price) == ("undelivered", 30003, None)
    assert emulator.advance(message.sid) == []  # it moves no further


def test_a_failed_text_with_the_code_the_test_chooses(emulator, webhook_app):
    message = Message.create(to=TO, from_=FROM, body="hi", status_callback=webhook_app.base_url + "/status")
    assert emulator.fail(message.sid, "failed", error_code=30006) == (message.sid, "failed")
    assert webhook_app.wait_for(1)[0]["values"]["ErrorCode"] == "30006"


@pytest.mark.parametrize("status, expected", [(None, "busy"), ("no-answer", "no-answer"), ("failed", "failed")])
def test_a_call_not_answered_ends_and_reports_it(emulator, webhook_app, status, expected):
    call = Call.create(to=TO, from_=FROM, twiml="<Response/>", status_callback=webhook_app.base_url + "/status")
    emulator.advance(call.sid)  # ringing
    assert emulator.fail(call.sid, status) == (call.sid, expected)
    [completed] = webhook_app.wait_for(1)
    assert completed["values"]["CallStatus"] == expected and completed["values"]["CallDuration"] == "0"
    found = Call.find(call.sid)
    assert (found.status, found.duration) == (expected, "0") and found.end_time


def test_an_answered_call_cannot_fail(emulator):
    call = Call.create(to=TO, from_=FROM, twiml='<Response><Pause length="30"/></Response>')
    emulator.advance(call.sid)
    emulator.advance(call.sid)  # in-progress: its TwiML pauses (an empty one would hang up)
    with pytest.raises(ValueError, match="is in-progress: only a call not yet answered fails"):
        emulator.fail(call.sid)
    assert Call.find(call.sid).status == "in-progress"


def test_a_status_that_is_not_a_failure_is_refused(emulator):
    message = Message.create(to=TO, from_=FROM, body="hi")
    with pytest.raises(ValueError, match="cannot end as 'delivered'; use one of 'undelivered', 'failed'"):
        emulator.fail(message.sid, "delivered")
    assert Message.find(message.sid).status == "queued"


def test_only_what_is_still_progressing_can_fail(emulator):
    message = Message.create(to=TO, from_=FROM, body="hi")
    emulator.finish(message.sid)
    for sid in (message.sid, "SM" + "0" * 32):
        with pytest.raises(ValueError, match="is not a call or message still progressing"):
            emulator.fail(sid)
