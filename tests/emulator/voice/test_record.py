"""<Record>: a real Recording with its duration, the action's parameters, the recording and transcription callbacks."""
from __future__ import annotations

from flask_twilio_rb import Call, Recording

from tests.emulator.voice.conftest import BASE, NUMBER, doc

VOICEMAIL = ('<Record action="/saved" maxLength="60" finishOnKey="#" recordingStatusCallback="/recording" '
             'transcribe="true" transcribeCallback="/transcribed"/>')


def test_a_message_is_recorded_for_as_long_as_the_caller_talks(emulator, twiml_app):
    twiml_app["/voice"] = doc("<Say>Leave a message</Say>", VOICEMAIL, "<Say>never</Say>")
    twiml_app["/saved"] = doc("<Say>Saved</Say>")
    call = emulator.dial(NUMBER)
    assert call.waiting_for == "Record"
    call.speak("Please call me back").wait(7).press("#")
    assert call.said == ["Leave a message", "Saved"]
    saved = twiml_app.last("/saved")
    [recording] = emulator.records("Recording")
    assert (saved["RecordingSid"], saved["RecordingDuration"], saved["Digits"]) == (recording["sid"], "7", "#")
    assert saved["RecordingUrl"] == f"{emulator.base_url}/2010-04-01/Accounts/{emulator.account_sid}/Recordings/" \
                                    f"{recording['sid']}"
    assert (recording["call_sid"], recording["duration"], recording["status"], recording["source"]) == (
        call.sid, "7", "completed", "RecordVerb")
    with twiml_app.app.app_context():  # the REST API lists it under the account and under the call
        assert [r.sid for r in Recording.each()] == [recording["sid"]]
        assert [r.sid for r in Call.find(call.sid).recordings] == [recording["sid"]]
    status = twiml_app.last("/recording")
    assert (status["RecordingStatus"], status["RecordingDuration"], status["RecordingSource"]) == (
        "completed", "7", "RecordVerb")
    assert status["CallSid"] == call.sid and status["RecordingSid"] == recording["sid"]
    transcribed = twiml_app.last("/transcribed")
    [transcription] = emulator.records("Transcription")
    assert (transcribed["TranscriptionText"], transcribed["TranscriptionStatus"]) == ("Please call me back",
                                                                                     "completed")
    assert transcription["recording_sid"] == recording["sid"] and transcribed["TranscriptionSid"] == \
        transcription["sid"]


def test_the_recording_ends_at_max_length(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Record maxLength="10" action="/saved" timeout="0"/>')
    call = emulator.dial(NUMBER)
    call.speak("a long story").wait(30)
    saved = twiml_app.last("/saved")
    assert (saved["RecordingDuration"], saved["Digits"]) == ("10", "")
    assert call.transcript[-1].note == "completed"


def test_silence_records_nothing_and_the_next_verb_runs(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Record action="/saved" timeout="3" recordingStatusCallback="/recording" '
                              'recordingStatusCallbackEvent="completed absent"/>', "<Say>Nothing heard</Say>")
    call = emulator.dial(NUMBER)
    call.press("5")  # any key ends a recording by default: nothing was said, so nothing is kept
    assert call.said == ["Nothing heard"]
    assert emulator.records("Recording") == [] and "/saved" not in twiml_app.paths()
    assert twiml_app.last("/recording")["RecordingStatus"] == "absent"
    quiet = emulator.dial(NUMBER)
    quiet.wait(3)
    assert quiet.said == ["Nothing heard"]


def test_keys_that_do_not_finish_are_recorded_as_sound(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Record action="/saved" finishOnKey="*"/>')
    call = emulator.dial(NUMBER)
    call.speak("hello").press("12").wait(2).press("*")
    assert twiml_app.last("/saved")["Digits"] == "*"
    assert [s.note for s in call.transcript if s.verb == "press"][:1] == ["not a finishOnKey: recorded as sound"]


def test_hanging_up_saves_the_recording_and_tells_the_action(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Record action="/saved"/>')
    twiml_app["/saved"] = doc("<Say>not heard by anyone</Say>")
    call = emulator.dial(NUMBER)
    call.speak("quick note").wait(4).hang_up()
    saved = twiml_app.last("/saved")
    assert (saved["Digits"], saved["RecordingDuration"], saved["CallStatus"]) == ("hangup", "4", "completed")
    assert call.said == [] and emulator.records("Recording")[0]["duration"] == "4"


def test_without_an_action_the_document_is_requested_again(emulator, twiml_app):
    twiml_app["/voice"] = lambda values: doc("<Say>Thanks</Say>") if "RecordingSid" in values else doc("<Record/>")
    call = emulator.dial(NUMBER)
    call.speak("hi").press("#")
    assert call.said == ["Thanks"]
    assert twiml_app.paths() == ["/voice", "/voice"]


def test_a_redirect_through_the_rest_api_keeps_the_recording(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Record action="/saved"/>')
    twiml_app["/elsewhere"] = doc("<Say>Elsewhere</Say>")
    call = emulator.dial(NUMBER)
    call.speak("hello").wait(2)
    with twiml_app.app.app_context():
        Call.find(call.sid).update_attributes(url=BASE + "/elsewhere")
    assert call.said == ["Elsewhere"] and "/saved" not in twiml_app.paths()
    assert emulator.records("Recording")[0]["duration"] == "2"
