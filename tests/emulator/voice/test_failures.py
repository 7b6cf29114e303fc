"""Twilio's failure behaviour: errors, timeouts (on the virtual clock), invalid TwiML, the fallback URL,
each leaving a Notification with Twilio's code."""
from __future__ import annotations

import time
from urllib.parse import parse_qs

import pytest
from flask import Flask, Response, redirect

from flask_twilio_rb import Call, Notification
from flask_twilio_rb.emulator import outbound
from flask_twilio_rb.testing import serving

from tests.emulator.voice.conftest import BASE, NUMBER, doc

APPLICATION_ERROR = "We're sorry, an application error has occurred. Goodbye."


def notes(emulator):
    return [(n["error_code"], n["log"]) for n in emulator.records("Notification")]


def test_an_error_status_is_11200_and_the_caller_hears_the_application_error(emulator, twiml_app):
    twiml_app["/voice"] = ("<h1>Internal Server Error</h1>", 500)
    call = emulator.dial(NUMBER)
    assert call.said == [APPLICATION_ERROR] and call.status == "completed"
    [note] = emulator.records("Notification")
    assert (note["error_code"], note["log"], note["call_sid"], note["request_url"], note["request_method"]) == (
        "11200", "0", call.sid, BASE + "/voice", "POST")
    assert note["response_body"] == "<h1>Internal Server Error</h1>" and "text/html" in note["response_headers"]
    assert parse_qs(note["request_variables"])["CallSid"] == [call.sid]
    assert parse_qs(note["message_text"])["Msg"] == [f"HTTP retrieval failure: {BASE}/voice answered 500."]
    with twiml_app.app.app_context():  # listed under the account and under the call
        assert [n.sid for n in Call.find(call.sid).notifications] == [note["sid"]]
        assert Notification.find(note["sid"]).error_code == "11200"
    assert Call.find(call.sid).start_time is not None  # Twilio answers to say so


def test_an_app_that_is_not_listening_is_11205(emulator):
    emulator.seed("IncomingPhoneNumber", phone_number="+15005550007", voice_url="http://127.0.0.1:9/voice")
    call = emulator.dial("+15005550007")
    assert call.said == [APPLICATION_ERROR] and notes(emulator) == [("11205", "0")]
    assert call.requests[0].error.startswith("ConnectionError")


def test_a_slow_answer_takes_its_time_and_fifteen_seconds_is_a_timeout(emulator, twiml_app):
    twiml_app["/voice"] = doc("<Say>Finally</Say>")
    emulator.delay(BASE + "/voice", 4)
    call = emulator.dial(NUMBER)
    assert (call.said, call.status, call.waiting_for) == ([], "ringing", "a webhook's answer")
    call.wait(4)
    assert call.said == ["Finally"]
    emulator.delay(BASE + "/voice", 15)
    late = emulator.dial(NUMBER)
    late.wait(14)
    assert late.said == [] and notes(emulator) == []
    late.wait(1)
    assert late.said == [APPLICATION_ERROR] and notes(emulator) == [("11205", "0")]
    assert late.transcript[-3].note == (f"11205: HTTP connection failure: {BASE}/voice answered after 15 seconds; "
                                        "Twilio waits 15.")


def test_an_app_that_never_answers_times_out_for_real_too(monkeypatch):
    slow = Flask(__name__)

    @slow.post("/voice")
    def voice():
        time.sleep(0.5)
        return Response(doc("<Say>too late</Say>"), mimetype="text/xml")

    monkeypatch.setattr(outbound, "TIMEOUT", (1.0, 0.1))
    from flask_twilio_rb.testing import TwilioEmulator

    with serving(slow) as base, TwilioEmulator() as emulator:
        emulator.seed("IncomingPhoneNumber", phone_number=NUMBER, voice_url=base + "/voice")
        call = emulator.dial(NUMBER)
        assert call.waiting_for == "a webhook's answer"  # the caller waits Twilio's 15 s
        call.wait(15)
        assert call.said == [APPLICATION_ERROR] and notes(emulator) == [("11205", "0")]


@pytest.mark.parametrize("body, code, message", [
    ("not xml at all", "12100", "Document parse failure: syntax error at line 1, column 0."),
    ("<Reply><Say>Hi</Say></Reply>", "12100", "Document parse failure: the root element is <Reply>; TwiML's is "
                                              "<Response>."),
    ("", "12100", "Document parse failure: the response is empty; answer with a <Response>."),
    (' <?xml version="1.0"?><Response/>', "12100", "Document parse failure: XML or text declaration not at start "
                                                   "of entity at line 1, column 1."),
    ('<!DOCTYPE r [<!ENTITY a "aaaa">]><Response><Say>&a;</Say></Response>', "12100",
     "Document parse failure: TwiML has no DTD or entity declarations; remove them."),
    ("<Response><Say>&unknown;</Say></Response>", "12100",
     "Document parse failure: undefined entity at line 1, column 15."),
    ("<Response>" + "<Say>x</Say>" * 6000 + "</Response>", "11750",
     "TwiML response body too large: Twilio reads at most 65,536 bytes."),
])
def test_invalid_twiml(emulator, twiml_app, body, code, message):
    twiml_app["/voice"] = body
    call = emulator.dial(NUMBER)
    assert call.said == [APPLICATION_ERROR]
    [note] = emulator.records("Notification")
    assert note["error_code"] == code and parse_qs(note["message_text"])["Msg"] == [message]


def test_an_answer_that_is_not_twiml_is_12300_and_audio_is_played(emulator, twiml_app):
    twiml_app["/voice"] = Response("Hello", mimetype="text/plain")
    assert emulator.dial(NUMBER).said == [APPLICATION_ERROR] and notes(emulator) == [("12300", "0")]
    twiml_app["/voice"] = Response(b"ID3...", mimetype="audio/mpeg")
    played = emulator.dial(NUMBER)
    assert [(s.verb, s.text) for s in played.transcript[1:2]] == [("Play", BASE + "/voice")]


def test_redirects_are_followed_then_11215(emulator, twiml_app):
    twiml_app["/voice"] = redirect("/moved", 302)
    twiml_app["/moved"] = doc("<Say>Moved</Say>")
    call = emulator.dial(NUMBER)
    assert call.said == ["Moved"]
    assert [(r["path"], r["method"]) for r in twiml_app.received] == [("/voice", "POST"), ("/moved", "GET")]
    twiml_app["/voice"] = redirect("/voice", 307)
    looping = emulator.dial(NUMBER)
    assert looping.said == [APPLICATION_ERROR] and notes(emulator) == [("11215", "0")]
    assert [r["method"] for r in twiml_app.received[2:]] == ["POST"] * 11


def test_the_fallback_url_is_tried_with_the_error(emulator, twiml_app):
    emulator.seed("IncomingPhoneNumber", phone_number="+15005550007", voice_url=BASE + "/broken",
                  voice_fallback_url=BASE + "/fallback", voice_fallback_method="GET")
    twiml_app["/broken"] = ("boom", 503)
    twiml_app["/fallback"] = doc('<Say>We are having trouble</Say><Gather action="/broken"/>')
    call = emulator.dial("+15005550007")
    assert call.said == ["We are having trouble"]
    fallback = twiml_app.received[1]
    assert (fallback["method"], fallback["values"]["ErrorCode"], fallback["values"]["ErrorUrl"]) == (
        "GET", "11200", BASE + "/broken")
    call.press("1#")  # the action fails too: the fallback answers again
    assert call.said == ["We are having trouble", "We are having trouble"]
    assert notes(emulator) == [("11200", "0"), ("11200", "0")]


def test_a_fallback_that_fails_too(emulator, twiml_app):
    emulator.seed("IncomingPhoneNumber", phone_number="+15005550007", voice_url=BASE + "/broken",
                  voice_fallback_url=BASE + "/also-broken")
    twiml_app["/broken"] = ("boom", 500)
    twiml_app["/also-broken"] = "<nope"
    call = emulator.dial("+15005550007")
    assert call.said == [APPLICATION_ERROR]
    assert sorted(notes(emulator)) == [("11200", "0"), ("12100", "0")]


def test_an_outbound_calls_fallback_url(emulator, twiml_app):
    twiml_app["/broken"] = ("boom", 500)
    twiml_app["/fallback"] = doc("<Say>Fallback</Say>")
    with twiml_app.app.app_context():
        call = Call.create(to="+15558675310", from_=NUMBER, url=BASE + "/broken", fallback_url=BASE + "/fallback")
    assert emulator.answer(call.sid).said == ["Fallback"]


def test_a_signature_the_app_refuses_is_an_11200(twiml_app):
    from flask_twilio_rb.testing import TwilioEmulator

    with TwilioEmulator() as other:  # another account, another token: the app answers 403
        other.attach(twiml_app.app)
        other.seed("IncomingPhoneNumber", phone_number=NUMBER, voice_url=BASE + "/voice")
        call = other.dial(NUMBER)
        assert call.said == [APPLICATION_ERROR] and call.requests[0].status_code == 403
