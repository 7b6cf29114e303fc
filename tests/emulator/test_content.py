"""Content templates on the emulator: types checked, messages rendered from them with their variables
(defaults for the missing ones), Twilio's errors (21654, 21655, 21656), WhatsApp approval."""
from __future__ import annotations

import json
from typing import Any, Dict

import pytest

from tests.emulator.emulator_helpers import FROM, Api, content_template, messaging_service

TO = "+15558675310"


def send(api: Api, expect: int = 201, **params: Any) -> Dict[str, Any]:
    return api("POST", f"/2010-04-01/Accounts/{api.emu.account_sid}/Messages.json", expect,
               data={"To": TO, "From": FROM, **params})


def template(api: Api, **types: Any) -> Dict[str, Any]:
    return api("POST", "/content/v1/Content", 201, json={"language": "en", "types": types})


@pytest.mark.parametrize("body, message", [
    ({"language": "en", "types": {}}, "types needs one or more of twilio/text"),
    ({"language": "en", "types": {"twilio/txt": {"body": "x"}}}, "not 'twilio/txt'"),
    ({"language": "en", "types": {"twilio/text": {}}}, "types['twilio/text'] needs body"),
    ({"language": "en", "types": {"twilio/media": {"body": "x"}}}, "types['twilio/media'] needs media"),
    ({"language": "en", "types": {"twilio/text": {"body": "x"}}, "variables": {"first name": "x"}},
     "variables maps names"),
    ({"language": "en", "types": {"twilio/text": {"body": "x"}}, "variables": {"1": 5}}, "variables maps names"),
])
def test_a_template_s_types_and_variables_are_checked(api, body, message):
    error = api.error("POST", "/content/v1/Content", 400, json=body)
    assert message in error["message"]


def test_a_replaced_template_is_checked_too(api):
    made = template(api, **{"twilio/text": {"body": "Hi"}})
    assert made["variables"] == {}
    api.error("PUT", f"/content/v1/Content/{made['sid']}", 400, json={"types": {"twilio/card": "x"}})
    replaced = api("PUT", f"/content/v1/Content/{made['sid']}", 200, json={"types": {"twilio/text": {"body": "Yo"}}})
    assert replaced["types"] == {"twilio/text": {"body": "Yo"}}
    refused = api.error("PUT", f"/content/v1/Content/{made['sid']}", 400, json={"friendly_name": "renamed"})
    assert refused["message"] == "Missing required parameter types in the JSON body."  # a PUT replaces it whole


def test_a_message_s_body_is_rendered_from_the_template(api, emulator):
    sid = content_template(emulator, "Hi {{1}}, your order {{ order }} ships {{2}}.", {"1": "friend", "2": "today"})
    message = send(api, ContentSid=sid, ContentVariables=json.dumps({"1": "Ada", "order": "#42"}))
    assert message["body"] == "Hi Ada, your order #42 ships today."  # {{2}}: the template's default
    plain = send(api, ContentSid=content_template(emulator, "No variables here"))
    assert plain["body"] == "No variables here"


def test_a_media_template_sends_its_media(api, emulator):
    sid = template(api, **{"twilio/media": {"body": "Your ticket", "media": ["https://example.com/{{1}}.png"]}})["sid"]
    message = send(api, ContentSid=sid, ContentVariables='{"1": "ticket-7"}')
    assert (message["body"], message["num_media"], message["sid"][:2]) == ("Your ticket", "1", "MM")
    [stored] = emulator._backend.store.newest_first(f"/Accounts/{emulator.account_sid}/Messages")
    assert stored["_emulator"]["params"]["MediaUrl"] == ["https://example.com/ticket-7.png"]


def test_whatsapp_gets_the_richest_type_and_sms_the_plainest(api, emulator):
    sid = template(api, **{"twilio/text": {"body": "Rate us: reply 1-5"},
                           "twilio/quick-reply": {"body": "How did we do, {{1}}?",
                                                  "actions": [{"title": "Great", "id": "5"}]},
                           "twilio/card": {"title": "Thanks", "subtitle": "{{1}}"}})["sid"]
    whatsapp = send(api, To=f"whatsapp:{TO}", From=f"whatsapp:{FROM}", ContentSid=sid,
                    ContentVariables='{"1": "Ada"}')
    assert whatsapp["body"] == "Thanks Ada"  # a card, before quick replies
    assert send(api, ContentSid=sid, ContentVariables='{"1": "Ada"}')["body"] == "Rate us: reply 1-5"
    auth = template(api, **{"whatsapp/authentication": {"add_security_recommendation": True}})["sid"]
    assert send(api, To=f"whatsapp:{TO}", ContentSid=auth, ContentVariables='{"1": "123456"}')["body"] == \
        "123456 is your verification code."


def test_a_template_with_a_messaging_service(api, emulator):
    service = messaging_service(emulator, "+14155550100")
    sid = content_template(emulator, "Hello {{1}}", {"1": "there"})
    message = api("POST", f"/2010-04-01/Accounts/{emulator.account_sid}/Messages.json", 201,
                  data={"To": TO, "MessagingServiceSid": service, "ContentSid": sid})
    assert (message["body"], message["status"], message["messaging_service_sid"]) == ("Hello there", "accepted",
                                                                                      service)


@pytest.mark.parametrize("variables, code", [
    ("not json", 21656), ('["Ada"]', 21656), ('{"1": null}', 21656), ('{"1": ""}', 21656), ('{"1": 7}', 21656),
    ('{"2": "x"}', 21656),  # {{1}} then has no value and no default
])
def test_bad_variables_are_21656(api, emulator, variables, code):
    sid = content_template(emulator, "Hi {{1}}")
    error = send(api, 400, ContentSid=sid, ContentVariables=variables)
    assert error["code"] == code


def test_an_unknown_template_or_variables_without_one(api, emulator):
    unknown = send(api, 400, ContentSid="HX" + "0" * 32)
    assert unknown["code"] == 21655 and "no such template" in unknown["message"]
    assert send(api, 400, Body="x", ContentVariables='{"1": "a"}')["code"] == 21654
    sid = content_template(emulator, "Hi {{}}")
    assert send(api, 400, ContentSid=sid)["code"] == 21656  # an empty placeholder


# -- WhatsApp approval -------------------------------------------------------------------------------

def test_a_template_s_approval_is_received_then_reviewed(api, emulator):
    sid = content_template(emulator, "Your code is {{1}}")
    fetched = api("GET", f"/content/v1/Content/{sid}/ApprovalRequests", 200)
    assert fetched["sid"] == sid and fetched["whatsapp"] == {"type": "whatsapp", "status": "unsubmitted"}
    assert fetched["url"] == f"{emulator.base_url}/content/v1/Content/{sid}/ApprovalRequests"
    submitted = api("POST", f"/content/v1/Content/{sid}/ApprovalRequests/whatsapp", 201,
                    json={"name": "login_code", "category": "authentication"})
    assert submitted == {"name": "login_code", "category": "AUTHENTICATION", "content_type": "twilio/text",
                         "status": "received", "rejection_reason": "", "allow_category_change": True}
    assert api("GET", f"/content/v1/Content/{sid}/ApprovalRequests", 200)["whatsapp"]["status"] == "received"
    emulator.review_template(sid)
    assert api("GET", f"/content/v1/Content/{sid}/ApprovalRequests", 200)["whatsapp"]["status"] == "approved"
    emulator.review_template(sid, "rejected", rejection_reason="INVALID_FORMAT")
    whatsapp = api("GET", f"/content/v1/Content/{sid}/ApprovalRequests", 200)["whatsapp"]
    assert (whatsapp["status"], whatsapp["rejection_reason"]) == ("rejected", "INVALID_FORMAT")
    [listed] = api("GET", "/content/v1/ContentAndApprovals", 200)["contents"]
    assert listed["sid"] == sid and listed["approval_requests"]["status"] == "rejected"


def test_an_approval_request_is_checked(api, emulator):
    sid = content_template(emulator, "Hi")
    path = f"/content/v1/Content/{sid}/ApprovalRequests/whatsapp"
    assert "not a WhatsApp template name" in api.error("POST", path, 400, json={"name": "Login Code",
                                                                                 "category": "UTILITY"})["message"]
    assert "is not one of UTILITY" in api.error("POST", path, 400, json={"name": "x", "category": "SPAM"})["message"]
    api.error("POST", f"/content/v1/Content/HX{'0' * 32}/ApprovalRequests/whatsapp", 404,
              json={"name": "x", "category": "UTILITY"})
    api.error("GET", f"/content/v1/Content/HX{'0' * 32}/ApprovalRequests", 404)
    with pytest.raises(ValueError, match="was not submitted"):
        emulator.review_template(sid)
    api("POST", path, 201, json={"name": "x", "category": "UTILITY"})
    with pytest.raises(ValueError, match="not 'maybe'"):
        emulator.review_template(sid, "maybe")
