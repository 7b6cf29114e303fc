"""Verify v2 on the emulator, over raw HTTP: codes sent and checked, statuses, limits, expiry, Twilio's errors.

A test reads the code with ``emulator.verification_code(to)``, as a two-factor login test does;
the code also reaches the number as a text (or call) from Twilio's own number.
"""
from __future__ import annotations

import re
from typing import Any, Dict

import pytest

from flask_twilio_rb.emulator.products import verify

from tests.emulator.emulator_helpers import Api, running

TO = "+15558675310"


@pytest.fixture
def service(api) -> Dict[str, Any]:
    return api("POST", "/verify/v2/Services", 201, data={"FriendlyName": "Shop"})


def path(service: Dict[str, Any], tail: str = "/Verifications") -> str:
    return f"/verify/v2/Services/{service['sid']}{tail}"


def start(api: Api, service: Dict[str, Any], to: str = TO, channel: str = "sms", **more: str) -> Dict[str, Any]:
    return api("POST", path(service), 201, data={"To": to, "Channel": channel, **more})


def check(api: Api, service: Dict[str, Any], code: str, to: str = TO, expect: int = 201) -> Dict[str, Any]:
    return api("POST", path(service, "/VerificationCheck"), expect, data={"To": to, "Code": code})


def wrong(code: str) -> str:
    return "".join(str((int(digit) + 1) % 10) for digit in code)


# -- services ----------------------------------------------------------------------------------------

def test_a_service_has_twilio_s_defaults(service):
    assert (service["code_length"], service["lookup_enabled"], service["custom_code_enabled"]) == (6, False, False)
    assert service["totp"] == {"issuer": "Shop", "time_step": 30, "code_length": 6, "skew": 1}
    assert service["push"]["include_date"] is False and service["whatsapp"] == {"msg_service_sid": None, "from": None}


@pytest.mark.parametrize("data, name", [
    ({"FriendlyName": "x", "CodeLength": "3"}, "CodeLength"),
    ({"FriendlyName": "x", "CodeLength": "11"}, "CodeLength"),
    ({"FriendlyName": "x" * 33}, "FriendlyName"),
])
def test_a_service_s_settings_are_checked(api, data, name):
    error = api.error("POST", "/verify/v2/Services", 400, data=data)
    assert (error["code"], error["message"]) == (60200, f"Invalid parameter: {name}")


def test_a_service_s_code_length_makes_its_codes(api, emulator, service):
    assert api.error("POST", path(service, ""), 400, data={"CodeLength": "12"})["code"] == 60200
    api("POST", path(service, ""), 200, data={"CodeLength": "4"})
    start(api, service)
    assert re.fullmatch(r"[0-9]{4}", emulator.verification_code(TO))


# -- a verification's life ------------------------------------------------------------------------------

def test_a_code_is_sent_as_a_text_and_read_by_the_test(api, emulator, service):
    started = start(api, service)
    assert started["sid"].startswith("VE") and (started["status"], started["valid"]) == ("pending", False)
    assert [a["channel"] for a in started["send_code_attempts"]] == ["sms"] and started["lookup"] == {}
    assert started["send_code_attempts"][0]["attempt_sid"].startswith("VL")
    code = emulator.verification_code(TO)
    assert re.fullmatch(r"[0-9]{6}", code)
    [text] = emulator.records("FetchMessage")
    assert (text["to"], text["from"], text["body"]) == (TO, verify.SENDER, f"Your Shop verification code is: {code}")
    assert text["status"] == "queued"  # a real text: it progresses like any other
    assert emulator.verification_code(TO, service["sid"]) == code


def test_the_right_code_approves_and_the_verification_is_then_gone(api, emulator, service):
    started = start(api, service)
    code = emulator.verification_code(TO)
    assert (check(api, service, wrong(code))["status"], check(api, service, wrong(code))["valid"]) == \
        ("pending", False)
    approved = check(api, service, code)
    assert (approved["sid"], approved["status"], approved["valid"]) == (started["sid"], "approved", True)
    assert approved["sna_attempts_error_codes"] == [] and approved["to"] == TO
    # Approved verifications are "soft deleted": fetching or checking them again is 20404.
    assert api.error("GET", path(service, f"/Verifications/{started['sid']}"), 404)["code"] == 20404
    assert check(api, service, code, expect=404)["code"] == 20404
    with pytest.raises(ValueError, match=r"No verification of \+15558675310 is pending"):
        emulator.verification_code(TO)


def test_a_check_may_name_the_verification_by_sid(api, emulator, service):
    started = start(api, service)
    checked = api("POST", path(service, "/VerificationCheck"), 201,
                  data={"VerificationSid": started["sid"], "Code": emulator.verification_code(TO)})
    assert checked["status"] == "approved"
    other = "VE" + "0" * 32
    assert api.error("POST", path(service, "/VerificationCheck"), 404,
                     data={"VerificationSid": other, "Code": "123456"})["code"] == 20404


def test_five_wrong_codes_and_the_verification_is_max_attempts_reached(api, emulator, service):
    started = start(api, service)
    code = emulator.verification_code(TO)
    answers = [check(api, service, wrong(code))["status"] for _ in range(verify.MAX_CHECKS)]
    assert answers == ["pending"] * 5
    fetched = api("GET", path(service, f"/Verifications/{started['sid']}"), 200)
    assert fetched["status"] == "max_attempts_reached"
    for tried in (code, wrong(code)):  # the sixth check is refused, even with the right code
        refused = api.error("POST", path(service, "/VerificationCheck"), 429, data={"To": TO, "Code": tried})
        assert refused["code"] == 60202
    assert api.error("POST", path(service), 429, data={"To": TO, "Channel": "sms"})["code"] == 60202
    emulator.wait(600)  # it expires: a new verification may start
    assert start(api, service)["sid"] != started["sid"]


def test_starting_again_sends_the_same_code_five_times_at_most(api, emulator, service):
    first = start(api, service)
    code = emulator.verification_code(TO)
    again = start(api, service, channel="call")
    assert again["sid"] == first["sid"] and again["channel"] == "call"
    assert [a["channel"] for a in again["send_code_attempts"]] == ["sms", "call"]
    assert emulator.verification_code(TO) == code
    [call] = emulator.records("FetchCall")
    assert (call["to"], call["from"]) == (TO, verify.SENDER)
    for _ in range(verify.MAX_SENDS - 2):
        start(api, service)
    refused = api.error("POST", path(service), 429, data={"To": TO, "Channel": "sms"})
    assert refused["code"] == 60203
    assert len(emulator.records("FetchMessage")) == 4  # the first and three more texts; the refused one sent none


def test_a_canceled_verification_takes_no_checks_and_a_new_one_starts(api, emulator, service):
    first = start(api, service)
    code = emulator.verification_code(TO)
    canceled = api("POST", path(service, f"/Verifications/{first['sid']}"), 200, data={"Status": "canceled"})
    assert canceled["status"] == "canceled"
    assert api("GET", path(service, f"/Verifications/{first['sid']}"), 200)["status"] == "canceled"
    assert check(api, service, code, expect=404)["code"] == 20404
    assert api.error("POST", path(service, f"/Verifications/{first['sid']}"), 404, data={"Status": "canceled"})
    with pytest.raises(ValueError):
        emulator.verification_code(TO)
    second = start(api, service)
    assert second["sid"] != first["sid"] and second["status"] == "pending"


def test_a_verification_may_be_approved_by_update_and_named_by_its_number(api, emulator, service):
    start(api, service)
    assert api("GET", path(service, f"/Verifications/{TO}"), 200)["to"] == TO
    approved = api("POST", path(service, f"/Verifications/{TO}"), 200, data={"Status": "approved"})
    assert (approved["status"], approved["valid"]) == ("approved", True)
    api.error("GET", path(service, f"/Verifications/{TO}"), 404)


def test_a_max_attempts_reached_verification_may_be_canceled_not_approved(api, emulator, service):
    started = start(api, service)
    code = emulator.verification_code(TO)
    for _ in range(verify.MAX_CHECKS):
        check(api, service, wrong(code))
    instance = path(service, f"/Verifications/{started['sid']}")
    api.error("POST", instance, 404, data={"Status": "approved"})
    assert api("POST", instance, 200, data={"Status": "canceled"})["status"] == "canceled"


def test_a_verification_expires_after_ten_minutes_on_the_emulator_s_clock(api, emulator, service):
    started = start(api, service)
    code = emulator.verification_code(TO)
    emulator.wait(599)
    assert api("GET", path(service, f"/Verifications/{started['sid']}"), 200)["status"] == "pending"
    emulator.wait(1)
    api.error("GET", path(service, f"/Verifications/{started['sid']}"), 404)
    assert check(api, service, code, expect=404)["code"] == 20404
    with pytest.raises(ValueError, match="expired"):
        emulator.verification_code(TO)
    assert [r["status"] for r in emulator.records("verify.v2.FetchVerification")] == ["expired"]  # kept, as is


def test_wait_refuses_negative_time_without_phone_calls(emulator):
    with pytest.raises(ValueError, match=">= 0"):
        emulator.wait(-1)


# -- Twilio's errors ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("to, channel, name", [
    ("5558675310", "sms", "To"), ("+1555", "sms", "To"), ("+15558675310", "email", "To"),
    ("ada@", "email", "To"), ("+15558675310", "sna", "Channel"), ("+15558675310", "fax", "Channel"),
])
def test_a_bad_number_address_or_channel_is_60200(api, service, to, channel, name):
    error = api.error("POST", path(service), 400, data={"To": to, "Channel": channel})
    assert error["code"] == 60200 and error["message"].startswith(f"Invalid parameter: {name}")


@pytest.mark.parametrize("data, code, text", [
    ({"To": TO}, 60200, "Invalid parameter: Code"),
    ({"To": TO, "Code": "123"}, 60200, "Invalid parameter: Code"),
    ({"To": TO, "Code": "12345678901"}, 60200, "Invalid parameter: Code"),
    ({"Code": "123456"}, 60221, "send To or VerificationSid"),
])
def test_a_check_needs_a_code_and_a_verification(api, service, data, code, text):
    start(api, service)
    error = api.error("POST", path(service, "/VerificationCheck"), 400, data=data)
    assert error["code"] == code and text in error["message"]


def test_nothing_to_check_is_20404(api, service):
    assert check(api, service, "123456", expect=404)["code"] == 20404
    missing = "VA" + "0" * 32
    assert api.error("POST", f"/verify/v2/Services/{missing}/Verifications", 404,
                     data={"To": TO, "Channel": "sms"})["code"] == 20404
    api.error("POST", f"/verify/v2/Services/{missing}/VerificationCheck", 404, data={"To": TO, "Code": "1234"})
    api.error("GET", path(service, f"/Verifications/VE{'0' * 32}"), 404)


def test_many_new_verifications_for_one_number_are_60212(api, emulator, service):
    limit, seconds = verify.BURST
    for _ in range(limit):
        start(api, service)
        check(api, service, emulator.verification_code(TO))
    other = api("POST", "/verify/v2/Services", 201, data={"FriendlyName": "Other"})  # the bound spans services
    error = api.error("POST", path(other), 429, data={"To": TO, "Channel": "sms"})
    assert error["code"] == 60212 and TO in error["message"]
    start(api, service, to="+15558675311")  # another number is not held back
    emulator.wait(seconds + 1)
    assert start(api, other)["status"] == "pending"


# -- channels and settings ---------------------------------------------------------------------------------

def test_whatsapp_and_email_channels(api, emulator, service):
    start(api, service, channel="whatsapp")
    [text] = emulator.records("FetchMessage")
    assert (text["to"], text["from"]) == (f"whatsapp:{TO}", f"whatsapp:{verify.SENDER}")
    start(api, service, to="ada@example.com", channel="email")
    assert len(emulator.records("FetchMessage")) == 1  # an email is not a text: only the code tells
    assert re.fullmatch(r"[0-9]{6}", emulator.verification_code("ada@example.com"))


def test_custom_codes_need_the_service_s_consent(api, emulator, service):
    assert api.error("POST", path(service), 400, data={"To": TO, "Channel": "sms", "CustomCode": "4242"})["message"] \
        == "Invalid parameter: CustomCode"
    api("POST", path(service, ""), 200, data={"CustomCodeEnabled": "true"})
    api.error("POST", path(service), 400, data={"To": TO, "Channel": "sms", "CustomCode": "424"})
    start(api, service, CustomCode="AB4242")
    assert emulator.verification_code(TO) == "AB4242"
    assert check(api, service, "AB4242")["status"] == "approved"


def test_the_text_says_what_the_service_asks(api, emulator, service):
    api("POST", path(service, ""), 200, data={"DoNotShareWarningEnabled": "true"})
    start(api, service, CustomFriendlyName="Acme", AppHash="He42w354ol9")
    code = emulator.verification_code(TO)
    [text] = emulator.records("FetchMessage")
    assert text["body"] == (f"<#> Your Acme verification code is: {code}. Don\u2019t share this code with anyone; "
                            f"our employees will never ask for the code He42w354ol9")


def test_a_service_that_looks_numbers_up_shows_the_carrier_and_skips_landlines(api, emulator, service):
    api("POST", path(service, ""), 200, data={"LookupEnabled": "true", "SkipSmsToLandlines": "true"})
    assert start(api, service, to="+14155552670")["lookup"]["carrier"]["type"] == "mobile"  # ends in 0: mobile
    landline = "+14155552674"  # ends in 4: a landline (the Lookup table)
    assert api.error("POST", path(service), 400, data={"To": landline, "Channel": "sms"})["code"] == 60205
    assert start(api, service, to=landline, channel="call")["status"] == "pending"


def test_the_code_a_test_reads_is_the_newest_pending_one(api, emulator, service):
    other = api("POST", "/verify/v2/Services", 201, data={"FriendlyName": "Other"})
    start(api, service)
    first = emulator.verification_code(TO, service["sid"])
    emulator.wait(1)
    start(api, other)
    newest = emulator.verification_code(TO, other["sid"])
    assert emulator.verification_code(TO) == newest
    assert emulator.verification_code(TO, service["sid"]) == first
    assert emulator.verification_code(TO, account_sid=emulator.account_sid) == newest
    with pytest.raises(ValueError, match="in service VA0"):
        emulator.verification_code(TO, "VA" + "0" * 32)
    with pytest.raises(ValueError):
        emulator.verification_code(TO, account_sid="AC" + "0" * 32)


def test_a_seeded_verification_never_expires_and_has_no_code(api, emulator, service):
    seeded = emulator.seed("verify.v2.FetchVerification", service_sid=service["sid"], to=TO, status="pending",
                           channel="sms")
    emulator.wait(3600)
    assert check(api, service, "123456")["status"] == "pending"
    assert api("GET", path(service, f"/Verifications/{seeded['sid']}"), 200)["status"] == "pending"
    with pytest.raises(ValueError):
        emulator.verification_code(TO)


def test_a_call_says_the_code_when_answered():
    with running() as emulator:  # callbacks on: the call runs its TwiML
        api = Api(emulator)
        service = api("POST", "/verify/v2/Services", 201, data={"FriendlyName": "Shop"})
        start(api, service, channel="call", SendDigits="ww1")
        code = emulator.verification_code(TO)
        [call] = emulator.records("FetchCall")
        emulator.advance(call["sid"])  # ringing
        emulator.advance(call["sid"])  # answered: the TwiML Verify placed runs
        said = " ".join(emulator.phone(call["sid"]).said)
        assert ", ".join(code) in said and "verification code" in said
        api.session.close()
