"""README.rst's examples of the other domains, run as written against Twilio mocked with ``responses``.

Each request they send is checked against the descriptions' contract (tests/conftest.py), and
here against what the example means: the host, path, method and body.
"""
from __future__ import annotations

import json
from typing import Any, Dict
from urllib.parse import parse_qsl

import responses

from tests.accounts import ACCOUNT_SID
from tests.readme_blocks import readme_blocks

VERIFY = "https://verify.twilio.com/v2/Services/VA0123456789abcdef0123456789abcdef"
API = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}"


def run(name: str, namespace: Dict[str, Any]) -> Dict[str, Any]:
    exec(compile(readme_blocks()[name], f"README.rst ({name})", "exec"), namespace)
    return namespace


def sent(index: int) -> Any:
    request = responses.calls[index].request
    body = request.body.decode() if isinstance(request.body, bytes) else request.body
    if request.headers.get("Content-Type") == "application/json":
        return request.method, request.url, json.loads(body)
    return request.method, request.url, parse_qsl(body or "")


@responses.activate
def test_the_verify_login_views_send_a_code_and_check_it():
    namespace = run("verify-login", {"__name__": "readme_verify"})
    app = namespace["app"]
    responses.post(f"{VERIFY}/Verifications", json={"sid": "VE" + "1" * 32, "status": "pending"}, status=201)
    check = responses.post(f"{VERIFY}/VerificationCheck", json={"status": "approved", "valid": True}, status=201)
    browser = app.test_client()
    assert browser.post("/login", data={"phone": "+15005550006"}).status_code == 302
    assert sent(0) == ("POST", f"{VERIFY}/Verifications", [("To", "+15005550006"), ("Channel", "sms")])
    assert browser.post("/login/code", data={"code": "123456"}).headers["Location"] == "/"
    assert sent(1) == ("POST", f"{VERIFY}/VerificationCheck", [("To", "+15005550006"), ("Code", "123456")])
    with browser.session_transaction() as session:
        assert session["user"] == "+15005550006"
    check.body = json.dumps({"status": "pending", "valid": False})
    browser.post("/login", data={"phone": "+15005550006"})
    assert browser.post("/login/code", data={"code": "000000"}).status_code == 403


@responses.activate
def test_the_lookup_example_finds_a_number_by_itself(configured):
    responses.get("https://lookups.twilio.com/v2/PhoneNumbers/%2B14155552671",
                  json={"phone_number": "+14155552671", "valid": True, "line_type_intelligence": {"type": "mobile"}})
    run("lookup", {})
    assert sent(0)[1] == "https://lookups.twilio.com/v2/PhoneNumbers/%2B14155552671?Fields=line_type_intelligence"


@responses.activate
def test_the_messaging_service_example_builds_a_sender_pool_and_sends_through_it(configured):
    service = "MG" + "1" * 32
    responses.post("https://messaging.twilio.com/v1/Services", json={"sid": service}, status=201)
    responses.get(f"{API}/IncomingPhoneNumbers.json", json={
        "incoming_phone_numbers": [{"sid": "PN" + "1" * 32}, {"sid": "PN" + "2" * 32}], "next_page_uri": None})
    responses.post(f"https://messaging.twilio.com/v1/Services/{service}/PhoneNumbers", json={"sid": "PN"}, status=201)
    responses.post(f"{API}/Messages.json", json={"sid": "SM" + "1" * 32}, status=201)
    run("messaging-service", {})
    assert sent(0)[2] == [("FriendlyName", "Notifications"), ("StickySender", "true"),
                          ("InboundRequestUrl", "https://example.com/sms")]
    assert [sent(i)[2] for i in (2, 3)] == [[("PhoneNumberSid", "PN" + "1" * 32)], [("PhoneNumberSid", "PN" + "2" * 32)]]
    assert sent(4)[2] == [("MessagingServiceSid", service), ("To", "+15005550006"), ("Body", "Your order shipped")]


@responses.activate
def test_the_content_example_creates_a_template_asks_approval_and_sends_it(configured):
    template = "HX" + "1" * 32
    responses.post("https://content.twilio.com/v1/Content", json={"sid": template}, status=201)
    responses.post(f"https://content.twilio.com/v1/Content/{template}/ApprovalRequests/whatsapp",
                   json={"name": "order_shipped", "category": "UTILITY"}, status=201)
    responses.post(f"{API}/Messages.json", json={"sid": "SM" + "1" * 32}, status=201)
    run("content", {})
    assert sent(0) == ("POST", "https://content.twilio.com/v1/Content", {
        "friendly_name": "order_shipped", "language": "en", "variables": {"1": "name"},
        "types": {"twilio/text": {"body": "Hi {{1}}, your order shipped."}}})
    assert sent(1)[2] == {"name": "order_shipped", "category": "UTILITY"}
    assert ("ContentSid", template) in sent(2)[2]
