"""The edges: an app's webhook acting on calls while they run, other threads, bounds, and the rarer paths."""
from __future__ import annotations

import threading

import pytest
from flask import request

from flask_twilio_rb import Call, Conference, Member, Participant
from flask_twilio_rb.emulator.voice import board as board_module
from flask_twilio_rb.emulator.voice.events import Event
from flask_twilio_rb.emulator.voice.session import END

from tests.emulator.voice.conftest import BASE, NUMBER, doc


def test_a_webhook_acting_on_its_own_call_and_the_emulator_while_the_call_runs(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Gather action="/menu" numDigits="1"/>')
    replies = []

    def menu(values):
        replies.extend(emulator.text(NUMBER, "from inside a webhook"))  # driven right here, in this step
        emulator.phone(values["CallSid"]).press("5")  # the call is busy fetching: it hears the key next
        return doc('<Gather action="/second" numDigits="1"/>')

    twiml_app["/menu"] = menu
    twiml_app["/sms"] = doc("<Message>inner reply</Message>")
    call = emulator.dial(NUMBER)
    call.press("1")
    assert twiml_app.last("/second")["Digits"] == "5" and replies == ["inner reply"]


def test_the_rest_api_during_a_webhook_is_run_after_the_current_step(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Pause length="60"/>')
    twiml_app["/moved"] = doc("<Say>Moved by the other call</Say>")
    first = emulator.dial(NUMBER)
    emulator.seed("IncomingPhoneNumber", phone_number="+15005550007", voice_url=BASE + "/mover")

    def mover(values):
        Call.find(first.sid).update_attributes(url=BASE + "/moved")  # from the app: a REST request, another thread
        return doc("<Say>Done</Say>")

    twiml_app["/mover"] = mover
    with twiml_app.app.app_context():
        emulator.dial("+15005550007")
    assert first.said == ["Moved by the other call"]


def test_another_thread_waits_for_the_driving_one(emulator, twiml_app, monkeypatch):
    entered, release = threading.Event(), threading.Event()

    def slow(values):
        entered.set()
        assert release.wait(10)
        return doc('<Pause length="10"/>')

    twiml_app["/voice"] = slow
    dialing = threading.Thread(target=emulator.dial, args=(NUMBER,))
    dialing.start()
    assert entered.wait(10)
    outcome = {}
    waiting = threading.Thread(target=lambda: outcome.setdefault("elapsed", (emulator.wait(3), emulator.board.elapsed)))
    waiting.start()
    monkeypatch.setattr(board_module, "DRIVER_WAIT", 0.05)
    with pytest.raises(RuntimeError, match="still busy in another thread"):
        emulator.wait(1)
    release.set()
    dialing.join(10)
    waiting.join(10)
    assert outcome["elapsed"][1] == 3


def test_too_many_timeouts_in_one_wait(emulator, twiml_app, monkeypatch):
    twiml_app["/voice"] = doc(*['<Pause length="1"/>'] * 5)
    emulator.dial(NUMBER)
    monkeypatch.setattr(board_module, "MAX_TIMERS", 3)
    with pytest.raises(RuntimeError, match="More than 3 timeouts fell due in one wait"):
        emulator.wait(10)


def test_an_event_posted_from_outside_any_step_is_delivered_at_once(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Gather action="/menu" numDigits="1"/>')
    call = emulator.dial(NUMBER)
    emulator.board.post(call.sid, Event("key", "4"))
    assert twiml_app.last("/menu")["Digits"] == "4"


def test_reprs_and_the_rarer_verbs(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Pause length="0"/>', "<Leave/>", '<Gather input="speech" speechTimeout="auto" '
                              'action="/said"/>')
    call = emulator.dial(NUMBER)
    session = emulator.board.sessions[call.sid]
    assert repr(END) == "END" and repr(session) == f"<Session {call.sid} Gather>"
    assert [s.note for s in call.transcript if s.verb == "Leave"] == ["not in a queue: ignored"]
    call.speak("auto")
    assert twiml_app.last("/said")["SpeechResult"] == "auto"
    assert repr(session) == f"<Session {call.sid} ended>"


def test_words_where_nothing_listens(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Pause length="3"/>')
    call = emulator.dial(NUMBER)
    call.speak("hello?")
    assert call.transcript[-1].note == "not heard: the call is in Pause"


def test_hanging_up_in_a_silent_recording_and_transcribing_without_a_callback(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Record action="/saved"/>')
    emulator.dial(NUMBER).hang_up()
    assert emulator.records("Recording") == [] and "/saved" not in twiml_app.paths()
    twiml_app["/voice"] = doc('<Record action="/saved" transcribe="true"/>')
    emulator.dial(NUMBER).speak("note").press("#")
    assert emulator.records("Transcription")[0]["transcription_text"] == "note"


def test_a_relative_redirect_in_inline_twiml(emulator, twiml_app):
    with twiml_app.app.app_context():
        call = Call.create(to="+15558675310", from_=NUMBER, twiml="<Response><Redirect>/next</Redirect></Response>")
    phone = emulator.answer(call.sid)
    assert phone.status == "completed" and phone.transcript[-2].note.startswith("11100: <Redirect> to '/next'")


def test_an_application_without_a_voice_url(emulator):
    application = emulator.seed("Application", friendly_name="empty")
    emulator.seed("IncomingPhoneNumber", phone_number="+15005550007", voice_application_sid=application["sid"])
    with pytest.raises(ValueError, match="has no voice_url"):
        emulator.dial("+15005550007")


def test_the_rest_api_redirecting_a_caller_in_a_dial_cancels_it(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Dial action="/dialed">+15558675310</Dial>')
    twiml_app["/moved"] = doc("<Say>Moved</Say>")
    call = emulator.dial(NUMBER)
    with twiml_app.app.app_context():
        Call.find(call.sid).update_attributes(url=BASE + "/moved")
    assert call.said == ["Moved"] and "/dialed" not in twiml_app.paths()
    assert emulator.records("Call")[0]["status"] == "canceled"


def test_the_rest_api_moving_calls_out_of_conferences_and_queues(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Dial action="/left"><Conference statusCallback="/events">room</Conference></Dial>')
    twiml_app["/moved"] = doc("<Say>Moved</Say>")
    in_room = emulator.dial(NUMBER)
    emulator.seed("IncomingPhoneNumber", phone_number="+15005550007", voice_url=BASE + "/queue")
    twiml_app["/queue"] = doc('<Enqueue action="/dequeued">line</Enqueue>')
    in_queue = emulator.dial("+15005550007")
    with twiml_app.app.app_context():
        for call in (in_room, in_queue):
            Call.find(call.sid).update_attributes(url=BASE + "/moved")
    assert in_room.said == in_queue.said == ["Moved"]
    assert {"/left", "/dequeued"}.isdisjoint(twiml_app.paths())
    assert [r["values"]["StatusCallbackEvent"] for r in twiml_app.received if r["path"] == "/events"] == [
        "conference-start", "conference-end"]  # by default only the start and the end
    assert emulator.records("Queue")[0]["current_size"] == 0


def test_a_queue_whisper_that_hangs_up(emulator, twiml_app):
    twiml_app["/queue"] = doc("<Enqueue>one</Enqueue>")
    twiml_app["/other"] = doc("<Enqueue>two</Enqueue>")
    emulator.seed("IncomingPhoneNumber", phone_number="+15005550007", voice_url=BASE + "/queue")
    emulator.seed("IncomingPhoneNumber", phone_number="+15005550008", voice_url=BASE + "/other")
    emulator.dial("+15005550008")  # a queue of another name
    caller = emulator.dial("+15005550007")
    twiml_app["/voice"] = doc('<Dial action="/agent"><Queue url="/whisper">one</Queue></Dial>')
    twiml_app["/whisper"] = doc("<Hangup/>")
    twiml_app["/agent"] = lambda values: doc(f"<Say>{values['DialCallStatus']}</Say>")
    agent = emulator.dial(NUMBER)
    assert caller.status == "completed" and agent.said == ["completed"]


def test_an_agent_hanging_up_while_waiting_for_callers(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Dial action="/agent"><Queue>empty</Queue></Dial>')
    agent = emulator.dial(NUMBER)
    assert agent.waiting_for == "Dial <Queue> empty"
    agent.hang_up()
    assert agent.status == "completed" and "/agent" not in twiml_app.paths()


def test_rest_changes_that_concern_no_live_call(emulator, twiml_app):
    twiml_app["/voice"] = doc("<Dial><Conference>room</Conference></Dial>")
    call = emulator.dial(NUMBER)
    room = emulator.records("Conference")[0]["sid"]
    stranger = emulator.seed("Participant", conference_sid=room, call_sid="CA" + "7" * 32)
    queue = emulator.seed("Queue", friendly_name="q")
    member = emulator.seed("Member", queue_sid=queue["sid"], call_sid="CA" + "8" * 32)
    with twiml_app.app.app_context():
        Conference.find(room).update_attributes(announce_url=BASE + "/announce")
        Participant.find(stranger["call_sid"], conference_sid=room).update_attributes(muted=True)
        Member.find(member["call_sid"], queue_sid=queue["sid"]).update_attributes(url=BASE + "/nobody-waits")
    assert call.waiting_for == "Conference" and emulator.records("Conference")[0]["status"] == "in-progress"


def test_an_unknown_attribute_of_a_reply_is_a_warning_but_the_text_goes(emulator, twiml_app):
    twiml_app["/sms"] = doc('<Message colour="red">Still sent</Message>')
    assert emulator.text(NUMBER, "x") == ["Still sent"]
    assert [n["error_code"] for n in emulator.records("Notification")] == ["12200"]


def test_a_request_seen_by_the_app_carries_the_emulators_signature(emulator, twiml_app):
    seen = {}
    twiml_app["/voice"] = lambda values: seen.setdefault("signature", request.headers["X-Twilio-Signature"]) and \
        doc("<Say>ok</Say>")
    assert emulator.dial(NUMBER).said == ["ok"] and seen["signature"]


def test_events_for_an_ended_call_or_that_nothing_listens_to_are_dropped(emulator, twiml_app):
    twiml_app["/voice"] = doc("<Gather/>")
    call = emulator.dial(NUMBER)
    session = emulator.board.sessions[call.sid]
    before = len(call.transcript)
    session.deliver(Event("room", "started"))  # a Gather does not listen to conferences
    assert len(call.transcript) == before and call.waiting_for == "Gather"
    call.hang_up()
    session.deliver(Event("key", "1"))
    assert len(call.transcript) == before + 1  # only the hang-up


def test_a_call_that_arrived_without_running_its_twiml_progresses_as_before(emulator, twiml_app):
    answered = emulator.receive_call(NUMBER, "+15558675310")  # the webhook only, as before the phone calls ran
    sid = answered.params["CallSid"]
    assert emulator.advance(sid) == [(sid, "in-progress")]
    assert sid not in emulator.board.sessions


def test_a_step_nobody_waits_for_that_fails_is_logged(emulator, caplog):
    def step():
        emulator.board.later(lambda: 1 / 0)  # runs after this step, with nobody waiting for it

    with caplog.at_level("ERROR", logger="flask_twilio_rb.emulator"):
        emulator.board.run(step)
    assert "a phone call step failed" in caplog.text and "ZeroDivisionError" in caplog.text


def test_keys_pressed_after_the_call_ended_go_nowhere(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Gather action="/bye" numDigits="1"/>')
    twiml_app["/bye"] = doc("<Hangup/>")
    call = emulator.dial(NUMBER).press("123")
    assert call.status == "completed" and [s.text for s in call.transcript if s.verb == "press"] == ["1"]
