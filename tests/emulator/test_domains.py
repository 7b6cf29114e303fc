"""The newer descriptions' shapes, over raw HTTP: what the generic CRUD does beyond 2010-04-01.

Verify, Lookups, Messaging Services and Content (the domains Flask apps reach for first) and
the shapes the issue names: ids that are not SIDs, percent-decoded; PUT and PATCH; JSON
bodies; ``meta`` paging across three pages; ISO 8601 dates; parents that must exist; the same
Basic auth and errors as the 2010-04-01 API.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Dict

import pytest
import requests

from flask_twilio_rb import Account, NewKey

from tests.emulator.emulator_helpers import Api

ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\Z")


@pytest.fixture
def service(api) -> Dict[str, Any]:
    return api("POST", "/verify/v2/Services", 201, data={"FriendlyName": "Login codes"})


# -- Verify ---------------------------------------------------------------------------------------

def test_a_verify_service_is_made_as_twilio_shows_it(api, emulator, service):
    assert service["sid"].startswith("VA") and len(service["sid"]) == 34
    assert service["account_sid"] == emulator.account_sid and service["friendly_name"] == "Login codes"
    assert ISO.match(service["date_created"]) and service["date_created"] == service["date_updated"]
    base = f"{emulator.base_url}/verify/v2/Services/{service['sid']}"
    assert service["url"] == base
    assert service["links"]["verifications"] == base + "/Verifications"
    assert service["links"]["verification_checks"] == base + "/VerificationCheck"
    assert api("GET", f"/verify/v2/Services/{service['sid']}", 200) == service


def test_verifications_live_under_their_service(api, service):
    path = f"/verify/v2/Services/{service['sid']}/Verifications"
    verification = api("POST", path, 201, data={"To": "+15558675310", "Channel": "sms"})
    assert verification["sid"].startswith("VE") and verification["service_sid"] == service["sid"]
    assert (verification["to"], verification["channel"]) == ("+15558675310", "sms")
    assert api("GET", f"{path}/{verification['sid']}", 200)["sid"] == verification["sid"]
    check = api("POST", f"/verify/v2/Services/{service['sid']}/VerificationCheck", 201,
                data={"To": "+15558675310", "Code": "123456"})
    assert check["sid"].startswith("VE") and check["to"] == "+15558675310"


def test_a_parent_must_exist(api):
    missing = "VA" + "0" * 32
    error = api.error("POST", f"/verify/v2/Services/{missing}/Verifications", 404,
                      data={"To": "+15558675310", "Channel": "sms"})
    assert error["code"] == 20404 and error["message"] == f"The requested resource /verify/v2/Services/{missing} " \
                                                          f"was not found"


def test_deleting_a_service_deletes_what_lives_under_it(api, service, emulator):
    path = f"/verify/v2/Services/{service['sid']}"
    verification = api("POST", f"{path}/Verifications", 201, data={"To": "+15558675310", "Channel": "sms"})
    assert api("DELETE", path, 204) is None
    api.error("GET", f"{path}/Verifications/{verification['sid']}", 404)
    assert emulator.records("verify.v2.FetchVerification") == []
    api.error("DELETE", path, 404)


def test_required_parameters_and_refused_values_are_20001(api, service):
    path = f"/verify/v2/Services/{service['sid']}/Verifications"
    assert "Missing required parameter Channel in the post body" in \
        api.error("POST", path, 400, data={"To": "+15558675310"})["message"]
    refused = api.error("POST", path, 400, data={"To": "+1", "Channel": "sms", "RiskCheck": "maybe"})
    assert refused["code"] == 20001 and "expected one of enable, disable" in refused["message"]
    unknown = api.error("POST", path, 400, data={"To": "+1", "Channel": "sms", "Colour": "red"})
    assert "Invalid parameter 'Colour'" in unknown["message"]


def test_an_update_is_a_post_to_the_instance(api, service):
    path = f"/verify/v2/Services/{service['sid']}"
    updated = api("POST", path, 200, data={"FriendlyName": "Renamed", "CodeLength": "8"})
    assert (updated["friendly_name"], updated["code_length"]) == ("Renamed", 8)
    assert updated["date_created"] == service["date_created"] and ISO.match(updated["date_updated"])
    assert api("GET", path, 200)["friendly_name"] == "Renamed"


# -- paging ---------------------------------------------------------------------------------------

def test_meta_paging_across_three_pages(api, emulator):
    made = [api("POST", "/verify/v2/Services", 201, data={"FriendlyName": f"s{n}"})["sid"] for n in range(5)]
    base = f"{emulator.base_url}/verify/v2/Services"
    page = api("GET", "/verify/v2/Services", 200, params={"PageSize": 2})
    seen, metas = [], []
    for _ in range(4):  # three pages, and a bound
        seen += [s["sid"] for s in page["services"]]
        metas.append(page["meta"])
        if page["meta"]["next_page_url"] is None:
            break
        page = api.session.get(page["meta"]["next_page_url"], timeout=10).json()
    assert seen == made[::-1]  # newest first, each once
    assert [m["page"] for m in metas] == [0, 1, 2] and all(m["key"] == "services" for m in metas)
    assert metas[0]["url"] == metas[0]["first_page_url"] == f"{base}?PageSize=2&Page=0"
    assert metas[0]["next_page_url"] == f"{base}?PageSize=2&Page=1&PageToken=PA{made[3]}"
    assert metas[2]["previous_page_url"] == metas[1]["url"] and metas[0]["previous_page_url"] is None


def test_list_filters_keep_equal_fields_and_any_of_a_repeated_one(api):
    workspace = api("POST", "/taskrouter/v1/Workspaces", 201, data={"FriendlyName": "Support"})["sid"]
    path = f"/taskrouter/v1/Workspaces/{workspace}/Activities"
    for name in ("Idle", "Busy", "Offline"):
        api("POST", path, 201, data={"FriendlyName": name})
    assert [a["friendly_name"] for a in api("GET", path, 200, params={"FriendlyName": "Busy"})["activities"]] == ["Busy"]
    either = api("GET", path, 200, params=[("FriendlyName", "Idle"), ("FriendlyName", "Offline")])["activities"]
    assert sorted(a["friendly_name"] for a in either) == ["Idle", "Offline"]


# -- Lookups: ids that are not SIDs ------------------------------------------------------------------

def test_a_phone_number_is_its_own_id_percent_decoded(api, emulator):
    seeded = emulator.seed("lookups.v2.FetchPhoneNumber", phone_number="+14155552671", valid=True,
                           national_format="(415) 555-2671")
    assert seeded["url"] == f"{emulator.base_url}/lookups/v2/PhoneNumbers/%2B14155552671"
    found = api("GET", "/lookups/v2/PhoneNumbers/%2B14155552671", 200, params={"Fields": "line_type_intelligence"})
    assert (found["phone_number"], found["valid"], found["national_format"]) == ("+14155552671", True,
                                                                                  "(415) 555-2671")
    assert api.error("GET", "/lookups/v1/PhoneNumbers/%2B1415555", 404)["message"] == \
        "The requested resource /lookups/v1/PhoneNumbers/%2B1415555 was not found"  # v1: an invalid number


def test_an_id_holding_a_slash_stays_one_segment(api):
    sync = api("POST", "/sync/v1/Services", 201, data={"FriendlyName": "app"})["sid"]
    assert sync.startswith("IS")
    map_sid = api("POST", f"/sync/v1/Services/{sync}/Maps", 201, data={"UniqueName": "settings"})["sid"]
    item = api("POST", f"/sync/v1/Services/{sync}/Maps/{map_sid}/Items", 201,
               data={"Key": "users/42", "Data": '{"theme": "dark"}'})
    assert item["key"] == "users/42" and item["data"] == {"theme": "dark"}  # Data is JSON, answered decoded
    assert item["url"].endswith("/Items/users%2F42")
    assert api("GET", f"/sync/v1/Services/{sync}/Maps/{map_sid}/Items/users%2F42", 200)["data"] == {"theme": "dark"}
    assert api("GET", f"/sync/v1/Services/{sync}/Maps/settings/Items/users%2F42", 200)["key"] == "users/42"
    bad = api.error("POST", f"/sync/v1/Services/{sync}/Maps/{map_sid}/Items", 400, data={"Key": "k", "Data": "{"})
    assert "Data is not valid" in bad["message"] and "expected json" in bad["message"]


def test_prefixed_maps_take_any_name_under_their_prefix(api, emulator):
    emulator.seed("lookups.v1.FetchPhoneNumber", phone_number="+14155552671")
    found = api("GET", "/lookups/v1/PhoneNumbers/%2B14155552671", 200,
                params={"AddOns": "payfone", "AddOns.payfone_tcpa_compliance.right_party_contacted_date": "2026"})
    assert found["phone_number"] == "+14155552671"
    api.error("GET", "/lookups/v1/PhoneNumbers/%2B14155552671", 400, params={"Extras.x": "1"})


# -- Messaging Services ------------------------------------------------------------------------------

def test_a_messaging_service_and_its_senders(api, emulator):
    service = api("POST", "/messaging/v1/Services", 201, data={"FriendlyName": "Bulk", "StickySender": "true"})
    assert service["sid"].startswith("MG") and service["sticky_sender"] is True
    path = f"/messaging/v1/Services/{service['sid']}/PhoneNumbers"
    bought = api("POST", f"/2010-04-01/Accounts/{emulator.account_sid}/IncomingPhoneNumbers.json", 201,
                 data={"PhoneNumber": "+14155550100"})
    number = api("POST", path, 201, data={"PhoneNumberSid": bought["sid"]})
    assert number["service_sid"] == service["sid"] and number["sid"] == bought["sid"]
    assert [n["sid"] for n in api("GET", path, 200)["phone_numbers"]] == [number["sid"]]
    assert [r["sid"] for r in emulator.records("messaging.v1.ListPhoneNumber")] == [number["sid"]]
    assert api.error("POST", path, 400, data={})["message"] == "Missing required parameter PhoneNumberSid in " \
                                                                "the post body."


# -- Content: JSON bodies, PUT -----------------------------------------------------------------------

def test_content_takes_a_json_body(api, emulator):
    content = api("POST", "/content/v1/Content", 201,
                  json={"friendly_name": "order", "language": "en", "variables": {"1": "name"},
                        "types": {"twilio/text": {"body": "Hi {{1}}"}}})
    assert content["sid"].startswith("HX") and content["types"] == {"twilio/text": {"body": "Hi {{1}}"}}
    assert content["variables"] == {"1": "name"} and ISO.match(content["date_created"])
    replaced = api("PUT", f"/content/v1/Content/{content['sid']}", 200,
                   json={"types": {"twilio/text": {"body": "Hello {{1}}"}}, "language": "fr"})
    assert replaced["types"]["twilio/text"]["body"] == "Hello {{1}}" and replaced["language"] == "fr"
    assert replaced["friendly_name"] == "order"
    assert [c["sid"] for c in api("GET", "/content/v1/Content", 200)["contents"]] == [content["sid"]]


@pytest.mark.parametrize("send, message", [
    ({"data": {"language": "en"}}, "takes a JSON body: send it with Content-Type: application/json"),
    ({"json": ["en"]}, "takes a JSON object as its body, not list"),
    ({"json": {"language": "en"}}, "Missing required parameter types in the JSON body"),
    ({"json": {"language": 5, "types": {}}}, "language is not valid: 5 (expected str)"),
    ({"json": {"language": "en", "types": "text"}}, "types is not valid: 'text' (expected obj)"),
    ({"json": {"language": "en", "types": {}, "colour": "red"}}, "Invalid member 'colour' in the JSON body"),
    ({"data": "{", "headers": {"Content-Type": "application/json"}}, "The request body is not valid JSON"),
])
def test_a_json_body_is_checked(api, send, message):
    error = api.error("POST", "/content/v1/Content", 400, **send)
    assert error["code"] == 20001 and message in error["message"]


def test_a_form_operation_refuses_json(api):
    error = api.error("POST", "/verify/v2/Services", 400, json={"FriendlyName": "x"})
    assert "takes a form body" in error["message"]


def test_json_members_take_json_types(api, service):
    path = f"/verify/v2/Services/{service['sid']}/Passkeys/Factors"
    factor = api("POST", path, 201, json={"friendly_name": "laptop", "identity": "user-1", "config": None})
    assert factor["identity"] == "user-1"
    lists = api("POST", "/lookups/v2/batch/query", 200, json={"phone_numbers": [{"phone_number": "+1"}]})
    assert lists["phone_numbers"] == [{"phone_number": "+1"}]
    assert "phone_numbers is not valid" in api.error("POST", "/lookups/v2/batch/query", 400,
                                                     json={"phone_numbers": ["+1"]})["message"]
    typed = api.error("PUT", "/lookups/v2/RateLimits/Fields/line_type/Bucket/b1", 400, json={"limit": True})
    assert "limit is not valid: True (expected int)" in typed["message"]


def test_a_body_the_description_leaves_open_takes_any_member(api):
    configured = api("POST", "/flex-api/v1/Configuration", 200, json={"ui_language": "fr", "anything": [1]})
    assert configured["ui_language"] == "fr"


# -- PATCH, singletons, unique names, dates -----------------------------------------------------------

def test_operations_the_description_answers_with_no_body_answer_204(api, emulator):
    alarm = api("POST", "/monitor/v2/Alarms", 201, json={
        "friendlyName": "calls", "queryType": "ERROR_CODE", "triggerValue": 5, "timeWindow": "ONE_HOUR",
        "description": "too many", "enabled": True})
    assert list(alarm) == ["sid"] and alarm["sid"].startswith("AK")  # what this description answers a create with
    shown = api("GET", f"/monitor/v2/Alarms/{alarm['sid']}", 200)
    assert shown["friendlyName"] == "calls" and ISO.match(shown["dateCreated"])  # its fields are camelCase
    replaced = api("PUT", f"/monitor/v2/Alarms/{alarm['sid']}", 200, json={
        "friendlyName": "calls", "queryType": "ERROR_CODE", "triggerValue": 9, "timeWindow": "ONE_DAY",
        "description": "far too many", "enabled": True})
    assert replaced == {"sid": alarm["sid"]}
    again = api("GET", f"/monitor/v2/Alarms/{alarm['sid']}", 200)
    assert (again["triggerValue"], again["timeWindow"]) == (9, "ONE_DAY") and ISO.match(again["dateUpdated"])
    answer = api.session.put(f"{emulator.base_url}/monitor/v2/Alarms/{alarm['sid']}/status",
                             json={"enabled": False}, timeout=10)
    assert (answer.status_code, answer.content) == (204, b"")
    [status] = emulator._backend.store.newest_first(
        f"/Accounts/{emulator.account_sid}/monitor/v2/Alarms/{alarm['sid']}/status")
    assert status["_emulator"]["params"] == {"enabled": False}  # kept, though the description shows no field
    assert ISO.match(status["date_updated"])


def test_a_scim_user_is_patched(api):
    org = "OR" + "0" * 32
    user = api("POST", f"/preview-iam/Organizations/{org}/scim/Users", 201,
               json={"userName": "ada@example.com", "displayName": "Ada"})
    path = f"/preview-iam/Organizations/{org}/scim/Users/{user['id']}"
    patched = api("PATCH", path, 200, json={"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                                            "Operations": [{"op": "replace", "path": "active", "value": False}]})
    assert patched["id"] == user["id"] and patched["userName"] == "ada@example.com"
    assert api("PUT", path, 200, json={"userName": "ada@example.org"})["userName"] == "ada@example.org"


def test_a_singleton_exists_from_the_start_and_keeps_its_changes(api, emulator):
    first = api("GET", "/conversations/v1/Configuration", 200)
    assert first["account_sid"] == emulator.account_sid and first["url"] == f"{emulator.base_url}" \
                                                                             f"/conversations/v1/Configuration"
    api("POST", "/conversations/v1/Configuration", 200, data={"DefaultClosedTimer": "PT10M"})
    assert api("GET", "/conversations/v1/Configuration", 200)["default_closed_timer"] == "PT10M"
    assert len(emulator.records("conversations.v1.FetchConfiguration")) == 1


def test_a_singleton_under_a_parent_needs_the_parent(api):
    api.error("GET", f"/conversations/v1/Services/IS{'0' * 32}/Configuration", 404)
    chat = api("POST", "/conversations/v1/Services", 201, data={"FriendlyName": "chat"})["sid"]
    assert api("GET", f"/conversations/v1/Services/{chat}/Configuration", 200)["chat_service_sid"] == chat


def test_a_conversation_is_named_by_sid_or_unique_name(api):
    conversation = api("POST", "/conversations/v1/Conversations", 201, data={"UniqueName": "support-42"})
    by_name = api("GET", "/conversations/v1/Conversations/support-42", 200)
    assert by_name["sid"] == conversation["sid"] and conversation["sid"].startswith("CH")
    message = api("POST", "/conversations/v1/Conversations/support-42/Messages", 201, data={"Body": "hello"})
    assert message["conversation_sid"] == conversation["sid"]  # the children live under the SID
    listed = api("GET", f"/conversations/v1/Conversations/{conversation['sid']}/Messages", 200)
    assert [m["sid"] for m in listed["messages"]] == [message["sid"]]
    clash = api.error("POST", "/conversations/v1/Conversations", 409, data={"UniqueName": "support-42"})
    assert clash["code"] == 20409 and "support-42" in clash["message"]


def test_dates_are_written_as_each_schema_says(api, emulator):
    key = api("POST", "/iam/v1/Keys", 201, data={"AccountSid": emulator.account_sid, "FriendlyName": "ci"})
    created = dt.datetime.strptime(key["date_created"], "%a, %d %b %Y %H:%M:%S %z")  # RFC 2822, as 2010-04-01
    assert abs(created - dt.datetime.now(dt.timezone.utc)) < dt.timedelta(minutes=5)
    flow = api("POST", "/studio/v2/Flows", 201, data={"FriendlyName": "f", "Status": "draft", "Definition": "{}"})
    assert ISO.match(flow["date_created"]) and flow["definition"] == {}


# -- auth and errors ----------------------------------------------------------------------------------

def test_credentials_are_checked_before_anything_else(api, emulator):
    assert requests.get(f"{emulator.base_url}/verify/v2/Services", timeout=5).status_code == 401
    wrong = requests.get(f"{emulator.base_url}/verify/v2/Services", auth=(emulator.account_sid, "x"), timeout=5)
    assert wrong.status_code == 401 and wrong.json()["code"] == 20003
    assert requests.get(f"{emulator.base_url}/nowhere/v1/Things", timeout=5).json()["code"] == 20404


def test_unknown_paths_and_methods(api):
    assert api.error("GET", "/verify/v2/Nothing", 404)["code"] == 20404
    assert api.error("GET", "/nowhere/v1/Things", 404)["message"] == "The requested resource /nowhere/v1/Things " \
                                                                     "was not found"
    assert api.error("PATCH", "/verify/v2/Services", 405)["code"] == 20004
    assert api.error("PUT", "/2010-04-01/Accounts.json", 405)["code"] == 20004


def test_each_account_sees_its_own_records(api, emulator, service):
    sub = Account.create(friendly_name="customer")
    theirs = Api(emulator, (sub.sid, sub.auth_token))
    assert theirs("GET", "/verify/v2/Services", 200)["services"] == []
    theirs.error("GET", f"/verify/v2/Services/{service['sid']}", 404)
    own = theirs("POST", "/verify/v2/Services", 201, data={"FriendlyName": "theirs"})
    assert own["account_sid"] == sub.sid
    assert [s["sid"] for s in emulator.records("verify.v2.FetchService", account_sid=sub.sid)] == [own["sid"]]
    assert [s["sid"] for s in api("GET", "/verify/v2/Services", 200)["services"]] == [service["sid"]]
    connected = Api(emulator, (sub.sid, emulator.auth_token))  # Twilio Connect: the owner's token
    assert [s["sid"] for s in connected("GET", "/verify/v2/Services", 200)["services"]] == [own["sid"]]
    sub.update_attributes(status="suspended")
    assert theirs.error("GET", "/verify/v2/Services", 403)["code"] == 20403


def test_an_api_key_works_beyond_2010_04_01(emulator):
    key = NewKey.create(friendly_name="deploy")
    with_key = Api(emulator, (key.sid, key.secret))
    made = with_key("POST", "/verify/v2/Services", 201, data={"FriendlyName": "by key"})
    assert made["account_sid"] == emulator.account_sid


def test_the_rate_limit_counts_the_other_products_too():
    from tests.emulator.emulator_helpers import running

    with running(rate_limit=2, callbacks=False) as emu:
        api = Api(emu)
        statuses = [api.session.get(f"{emu.base_url}/verify/v2/Services", timeout=5).status_code for _ in range(4)]
        assert statuses[:2] == [200, 200] and 429 in statuses[2:]
