"""Hand-written actions: call cancel/complete, participant mute/kick, recording media, caller IDs."""
from __future__ import annotations

from flask_twilio_rb import Call, CallRecording, OutgoingCallerId, Participant, Recording, ValidationRequest

from tests.resources.resource_helpers import api  # noqa: F401  (fixture)
from tests.resources.resource_helpers import ACCOUNT_SID, API, CALL_SID, form, path

CONF = "CF" + "1" * 32
PART_URL = f"{API}/Conferences/{CONF}/Participants/{CALL_SID}.json"


def test_call_cancel_and_complete(api):
    api.post(f"{API}/Calls/{CALL_SID}.json", json={"sid": CALL_SID, "status": "canceled"})
    call = Call({"sid": CALL_SID}, {"account_sid": ACCOUNT_SID})
    assert call.cancel() is call and call.status == "canceled"
    api.replace("POST", f"{API}/Calls/{CALL_SID}.json", json={"sid": CALL_SID, "status": "completed"})
    call.complete()
    assert call.status == "completed"
    assert [form(c) for c in api.calls] == [[("Status", "canceled")], [("Status", "completed")]]


def test_participant_mute_unmute_toggle_and_kick(api):
    api.post(PART_URL, json={"call_sid": CALL_SID, "muted": True})
    api.delete(PART_URL, status=204)
    part = Participant({"call_sid": CALL_SID, "muted": True}, {"account_sid": ACCOUNT_SID, "conference_sid": CONF})
    part.mute()  # already muted: mute() still mutes (it does not toggle)
    assert form(api.calls[0]) == [("Muted", "true")] and part.muted is True
    api.replace("POST", PART_URL, json={"call_sid": CALL_SID, "muted": False})
    part.toggle_mute()
    assert form(api.calls[1]) == [("Muted", "false")] and part.muted is False
    part.unmute()
    assert form(api.calls[2]) == [("Muted", "false")]
    api.replace("POST", PART_URL, json={"call_sid": CALL_SID, "muted": True})
    part.toggle_mute()
    assert form(api.calls[3]) == [("Muted", "true")] and part.muted is True
    part.muted = True
    assert form(api.calls[4]) == [("Muted", "true")]
    assert part.kick() is True
    assert api.calls[5].request.method == "DELETE"
    assert path(api.calls[5]) == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Conferences/{CONF}/Participants/{CALL_SID}.json"


def test_recording_media_urls(configured):
    rec = Recording({"sid": "RE" + "1" * 32, "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/RE{'1' * 32}.json"})
    assert rec.mp3 == f"{API}/Recordings/RE{'1' * 32}.mp3"
    assert rec.wav == f"{API}/Recordings/RE{'1' * 32}.wav"
    built = CallRecording({"sid": "RE" + "2" * 32}, {"account_sid": ACCOUNT_SID, "call_sid": CALL_SID})
    assert built.mp3 == f"{API}/Calls/{CALL_SID}/Recordings/RE{'2' * 32}.mp3"


def test_outgoing_caller_id_create(api):
    api.post(f"{API}/OutgoingCallerIds.json", json={"phone_number": "+15551230000", "validation_code": "123456"})
    result = OutgoingCallerId.create(phone_number="+15551230000", friendly_name="Me")
    assert isinstance(result, ValidationRequest)
    assert result.validation_code == "123456"
    assert form(api.calls[0]) == [("PhoneNumber", "+15551230000"), ("FriendlyName", "Me")]
