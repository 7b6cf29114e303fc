"""A call runs its TwiML: the first request and its parameters, Say/Play/Pause, Redirect, Hangup, Reject,
the verbs it does not simulate, inline TwiML, answering outbound calls, and the REST API acting on a call."""
from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from flask_twilio_rb import Call
from flask_twilio_rb.emulator.voice import Step, describe, transcript_lines

from tests.emulator.voice.conftest import BASE, CALLER, NUMBER, doc


def test_a_call_fetches_the_numbers_voice_url_signed_with_twilios_parameters(emulator, twiml_app):
    twiml_app["/voice"] = doc("<Say>Hello there</Say>")
    call = emulator.dial(NUMBER, from_city="OAKLAND", CallerName="Ada")
    [first] = twiml_app.received
    assert first["method"] == "POST" and first["url"] == BASE + "/voice"
    assert first["values"] == {
        "AccountSid": emulator.account_sid, "ApiVersion": "2010-04-01", "CallSid": call.sid, "CallStatus": "ringing",
        "Called": NUMBER, "Caller": CALLER, "Direction": "inbound", "From": CALLER, "To": NUMBER,
        "FromCity": "OAKLAND", "CallerName": "Ada"}
    assert call.said == ["Hello there"]
    assert (call.status, call.waiting_for) == ("completed", None)  # the document ran out: Twilio hangs up
    stored = Call.find(call.sid)
    assert (stored.direction, stored.status, stored.duration) == ("inbound", "completed", "0")
    assert [r.url for r in call.requests] == [BASE + "/voice"] and call.requests[0].status_code == 200
    assert repr(call) == f"<PhoneCall {call.sid} completed>" and call == emulator.phone(call.sid)
    assert len({call, emulator.phone(call.sid)}) == 1 and call != call.sid


def test_say_reads_its_ssml_and_loops(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Say voice="alice" loop="2">Call <sub alias="the World Wide Web">WWW</sub>'
                              '<break time="1s"/><emphasis>now</emphasis>.</Say>', '<Say loop="0">Forever</Say>')
    call = emulator.dial(NUMBER)
    assert call.said == ["Call the World Wide Web now.", "Call the World Wide Web now.", "Forever"]
    assert call.waiting_for == "Say loop=0"  # until the caller hangs up
    say = call.transcript[1]
    assert (say.verb, say.attributes, say.note, say.url) == ("Say", {"voice": "alice", "loop": "2"}, "2 times",
                                                              BASE + "/voice")
    assert call.hang_up().status == "completed"


def test_play_and_pause_take_their_time_on_the_virtual_clock(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Play loop="3">https://example.com/a.mp3</Play>', '<Play digits="ww12#"/>',
                              '<Pause length="4"/>', "<Say>After</Say>", '<Pause/>', "<Say>End</Say>")
    call = emulator.dial(NUMBER)
    assert [(s.verb, s.text, s.note) for s in call.transcript[1:4]] == [
        ("Play", "https://example.com/a.mp3", "3 times"), ("Play", "", "sends digits ww12#"), ("Pause", "", "4 s")]
    assert (call.said, call.waiting_for) == ([], "Pause")
    call.wait(3)
    assert call.said == []
    call.wait(1)
    assert call.said == ["After"] and call.waiting_for == "Pause"
    call.wait(1)
    assert call.said == ["After", "End"] and call.status == "completed"
    assert Call.find(call.sid).duration == "5"


def test_redirect_follows_relative_urls_with_their_method(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Redirect method="GET">next?step=2</Redirect>', "<Say>unreachable</Say>")
    twiml_app["/next"] = doc("<Say>Second</Say>", "<Redirect/>", "<Say>Third</Say>")
    call = emulator.dial(NUMBER)
    assert call.said == ["Second", "Third"]
    second = twiml_app.received[1]
    assert (second["method"], second["values"]["step"], second["values"]["CallStatus"]) == ("GET", "2", "in-progress")
    assert any(s.note == "no URL: ignored" for s in call.transcript)


def test_hangup_ends_the_call_and_what_follows_never_runs(emulator, twiml_app):
    twiml_app["/voice"] = doc("<Say>Bye</Say>", "<Hangup/>", "<Say>never</Say>")
    call = emulator.dial(NUMBER)
    assert (call.said, call.status) == (["Bye"], "completed")
    assert [s.verb for s in call.transcript] == ["fetch", "Say", "Hangup", "hangup"]


@pytest.mark.parametrize("reason, status", [("busy", "busy"), ("rejected", "no-answer"), (None, "no-answer")])
def test_reject_first_leaves_the_call_unanswered(emulator, twiml_app, reason, status):
    emulator.seed("IncomingPhoneNumber", phone_number="+15005550007", voice_url=BASE + "/reject",
                  status_callback=BASE + "/status")
    twiml_app["/reject"] = doc(f'<Reject reason="{reason}"/>' if reason else "<Reject/>", "<Say>never</Say>")
    call = emulator.dial("+15005550007")
    assert (call.status, call.said) == (status, [])
    assert Call.find(call.sid).start_time is None  # never answered
    assert twiml_app.last("/status")["CallStatus"] == status


def test_reject_after_an_answer_hangs_up(emulator, twiml_app):
    twiml_app["/voice"] = doc("<Say>Hi</Say>", "<Reject/>")
    assert emulator.dial(NUMBER).status == "completed"


def test_verbs_it_does_not_simulate_are_named_in_the_transcript(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Pay chargeAmount="10"/>', "<Connect><Stream url='wss://x.example'/></Connect>",
                              "<Start/>", "<Say>still here</Say>")
    call = emulator.dial(NUMBER)
    assert [(s.verb, s.note) for s in call.transcript[1:4]] == [
        ("Pay", "not simulated by the emulator"), ("Connect", "not simulated by the emulator"),
        ("Start", "not simulated by the emulator")]
    assert call.said == ["still here"]


def test_a_misspelled_verb_is_a_schema_warning_the_call_survives(emulator, twiml_app):
    twiml_app["/voice"] = doc("<say>lower case</say>", '<Say lang="fr" voice="alice">Bonjour</Say>',
                              '<Gather><Dial>+15558675310</Dial></Gather>')
    call = emulator.dial(NUMBER)
    warnings = [s for s in call.transcript if s.verb == "warning"]
    assert [w.note for w in warnings] == [
        "12200: <say> is not allowed in <Response> (TwiML is case-sensitive); it may contain Connect, Dial, Echo, "
        "Enqueue, Gather, Hangup, Leave, Message, Pause, Pay, Play, Record, Redirect, Refer, Reject, Say, Sms, Start, "
        "Stop",
        "12200: <Say> has no attribute 'lang'",
        "12200: <Dial> is not allowed in <Gather> (TwiML is case-sensitive); it may contain Pause, Play, Say"]
    assert call.said == ["Bonjour"]  # the unknown attribute is ignored, the verb runs
    notes = emulator.records("Notification")
    assert {(n["error_code"], n["log"], n["call_sid"]) for n in notes} == {("12200", "1", call.sid)}
    assert len(notes) == 3 and notes[0]["request_url"] == BASE + "/voice"
    assert notes[0]["more_info"] == "https://www.twilio.com/docs/errors/12200"


def test_an_outbound_call_runs_its_url_once_answered(emulator, twiml_app):
    twiml_app["/out"] = doc("<Say>You have a delivery</Say>", '<Pause length="2"/>')
    with twiml_app.app.app_context():
        call = Call.create(to="+15558675310", from_=NUMBER, url=BASE + "/out", status_callback=BASE + "/status",
                           status_callback_event=["initiated", "ringing", "answered", "completed"])
    phone = emulator.answer(call.sid)
    assert phone.said == ["You have a delivery"] and phone.waiting_for == "Pause"
    assert twiml_app.last("/out")["Direction"] == "outbound-api"
    phone.wait(2)
    statuses = [r["values"]["CallStatus"] for r in twiml_app.received if r["path"] == "/status"]
    assert statuses == ["initiated", "ringing", "in-progress", "completed"]
    assert twiml_app.paths().index("/out") < len(twiml_app.received) - 2  # its TwiML came before "answered"
    assert Call.find(call.sid).duration == "2"


def test_an_outbound_call_with_inline_twiml(emulator, twiml_app):
    with twiml_app.app.app_context():
        call = Call.create(to="+15558675310", from_=NUMBER, twiml="<Response><Say>Inline</Say><Pause/></Response>")
    phone = emulator.answer("+15558675310")  # by the number it rings
    assert phone.sid == call.sid and phone.said == ["Inline"]
    assert phone.transcript[0].url is None


def test_advancing_an_outbound_call_answers_it_and_runs_its_twiml(emulator, twiml_app):
    twiml_app["/out"] = doc("<Gather/>")
    with twiml_app.app.app_context():
        call = Call.create(to="+15558675310", from_=NUMBER, url=BASE + "/out")
    emulator.advance(call.sid)
    emulator.advance(call.sid)  # in-progress: its TwiML runs, and waits in the <Gather>
    assert emulator.phone(call.sid).waiting_for == "Gather"
    assert emulator.advance(call.sid) == [(call.sid, "completed")]  # the next step: the callee hangs up
    assert twiml_app.paths() == ["/out"]  # no action: hanging up in a <Gather> sends nothing


def test_inline_twiml_with_a_relative_action_stops_with_a_clear_step(emulator, twiml_app):
    with twiml_app.app.app_context():
        call = Call.create(to="+15558675310", from_=NUMBER,
                           twiml='<Response><Gather action="/relative"/></Response>')
    phone = emulator.answer(call.sid)
    phone.press("1#")
    assert phone.status == "completed"
    assert "relative, and an inline document has no URL" in phone.transcript[-2].note


def test_broken_inline_twiml_is_a_parse_failure(emulator, twiml_app):
    with twiml_app.app.app_context():
        call = Call.create(to="+15558675310", from_=NUMBER, twiml="<Response><Say>unclosed</Response>")
        phone = emulator.answer(call.sid)
    assert phone.said == ["We're sorry, an application error has occurred. Goodbye."]
    [note] = emulator.records("Notification")
    assert note["error_code"] == "12100" and note["call_sid"] == call.sid
    assert parse_qs(note["message_text"])["Msg"] == ["Document parse failure: mismatched tag at line 1, column 25."]


def test_answering_needs_a_ringing_call(emulator, twiml_app):
    twiml_app["/voice"] = doc("<Say>x</Say>")
    ended = emulator.dial(NUMBER)
    with pytest.raises(ValueError, match="is completed: only a ringing call can be answered"):
        emulator.answer(ended.sid)
    with pytest.raises(ValueError, match="No call CA0+ in the emulator"):
        emulator.answer("CA" + "0" * 32)
    with pytest.raises(ValueError, match=r"No call is ringing \+15550000000"):
        emulator.answer("+15550000000")


def test_an_unanswered_call_is_no_answer_after_its_timeout(emulator, twiml_app):
    with twiml_app.app.app_context():
        call = Call.create(to="+15558675310", from_=NUMBER, url=BASE + "/out", timeout=10,
                           status_callback=BASE + "/status")
        other = Call.create(to="+15558675311", from_=NUMBER, url=BASE + "/out")  # 60 s by default
    emulator.wait(9)
    assert Call.find(call.sid).status == "queued"
    emulator.wait(1)
    assert Call.find(call.sid).status == "no-answer"
    assert twiml_app.last("/status")["CallStatus"] == "no-answer"
    emulator.wait(50)
    assert Call.find(other.sid).status == "no-answer"


def test_the_phone_checks_what_it_is_given(emulator, twiml_app):
    twiml_app["/voice"] = doc("<Gather/>")
    call = emulator.dial(NUMBER)
    with pytest.raises(ValueError, match="takes the keys of a phone"):
        call.press("12a")
    with pytest.raises(ValueError, match="takes the words"):
        call.speak("")
    with pytest.raises(ValueError, match="between 0 and 1"):
        call.speak("yes", confidence=2)
    with pytest.raises(ValueError, match="number of seconds >= 0"):
        call.wait(-1)
    with pytest.raises(ValueError, match="number of seconds >= 0"):
        emulator.delay(BASE, float("nan"))
    call.hang_up()
    assert call.hang_up().status == "completed"  # a no-op once over
    with pytest.raises(RuntimeError, match="is completed: it can no longer press 1"):
        call.press("1")
    assert call.wait(5).status == "completed"


def test_hanging_up_before_the_answer_cancels(emulator, twiml_app):
    emulator.delay(BASE + "/voice", 3)
    call = emulator.dial(NUMBER)
    assert (call.status, call.waiting_for) == ("ringing", "a webhook's answer")
    assert call.hang_up().status == "canceled"


def test_the_rest_api_redirects_a_live_call(emulator, twiml_app):
    twiml_app["/voice"] = doc("<Say>Waiting</Say>", '<Pause length="60"/>')
    twiml_app["/moved"] = doc("<Say>Moved</Say>", "<Gather/>")
    call = emulator.dial(NUMBER)
    with twiml_app.app.app_context():
        Call.find(call.sid).update_attributes(url=BASE + "/moved", method="POST")
    assert call.said == ["Waiting", "Moved"] and call.waiting_for == "Gather"
    assert [s.note for s in call.transcript if s.verb == "redirect"] == ["by the REST API"]
    with twiml_app.app.app_context():
        Call.find(call.sid).update_attributes(twiml="<Response><Say>Inline now</Say></Response>")
    assert call.said[-1] == "Inline now" and call.status == "completed"


def test_the_rest_api_hangs_up_a_live_call(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Gather action="/never"><Say>Menu</Say></Gather>')
    call = emulator.dial(NUMBER)
    with twiml_app.app.app_context():
        Call.find(call.sid).update_attributes(status="completed")
    assert (call.status, call.waiting_for) == ("completed", None)
    assert "/never" not in twiml_app.paths()


def test_a_redirect_loop_without_any_pause_is_stopped(emulator, twiml_app):
    twiml_app["/voice"] = doc("<Say>again</Say>", "<Redirect>/voice</Redirect>")
    call = emulator.dial(NUMBER)
    assert call.status == "completed"
    assert call.transcript[-2].note.startswith("stopped: 25 documents fetched without a pause or any input")
    assert len(call.said) == 25


def test_a_say_loop_is_bounded(emulator, twiml_app):
    twiml_app["/voice"] = doc(*['<Say loop="1000">x</Say>'] * 3)
    call = emulator.dial(NUMBER)
    assert len(call.said) == 3000 and call.status == "completed"
    twiml_app["/voice"] = doc(*["<Say>x</Say>"] * 2001)
    again = emulator.dial(NUMBER)
    assert again.transcript[-2].note.startswith("stopped: 2000 steps without a pause")


def test_transcripts_print_one_line_per_step(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Gather numDigits="1"><Say>Press 1</Say></Gather>')
    call = emulator.dial(NUMBER)
    assert transcript_lines(call.transcript) == [
        f"fetch POST {BASE}/voice (HTTP 200)", "Gather numDigits=1", '  Say "Press 1"']
    assert describe(Step("Say", "Hi", {"voice": "man"}, source="menu.voice:3", note="2 times")) == \
        'Say "Hi" voice=man (2 times) [menu.voice:3]'
    assert describe(Step("press", "1")) == "press 1"


def test_a_call_without_a_voice_url_or_number_is_refused(emulator):
    emulator.seed("IncomingPhoneNumber", phone_number="+15005550008")
    with pytest.raises(ValueError, match="has no voice_url"):
        emulator.dial("+15005550008")
    with pytest.raises(ValueError, match="is not a number of AC"):
        emulator.dial("+15550000000")


def test_a_number_with_a_voice_application_runs_the_applications_url(emulator, twiml_app):
    application = emulator.seed("Application", voice_url=BASE + "/app", voice_method="GET")
    emulator.seed("IncomingPhoneNumber", phone_number="+15005550009", voice_application_sid=application["sid"])
    twiml_app["/app"] = doc("<Say>From the application</Say>")
    assert emulator.dial("+15005550009").said == ["From the application"]
    assert twiml_app.received[-1]["method"] == "GET"
    emulator.seed("IncomingPhoneNumber", phone_number="+15005550010", voice_application_sid="AP" + "0" * 32)
    with pytest.raises(ValueError, match="is no application of the account"):
        emulator.dial("+15005550010")


def test_without_callbacks_there_are_no_calls():
    from flask_twilio_rb.testing import TwilioEmulator

    emulator = TwilioEmulator(callbacks=False)
    with pytest.raises(RuntimeError, match="runs no calls or texts: create it with callbacks=True"):
        emulator.dial(NUMBER)


def test_reset_forgets_the_calls_and_the_clock(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Pause length="5"/>')
    call = emulator.dial(NUMBER)
    emulator.wait(2)
    emulator.reset()
    assert emulator.board.elapsed == 0 and emulator.phone(call.sid).transcript == []


def test_a_url_with_a_space_is_signed_as_it_is_sent(emulator, twiml_app):
    twiml_app["/voice"] = doc("<Redirect>/next page</Redirect>")
    twiml_app["/next page"] = doc("<Say>Spaced</Say>")
    assert emulator.dial(NUMBER).said == ["Spaced"]
    assert twiml_app.received[-1]["url"] == BASE + "/next%20page"
