"""Associations, proxies and scoped classes."""
from __future__ import annotations

import pytest

from flask_twilio_rb import (Account, AvailablePhoneNumber, Call, CallRecording, Conference, IncomingPhoneNumber,
                             Queue, SipDomain, UsageRecord, Participant, RecordingAddOnResultPayload)
from flask_twilio_rb.resources.proxies import Association, Proxy

from tests.resources.resource_helpers import api  # noqa: F401  (fixture)
from tests.resources.resource_helpers import ACCOUNT_SID, API, BASE, CALL_SID, SUB_SID, form, path, query, user

SUB_API = f"{BASE}/Accounts/{SUB_SID}"


def test_account_proxies(api):
    api.post(f"{SUB_API}/Calls.json", json={"sid": CALL_SID})
    api.get(f"{SUB_API}/Messages.json", json={"messages": [{"sid": "SM" + "1" * 32}]})
    account = Account({"sid": SUB_SID})
    call = account.calls.create(to="+1", from_="+2", url="http://x/t")
    assert call.sid == CALL_SID and call._scope == {"account_sid": SUB_SID}
    assert form(api.calls[0]) == [("To", "+1"), ("From", "+2"), ("Url", "http://x/t")]
    assert len(account.messages.all()) == 1
    assert len(account.sms.all()) == 1
    assert all(user(c) == ACCOUNT_SID for c in api.calls)
    assert path(api.calls[2]) == f"/2010-04-01/Accounts/{SUB_SID}/Messages.json"


def test_child_proxies(api):
    call = Call({"sid": CALL_SID, "account_sid": ACCOUNT_SID})
    api.get(f"{API}/Calls/{CALL_SID}/Recordings.json", json={"recordings": [{"sid": "RE" + "1" * 32}]})
    api.get(f"{API}/Calls/{CALL_SID}/Notifications.json", json={"notifications": []})
    recs = call.recordings.all()
    assert isinstance(recs[0], CallRecording)
    assert call.notifications.all() == []
    conf = Conference({"sid": "CF" + "1" * 32}, {"account_sid": ACCOUNT_SID})
    api.get(f"{API}/Conferences/CF{'1' * 32}/Participants.json", json={"participants": [{"call_sid": CALL_SID}]})
    (part,) = conf.participants.all()
    assert isinstance(part, Participant) and part.id == CALL_SID
    queue = Queue({"sid": "QU" + "1" * 32}, {"account_sid": ACCOUNT_SID})
    api.get(f"{API}/Queues/QU{'1' * 32}/Members.json", json={"queue_members": []})
    queue.members.all()
    domain = SipDomain({"sid": "SD" + "1" * 32}, {"account_sid": ACCOUNT_SID})
    api.get(f"{API}/SIP/Domains/SD{'1' * 32}/CredentialListMappings.json", json={})
    assert domain.credential_list_mappings.all() == []
    number = IncomingPhoneNumber({"sid": "PN" + "1" * 32}, {"account_sid": ACCOUNT_SID, "type": "local"})
    api.get(f"{API}/IncomingPhoneNumbers/PN{'1' * 32}/AssignedAddOns.json", json={})
    number.assigned_add_ons.all()
    assert len(api.calls) == 6


def test_child_of_hand_built_object_without_account():
    call = Call({"sid": CALL_SID})
    assert call.recordings.scope == {"call_sid": CALL_SID}
    payload = RecordingAddOnResultPayload({"sid": "XH" + "1" * 32, "reference_sid": "RE" + "1" * 32,
                                           "add_on_result_sid": "XR" + "1" * 32})
    from flask_twilio_rb.resources.proxies import child_scope
    from flask_twilio_rb import RecordingAddOnResultPayloadData
    assert child_scope(payload, RecordingAddOnResultPayloadData) == {
        "payload_sid": "XH" + "1" * 32, "reference_sid": "RE" + "1" * 32, "add_on_result_sid": "XR" + "1" * 32}


def test_proxy_iteration_and_repr(api):
    api.get(f"{API}/Calls/{CALL_SID}/Recordings.json", json={"recordings": [{"sid": "RE" + "1" * 32}]})
    call = Call({"sid": CALL_SID}, {"account_sid": ACCOUNT_SID})
    proxy = call.recordings
    assert [r.sid for r in proxy] == ["RE" + "1" * 32]
    assert repr(proxy) == f"<CallRecording proxy account_sid={ACCOUNT_SID!r} call_sid={CALL_SID!r}>"
    assert proxy._list_key == "recordings"
    assert proxy.create.__name__ == "create"
    assert proxy.create.__doc__ == CallRecording.create.__doc__
    assert isinstance(Call.recordings, Association)


def test_proxy_kwargs_override_scope(api):
    api.get(f"{SUB_API}/Calls/{CALL_SID}/Recordings.json", json={})
    Call({"sid": CALL_SID}, {"account_sid": ACCOUNT_SID}).recordings.all(account_sid=SUB_SID)
    assert path(api.calls[0]).startswith(f"/2010-04-01/Accounts/{SUB_SID}/")


def test_connect_proxy_keeps_connect_auth(api):
    api.get(f"{SUB_API}/Calls/{CALL_SID}.json", json={"sid": CALL_SID})
    api.post(f"{SUB_API}/Calls/{CALL_SID}/Recordings.json", json={"sid": "RE" + "1" * 32})
    call = Call.find(CALL_SID, account_sid=SUB_SID, connect=True)
    call.recordings.create()
    assert [user(c) for c in api.calls] == [SUB_SID, SUB_SID]


def test_usage_record_scoped(api):
    api.get(f"{API}/Usage/Records/Daily.json", json={"usage_records": [{"category": "calls"}]})
    (rec,) = UsageRecord.daily.all(category="calls")
    assert rec.category == "calls"
    assert query(api.calls[0]) == [("Category", "calls")]
    assert isinstance(UsageRecord.daily, Proxy)
    api.get(f"{API}/Usage/Records.json", json={})
    UsageRecord.all()


def test_available_numbers_and_purchase(api):
    api.get(f"{API}/AvailablePhoneNumbers/US/TollFree.json",
            json={"available_phone_numbers": [{"phone_number": "+18007777000"}]})
    api.post(f"{API}/IncomingPhoneNumbers.json", json={"sid": "PN" + "1" * 32, "phone_number": "+18007777000"})
    (number,) = AvailablePhoneNumber.all(area_code="917", contains="7777", country="US", type="toll_free")
    assert query(api.calls[0]) == [("AreaCode", "917"), ("Contains", "7777")]
    bought = number.purchase(voice_url="http://x")
    assert isinstance(bought, IncomingPhoneNumber) and bought.sid == "PN" + "1" * 32
    assert api.calls[1].request.method == "POST"
    assert form(api.calls[1]) == [("PhoneNumber", "+18007777000"), ("VoiceUrl", "http://x")]


def test_available_numbers_defaults_and_scoped(api):
    api.get(f"{API}/AvailablePhoneNumbers/US/Local.json", json={})
    api.get(f"{API}/AvailablePhoneNumbers/GB/Mobile.json", json={})
    AvailablePhoneNumber.all()
    AvailablePhoneNumber.mobile.all(country_code="GB")
    assert len(api.calls) == 2


def test_account_available_numbers(api):
    api.get(f"{SUB_API}/AvailablePhoneNumbers/US/Local.json", json={})
    Account({"sid": SUB_SID}).available_phone_numbers.all()
    assert len(api.calls) == 1


def test_incoming_number_local_create(api):
    api.post(f"{API}/IncomingPhoneNumbers/Local.json", json={"sid": "PN" + "1" * 32})
    api.delete(f"{API}/IncomingPhoneNumbers/PN{'1' * 32}.json", status=204)
    number = IncomingPhoneNumber.local.create(phone_number="+15551230000")
    assert form(api.calls[0]) == [("PhoneNumber", "+15551230000")]
    assert number.destroy() is True
    assert path(api.calls[1]) == f"/2010-04-01/Accounts/{ACCOUNT_SID}/IncomingPhoneNumbers/PN{'1' * 32}.json"


def test_missing_parent_error_names_kwarg(api):
    with pytest.raises(TypeError, match="pass conference_sid="):
        Participant.all()


def test_child_scope_keeps_a_complete_parent_scope():
    from flask_twilio_rb.resources.proxies import child_scope
    call = Call({"sid": CALL_SID}, {"account_sid": ACCOUNT_SID, "call_sid": "CA" + "9" * 32})
    assert child_scope(call, CallRecording) == {"account_sid": ACCOUNT_SID, "call_sid": "CA" + "9" * 32}


def test_account_scope_without_placeholder(api):
    api.get(f"{BASE}/Accounts/{SUB_SID}.json", json={"sid": SUB_SID})
    api.get(f"{BASE}/Accounts.json", json={"accounts": [{"sid": SUB_SID}]})
    assert Account.find(SUB_SID).sid == SUB_SID
    assert Account.all()[0] == Account({"sid": SUB_SID})


def test_connect_account_proxy_uses_connect_auth(api):
    api.get(f"{BASE}/Accounts/{SUB_SID}.json", json={"sid": SUB_SID})
    api.get(f"{SUB_API}/Calls.json", json={"calls": []})
    account = Account.find(SUB_SID, connect=True)
    assert account.calls.all(status="busy") == []
    assert user(api.calls[0]) == SUB_SID  # the connected account is the one the path names
    assert user(api.calls[1]) == SUB_SID
    assert query(api.calls[1]) == [("Status", "busy")]


def test_connect_account_reload_and_update_use_connect_auth(api):
    api.get(f"{BASE}/Accounts/{SUB_SID}.json", json={"sid": SUB_SID, "status": "active"})
    api.post(f"{BASE}/Accounts/{SUB_SID}.json", json={"sid": SUB_SID, "status": "suspended"})
    api.post(f"{BASE}/Accounts.json", json={"sid": SUB_SID}, status=201)
    account = Account.find(SUB_SID, connect=True).reload()
    account.update_attributes(status="suspended")
    Account.create(friendly_name="new", connect=True)  # no account in the path: the main credentials
    assert [user(c) for c in api.calls] == [SUB_SID, SUB_SID, SUB_SID, ACCOUNT_SID]
