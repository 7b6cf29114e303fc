"""Twilio's error answers: authentication, unknown paths, refused parameters, magic numbers, rate limits."""
from __future__ import annotations

import pytest
import requests

from flask_twilio_rb import APIError, Call, IncomingPhoneNumber, Message
from flask_twilio_rb.testing import TwilioEmulator

from tests.emulator.emulator_helpers import FROM, TO, messaging_service


def error_of(answer: requests.Response) -> tuple:
    body = answer.json()
    assert set(body) == {"code", "message", "more_info", "status"}
    assert body["more_info"] == f"https://www.twilio.com/docs/errors/{body['code']}"
    assert body["status"] == answer.status_code
    return answer.status_code, body["code"]


@pytest.mark.parametrize("auth", [None, ("AC" + "0" * 32, "nope"), "right-user-wrong-token", ("SK" + "0" * 32, "x")])
def test_bad_credentials_get_twilios_401(raw, emulator, auth):
    if auth == "right-user-wrong-token":
        auth = (emulator.account_sid, "wrong")
    answer = requests.get(raw.url("/Messages.json"), auth=auth, timeout=5)
    assert answer.json() == {"code": 20003, "message": "Authenticate", "more_info":
                             "https://www.twilio.com/docs/errors/20003", "status": 401}
    assert answer.status_code == 401


def test_a_bearer_token_is_not_basic_auth(raw):
    answer = requests.get(raw.url("/Messages.json"), headers={"Authorization": "Bearer abc"}, timeout=5)
    assert error_of(answer) == (401, 20003)


def test_unknown_paths_and_sids_are_404(raw, emulator):
    assert error_of(raw.get("/Nothing.json")) == (404, 20404)
    assert error_of(raw.get("/Calls/CA" + "0" * 32 + ".json")) == (404, 20404)
    assert error_of(raw.session.get(emulator.base_url + "/favicon.ico", timeout=5)) == (404, 20404)
    assert raw.get("/Calls/CA" + "0" * 32 + ".json").json()["message"].startswith("The requested resource /2010")


def test_another_accounts_path_is_404(raw):
    other = "AC" + "f" * 32
    answer = raw.session.get(raw.url("/Messages.json").replace(raw.emu.account_sid, other), timeout=5)
    assert error_of(answer) == (404, 20404)


def test_a_method_the_path_does_not_take_is_405(raw, emulator):
    assert error_of(raw.session.delete(raw.url("/Messages.json"), timeout=5)) == (405, 20004)
    assert error_of(raw.session.put(raw.url("/Messages.json"), timeout=5)) == (405, 20004)


@pytest.mark.parametrize("data, fragment", [
    ({"To": TO, "From": FROM, "Body": "x", "Colour": "blue"}, "Invalid parameter 'Colour'"),
    ({"To": TO, "From": FROM, "Body": "x", "ValidityPeriod": "soon"}, "ValidityPeriod is not valid"),
    ({"To": TO, "From": FROM, "Body": "x", "SendAsMms": "perhaps"}, "SendAsMms is not valid"),
    ({"To": TO, "From": FROM, "Body": "x", "StatusCallback": "not a url"}, "StatusCallback is not valid"),
    ({"To": TO, "From": FROM, "Body": "x", "ContentRetention": "forever"}, "expected one of retain"),
])
def test_refused_parameters_are_20001(raw, data, fragment):
    answer = raw.post("/Messages.json", data)
    assert error_of(answer) == (400, 20001)
    assert fragment in answer.json()["message"]


def test_filters_are_checked_too(raw):
    assert error_of(raw.get("/Calls.json", params={"Status": "sleeping"})) == (400, 20001)
    assert error_of(raw.get("/Calls.json", params={"Colour": "red"})) == (400, 20001)
    assert error_of(raw.get("/Calls.json", params={"PageSize": "many"})) == (400, 20001)


@pytest.mark.parametrize("path, data, code", [
    ("/Messages.json", {"From": FROM, "Body": "x"}, 21604),
    ("/Messages.json", {"To": TO, "Body": "x"}, 21603),
    ("/Messages.json", {"To": TO, "From": FROM}, 21602),
    ("/Messages.json", {"To": "12", "From": FROM, "Body": "x"}, 21211),
    ("/Messages.json", {"To": "abc", "From": FROM, "Body": "x"}, 21211),  # a sender ID is never a recipient
    ("/Messages.json", {"To": "Acme Inc", "From": FROM, "Body": "x"}, 21211),
    ("/Messages.json", {"To": TO, "From": "+1-not-a-number!", "Body": "x"}, 21212),
    ("/Calls.json", {"From": FROM, "Url": "https://example.com"}, 21201),
    ("/Calls.json", {"To": TO, "Url": "https://example.com"}, 21213),
    ("/Calls.json", {"To": TO, "From": FROM}, 21205),
    ("/Calls.json", {"To": TO, "From": FROM, "Url": "example.com/no-scheme"}, 21205),
    ("/Calls.json", {"To": "12", "From": FROM, "Url": "https://example.com"}, 21211),
    ("/Calls.json", {"To": "abc", "From": FROM, "Url": "https://example.com"}, 21211),
    ("/Calls.json", {"To": TO, "From": "?", "Url": "https://example.com"}, 21212),
    ("/Queues.json", {}, 20001),
])
def test_missing_and_invalid_values_get_the_resources_own_code(raw, path, data, code):
    assert error_of(raw.post(path, data)) == (400, code)


def test_to_abc_is_refused_with_twilios_message_and_an_alphanumeric_sender_is_not(raw):
    answer = raw.post("/Messages.json", {"To": "abc", "From": FROM, "Body": "x"})
    assert answer.json()["message"] == "The 'To' number abc is not a valid phone number."
    assert raw.post("/Messages.json", {"To": TO, "From": "Acme", "Body": "x"}).status_code == 201
    assert raw.post("/Messages.json", {"To": "whatsapp:+15558675310", "From": FROM, "Body": "x"}).status_code == 201


def test_a_message_may_come_from_a_messaging_service_and_carry_only_media(raw, emulator):
    answer = raw.post("/Messages.json", {"To": TO, "MessagingServiceSid": messaging_service(emulator, FROM),
                                         "MediaUrl": "https://example.com/cat.png"})
    assert answer.status_code == 201 and answer.json()["from"] is None  # the sender shows once it is queued
    assert answer.json()["status"] == "accepted"


def test_calls_reach_clients_and_sip_addresses(raw):
    for to in ("client:alice", "sip:alice@example.com"):
        assert raw.post("/Calls.json", {"To": to, "From": FROM, "Twiml": "<Response/>"}).status_code == 201


MAGIC = [
    (Message, "from_", "+15005550001", 21212), (Message, "from_", "+15005550007", 21606),
    (Message, "from_", "+15005550008", 21611), (Message, "to", "+15005550001", 21211),
    (Message, "to", "+15005550002", 21612), (Message, "to", "+15005550003", 21408),
    (Message, "to", "+15005550004", 21610), (Message, "to", "+15005550009", 21614),
    (Call, "from_", "+15005550001", 21212), (Call, "to", "+15005550001", 21217),
    (Call, "to", "+15005550002", 21214), (Call, "to", "+15005550003", 21215), (Call, "to", "+15005550004", 21216),
]


@pytest.mark.parametrize("cls, field, number, code", MAGIC)
def test_test_credential_magic_numbers(emulator, cls, field, number, code):
    values = {"to": TO, "from_": FROM, "body": "magic", "url": "https://example.com/voice"}
    values[field] = number
    if cls is Message:
        del values["url"]
    else:
        del values["body"]
    with pytest.raises(APIError) as caught:
        cls.create(**values)
    assert (caught.value.status, caught.value.code) == (400, code)
    assert caught.value.message


def test_the_magic_valid_sender_succeeds(emulator):
    assert Message.create(to=TO, from_="+15005550006", body="ok").status == "queued"


@pytest.mark.parametrize("number, code", [("+15005550000", 21422), ("+15005550001", 21421)])
def test_buying_magic_numbers(emulator, number, code):
    with pytest.raises(APIError) as caught:
        IncomingPhoneNumber.create(phone_number=number)
    assert caught.value.code == code
    assert IncomingPhoneNumber.create(phone_number="+15005550006").phone_number == "+15005550006"


def test_above_the_rate_limit_requests_get_429():
    with TwilioEmulator(rate_limit=3) as emu:
        session = requests.Session()
        session.auth = (emu.account_sid, emu.auth_token)
        url = f"{emu.base_url}/2010-04-01/Accounts/{emu.account_sid}/Messages.json"
        answers = [session.get(url, timeout=5) for _ in range(5)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429, 429]
        assert error_of(answers[-1]) == (429, 20429)
        assert answers[-1].json()["message"] == "Too Many Requests"


def test_the_rate_limit_is_per_account(monkeypatch):
    from flask_twilio_rb.emulator import rules

    limiter = rules.RateLimiter(1)
    clock = iter([0.0, 0.1, 0.2, 1.3])
    monkeypatch.setattr(rules.time, "monotonic", lambda: next(clock))
    limiter.check("AC1")
    limiter.check("AC2")  # another account has its own budget
    with pytest.raises(rules.TwilioAPIError):
        limiter.check("AC1")
    limiter.check("AC1")  # a second later the window has moved on


def test_creating_under_a_missing_parent_is_404(raw):
    answer = raw.post("/Calls/CA" + "0" * 32 + "/Recordings.json", {})
    assert error_of(answer) == (404, 20404)


def test_a_fault_of_the_emulator_is_a_logged_20500(raw, emulator, monkeypatch, caplog):
    from flask_twilio_rb.emulator import paging

    def broken(*args: object) -> None:
        raise KeyError("bug")

    monkeypatch.setattr(paging, "page", broken)
    answer = raw.get("/Messages.json")
    assert error_of(answer) == (500, 20500)
    assert answer.json()["message"] == "Internal Server Error (KeyError)"
    assert "TwilioEmulator failed on GET" in caplog.text
