"""create / find / all / each / count / update / delete, scope and path checks."""
from __future__ import annotations

import datetime as dt

import pytest
import responses

from flask import Flask
from flask_twilio_rb import (APIError, Call, CallRecording, Conference, Message, Notification, TwilioRB,
                             UsageRecord, Account, SMS)
from flask_twilio_rb.resources.paths import path_segment

from tests.resources.resource_helpers import api  # noqa: F401  (fixture)
from tests.resources.resource_helpers import ACCOUNT_SID, API, BASE, CALL_SID, CALL_SID2, SUB_SID, form, path, query, user


def _call(sid=CALL_SID, **extra):
    return {"sid": sid, "account_sid": ACCOUNT_SID, "status": "queued", **extra}


@pytest.mark.no_contract  # IfMachine: the seed's parameter, retired from today's spec, still encoded right
def test_create_posts_form(api):
    api.post(f"{API}/Calls.json", json=_call(), status=201)
    call = Call.create(to="+15551230000", from_="+15557654321", url="http://x/twiml",
                       status_callback="http://x/cb", if_machine="Continue", method="post",
                       record=True, fallback_url=None)
    req = api.calls[0]
    assert req.request.method == "POST"
    assert path(req) == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json"
    assert form(req) == [("To", "+15551230000"), ("From", "+15557654321"), ("Url", "http://x/twiml"),
                         ("StatusCallback", "http://x/cb"), ("IfMachine", "Continue"), ("Method", "POST"),
                         ("Record", "true")]
    assert user(req) == ACCOUNT_SID
    assert isinstance(call, Call) and call.sid == CALL_SID and call.status == "queued"


def test_create_with_from_keyword(api):
    api.post(f"{API}/Messages.json", json={"sid": "SM" + "1" * 32})
    Message.create(**{"from": "+1555", "to": "+1666", "body": "hi"})
    assert ("From", "+1555") in form(api.calls[0])


def test_find(api):
    api.get(f"{API}/Calls/{CALL_SID}.json", json=_call())
    call = Call.find(CALL_SID)
    assert call.sid == CALL_SID
    assert api.calls[0].request.method == "GET"


def test_find_404_is_none(api):
    api.get(f"{API}/Calls/{CALL_SID}.json", json={"code": 20404, "message": "nope"}, status=404)
    assert Call.find(CALL_SID) is None


def test_find_other_error_raises(api):
    api.get(f"{API}/Calls/{CALL_SID}.json", json={"code": 20003, "message": "auth"}, status=401)
    with pytest.raises(APIError) as info:
        Call.find(CALL_SID)
    assert info.value.status == 401


@pytest.mark.parametrize("bad", ["nonsense", "../../Accounts", "CA123", "", "SM" + "1" * 32])
def test_find_malformed_sid_sends_nothing(api, bad):
    assert Call.find(bad) is None
    assert len(api.calls) == 0


def test_find_non_string_sid(api):
    with pytest.raises(TypeError, match="must be a string"):
        Call.find(123)


def test_find_unexpected_kwargs(api):
    with pytest.raises(TypeError, match=r"Call.find\(\) got unexpected bogus, to"):
        Call.find(CALL_SID, to="x", bogus=1)
    assert len(api.calls) == 0


def test_all_one_page_with_paging(api):
    api.get(f"{API}/Calls.json", json={"calls": [_call(), _call(CALL_SID2)], "next_page_uri": "/x"})
    calls = Call.all(page=2, page_size=2, to="+1555", status="completed")
    assert [c.sid for c in calls] == [CALL_SID, CALL_SID2]
    assert len(api.calls) == 1
    assert query(api.calls[0]) == [("Page", "2"), ("PageSize", "2"), ("To", "+1555"), ("Status", "completed")]


def test_all_empty_page(api):
    api.get(f"{API}/Calls.json", json={"calls": None})
    assert Call.all() == []


def test_call_date_range(api):
    api.get(f"{API}/Calls.json", json={"calls": []})
    Call.all(started_after=dt.date(2024, 1, 1), ended_before=dt.date(2024, 2, 1))
    assert query(api.calls[0]) == [("StartTime>", "2024-01-01"), ("EndTime<", "2024-02-01")]


@pytest.mark.parametrize("cls, url, kwarg, name", [
    (Message, f"{API}/Messages.json", "sent_after", "DateSent>"),
    (Message, f"{API}/Messages.json", "created_before", "DateSent<"),
    (Notification, f"{API}/Notifications.json", "created_after", "MessageDate>"),
    (Conference, f"{API}/Conferences.json", "created_after", "DateCreated>"),
    (Conference, f"{API}/Conferences.json", "updated_before", "DateUpdated<"),
])
def test_date_filters(api, cls, url, kwarg, name):
    api.get(url, json={})
    cls.all(**{kwarg: dt.date(2024, 5, 6)})
    assert query(api.calls[0]) == [(name, "2024-05-06")]


def _pages(api, n_first=2):
    first = {"calls": [_call(), _call(CALL_SID2)], "next_page_uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json?Page=1&PageToken=PT1"}
    second = {"calls": [_call("CA" + "3" * 32)], "next_page_uri": None}
    api.get(f"{API}/Calls.json", json=first, match=[responses.matchers.query_param_matcher({"Status": "busy"})])
    api.get(f"{API}/Calls.json", json=second,
            match=[responses.matchers.query_param_matcher({"Page": "1", "PageToken": "PT1"})])


def test_each_is_lazy_and_follows_next_page(api):
    _pages(api)
    it = Call.each(status="busy")
    assert len(api.calls) == 0
    first = next(it)
    assert first.sid == CALL_SID and len(api.calls) == 1
    rest = list(it)
    assert [c.sid for c in rest] == [CALL_SID2, "CA" + "3" * 32]
    assert len(api.calls) == 2
    assert query(api.calls[1]) == [("Page", "1"), ("PageToken", "PT1")]


def test_each_limit(api):
    _pages(api)
    assert [c.sid for c in Call.each(limit=2, status="busy")] == [CALL_SID, CALL_SID2]
    assert len(api.calls) == 1


def test_each_limit_zero_sends_nothing(api):
    assert list(Call.each(limit=0)) == []
    assert len(api.calls) == 0


def test_count_uses_big_pages_across_pages(api):
    api.get(f"{API}/Calls.json", json={"calls": [_call(), _call(CALL_SID2)], "next_page_uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json?PageSize=1000&Page=1&PageToken=PT1"})
    api.get(f"{API}/Calls.json?PageSize=1000&Page=1&PageToken=PT1", json={"calls": [_call()]})
    assert Call.count(status="busy") == 3
    assert query(api.calls[0]) == [("Status", "busy"), ("PageSize", "1000")]


def test_update_and_delete_by_sid(api):
    api.post(f"{API}/Calls/{CALL_SID}.json", json=_call(status="completed"))
    api.delete(f"{API}/Calls/{CALL_SID}.json", status=204)
    call = Call.update(CALL_SID, status="completed")
    assert call.status == "completed"
    assert form(api.calls[0]) == [("Status", "completed")]
    assert Call.delete(CALL_SID) is True
    assert api.calls[1].request.method == "DELETE"


def test_delete_unexpected_kwargs(api):
    with pytest.raises(TypeError, match="takes account_sid, account, connect"):
        Call.delete(CALL_SID, status="x")


def test_scope_account_sid_and_account_object(api):
    sub_api = f"{BASE}/Accounts/{SUB_SID}"
    api.get(f"{sub_api}/Calls.json", json={"calls": []})
    api.post(f"{sub_api}/Calls.json", json=_call())
    Call.all(account_sid=SUB_SID)
    sub = Account({"sid": SUB_SID})
    Call.create(account=sub, to="+1", from_="+2", url="http://x/t")
    for req in api.calls:
        assert path(req).startswith(f"/2010-04-01/Accounts/{SUB_SID}/")
        assert user(req) == ACCOUNT_SID
    assert query(api.calls[0]) == []
    assert form(api.calls[1]) == [("To", "+1"), ("From", "+2"), ("Url", "http://x/t")]


def test_connect_uses_account_sid_as_username(api):
    sub_api = f"{BASE}/Accounts/{SUB_SID}"
    api.get(f"{sub_api}/Calls/{CALL_SID}.json", json=_call())
    api.post(f"{sub_api}/Calls/{CALL_SID}.json", json=_call())
    call = Call.find(CALL_SID, account_sid=SUB_SID, connect=True)
    call.update_attributes(status="canceled")
    assert [user(r) for r in api.calls] == [SUB_SID, SUB_SID]
    assert form(api.calls[1]) == [("Status", "canceled")]
    assert "connect" not in api.calls[0].request.url.lower()


def test_path_values_checked(api):
    with pytest.raises(ValueError, match="not a valid SID"):
        CallRecording.all(call_sid="../x")
    with pytest.raises(TypeError, match="call_sid=..."):
        CallRecording.all()
    with pytest.raises(TypeError, match="call_sid must be a string"):
        CallRecording.all(call_sid=5)
    with pytest.raises(ValueError, match="'weekly' is not one of"):
        UsageRecord.all(period="weekly")
    assert len(api.calls) == 0


def test_path_segment_free_text():
    assert path_segment("name", "a b/c", None) == "a%20b%2Fc"
    for bad in ("", ".", ".."):
        with pytest.raises(ValueError, match="cannot be used in a URL"):
            path_segment("name", bad, None)
    assert path_segment("message_sid", "MM" + "a" * 32, "SM|MM")
    with pytest.raises(ValueError, match="SM or MM"):
        path_segment("message_sid", "XX" + "a" * 32, "SM|MM")


def test_sms_uses_messages(api):
    api.post(f"{API}/Messages.json", json={"sid": "SM" + "1" * 32})
    sms = SMS.create(to="+1", body="x")
    assert isinstance(sms, SMS)


def test_notification_destroy_retired(api):
    from flask_twilio_rb import RetiredOperationError
    note = Notification({"sid": "NO" + "1" * 32}, {"account_sid": ACCOUNT_SID})
    with pytest.raises(RetiredOperationError):
        note.destroy()
    with pytest.raises(RetiredOperationError):
        Notification.delete("NO" + "1" * 32)
    assert len(api.calls) == 0


def test_app_context_uses_app_credentials(configured):
    other = "AC" + "c" * 32
    app = Flask(__name__)
    app.config.update(TWILIO_ACCOUNT_SID=other, TWILIO_AUTH_TOKEN="t" * 32)
    TwilioRB(app)
    with responses.RequestsMock() as mock, app.app_context():
        mock.get(f"{BASE}/Accounts/{other}/Calls.json", json={"calls": []})
        Call.all()
        assert user(mock.calls[0]) == other
