"""The example app's phone menu, walked through every branch on the emulator with ``emulator.dial``.

The calls run the app's ``.voice`` templates as Twilio would: signed webhooks (the views validate
them), digits, a transfer with <Dial>, a voicemail with <Record>; each step names its template line.
"""
from __future__ import annotations

import pytest

from example_app.activity import activity
from flask_twilio_rb import Call, Recording

from tests.example_helpers import NUMBER, example_app

SALES = "+15558675310"
MENU = ["Hello +15551234567, thanks for calling.", "Press 1 for sales, 2 for support, 3 to leave a message."]


@pytest.fixture
def app():
    return example_app()


@pytest.fixture
def emulator(app, twilio_emulator):
    """The emulator with the app's number: its calls reach the IVR in this process."""
    twilio_emulator.seed("IncomingPhoneNumber", phone_number=NUMBER, voice_url="http://localhost/ivr/welcome")
    return twilio_emulator


def test_the_menu_greets_the_caller_and_names_its_template_lines(emulator):
    call = emulator.dial(NUMBER)
    assert call.said == MENU and call.waiting_for == "Gather"
    assert [(s.verb, s.source) for s in call.transcript[1:4]] == [
        ("Say", "welcome.voice:1"), ("Gather", "welcome.voice:2"), ("Say", "welcome.voice:3")]
    [first] = call.requests
    assert (first.status_code, first.params["From"], first.params["CallStatus"]) == (200, "+15551234567", "ringing")


def test_press_1_transfers_to_sales(app, emulator):
    call = emulator.dial(NUMBER).press("1")
    assert call.said[-1] == "Connecting you to sales." and call.waiting_for == "Dial"
    sales = emulator.answer(SALES)
    assert call.dialed == sales
    sales.wait(45).hang_up()
    assert call.said[-1] == "Thank you for calling. Goodbye." and call.status == "completed"
    with app.app_context():
        assert Call.find(sales.sid).parent_call_sid == call.sid and Call.find(call.sid).duration == "45"


def test_sales_not_answering_leads_to_the_voicemail(app, emulator):
    call = emulator.dial(NUMBER).press("1").wait(20)
    assert call.said[-2:] == ["Sales cannot take your call right now.",
                              "Please leave a message after the beep, then press the pound key."]
    call.speak("Please call me back about my order").wait(12).press("#")
    assert call.said[-1] == "Thank you. Your 12 second message was saved." and call.status == "completed"
    with app.app_context():
        [(call_sid, recording_sid, seconds)] = activity().voicemails()
        assert (call_sid, seconds) == (call.sid, 12)
        assert Recording.find(recording_sid).duration == "12"


def test_press_2_for_support(emulator):
    call = emulator.dial(NUMBER).press("2")
    assert call.said == MENU + ["Support will call you back."] and call.status == "completed"
    assert call.transcript[-2].source == "choice.voice:6"  # the <Hangup>


def test_press_3_leaves_a_message(app, emulator):
    call = emulator.dial(NUMBER).press("3")
    assert call.waiting_for == "Record" and call.transcript[-1].source == "voicemail.voice:2"
    call.speak("Hi, it is Ada").wait(5).hang_up()  # hanging up also ends a recording
    with app.app_context():
        [(_, recording_sid, seconds)] = activity().voicemails()
    assert seconds == 5


def test_press_3_and_say_nothing(emulator):
    call = emulator.dial(NUMBER).press("3").wait(5)
    assert call.said[-1] == "I did not hear a message. Goodbye." and call.status == "completed"
    assert emulator.records("Recording") == []


def test_any_other_key_plays_the_menu_again(emulator):
    call = emulator.dial(NUMBER).press("9")
    assert call.said == MENU + ["Sorry, I did not get that."] + MENU


def test_silence_plays_the_menu_again(emulator):
    call = emulator.dial(NUMBER).wait(5)
    assert call.said == MENU + MENU
    assert [r.url for r in call.requests] == ["http://localhost/ivr/welcome"] * 2
