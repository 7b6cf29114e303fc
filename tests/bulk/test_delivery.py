"""Delivery tracking: the signed status-callback view and reconciliation of callbacks that never came."""
from __future__ import annotations

import pytest
from flask import Flask

from flask_twilio_rb import TwilioRB
from flask_twilio_rb.bulk import send_messages, status_blueprint
from flask_twilio_rb.testing import post_as_twilio, serving
from flask_twilio_rb.testing.emulator import TwilioEmulator

FROM = "+15005550006"
NUMBERS = ["+15558675310", "+15558675311", "+15558675312"]


@pytest.fixture
def emulator():
    with TwilioEmulator() as emu:  # it sends status callbacks
        yield emu


@pytest.fixture
def app(emulator):
    app = Flask(__name__)
    app.config.update(TWILIO_ACCOUNT_SID=emulator.account_sid, TWILIO_AUTH_TOKEN=emulator.auth_token,
                      TWILIO_API_BASE_URL=emulator.base_url, TESTING=True)
    TwilioRB(app)
    app.register_blueprint(status_blueprint)
    return app


def test_signed_status_callbacks_update_the_job_once(app, emulator):
    with serving(app) as base_url, app.app_context():
        job = send_messages(NUMBERS, body="Hi", from_=FROM, rate=1000, status_callback=f"{base_url}/twilio/bulk/status")
        assert job.wait(10)
        [failing, *others] = emulator.records("Message")
        emulator.fail(failing["sid"], "undelivered", error_code=30005)
        emulator.finish()
        assert {c.status_code for c in emulator.callbacks} == {204}
        p = job.progress()
        assert (p.sent, p.delivered, p.failed) == (0, 2, 1)
        [failure] = job.failures()
        assert (failure.number, failure.code) == (failing["to"], 30005)
        # Twilio may post a callback again: nothing changes.
        delivered = others[0]
        answer = post_as_twilio(app.test_client(), "/twilio/bulk/status",
                                {"MessageSid": delivered["sid"], "MessageStatus": "delivered"})
        assert answer.status_code == 204
        assert job.progress() == p


def test_an_unsigned_callback_is_refused_and_an_unknown_message_ignored(app):
    client = app.test_client()
    assert client.post("/twilio/bulk/status", data={"MessageSid": "SM1", "MessageStatus": "delivered"}).status_code == 403
    answer = post_as_twilio(client, "/twilio/bulk/status", {"MessageSid": "SM" + "0" * 32, "MessageStatus": "sent"})
    assert answer.status_code == 204


def test_reconcile_fetches_the_statuses_whose_callback_never_came(app, emulator):
    with app.app_context():
        job = send_messages(NUMBERS, body="Hi", from_=FROM, rate=1000)  # no status callback at all
        assert job.wait(10)
        sids = [r["sid"] for r in emulator.records("Message")]
        emulator.advance(sids[0])
        emulator.finish(sids[1])
        assert job.reconcile(limit=10) == 2  # one sent (no news for the counts, but news), one delivered
        p = job.progress()
        assert (p.sent, p.delivered) == (2, 1)
        assert job.reconcile(limit=1) == 0  # nothing new
        emulator.finish()
        assert job.reconcile() == 2
        assert job.progress().delivered == 3


def test_a_message_deleted_at_twilio_is_left_pending(app, emulator):
    from flask_twilio_rb import Message

    with app.app_context():
        job = send_messages(NUMBERS[:1], body="Hi", from_=FROM, rate=1000)
        assert job.wait(10)
        Message.delete(emulator.records("Message")[0]["sid"])
        assert job.reconcile() == 0
        assert job.progress().sent == 1
