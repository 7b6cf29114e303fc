"""Status callbacks and TwiML fetches, signed as Twilio signs them, received by an app that validates them."""
from __future__ import annotations

import logging
import threading

import pytest

from flask_twilio_rb import Call, Message
from flask_twilio_rb.emulator.clock import Clock

from tests.emulator.emulator_helpers import FROM, TO, TWIML, WebhookApp, running


@pytest.fixture
def emulator():
    """Here the emulator sends its callbacks: to the test's own app on 127.0.0.1, never further."""
    with running() as emu:
        yield emu


def test_message_status_callbacks_are_signed_and_validate(emulator, webhook_app):
    message = Message.create(to=TO, from_=FROM, body="hi", status_callback=webhook_app.base_url + "/status")
    assert emulator.finish() == [(message.sid, "sent"), (message.sid, "delivered")]
    received = webhook_app.wait_for(2)
    assert [r["values"]["MessageStatus"] for r in received] == ["sent", "delivered"]
    assert received[0]["values"] == {
        "AccountSid": emulator.account_sid, "ApiVersion": "2010-04-01", "From": FROM, "To": TO,
        "MessageSid": message.sid, "MessageStatus": "sent", "SmsSid": message.sid, "SmsStatus": "sent"}
    assert [c.status_code for c in emulator.callbacks] == [204, 204]  # the app accepted the signature
    assert Message.find(message.sid).status == "delivered"


def test_a_wrong_token_is_refused_by_the_app(emulator):
    stranger = WebhookApp(emulator.account_sid, "another-token-entirely-0000")
    try:
        Message.create(to=TO, from_=FROM, body="hi", status_callback=stranger.base_url + "/status")
        emulator.advance()
        assert emulator.callbacks[0].status_code == 403
    finally:
        stranger.close()


def test_a_call_fetches_its_twiml_when_answered_and_reports_the_events_asked_for(emulator, webhook_app):
    call = Call.create(to=TO, from_=FROM, url=webhook_app.base_url + "/twiml",
                       status_callback=webhook_app.base_url + "/status",
                       status_callback_event=["initiated ringing", "answered", "completed"])
    emulator.finish(call.sid)
    received = webhook_app.wait_for(5)
    assert [(r["view"], r["values"]["CallStatus"]) for r in received] == [
        ("status", "initiated"), ("status", "ringing"), ("twiml", "in-progress"), ("status", "in-progress"),
        ("status", "completed")]
    completed = received[-1]["values"]
    assert completed["CallSid"] == call.sid and completed["CallDuration"] == "0"
    assert completed["Direction"] == "outbound-api" and completed["SequenceNumber"] == "3"
    twiml = [c for c in emulator.callbacks if c.kind == "twiml"]
    assert [(c.method, c.status_code, c.body) for c in twiml] == [("POST", 200, TWIML)]


def test_only_the_completed_event_by_default_and_get_when_asked(emulator, webhook_app):
    call = Call.create(to=TO, from_=FROM, url=webhook_app.base_url + "/twiml?step=1", method="GET",
                       status_callback=webhook_app.base_url + "/status", status_callback_method="GET")
    emulator.finish()
    received = webhook_app.wait_for(2)
    assert [(r["view"], r["method"]) for r in received] == [("twiml", "GET"), ("status", "GET")]
    assert received[0]["values"]["step"] == "1" and received[0]["values"]["CallSid"] == call.sid
    assert received[1]["values"]["CallStatus"] == "completed"
    assert all(c.status_code in (200, 204) for c in emulator.callbacks)


def test_inline_twiml_is_not_fetched(emulator, webhook_app):
    Call.create(to=TO, from_=FROM, twiml="<Response><Hangup/></Response>",
                status_callback=webhook_app.base_url + "/status")
    emulator.finish()
    assert [c.kind for c in emulator.callbacks] == ["status"]


def test_a_canceled_call_reports_completed_with_its_status(emulator, webhook_app):
    call = Call.create(to=TO, from_=FROM, url=webhook_app.base_url + "/twiml",
                       status_callback=webhook_app.base_url + "/status")
    call.cancel()
    assert webhook_app.wait_for(1)[0]["values"]["CallStatus"] == "canceled"


def test_an_unreachable_app_is_recorded_not_raised(emulator):
    Message.create(to=TO, from_=FROM, body="hi", status_callback="http://127.0.0.1:9/status")
    assert emulator.advance()  # no exception
    failure = emulator.callbacks[0]
    assert failure.status_code is None and failure.error.startswith("ConnectionError")
    assert failure.params["MessageStatus"] == "sent"


def test_callbacks_false_sends_nothing(webhook_app):
    with running(callbacks=False) as emu:
        Message.create(to=TO, from_=FROM, body="hi", status_callback=webhook_app.base_url + "/status")
        assert emu.finish()
        assert emu.callbacks == [] and webhook_app.received == []


def test_a_subaccounts_callbacks_are_signed_with_its_own_token(emulator):
    from flask_twilio_rb import Account

    sub = Account.create(friendly_name="customer")
    app = WebhookApp(sub.sid, sub.auth_token)
    try:
        Message.create(account_sid=sub.sid, to=TO, from_=FROM, body="hi", status_callback=app.base_url + "/status")
        emulator.advance()
        assert app.wait_for(1)[0]["values"]["AccountSid"] == sub.sid
        assert emulator.callbacks[0].status_code == 204
    finally:
        app.close()


def test_the_auto_advance_clock_moves_everything_on():
    with running(auto_advance=0.01) as emu:
        app = WebhookApp(emu.account_sid, emu.auth_token)
        try:
            message = Message.create(to=TO, from_=FROM, body="tick", status_callback=app.base_url + "/status")
            assert [r["values"]["MessageStatus"] for r in app.wait_for(2)] == ["sent", "delivered"]
            assert Message.find(message.sid).status == "delivered"
        finally:
            app.close()


def test_a_failing_tick_is_logged_and_time_goes_on(caplog):
    ticked = threading.Event()
    calls = []

    def tick() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("boom")
        ticked.set()

    clock = Clock(0.001, tick)
    with caplog.at_level(logging.ERROR, logger="flask_twilio_rb.emulator"):
        clock.start()
        assert ticked.wait(5)
        clock.stop()
    assert "advancing on the clock failed" in caplog.text


def test_an_arriving_text_is_posted_signed_to_the_numbers_sms_url(emulator, webhook_app):
    from flask_twilio_rb import IncomingPhoneNumber

    IncomingPhoneNumber.create(phone_number=FROM, sms_url=webhook_app.base_url + "/twiml")
    answered = emulator.receive_message(FROM, TO, "hello there")
    assert (answered.kind, answered.status_code, answered.body) == ("twiml", 200, TWIML)
    values = webhook_app.wait_for(1)[0]["values"]
    assert (values["Body"], values["From"], values["To"], values["SmsStatus"]) == ("hello there", TO, FROM, "received")
    stored = Message.find(values["MessageSid"])
    assert (stored.direction, stored.status, stored.body) == ("inbound", "received", "hello there")
    assert emulator.advance() == []  # a received message is where it ends


def test_an_arriving_call_fetches_the_voice_url_then_reports_to_the_numbers_callback(emulator, webhook_app):
    from flask_twilio_rb import IncomingPhoneNumber

    IncomingPhoneNumber.create(phone_number=FROM, voice_url=webhook_app.base_url + "/twiml", voice_method="GET",
                               status_callback=webhook_app.base_url + "/status")
    answered = emulator.receive_call(FROM, TO)
    assert (answered.method, answered.body, answered.params["CallStatus"]) == ("GET", TWIML, "ringing")
    call_sid = answered.params["CallSid"]
    assert Call.find(call_sid).direction == "inbound"
    assert emulator.finish() == [(call_sid, "in-progress"), (call_sid, "completed")]
    assert [r["values"]["CallStatus"] for r in webhook_app.wait_for(2)] == ["ringing", "completed"]


def test_arrivals_need_a_number_of_the_account_with_a_url(emulator):
    from flask_twilio_rb import IncomingPhoneNumber

    with pytest.raises(ValueError, match=r"\+15005550006 is not a number of AC"):
        emulator.receive_message(FROM, TO, "anyone there?")
    IncomingPhoneNumber.create(phone_number=FROM)
    with pytest.raises(ValueError, match="has no voice_url"):
        emulator.receive_call(FROM, TO)


def test_arrivals_are_stored_but_not_posted_without_callbacks(webhook_app):
    from flask_twilio_rb import IncomingPhoneNumber

    with running(callbacks=False) as emu:
        IncomingPhoneNumber.create(phone_number=FROM, sms_url=webhook_app.base_url + "/twiml")
        assert emu.receive_message(FROM, TO, "quiet") is None
        assert [m["body"] for m in emu.records("Message")] == ["quiet"] and webhook_app.received == []


def test_a_call_with_an_application_runs_the_applications_webhooks(emulator, webhook_app):
    from flask_twilio_rb import APIError, Application

    application = Application.create(voice_url=webhook_app.base_url + "/twiml", voice_method="GET",
                                     status_callback=webhook_app.base_url + "/status")
    call = Call.create(to=TO, from_=FROM, application_sid=application.sid, url="https://ignored.example.com")
    emulator.finish(call.sid)
    assert [(r["view"], r["method"]) for r in webhook_app.wait_for(2)] == [("twiml", "GET"), ("status", "POST")]
    assert all(c.url.startswith(webhook_app.base_url) for c in emulator.callbacks)  # the call's own Url: ignored
    with pytest.raises(APIError) as caught:
        Call.create(to=TO, from_=FROM, application_sid="AP" + "0" * 32)
    assert caught.value.code == 21218


def test_a_callback_url_with_connection_overrides_is_signed_as_it_is_received(emulator, webhook_app):
    # "#rc=3&ct=1000" is one of Twilio's connection overrides: never sent over HTTP, so never signed.
    message = Message.create(to=TO, from_=FROM, body="hi",
                             status_callback=webhook_app.base_url + "/status?tenant=7#rc=3&ct=1000")
    emulator.finish(message.sid)
    received = webhook_app.wait_for(2)
    assert [r["values"]["tenant"] for r in received] == ["7", "7"]
    tokens = [r["idempotency"] for r in received]  # what an app dedupes Twilio's retried webhooks with
    assert all(token and token.startswith(message.sid) for token in tokens) and len(set(tokens)) == 2
    assert [c.status_code for c in emulator.callbacks] == [204, 204]  # the app's validation accepted both
    assert all("#" not in c.url for c in emulator.callbacks)
