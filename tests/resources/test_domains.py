"""The shapes the newer descriptions add, through ``responses``: each request's method, host, path, query, body and auth.

A non-SID id (``PhoneNumber.find("+14155552671")``), PUT and PATCH, JSON bodies, ``meta`` paging
across pages, parents passed as objects, singletons and creates that name their instance.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Dict

import pytest
import responses

from flask_twilio_rb import APIError, get_client
from flask_twilio_rb import content, flex_api, lookups, messaging, studio, sync, verify

from tests.resources.resource_helpers import ACCOUNT_SID, api, form, query, sid, user  # noqa: F401  (fixtures)

VERIFY = "https://verify.twilio.com/v2"
SERVICE = sid("VA")


def body(call: Any) -> Any:
    return json.loads(call.request.body)


def test_a_phone_number_is_an_id_percent_encoded_into_the_path(api):
    api.get("https://lookups.twilio.com/v2/PhoneNumbers/%2B14155552671",
            json={"phone_number": "+14155552671", "valid": True, "line_type_intelligence": {"type": "mobile"}})
    number = lookups.PhoneNumber.find("+14155552671", fields="line_type_intelligence", country_code="US")
    call = api.calls[0]
    assert call.request.method == "GET"
    assert call.request.url.startswith("https://lookups.twilio.com/v2/PhoneNumbers/%2B14155552671?")
    assert query(call) == [("Fields", "line_type_intelligence"), ("CountryCode", "US")]
    assert user(call) == ACCOUNT_SID and call.request.body is None
    assert number.id == "+14155552671" and number.line_type_intelligence["type"] == "mobile"


def test_a_non_sid_id_cannot_leave_its_path_segment(api):
    api.get("https://lookups.twilio.com/v2/PhoneNumbers/..%2F..%2FServices", status=404, json={"status": 404})
    assert lookups.PhoneNumber.find("../../Services") is None
    assert api.calls[0].request.url == "https://lookups.twilio.com/v2/PhoneNumbers/..%2F..%2FServices"
    assert lookups.PhoneNumber.find("..") is None  # answered without a request
    assert len(api.calls) == 1


def test_a_malformed_sid_answers_none_without_a_request(api):
    assert verify.Service.find("VA-not-a-sid") is None
    assert verify.Service.find("MG" + "1" * 32) is None  # a SID, of another kind
    assert len(api.calls) == 0


def test_an_answer_without_its_id_keeps_the_one_it_was_found_by(api):
    api.get("https://lookups.twilio.com/v2/PhoneNumbers/%2B14155552671/Overrides/line_type",
            json={"overridden_line_type": "mobile"})
    override = lookups.LookupOverride.find("line_type", phone_number="+14155552671")
    assert override.id == "line_type" and override.overridden_line_type == "mobile"


def test_a_json_create_sends_the_descriptions_keys_as_json(api):
    api.post("https://content.twilio.com/v1/Content", json={"sid": sid("HX"), "friendly_name": "welcome"}, status=201)
    created = content.Content.create(friendly_name="welcome", language="en", variables={"1": "name"},
                                     types={"twilio/text": {"body": "Hi {{1}}"}})
    call = api.calls[0]
    assert (call.request.method, call.request.headers["Content-Type"]) == ("POST", "application/json")
    assert body(call) == {"friendly_name": "welcome", "language": "en", "variables": {"1": "name"},
                          "types": {"twilio/text": {"body": "Hi {{1}}"}}}
    assert user(call) == ACCOUNT_SID and created.sid == sid("HX")


def test_json_keys_the_description_spells_in_camel_case_are_sent_so(api):
    from flask_twilio_rb import monitor

    api.post("https://monitor.twilio.com/v2/Alarms", json={"sid": sid("AL")}, status=201)
    monitor.Alarm.create(friendly_name="errors", query_type="ERROR_CODE", trigger_value=5, time_window="ONE_HOUR",
                         description="d", enabled=True)
    assert body(api.calls[0]) == {"friendlyName": "errors", "queryType": "ERROR_CODE", "triggerValue": 5,
                                  "timeWindow": "ONE_HOUR", "description": "d", "enabled": True}


def test_json_values_dates_decimals_and_containers():
    from decimal import Decimal

    from flask_twilio_rb.resources.params import json_object

    sent = json_object({"when": datetime(2026, 1, 1, tzinfo=timezone.utc), "day": datetime(2026, 1, 1).date(),
                        "price": Decimal("1.5"), "items": ({"n": 1}, None), "skip": None, "raw_id": "x"},
                       {"raw_id": "rawId"})
    assert sent == {"when": "2026-01-01T00:00:00Z", "day": "2026-01-01", "price": 1.5, "items": [{"n": 1}, None],
                    "rawId": "x"}
    with pytest.raises(TypeError, match="when got a naive datetime"):
        json_object({"when": datetime(2026, 1, 1)}, {})
    with pytest.raises(TypeError, match="blob got a bytes"):
        json_object({"blob": b"x"}, {})


def test_put_replaces_with_a_json_body(api):
    api.put(f"https://content.twilio.com/v1/Content/{sid('HX')}", json={"sid": sid("HX"), "language": "fr"})
    updated = content.Content.update(sid("HX"), types={"twilio/text": {"body": "Salut"}}, language="fr")
    call = api.calls[0]
    assert call.request.method == "PUT" and call.request.headers["Content-Type"] == "application/json"
    assert body(call) == {"types": {"twilio/text": {"body": "Salut"}}, "language": "fr"}
    assert updated.language == "fr"


def test_put_on_an_instance_refreshes_it(api):
    api.put(f"https://content.twilio.com/v1/Content/{sid('HX')}", json={"sid": sid("HX"), "friendly_name": "b"})
    item = content.Content({"sid": sid("HX"), "friendly_name": "a"})
    assert item.update_attributes(types={}, friendly_name="b") is item and item.friendly_name == "b"


def test_patch_sends_a_partial_change(api):
    from flask_twilio_rb import preview_iam

    organization, user_sid = sid("OR"), sid("US")
    url = f"https://preview-iam.twilio.com/Organizations/{organization}/scim/Users/{user_sid}"
    api.patch(url, json={"id": user_sid, "active": False})
    person = preview_iam.User({"id": user_sid}, {"organization_sid": organization, "user_sid": user_sid})
    person.patch(schemas=["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 operations=[{"op": "replace", "path": "active", "value": False}])
    call = api.calls[0]
    assert (call.request.method, call.request.url) == ("PATCH", url)
    assert body(call) == {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                          "Operations": [{"op": "replace", "path": "active", "value": False}]}
    assert person.active is False


def test_a_patch_update_with_a_form_goes_to_a_singleton(api):
    from flask_twilio_rb import accounts

    api.patch("https://accounts.twilio.com/v1/Messaging/GeoPermissions", json={"permissions": []})
    accounts.MessagingGeopermissions.update(permissions=["US"])
    call = api.calls[0]
    assert call.request.method == "PATCH" and form(call) == [("Permissions", "US")]


def test_form_fields_typed_as_objects_take_a_dict_as_json_text(api):
    api.post(f"https://sync.twilio.com/v1/Services/{sid('IS')}/Documents", json={"sid": sid("ET")}, status=201)
    sync.Document.create(service_sid=sid("IS"), unique_name="cart", data={"items": [1, 2]})
    assert form(api.calls[0]) == [("UniqueName", "cart"), ("Data", '{"items":[1,2]}')]
    with pytest.raises(TypeError, match="UniqueName got a dict"):
        sync.Document.create(service_sid=sid("IS"), unique_name={"not": "a name"})


def test_dotted_and_lower_case_names_are_sent_as_the_description_spells_them(api):
    from flask_twilio_rb import conversations

    api.post(f"https://conversations.twilio.com/v1/Conversations/{sid('CH')}/Webhooks", status=201,
             json={"sid": sid("WH")})
    conversations.ConversationWebhook.create(conversation_sid=sid("CH"), target="webhook",
                                             configuration_url="https://example.com/hook",
                                             configuration_method="GET", configuration_filters=["onMessageAdded"])
    assert form(api.calls[0]) == [("Target", "webhook"), ("Configuration.Url", "https://example.com/hook"),
                                  ("Configuration.Method", "get"), ("Configuration.Filters", "onMessageAdded")]


def test_a_keyword_that_means_two_names_is_sent_as_each_operation_names_it(api):
    flow, execution = sid("FW"), sid("FN")
    api.get(f"https://studio.twilio.com/v2/Flows/{flow}/Executions", json={"executions": [], "meta": {}})
    api.post(f"https://studio.twilio.com/v2/Flows/{flow}/Executions/{execution}", json={"sid": execution})
    studio.Execution.all(flow_sid=flow, status="ended")
    studio.Execution.update(execution, flow_sid=flow, status="ended")
    assert query(api.calls[0]) == [("status", "ended")]
    assert form(api.calls[1]) == [("Status", "ended")]


def test_the_parent_as_an_id_or_as_an_object(api):
    api.post(f"{VERIFY}/Services/{SERVICE}/Verifications", json={"sid": sid("VE"), "status": "pending"}, status=201)
    service = verify.Service({"sid": SERVICE, "friendly_name": "Login"})
    by_id = verify.Verification.create(service_sid=SERVICE, to="+15005550006", channel="sms")
    by_object = verify.Verification.create(service=service, to="+15005550006", channel="sms")
    by_association = service.verifications.create(to="+15005550006", channel="sms")
    assert [c.request.url for c in api.calls] == [f"{VERIFY}/Services/{SERVICE}/Verifications"] * 3
    assert all(form(c) == [("To", "+15005550006"), ("Channel", "sms")] for c in api.calls)
    assert by_id.status == by_object.status == by_association.status == "pending"
    # The answer's object knows where it lives: its own operations go under the same service.
    api.post(f"{VERIFY}/Services/{SERVICE}/Verifications/{sid('VE')}", json={"sid": sid("VE"), "status": "canceled"})
    by_association.status = "canceled"
    assert api.calls[-1].request.url == f"{VERIFY}/Services/{SERVICE}/Verifications/{sid('VE')}"


def test_a_missing_parent_names_the_keyword(api):
    with pytest.raises(TypeError, match=r"pass service_sid=\.\.\."):
        verify.Verification.create(to="+15005550006", channel="sms")
    with pytest.raises(ValueError, match="service_sid='MG.*is not a valid SID: expected VA"):
        verify.Verification.create(service_sid=sid("MG"), to="+15005550006", channel="sms")
    assert len(api.calls) == 0


def test_a_check_is_created_under_its_service(api):
    api.post(f"{VERIFY}/Services/{SERVICE}/VerificationCheck", json={"status": "approved", "valid": True},
             status=201)
    check = verify.Service({"sid": SERVICE}).verification_checks.create(to="+15005550006", code="123456")
    assert form(api.calls[0]) == [("To", "+15005550006"), ("Code", "123456")] and check.valid is True


def test_meta_paging_follows_next_page_url_across_three_pages(api):
    base = f"{VERIFY}/Services"

    def page(n: int, last: bool = False) -> Dict[str, Any]:
        following = None if last else f"{base}?PageSize=2&Page={n + 1}&PageToken=PT{n + 1}"
        return {"services": [{"sid": sid("VA", str(2 * n + 1))}, {"sid": sid("VA", str(2 * n + 2))}],
                "meta": {"key": "services", "page": n, "page_size": 2, "next_page_url": following,
                         "url": f"{base}?PageSize=2&Page={n}"}}

    api.get(base, json=page(0), match=[responses.matchers.query_param_matcher({"PageSize": "2"})])
    api.get(base, json=page(1), match=[responses.matchers.query_param_matcher(
        {"PageSize": "2", "Page": "1", "PageToken": "PT1"})])
    api.get(base, json=page(2, last=True), match=[responses.matchers.query_param_matcher(
        {"PageSize": "2", "Page": "2", "PageToken": "PT2"})])
    sids = [service.sid for service in verify.Service.each(page_size=2)]
    assert sids == [sid("VA", str(n)) for n in range(1, 7)]
    assert [c.request.url for c in api.calls] == [f"{base}?PageSize=2", f"{base}?PageSize=2&Page=1&PageToken=PT1",
                                                  f"{base}?PageSize=2&Page=2&PageToken=PT2"]
    assert all(user(c) == ACCOUNT_SID for c in api.calls)
    assert verify.Service.count(page_size=2) == 6 and len(api.calls) == 6  # counting pages the same way


def test_records_are_read_under_meta_key(api):
    api.get(f"{VERIFY}/Services", json={"items": [{"sid": SERVICE}], "meta": {"key": "items", "next_page_url": None}})
    assert [s.sid for s in verify.Service.all()] == [SERVICE]


def test_a_next_page_on_another_origin_is_not_followed(api):
    api.get(f"{VERIFY}/Services", json={"services": [{"sid": SERVICE}], "meta": {
        "key": "services", "next_page_url": "https://evil.example/v2/Services?Page=1"}})
    with pytest.raises(APIError, match="names a next page that is not a path on https://verify.twilio.com: "
                                       "'https://evil.example/v2/Services.Page=1'"):
        list(verify.Service.each())
    assert len(api.calls) == 1


def test_a_next_page_outside_the_descriptions_prefix_is_not_followed(api):
    api.get(f"{VERIFY}/Services", json={"services": [], "meta": {
        "key": "services", "next_page_url": "https://verify.twilio.com/v1/Other"}})
    with pytest.raises(APIError, match="not a path on https://verify.twilio.com"):
        list(verify.Service.each())


def test_a_page_that_points_back_stops_paging(api):
    api.get(f"{VERIFY}/Services", json={"services": [{"sid": SERVICE}], "meta": {
        "key": "services", "next_page_url": f"{VERIFY}/Services?PageSize=50"}})
    with pytest.raises(APIError, match="names a page already read"):
        list(verify.Service.each(page_size=50))
    assert len(api.calls) == 1


def test_a_2010_next_page_uri_must_stay_in_the_2010_api(api):
    api.get(f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json",
            json={"calls": [], "next_page_uri": "@evil.example/2010-04-01/Calls.json"})
    from flask_twilio_rb import Call

    with pytest.raises(APIError, match="not a path on https://api.twilio.com"):
        list(Call.each())


def test_regional_next_pages_may_name_the_plain_host(api):
    from flask_twilio_rb import Config

    Config.setup(region="ie1", edge="dublin")
    regional = "https://verify.dublin.ie1.twilio.com/v2/Services"
    api.get(regional, json={"services": [{"sid": SERVICE}], "meta": {
        "key": "services", "next_page_url": f"{VERIFY}/Services?Page=1&PageToken=PT1"}},
        match=[responses.matchers.query_param_matcher({})])
    api.get(regional, json={"services": [{"sid": SERVICE}], "meta": {"key": "services", "next_page_url": None}},
            match=[responses.matchers.query_param_matcher({"Page": "1", "PageToken": "PT1"})])
    assert len(list(verify.Service.each())) == 2
    assert api.calls[1].request.url == f"{regional}?Page=1&PageToken=PT1"  # the region and edge kept


def test_singletons_fetch_each_time_unless_they_are_the_accounts_balance(api):
    api.get("https://flex-api.twilio.com/v1/Configuration", json={"ui_version": "2.0", "status": "ok"})
    assert flex_api.Configuration.fetch().ui_version == "2.0"
    assert flex_api.Configuration.status == "ok"
    assert len(api.calls) == 2
    api.post("https://flex-api.twilio.com/v1/Configuration", json={"ui_version": "2.1"})
    assert flex_api.Configuration.update(ui_version="2.1").ui_version == "2.1"
    assert api.calls[-1].request.method == "POST"


def test_a_singleton_fetch_takes_its_query_parameters_and_refuses_others(api):
    from flask_twilio_rb import accounts

    api.get("https://accounts.twilio.com/v1/SafeList/Numbers", json={"phone_number": "+15005550006"})
    api.delete("https://accounts.twilio.com/v1/SafeList/Numbers", status=204)
    assert accounts.Safelist.fetch(phone_number="+15005550006").phone_number == "+15005550006"
    assert accounts.Safelist.delete(phone_number="+15005550006") is True
    assert [query(c) for c in api.calls] == [[("PhoneNumber", "+15005550006")]] * 2
    with pytest.raises(TypeError, match=r"fetch\(\) got unexpected colour; it takes connect, phone_number"):
        accounts.Safelist.fetch(colour="red")


def test_ids_are_needed_where_the_path_has_one_and_refused_where_it_has_none(api):
    with pytest.raises(TypeError, match=r"update\(\) needs the sid of the instance"):
        verify.Service.update(friendly_name="x")
    with pytest.raises(TypeError, match=r"has one instance where it lives: Configuration.update\(\) takes no id"):
        flex_api.Configuration.update("x", ui_version="2")
    with pytest.raises(TypeError, match=r"delete\(\) needs the sid"):
        verify.Service.delete()
    assert len(api.calls) == 0


def test_a_create_that_names_its_instance_takes_the_id(api):
    from flask_twilio_rb import assistants

    api.post("https://assistants.twilio.com/v1/Assistants/aia_asst_1/Knowledge/aia_know_2", status=201, json={})
    assistants.AssistantsKnowledge.create(assistant_id="aia_asst_1", id="aia_know_2")
    assert api.calls[0].request.method == "POST"
    with pytest.raises(TypeError, match=r"AssistantsKnowledge.create\(\) names the instance: pass id=\.\.\."):
        assistants.AssistantsKnowledge.create(assistant_id="aia_asst_1")


def test_a_parent_called_sid_in_the_path_is_named_after_the_parent(api):
    flow = sid("FW")
    api.get(f"https://studio.twilio.com/v2/Flows/{flow}/Revisions/3", json={"sid": flow, "revision": 3})
    revision = studio.FlowRevision.find(3, flow_sid=flow)  # an integer id
    assert api.calls[0].request.url.endswith(f"/Flows/{flow}/Revisions/3") and revision.revision == 3
    flows = studio.Flow({"sid": flow})
    api.get(f"https://studio.twilio.com/v2/Flows/{flow}/Revisions", json={"revisions": [], "meta": {}})
    assert flows.revisions.all() == []


def test_a_messaging_service_adds_a_sender(api):
    service = sid("MG")
    api.post(f"https://messaging.twilio.com/v1/Services/{service}/PhoneNumbers", json={"sid": sid("PN")},
             status=201)
    messaging.Service({"sid": service}).phone_numbers.create(phone_number_sid=sid("PN"))
    assert form(api.calls[0]) == [("PhoneNumberSid", sid("PN"))]


def test_the_outbox_records_the_host_and_the_json_body(api):
    api.post("https://content.twilio.com/v1/Content", json={"sid": sid("HX")}, status=201)
    with get_client().record() as outbox:
        content.Content.create(language="en", types={"twilio/text": {"body": "Hi"}})
    sent = outbox[0]
    assert (sent.host, sent.path, sent.operation, sent.resource) == (
        "content.twilio.com", "/v1/Content", "content.v1.CreateContent", "content.v1.Content")
    assert sent.json == {"language": "en", "types": {"twilio/text": {"body": "Hi"}}} and sent.params == {}


def test_a_date_in_a_path_is_written_as_twilio_reads_it(api):
    from datetime import date

    from flask_twilio_rb import voice

    call = "CA" + "1" * 32
    api.delete(f"https://voice.twilio.com/v1/Archives/2024-01-31/Calls/{call}", status=204)
    assert voice.ArchivedCall.delete(call, date=date(2024, 1, 31)) is True
    with pytest.raises(TypeError, match="date must be a string, not datetime"):
        voice.ArchivedCall.delete(call, date=datetime(2024, 1, 31, tzinfo=timezone.utc))


def test_a_list_answered_without_a_body_is_an_error_naming_the_page(api):
    api.get(f"{VERIFY}/Services", status=204)
    with pytest.raises(APIError, match="no body, where the verify.v2.Service list page was expected"):
        verify.Service.all()


def test_python_names_as_twilio_s_sdks_spell_them():
    from flask_twilio_rb.resources.params import python_name, twilio_name

    assert [python_name(n) for n in ("From", "Config.AppId", "A2PProfileBundleSid", "rawId", "EId",
                                     "DateCreated>", "DateCreated<", "Global", "Psd2Enabled")] == [
        "from_", "config_app_id", "a2p_profile_bundle_sid", "raw_id", "e_id", "date_created_after",
        "date_created_before", "global_", "psd2_enabled"]
    assert twilio_name(python_name("StatusCallbackMethod")) == "StatusCallbackMethod"


def test_meta_paging_on_an_emulator_follows_its_own_origin_and_product(api):
    from flask_twilio_rb import Config

    Config.setup(api_base_url="http://127.0.0.1:4010")
    base = "http://127.0.0.1:4010/verify/v2/Services"
    api.get(base, json={"services": [{"sid": SERVICE}], "meta": {
        "key": "services", "next_page_url": f"{base}?PageSize=50&Page=1&PageToken=PT1"}},
        match=[responses.matchers.query_param_matcher({})])
    api.get(base, json={"services": [{"sid": SERVICE}], "meta": {
        "key": "services", "next_page_url": "https://verify.twilio.com/v2/Services?Page=2"}},
        match=[responses.matchers.query_param_matcher({"PageSize": "50", "Page": "1", "PageToken": "PT1"})])
    with pytest.raises(APIError, match="not a path on http://127.0.0.1:4010/verify: 'https://verify.twilio.com"):
        list(verify.Service.each())
    assert len(api.calls) == 2  # Twilio's own host is not the emulator's origin


def test_a_singletons_repr_says_where_it_lives():
    context = studio.ExecutionContext({"context": {}}, {"flow_sid": sid("FW"), "execution_sid": sid("FN")})
    assert repr(context) == f"<studio.v2.ExecutionContext flow_sid={sid('FW')!r} execution_sid={sid('FN')!r}>"
    assert repr(flex_api.Configuration({}, {"connect": True})) == "<flex_api.v1.Configuration>"
    assert repr(verify.Service({"sid": SERVICE})) == f"<Service sid={SERVICE!r}>"
