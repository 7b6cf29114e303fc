"""Conferences and queues: the records the REST API lists, mutes and removes, and the calls in them."""
from __future__ import annotations

from flask_twilio_rb import Conference, Member, Participant, Queue

from tests.emulator.voice.conftest import BASE, NUMBER, doc

ROOM = ('<Dial action="/left"><Conference statusCallback="/events" statusCallbackEvent="start end join leave mute hold"'
        ' {flags}>standup</Conference></Dial>')


def join(emulator, twiml_app, number, flags=""):
    emulator.seed("IncomingPhoneNumber", phone_number=number, voice_url=f"{BASE}/join{number[-1]}")
    twiml_app[f"/join{number[-1]}"] = doc(ROOM.format(flags=flags))
    return emulator.dial(number)


def events(twiml_app):
    return [(r["values"]["StatusCallbackEvent"], r["values"].get("CallSid")) for r in twiml_app.received
            if r["path"] == "/events"]


def test_a_conference_starts_with_its_moderator_and_ends_with_its_last_participant(emulator, twiml_app):
    twiml_app["/wait"] = doc("<Say>Please hold</Say>")
    guest = join(emulator, twiml_app, "+15005550001", 'startConferenceOnEnter="false" waitUrl="/wait"')
    assert guest.said == ["Please hold"] and guest.waiting_for == "Conference (waiting to start)"
    [room] = emulator.records("Conference")
    assert (room["friendly_name"], room["status"]) == ("standup", "init")
    host = join(emulator, twiml_app, "+15005550002")
    assert emulator.records("Conference")[0]["status"] == "in-progress"
    assert guest.waiting_for == "Conference" and guest.transcript[-1].note == "the conference started"
    with twiml_app.app.app_context():
        participants = Conference.find(room["sid"]).participants.all()
    assert sorted(p.call_sid for p in participants) == sorted([guest.sid, host.sid])
    guest.wait(60).hang_up()
    host.hang_up()
    ended = emulator.records("Conference")[0]
    assert (ended["status"], ended["reason_conference_ended"], ended["call_sid_ending_conference"]) == (
        "completed", "last-participant-left", host.sid)
    assert events(twiml_app) == [
        ("participant-join", guest.sid), ("participant-join", host.sid), ("conference-start", None),
        ("participant-leave", guest.sid), ("participant-leave", host.sid), ("conference-end", None)]
    assert twiml_app.last("/left")["CallStatus"] == "completed"  # requested, its answer not run: they hung up
    assert twiml_app.last("/events")["ReasonConferenceEnded"] == "last-participant-left"


def test_the_rest_api_mutes_holds_and_removes_a_participant(emulator, twiml_app):
    twiml_app["/left"] = lambda values: doc(f"<Say>You left after {values['DialCallDuration']} seconds</Say>")
    first = join(emulator, twiml_app, "+15005550001")
    second = join(emulator, twiml_app, "+15005550002")
    room = emulator.records("Conference")[0]["sid"]
    with twiml_app.app.app_context():
        participant = Participant.find(first.sid, conference_sid=room)
        participant.update_attributes(muted=True)
        participant.update_attributes(hold=True)
        participant.update_attributes(muted=False, hold=False)
        assert Participant.find(first.sid, conference_sid=room).muted is False
        first.wait(20)
        Participant.find(first.sid, conference_sid=room).destroy()
    assert first.said == ["You left after 20 seconds"]
    assert twiml_app.last("/left")["DialCallStatus"] == "answered"
    assert [e for e, _ in events(twiml_app)][3:8] == [
        "participant-mute", "participant-hold", "participant-unmute", "participant-unhold", "participant-leave"]
    assert [s.note for s in first.transcript if s.note and "REST API" in s.note] == [
        "muted by the REST API", "put on hold by the REST API", "unmuted by the REST API",
        "taken off hold by the REST API"]
    assert second.waiting_for == "Conference"


def test_ending_the_conference_through_the_rest_api_lets_everyone_go(emulator, twiml_app):
    twiml_app["/left"] = doc("<Say>The meeting is over</Say>")
    first = join(emulator, twiml_app, "+15005550001", 'muted="true"')
    second = join(emulator, twiml_app, "+15005550002")
    with twiml_app.app.app_context():
        Conference.find(emulator.records("Conference")[0]["sid"]).update_attributes(status="completed")
    assert first.said == second.said == ["The meeting is over"]
    assert emulator.records("Conference")[0]["reason_conference_ended"] == "conference-ended-via-api"


def test_a_participant_that_ends_the_conference_on_exit(emulator, twiml_app):
    twiml_app["/left"] = doc("<Say>Bye</Say>")
    guest = join(emulator, twiml_app, "+15005550001")
    host = join(emulator, twiml_app, "+15005550002", 'endConferenceOnExit="true"')
    host.hang_up()
    assert guest.said == ["Bye"]
    assert emulator.records("Conference")[0]["reason_conference_ended"] == \
        "participant-with-end-conference-on-exit-left"


def test_a_full_conference(emulator, twiml_app):
    twiml_app["/left"] = lambda values: doc(f"<Say>{values['DialCallStatus']}</Say>")
    join(emulator, twiml_app, "+15005550001", 'maxParticipants="2"')
    join(emulator, twiml_app, "+15005550002", 'maxParticipants="2"')
    third = join(emulator, twiml_app, "+15005550003", 'maxParticipants="2"')
    assert third.said == ["failed"] and "full" in third.transcript[2].note


def test_a_conference_without_a_status_callback_and_with_twilios_hold_music(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Dial><Conference startConferenceOnEnter="false">quiet</Conference></Dial>')
    call = emulator.dial(NUMBER)
    assert call.transcript[-1].text == "(Twilio's hold music)"
    call.hang_up()
    assert "/events" not in twiml_app.paths()


# -- queues ---------------------------------------------------------------------------------

def enqueue(emulator, twiml_app, number, wait="/music", action="/dequeued"):
    emulator.seed("IncomingPhoneNumber", phone_number=number, voice_url=f"{BASE}/queue{number[-1]}")
    twiml_app[f"/queue{number[-1]}"] = doc(f'<Enqueue waitUrl="{wait}" action="{action}">support</Enqueue>',
                                           "<Say>After the queue</Say>")
    return emulator.dial(number)


def test_a_caller_waits_in_the_queue_until_an_agent_takes_the_call(emulator, twiml_app):
    twiml_app["/music"] = lambda values: doc(f"<Say>You are number {values['QueuePosition']}</Say>",
                                             '<Play>https://example.com/hold.mp3</Play>', "<Hangup/>")
    twiml_app["/dequeued"] = lambda values: doc(f"<Say>{values['QueueResult']} after {values['QueueTime']} s</Say>")
    caller = enqueue(emulator, twiml_app, "+15005550001")
    second = enqueue(emulator, twiml_app, "+15005550002")
    assert caller.said == ["You are number 1"] and second.said == ["You are number 2"]
    assert twiml_app.last("/music")["CurrentQueueSize"] == "2"
    [queue] = emulator.records("Queue")
    assert (queue["friendly_name"], queue["current_size"]) == ("support", 2)
    with twiml_app.app.app_context():
        assert [m.call_sid for m in Queue.find(queue["sid"]).members] == [second.sid, caller.sid]
    caller.wait(30)
    twiml_app["/agent"] = doc('<Dial action="/agent-done"><Queue url="/whisper">support</Queue></Dial>')
    twiml_app["/whisper"] = doc("<Say>An agent will help you now</Say>")
    twiml_app["/agent-done"] = lambda values: doc(f"<Say>Done with {values['DialCallSid']}</Say>")
    emulator.seed("IncomingPhoneNumber", phone_number="+15005550009", voice_url=BASE + "/agent")
    agent = emulator.dial("+15005550009")
    assert caller.said[-1] == "An agent will help you now" and agent.dialed == caller
    assert emulator.records("Queue")[0]["current_size"] == 1
    agent.wait(10).hang_up()
    assert caller.said[-1] == "bridged after 40 s"
    with twiml_app.app.app_context():
        [left] = Queue.find(queue["sid"]).members.all()
    assert (left.call_sid, left.position) == (second.sid, 1)


def test_the_caller_hanging_up_ends_the_agents_call(emulator, twiml_app):
    caller = enqueue(emulator, twiml_app, "+15005550001")
    twiml_app["/agent"] = doc('<Dial action="/agent-done"><Queue>support</Queue></Dial>')
    twiml_app["/agent-done"] = lambda values: doc(f"<Say>{values['DialCallStatus']} {values['DialCallDuration']}"
                                                  "</Say>")
    emulator.seed("IncomingPhoneNumber", phone_number="+15005550009", voice_url=BASE + "/agent")
    agent = emulator.dial("+15005550009")
    caller.wait(12).hang_up()
    assert agent.said == ["completed 12"]
    assert twiml_app.last("/dequeued")["QueueResult"] == "bridged"


def test_an_agent_waits_for_a_caller_and_gives_up_after_the_timeout(emulator, twiml_app):
    twiml_app["/agent"] = doc('<Dial action="/agent-done" timeout="20"><Queue>support</Queue></Dial>')
    twiml_app["/agent-done"] = lambda values: doc(f"<Say>{values['DialCallStatus']}</Say>")
    emulator.seed("IncomingPhoneNumber", phone_number="+15005550009", voice_url=BASE + "/agent")
    agent = emulator.dial("+15005550009")
    agent.wait(5)
    caller = enqueue(emulator, twiml_app, "+15005550001")
    assert agent.dialed == caller
    lonely = emulator.dial("+15005550009")
    lonely.wait(20)
    assert lonely.said == ["no-answer"]


def test_leave_in_the_wait_music_leaves_the_queue(emulator, twiml_app):
    twiml_app["/music"] = doc("<Say>Too busy, sorry</Say>", "<Leave/>")
    twiml_app["/dequeued"] = lambda values: doc(f"<Say>{values['QueueResult']}</Say>")
    caller = enqueue(emulator, twiml_app, "+15005550001")
    assert caller.said == ["Too busy, sorry", "leave"]
    assert emulator.records("Queue")[0]["current_size"] == 0


def test_a_redirect_in_the_wait_music_is_followed(emulator, twiml_app):
    twiml_app["/music"] = doc("<Redirect>/music2</Redirect>")
    twiml_app["/music2"] = doc("<Say>Second track</Say>", "<Gather/>")
    caller = enqueue(emulator, twiml_app, "+15005550001")
    assert caller.said == ["Second track"]
    assert caller.transcript[-1].note == "not allowed in wait music (13238)"


def test_the_rest_api_takes_a_member_out_of_the_queue(emulator, twiml_app):
    twiml_app["/elsewhere"] = doc("<Say>Taken out of the queue</Say>")
    caller = enqueue(emulator, twiml_app, "+15005550001")
    queue = emulator.records("Queue")[0]["sid"]
    with twiml_app.app.app_context():
        Member.find("Front", queue_sid=queue).update_attributes(url=BASE + "/elsewhere", method="POST")
    assert caller.said == ["Taken out of the queue"]
    assert emulator.records("Member") == [] and "/dequeued" not in twiml_app.paths()


def test_hanging_up_in_the_queue(emulator, twiml_app):
    caller = enqueue(emulator, twiml_app, "+15005550001")
    caller.wait(7).hang_up()
    sent = twiml_app.last("/dequeued")
    assert (sent["QueueResult"], sent["QueueTime"]) == ("hangup", "7")
    assert emulator.records("Queue")[0]["current_size"] == 0


def test_a_full_queue_and_one_without_music_or_action(emulator, twiml_app):
    with twiml_app.app.app_context():
        Queue.create(friendly_name="support", max_size=1)
    twiml_app["/dequeued"] = lambda values: doc(f"<Say>{values['QueueResult']}</Say>")
    first = enqueue(emulator, twiml_app, "+15005550001", wait="")
    assert first.transcript[-1].text == "(Twilio's hold music)"
    second = enqueue(emulator, twiml_app, "+15005550002")
    assert second.said == ["queue-full"]


def test_taskrouter_queues_are_not_simulated(emulator, twiml_app):
    twiml_app["/voice"] = doc('<Enqueue workflowSid="WW' + "0" * 32 + '"/>', "<Say>Next</Say>")
    call = emulator.dial(NUMBER)
    assert call.said == ["Next"] and "not simulated" in call.transcript[2].note


def test_conference_events_carry_the_participants_flags(emulator, twiml_app):
    join(emulator, twiml_app, "+15005550001", 'muted="true" endConferenceOnExit="true"')
    [joined, started] = [r["values"] for r in twiml_app.received if r["path"] == "/events"]
    assert (joined["Muted"], joined["EndConferenceOnExit"], joined["StartConferenceOnEnter"]) == ("true", "true", "true")
    assert (joined["FriendlyName"], joined["SequenceNumber"], started["SequenceNumber"]) == ("standup", "0", "1")
    assert "CallSid" not in started
