"""<Gather>: digits and speech, numDigits, finishOnKey, timeout, speechTimeout, actionOnEmptyResult, prompts."""
from __future__ import annotations

import pytest

from tests.emulator.voice.conftest import BASE, NUMBER, doc

MENU = '<Gather action="/menu" numDigits="1"><Say>Press 1 or 2</Say></Gather>'


def test_digits_go_to_the_action_with_twilios_parameters(emulator, twiml_app):
    twiml_app["/voice"] = doc(MENU, "<Say>No choice</Say>")
    twiml_app["/menu"] = lambda values: doc(f"<Say>You chose {values['Digits']}</Say>")
    call = emulator.dial(NUMBER)
    assert (call.said, call.waiting_for) == (["Press 1 or 2"], "Gather")
    call.press("2")
    assert call.said == ["Press 1 or 2", "You chose 2"] and call.status == "completed"
    sent = twiml_app.last("/menu")
    assert (sent["Digits"], sent["FinishedOnKey"], sent["msg"], sent["CallStatus"]) == ("2", "", "Gather End",
                                                                                      "in-progress")
    assert sent["CallSid"] == call.sid and twiml_app.received[-1]["method"] == "POST"


def test_finish_on_key_ends_the_input_and_is_not_part_of_it(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Gather action="/pin" method="GET"/>')
    call = emulator.dial(NUMBER)
    call.press("1234")
    assert call.waiting_for == "Gather"
    call.press("#")
    pin = twiml_app.received[-1]
    assert (pin["method"], pin["values"]["Digits"], pin["values"]["FinishedOnKey"]) == ("GET", "1234", "#")


def test_an_empty_finish_on_key_makes_the_pound_key_a_digit(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Gather action="/pin" finishOnKey="" numDigits="3"/>')
    emulator.dial(NUMBER).press("1#2")
    assert twiml_app.last("/pin")["Digits"] == "1#2"


def test_no_input_falls_through_to_the_next_verb_after_the_timeout(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Gather action="/menu" timeout="3"><Say>Menu</Say></Gather>',
                              "<Say>We did not hear you</Say>")
    call = emulator.dial(NUMBER)
    call.wait(2.5)
    assert call.said == ["Menu"]
    call.wait(0.5)
    assert call.said == ["Menu", "We did not hear you"]
    assert "/menu" not in twiml_app.paths()
    assert any(s.note == "no input: on to the next verb" for s in call.transcript)


def test_digits_entered_before_the_timeout_are_sent(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Gather action="/menu"/>')
    call = emulator.dial(NUMBER)
    call.press("42").wait(5)
    assert twiml_app.last("/menu")["Digits"] == "42"


def test_the_timeout_restarts_after_each_key(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Gather action="/menu" timeout="5"/>')
    call = emulator.dial(NUMBER)
    call.wait(4).press("1").wait(4).press("2").wait(4)
    assert call.waiting_for == "Gather"
    call.wait(1)
    assert twiml_app.last("/menu")["Digits"] == "12"


def test_action_on_empty_result_requests_the_action_anyway(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Gather action="/menu" actionOnEmptyResult="true"/>', "<Say>never</Say>")
    call = emulator.dial(NUMBER)
    call.wait(5)
    sent = twiml_app.last("/menu")
    assert "Digits" not in sent and sent["msg"] == "Gather End" and call.said == []


def test_without_an_action_the_document_itself_hears_the_digits(emulator, twiml_app):
    twiml_app["/voice"] = lambda values: doc(f"<Say>Got {values['Digits']}</Say>") if "Digits" in values \
        else doc('<Gather numDigits="1"/>')
    assert emulator.dial(NUMBER).press("7").said == ["Got 7"]
    assert twiml_app.paths() == ["/voice", "/voice"]


def test_keys_cut_the_prompts_short(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Gather action="/menu" numDigits="2"><Say>One</Say><Pause length="10"/>'
                              '<Say>Two</Say><Play loop="0">https://example.com/music.mp3</Play></Gather>')
    call = emulator.dial(NUMBER)
    assert call.waiting_for == "Pause"
    call.press("1")  # during the pause: the rest of the prompts is skipped
    assert call.said == ["One"] and call.waiting_for == "Gather"
    call.press("5")
    assert twiml_app.last("/menu")["Digits"] == "15"


def test_a_looping_play_waits_for_the_keys(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Gather action="/menu" numDigits="1"><Play loop="0">https://x.example/a.mp3</Play>'
                              '</Gather>')
    call = emulator.dial(NUMBER)
    call.wait(3600)
    assert call.waiting_for == "Play loop=0"
    call.press("9")
    assert twiml_app.last("/menu")["Digits"] == "9"


def test_speech_goes_to_the_action_as_speech_result_and_confidence(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Gather input="speech" action="/said" hints="billing, sales"><Say>Say it</Say></Gather>')
    call = emulator.dial(NUMBER)
    call.speak("billing", confidence=0.87)
    sent = twiml_app.last("/said")
    assert (sent["SpeechResult"], sent["Confidence"], sent["msg"]) == ("billing", "0.87000000", "Gather End")
    assert "Digits" not in sent


def test_keys_are_not_heard_by_a_speech_only_gather_nor_words_by_a_dtmf_one(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Gather input="speech" action="/said"/>', '<Gather action="/keys"/>')
    call = emulator.dial(NUMBER)
    call.press("1")
    assert call.transcript[-1].note == "not heard: the call is in Gather"
    call.wait(5).speak("hello")
    assert call.transcript[-1].note == "not heard: the call is in Gather"
    assert twiml_app.paths() == ["/voice"]


def test_dtmf_and_speech_together(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Gather input="dtmf speech" action="/either" numDigits="1"/>')
    emulator.dial(NUMBER).press("3")
    assert twiml_app.last("/either")["Digits"] == "3"
    emulator.dial(NUMBER).speak("three")
    assert twiml_app.last("/either")["SpeechResult"] == "three"


def test_a_speech_timeout_waits_for_more_words(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Gather input="speech" speechTimeout="2" action="/said"/>')
    call = emulator.dial(NUMBER)
    call.speak("pay my").wait(1).speak("bill", 0.5)
    assert call.waiting_for == "Gather (speech)"
    call.wait(2)
    sent = twiml_app.last("/said")
    assert (sent["SpeechResult"], sent["Confidence"]) == ("pay my bill", "0.50000000")


@pytest.mark.parametrize("attribute", ['numDigits="one"', 'timeout="-1"', 'timeout="inf"'])
def test_a_number_that_is_not_one_is_a_warning_and_the_default_applies(emulator, twiml_app, attribute):
    twiml_app["/voice"] = doc(f'<Gather action="/menu" {attribute}/>')
    call = emulator.dial(NUMBER)
    [warning] = [s for s in call.transcript if s.verb == "warning"]
    assert warning.note.startswith("12200: <Gather> ")
    assert emulator.records("Notification")[0]["error_code"] == "12200"


def test_type_ahead_reaches_the_next_menu(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Gather action="/second" numDigits="1"/>')
    twiml_app["/second"] = doc('<Say>Second menu</Say><Gather action="/third" numDigits="1"/>')
    emulator.dial(NUMBER).press("12")
    assert twiml_app.paths() == ["/voice", "/second", "/third"]
    assert twiml_app.last("/third")["Digits"] == "2"


def test_keys_where_nothing_listens_are_noted_and_dropped(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Pause length="10"/>', '<Gather action="/menu" numDigits="1"/>')
    call = emulator.dial(NUMBER)
    call.press("5")
    assert call.transcript[-1].note == "not heard: the call is in Pause"
    call.wait(10).press("6")
    assert twiml_app.last("/menu")["Digits"] == "6"
    assert BASE + "/menu" in [r.url for r in call.requests]
