"""Verify, Lookup, Messaging Services and Content through the library's classes, on a running emulator.

What a Flask app does with them (``flask_twilio_rb.verify``, ``.lookups``, ``.messaging``,
``.content``), against the emulator's faithful behaviour: every request here is the library's,
so each also passes the spec contract check (tests/conftest.py). The raw-HTTP tests of each rule
are in tests/emulator/test_verify.py, test_lookup.py, test_messaging_services.py, test_content.py.
"""
from __future__ import annotations

from typing import Any, Iterator, List, Tuple

import pytest
from flask import Flask, request

from flask_twilio_rb import APIError, IncomingPhoneNumber, Message, NotFoundError, RateLimitError, TwilioRB
from flask_twilio_rb import validate_twilio_request
from flask_twilio_rb.content import Content
from flask_twilio_rb.lookups import PhoneNumber
from flask_twilio_rb.messaging import Service as MessagingService
from flask_twilio_rb.testing import TwilioEmulator, running_emulator
from flask_twilio_rb.verify import Service, Verification, VerificationCheck

from tests.accounts import ACCOUNT_SID, AUTH_TOKEN

TO = "+15558675310"


@pytest.fixture
def app() -> Flask:
    """An app with a status callback and an inbound-text webhook, both validating Twilio's signature."""
    app = Flask(__name__)
    app.config.update(TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN, TESTING=True)
    TwilioRB(app)
    app.extensions["heard"] = heard = []

    @app.post("/status")
    @validate_twilio_request
    def status():
        heard.append(("status", request.form["MessageSid"], request.form["MessageStatus"]))
        return "", 204

    @app.post("/sms")
    @validate_twilio_request
    def sms():
        heard.append(("sms", request.form["To"], request.form["Body"]))
        return "<Response/>", 200, {"Content-Type": "text/xml"}

    return app


@pytest.fixture
def emulator(app: Flask) -> Iterator[TwilioEmulator]:
    with running_emulator(app) as running, app.app_context():
        yield running


def wrong(code: str) -> str:
    return "".join(str((int(digit) + 1) % 10) for digit in code)


# -- Verify ----------------------------------------------------------------------------------------

def test_a_two_factor_login_sends_a_code_the_test_reads_and_checks(emulator):
    service = Service.create(friendly_name="Shop", code_length=8)
    started = service.verifications.create(to=TO, channel="sms")
    assert (started.status, started.channel, started.to) == ("pending", "sms", TO)
    code = emulator.verification_code(TO, service_sid=service.sid)
    assert len(code) == 8 and code.isdigit()
    [text] = emulator.records(Message)  # the code reached the number as Twilio's text
    assert (text["to"], text["body"]) == (TO, f"Your Shop verification code is: {code}")

    assert service.verification_checks.create(to=TO, code=wrong(code)).status == "pending"
    checked = VerificationCheck.create(service_sid=service.sid, to=TO, code=code)
    assert (checked.status, checked.valid, checked.sid) == ("approved", True, started.sid)
    assert Verification.find(started.sid, service_sid=service.sid) is None  # approved: gone (20404)
    with pytest.raises(NotFoundError) as refused:
        service.verification_checks.create(to=TO, code=code)
    assert refused.value.code == 20404


def test_five_wrong_codes_reach_max_attempts_and_the_sixth_check_is_60202(emulator):
    service = Service.create(friendly_name="Shop")
    started = Verification.create(service_sid=service.sid, to=TO, channel="call")
    code = emulator.verification_code(TO)
    assert [service.verification_checks.create(verification_sid=started.sid, code=wrong(code)).status
            for _ in range(5)] == ["pending"] * 5
    assert service.verifications.find(started.sid).status == "max_attempts_reached"
    with pytest.raises(RateLimitError) as refused:
        service.verification_checks.create(verification_sid=started.sid, code=code)
    assert (refused.value.code, refused.value.status) == (60202, 429)
    [call] = emulator.records("Call")  # the call channel: a call that says the code
    assert call["to"] == TO


def test_a_verification_expires_after_ten_minutes_on_the_emulator_clock(emulator):
    service = Service.create(friendly_name="Shop")
    started = service.verifications.create(to=TO, channel="sms")
    code = emulator.verification_code(TO)
    emulator.wait(599)
    assert service.verifications.find(started.sid).status == "pending"
    emulator.wait(1)
    assert service.verifications.find(started.sid) is None
    with pytest.raises(NotFoundError):
        service.verification_checks.create(to=TO, code=code)
    with pytest.raises(ValueError, match="expired"):
        emulator.verification_code(TO)


def test_a_canceled_verification_is_finished_and_sends_are_limited(emulator):
    service = Service.create(friendly_name="Shop")
    started = service.verifications.create(to=TO, channel="sms")
    started.update_attributes(status="canceled")
    assert started.status == "canceled"
    with pytest.raises(ValueError, match="is pending: start one first"):
        emulator.verification_code(TO)
    again = service.verifications.create(to=TO, channel="sms")
    for _ in range(4):  # the same verification, its code sent again
        assert service.verifications.create(to=TO, channel="sms").sid == again.sid
    with pytest.raises(RateLimitError) as refused:
        service.verifications.create(to=TO, channel="sms")
    assert refused.value.code == 60203


@pytest.mark.parametrize("fields, code", [
    ({"to": "555-1234", "channel": "sms"}, 60200),   # not E.164
    ({"to": TO, "channel": "fax"}, 60200),
])
def test_bad_parameters_are_60200(emulator, fields, code):
    service = Service.create(friendly_name="Shop")
    with pytest.raises(APIError) as refused:
        service.verifications.create(**fields)
    assert (refused.value.status, refused.value.code) == (400, code)
    with pytest.raises(APIError, match="CodeLength"):
        Service.create(friendly_name="Shop", code_length=11)


# -- Lookup ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, country", [
    ("+14155552671", None), ("(415) 555-2671", "US"), ("415-555-2671", "US"), ("+1 415 555 2671", None),
])
def test_lookup_reads_any_common_form(emulator, typed, country):
    number = PhoneNumber.find(typed, **({"country_code": country} if country else {}))
    assert (number.valid, number.phone_number, number.national_format) == (True, "+14155552671", "(415) 555-2671")
    assert (number.calling_country_code, number.country_code, number.validation_errors) == ("1", "US", None)


def test_lookup_answers_an_invalid_number_with_its_validation_errors(emulator):
    number = PhoneNumber.find("+1415555")
    assert (number.valid, number.validation_errors) == (False, ["TOO_SHORT"])


@pytest.mark.parametrize("typed, line_type, caller", [
    ("+14155552671", "mobile", "GRACE HOPPER"),
    ("+14155552674", "landline", "EMULATED PIZZA"),
    ("+14155552676", "fixedVoip", "EMULATED SUPPORT"),
    ("+18005550100", "tollFree", None),
])
def test_line_type_and_caller_name_come_from_the_magic_numbers(emulator, typed, line_type, caller):
    number = PhoneNumber.find(typed, fields="line_type_intelligence,caller_name")
    assert number.line_type_intelligence["type"] == line_type
    assert number.caller_name["caller_name"] == caller


# -- Messaging Services ------------------------------------------------------------------------------

def pool(*numbers: str, **settings: Any) -> Tuple[Any, List[str]]:
    service = MessagingService.create(friendly_name="Notifications", **settings)
    for number in numbers:
        service.phone_numbers.create(phone_number_sid=IncomingPhoneNumber.create(phone_number=number).sid)
    return service, list(numbers)


def sender(emulator: TwilioEmulator, message: Any) -> str:
    emulator.advance(message.sid)  # accepted -> queued: the sender is chosen
    return str(Message.find(message.sid).from_)


def test_an_empty_pool_is_21704_and_a_message_goes_out_from_the_pool_sticky(emulator):
    service, _ = pool()
    with pytest.raises(APIError) as refused:
        Message.create(messaging_service_sid=service.sid, to=TO, body="Hi")
    assert refused.value.code == 21704
    for number in ("+14155550100", "+14155550101"):
        service.phone_numbers.create(phone_number_sid=IncomingPhoneNumber.create(phone_number=number).sid)
    first = Message.create(messaging_service_sid=service.sid, to=TO, body="Hi")
    assert (first.status, first.messaging_service_sid) == ("accepted", service.sid)
    chosen = sender(emulator, first)
    assert chosen in ("+14155550100", "+14155550101")
    assert [sender(emulator, Message.create(messaging_service_sid=service.sid, to=TO, body="Again"))
            for _ in range(3)] == [chosen] * 3  # sticky sender: one number per recipient
    assert [number.phone_number for number in service.phone_numbers.all()] == ["+14155550101", "+14155550100"]


def test_an_unknown_service_is_an_error_naming_it(emulator):
    with pytest.raises(APIError) as refused:
        Message.create(messaging_service_sid="MG" + "0" * 32, to=TO, body="Hi")
    assert refused.value.code in (21701, 21703)


def test_the_service_s_status_callback_and_inbound_url_reach_the_app(app, emulator):
    service, [number] = pool("+14155550100", status_callback="http://localhost/status",
                             inbound_request_url="http://localhost/sms", use_inbound_webhook_on_number=False)
    sent = Message.create(messaging_service_sid=service.sid, to=TO, body="Hi")
    emulator.finish(sent.sid)
    emulator.receive_message(number, TO, "STOP")
    heard = app.extensions["heard"]
    assert [entry for entry in heard if entry[0] == "status"][-1] == ("status", sent.sid, "delivered")
    assert ("sms", number, "STOP") in heard  # signed: the views' validation accepted both


# -- Content -----------------------------------------------------------------------------------------

def test_a_template_renders_the_body_with_variables_and_defaults(emulator):
    template = Content.create(friendly_name="order_shipped", language="en", variables={"1": "friend", "2": "today"},
                              types={"twilio/text": {"body": "Hi {{1}}, your order ships {{2}}."}})
    sent = Message.create(from_="+15005550006", to=TO, content_sid=template.sid, content_variables='{"1": "Ada"}')
    assert sent.body == "Hi Ada, your order ships today."
    assert Content.find(template.sid).types == {"twilio/text": {"body": "Hi {{1}}, your order ships {{2}}."}}


def test_an_unknown_template_is_twilio_s_error(emulator):
    with pytest.raises(APIError) as refused:
        Message.create(from_="+15005550006", to=TO, content_sid="HX" + "0" * 32)
    assert refused.value.code == 21655


def test_a_template_s_whatsapp_approval_is_fetchable(emulator):
    template = Content.create(friendly_name="login_code", language="en",
                              types={"twilio/text": {"body": "Your code is {{1}}"}})
    assert template.approval_fetch.whatsapp["status"] == "unsubmitted"
    submitted = template.approval_create.create(name="login_code", category="UTILITY")
    assert submitted.status == "received"
    emulator.review_template(template.sid)
    assert template.approval_fetch.whatsapp["status"] == "approved"
