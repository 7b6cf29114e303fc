"""<Dial> to numbers, clients and SIP: child calls the test answers or not, the action's DialCallStatus."""
from __future__ import annotations

import pytest

from flask_twilio_rb import Call

from tests.emulator.voice.conftest import BASE, CALLER, NUMBER, doc

SALES = "+15558675310"


def dial(twiml_app, emulator, dial_element, *after):
    twiml_app["/voice"] = doc("<Say>Connecting</Say>", dial_element, *after)
    twiml_app["/dialed"] = lambda values: doc(f"<Say>Dial ended {values['DialCallStatus']}</Say>")
    return emulator.dial(NUMBER)


def test_an_answered_transfer_talks_until_the_callee_hangs_up(emulator, twiml_app):
    call = dial(twiml_app, emulator, f'<Dial action="/dialed" callerId="+15005550007">{SALES}</Dial>')
    assert call.waiting_for == "Dial"
    [child] = [c for c in emulator.records("Call") if c["direction"] == "outbound-dial"]
    assert (child["to"], child["from"], child["parent_call_sid"], child["status"]) == (
        SALES, "+15005550007", call.sid, "ringing")
    callee = emulator.answer(SALES)
    assert callee.sid == child["sid"] and call.dialed == callee
    callee.wait(30).hang_up()
    sent = twiml_app.last("/dialed")
    assert (sent["DialCallStatus"], sent["DialCallSid"], sent["DialCallDuration"], sent["DialBridged"]) == (
        "completed", callee.sid, "30", "true")
    assert call.said == ["Connecting", "Dial ended completed"] and call.status == "completed"
    assert Call.find(callee.sid).duration == "30"


def test_nobody_answers_before_the_timeout(emulator, twiml_app):
    call = dial(twiml_app, emulator, f'<Dial action="/dialed" timeout="10">{SALES}</Dial>')
    call.wait(9)
    assert call.waiting_for == "Dial"
    call.wait(1)
    assert twiml_app.last("/dialed")["DialCallStatus"] == "no-answer"
    assert [c["status"] for c in emulator.records("Call") if c["direction"] == "outbound-dial"] == ["no-answer"]


@pytest.mark.parametrize("status", ["busy", "failed", "no-answer"])
def test_a_callee_that_fails(emulator, twiml_app, status):
    call = dial(twiml_app, emulator, f'<Dial action="/dialed"><Number>{SALES}</Number></Dial>')
    [child] = [c for c in emulator.records("Call") if c["direction"] == "outbound-dial"]
    emulator.fail(child["sid"], status)
    assert twiml_app.last("/dialed")["DialCallStatus"] == status and call.said[-1] == f"Dial ended {status}"


def test_the_first_of_several_numbers_to_answer_wins(emulator, twiml_app):
    call = dial(twiml_app, emulator, '<Dial action="/dialed"><Number>+15558675310</Number>'
                                     '<Number>+15558675311</Number></Dial>')
    second = emulator.answer("+15558675311")
    children = {c["to"]: c["status"] for c in emulator.records("Call") if c["direction"] == "outbound-dial"}
    assert children == {"+15558675310": "canceled", "+15558675311": "in-progress"}
    second.hang_up()
    assert twiml_app.last("/dialed")["DialCallSid"] == second.sid and call.status == "completed"


def test_a_client_and_a_sip_address(emulator, twiml_app):
    dial(twiml_app, emulator, '<Dial><Client><Identity>alice</Identity></Client><Client>bob</Client>'
                              '<Sip>sip:carol@example.com</Sip><Sim>DE123</Sim></Dial>')
    assert sorted(c["to"] for c in emulator.records("Call") if c["direction"] == "outbound-dial") == [
        "client:alice", "client:bob", "sip:carol@example.com"]
    emulator.answer("client:bob").hang_up()


def test_the_callee_is_reached_by_its_callers_number_by_default(emulator, twiml_app):
    dial(twiml_app, emulator, f"<Dial>{SALES}</Dial>")
    assert emulator.records("Call")[0]["from"] == CALLER


def test_without_an_action_the_next_verb_runs(emulator, twiml_app):
    call = dial(twiml_app, emulator, f"<Dial>{SALES}</Dial>", "<Say>After the call</Say>")
    emulator.answer(SALES).hang_up()
    assert call.said == ["Connecting", "After the call"]
    assert "/dialed" not in twiml_app.paths()


def test_the_time_limit_ends_the_conversation(emulator, twiml_app):
    call = dial(twiml_app, emulator, f'<Dial action="/dialed" timeLimit="60">{SALES}</Dial>')
    callee = emulator.answer(SALES)
    call.wait(60)
    assert (callee.status, twiml_app.last("/dialed")["DialCallDuration"]) == ("completed", "60")


def test_hangup_on_star(emulator, twiml_app):
    call = dial(twiml_app, emulator, f'<Dial action="/dialed" hangupOnStar="true">{SALES}</Dial>')
    call.press("*")  # ringing: nobody to hang up on yet
    assert call.transcript[-1].note == "not heard"
    callee = emulator.answer(SALES)
    call.wait(5).press("1*")
    assert callee.status == "completed" and twiml_app.last("/dialed")["DialCallStatus"] == "completed"


def test_a_whisper_runs_on_the_callee_first(emulator, twiml_app):
    twiml_app["/whisper"] = doc('<Gather action="/accept" numDigits="1"><Say>Press 1 to accept</Say></Gather>')
    twiml_app["/accept"] = lambda values: doc() if values["Digits"] == "1" else doc("<Hangup/>")
    call = dial(twiml_app, emulator, f'<Dial action="/dialed"><Number url="/whisper">{SALES}</Number></Dial>')
    callee = emulator.answer(SALES)
    assert callee.said == ["Press 1 to accept"] and call.waiting_for == "Dial"
    callee.press("1")
    assert callee.waiting_for == "a call (bridged)"
    callee.wait(3).hang_up()
    assert twiml_app.last("/dialed")["DialCallDuration"] == "3"
    declined = dial(twiml_app, emulator, f'<Dial action="/dialed"><Number url="/whisper">{SALES}</Number></Dial>')
    emulator.answer(SALES).press("2")
    assert twiml_app.last("/dialed")["DialCallStatus"] == "no-answer" and declined.status == "completed"


def test_a_whisper_that_fails_leaves_the_caller_unconnected(emulator, twiml_app):
    twiml_app["/whisper"] = ("oops", 500)
    dial(twiml_app, emulator, f'<Dial action="/dialed"><Number url="/whisper">{SALES}</Number></Dial>')
    callee = emulator.answer(SALES)
    assert callee.said == ["We're sorry, an application error has occurred. Goodbye."]
    assert twiml_app.last("/dialed")["DialCallStatus"] == "no-answer"


def test_the_caller_hanging_up_cancels_the_ringing_callee_and_tells_the_action(emulator, twiml_app):
    call = dial(twiml_app, emulator, f'<Dial action="/dialed">{SALES}</Dial>')
    call.hang_up()
    sent = twiml_app.last("/dialed")
    assert (sent["DialCallStatus"], sent["CallStatus"], sent["DialBridged"]) == ("canceled", "completed", "false")
    assert [c["status"] for c in emulator.records("Call") if c["direction"] == "outbound-dial"] == ["canceled"]
    assert call.transcript[-1].note.endswith("the call is over, its answer is not run")


def test_the_caller_hanging_up_ends_the_conversation(emulator, twiml_app):
    call = dial(twiml_app, emulator, f'<Dial action="/dialed">{SALES}</Dial>')
    callee = emulator.answer(SALES)
    call.wait(8).hang_up()
    assert callee.status == "completed"
    assert (twiml_app.last("/dialed")["DialCallStatus"], twiml_app.last("/dialed")["DialCallDuration"]) == (
        "completed", "8")


def test_a_number_that_is_none_is_a_failed_dial(emulator, twiml_app):
    call = dial(twiml_app, emulator, '<Dial action="/dialed">not a number</Dial>')
    assert twiml_app.last("/dialed")["DialCallStatus"] == "failed"
    assert "13223" in {n["error_code"] for n in emulator.records("Notification")}
    assert call.status == "completed"


def test_advance_answers_a_dialled_call_too(emulator, twiml_app):
    call = dial(twiml_app, emulator, f'<Dial action="/dialed">{SALES}</Dial>')
    [child] = emulator.records("Call")[:1]
    emulator.advance(child["sid"])  # ringing -> in-progress: picked up
    assert call.transcript[-1].note == f"connected to {child['sid']}"
    emulator.advance(child["sid"])  # -> completed: the callee hangs up
    assert twiml_app.last("/dialed")["DialCallStatus"] == "completed"


def test_the_callee_redirected_through_the_rest_api_leaves_the_caller(emulator, twiml_app):
    twiml_app["/voicemail"] = doc("<Say>Moved to voicemail</Say>")
    call = dial(twiml_app, emulator, f'<Dial action="/dialed">{SALES}</Dial>')
    callee = emulator.answer(SALES)
    with twiml_app.app.app_context():
        Call.find(callee.sid).update_attributes(url=BASE + "/voicemail")
    assert callee.said == ["Moved to voicemail"]
    assert twiml_app.last("/dialed")["DialCallStatus"] == "completed" and call.status == "completed"


def test_the_nouns_status_callback_reports_the_child(emulator, twiml_app):
    dial(twiml_app, emulator, f'<Dial><Number statusCallback="/child" statusCallbackEvent="initiated ringing answered '
                              f'completed">{SALES}</Number></Dial>')
    emulator.answer(SALES).wait(2).hang_up()
    events = [r["values"]["CallStatus"] for r in twiml_app.received if r["path"] == "/child"]
    assert events == ["initiated", "ringing", "in-progress", "completed"]
    assert twiml_app.last("/child")["CallDuration"] == "2"


def test_a_dial_with_nothing_to_dial(emulator, twiml_app):
    call = dial(twiml_app, emulator, '<Dial action="/dialed"/>')
    assert twiml_app.last("/dialed")["DialCallStatus"] == "failed" and call.status == "completed"
