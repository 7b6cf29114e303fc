"""``client.record()``: every request recorded with its resource, action, operationId and parameters."""
from __future__ import annotations

import threading

import pytest
import responses

from flask_twilio_rb import APIError, AvailablePhoneNumber, Config, Balance, Call, Message, UsageRecord, get_client
from flask_twilio_rb.signals import request_sent

from tests.resources.resource_helpers import api  # noqa: F401  (fixture)
from tests.resources.resource_helpers import ACCOUNT_SID, API, CALL_SID

MESSAGE_SID = "SM" + "1" * 32


def test_create_is_recorded_with_operation_and_params(api):
    api.post(f"{API}/Messages.json", json={"sid": MESSAGE_SID}, status=201)
    with get_client().record() as outbox:
        Message.create(to="+15005550006", from_="+15005550001", body="Hi", media_url=["http://a/1.png", "http://a/2.png"])
    [sent] = outbox
    assert sent.method == "POST"
    assert sent.path == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    assert (sent.resource, sent.action, sent.operation) == ("Message", "create", "CreateMessage")
    assert sent.params == {"To": "+15005550006", "From": "+15005550001", "Body": "Hi",
                           "MediaUrl": ["http://a/1.png", "http://a/2.png"]}


def test_each_action_is_named(api):
    api.get(f"{API}/Calls/{CALL_SID}.json", json={"sid": CALL_SID})
    api.post(f"{API}/Calls/{CALL_SID}.json", json={"sid": CALL_SID, "status": "canceled"})
    api.delete(f"{API}/Calls/{CALL_SID}.json", status=204)
    api.get(f"{API}/Calls.json", json={"calls": [], "next_page_uri": None})
    with get_client().record() as outbox:
        call = Call.find(CALL_SID)
        call.update_attributes(status="canceled")
        call.destroy()
        Call.all(status="completed")
    assert [(s.action, s.operation) for s in outbox] == [
        ("fetch", "FetchCall"), ("update", "UpdateCall"), ("delete", "DeleteCall"), ("list", "ListCall")]
    assert outbox[3].params == {"Status": "completed"}
    assert outbox.of("Call", "update") == [outbox[1]]
    assert outbox.of("Message") == []


def test_singleton_and_choice_operations(api):
    api.get(f"{API}/Balance.json", json={"balance": "1.00", "currency": "USD"})
    api.get(f"{API}/Usage/Records/Daily.json", json={"usage_records": [], "next_page_uri": None})
    api.get(f"{API}/Usage/Records.json", json={"usage_records": [], "next_page_uri": None})
    api.get(f"{API}/AvailablePhoneNumbers/GB/TollFree.json", json={"available_phone_numbers": []})
    with get_client().record() as outbox:
        Balance.reload()
        UsageRecord.daily.all()
        UsageRecord.all()
        AvailablePhoneNumber.toll_free.all(country="GB")
    assert [(s.resource, s.action, s.operation) for s in outbox] == [
        ("Balance", "fetch", "FetchBalance"), ("UsageRecord", "list", "ListUsageRecordDaily"),
        ("UsageRecord", "list", "ListUsageRecord"),
        ("AvailablePhoneNumber", "list", "ListAvailablePhoneNumberTollFree")]


def test_failed_request_is_recorded_too(api):
    api.post(f"{API}/Messages.json", json={"code": 21211, "message": "Invalid 'To'"}, status=400)
    with get_client().record() as outbox:
        with pytest.raises(APIError):
            Message.create(to="x", from_="+15005550006", body="Hi")
    assert outbox[0].params["To"] == "x"


def test_request_without_a_resource(api):
    api.get(f"{API}/Calls.json", json={"calls": []})
    with get_client().record() as outbox:
        get_client().request("GET", f"/2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json", params=[("To", "+1")])
    assert outbox[0][2:6] == (None, "fetch", None, {"To": "+1"})
    assert (outbox[0].host, outbox[0].json) == ("api.twilio.com", None)


def test_blocks_nest_and_close(api):
    api.get(f"{API}/Calls/{CALL_SID}.json", json={"sid": CALL_SID})
    client = get_client()
    before = dict(request_sent.receivers)  # (other receivers may be connected: an app's, yours)
    with client.record() as outer:
        Call.find(CALL_SID)
        with client.record() as inner:
            Call.find(CALL_SID)
        Call.find(CALL_SID)
    Call.find(CALL_SID)
    assert (len(outer), len(inner), request_sent.receivers) == (3, 1, before)


def test_outbox_is_closed_after_an_exception(api):
    client = get_client()
    before = dict(request_sent.receivers)
    with pytest.raises(RuntimeError):
        with client.record():
            raise RuntimeError("boom")
    assert request_sent.receivers == before


def test_threads_record_into_one_outbox(api):
    api.get(f"{API}/Calls/{CALL_SID}.json", json={"sid": CALL_SID})
    with get_client().record() as outbox:
        threads = [threading.Thread(target=lambda: [Call.find(CALL_SID) for _ in range(20)]) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(outbox) == 80


def test_app_client_records(app_ctx):
    from flask import current_app

    with responses.RequestsMock() as mock:
        mock.get(f"{API}/Calls/{CALL_SID}.json", json={"sid": CALL_SID})
        with current_app.twilio.record() as outbox:
            Call.find(CALL_SID)
    assert outbox[0].operation == "FetchCall"


def test_script_outbox_survives_a_new_configuration(api):
    api.get(f"{API}/Calls/{CALL_SID}.json", json={"sid": CALL_SID})
    with get_client().record() as outbox:
        Call.find(CALL_SID)
        Config.setup(timeout=5)  # a new script client from here on
        Call.find(CALL_SID)
    assert get_client().settings.timeout == 5 and len(outbox) == 2


def test_an_apps_block_records_only_that_apps_client(api, app):
    api.get(f"{API}/Calls/{CALL_SID}.json", json={"sid": CALL_SID})
    with app.twilio.record() as outbox:
        Call.find(CALL_SID)  # the script client (no app context)
        with app.app_context():
            Call.find(CALL_SID)
    assert len(outbox) == 1
