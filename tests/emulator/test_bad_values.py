"""Ill-typed filter and parameter values get Twilio's 400 (code 20001), never a 500 (review finding L12)."""
from __future__ import annotations

import pytest

from flask_twilio_rb import Call, Message

from tests.emulator.emulator_helpers import FROM


@pytest.mark.parametrize("name, value", [
    ("Page", "9" * 4301),               # beyond Python's int-string limit
    ("PageSize", "1" * 4400),
    ("PageSize", "٥"),                   # an Arabic-Indic digit
    ("StartTime>", "2026-99-99"),
    ("StartTime>", "2026-02-30"),
    ("StartTime<", "9999-12-31T99:99:99Z"),
    ("StartTime<", "2026-01-01T00:00:00+99:99"),
    ("StartTime>", "２０２６-01-01"),       # fullwidth digits
])
def test_a_malformed_call_filter_is_a_400(raw, name, value):
    response = raw.get("/Calls.json", params={name: value})
    assert response.status_code == 400, response.text
    assert response.json()["code"] == 20001


@pytest.mark.parametrize("name, value", [("DateSent>", "2026-99-99"), ("DateSent<", "0000-01-01")])
def test_a_malformed_message_filter_is_a_400(raw, name, value):
    response = raw.get("/Messages.json", params={name: value})
    assert (response.status_code, response.json()["code"]) == (400, 20001)


def test_good_filters_still_work(emulator, raw):
    Call.create(to="+15558675310", from_=FROM, url="http://127.0.0.1:9/twiml")
    assert raw.get("/Calls.json", params={"StartTime>": "2000-01-01", "PageSize": "5"}).status_code == 200
    assert raw.get("/Calls.json", params={"StartTime<": "2999-01-01T00:00:00Z"}).status_code == 200
    assert len(raw.get("/Calls.json", params={"PageSize": "18"}).json()["calls"]) == 1


def test_phone_numbers_take_ascii_digits_only(raw):
    response = raw.post("/Messages.json", data={"To": "+1" + "٥" * 10, "From": FROM, "Body": "hi"})
    assert (response.status_code, response.json()["code"]) == (400, 21211)
    assert Message.create(to="+15558675310", from_=FROM, body="hi").status == "queued"
