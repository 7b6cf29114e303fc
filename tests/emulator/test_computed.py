"""What Twilio computes rather than stores: balance, countries, numbers for sale, usage records."""
from __future__ import annotations

import pytest

from flask_twilio_rb import AvailablePhoneNumber, AvailablePhoneNumberCountry, Call, Message, UsageRecord

from tests.emulator.emulator_helpers import FROM, TO


def test_numbers_for_sale_follow_the_search(emulator):
    numbers = AvailablePhoneNumber.all(area_code=917, contains="7777", page_size=5)
    assert len(numbers) == 5
    assert all(n.phone_number.startswith("+1917") and n.phone_number.endswith("7777") for n in numbers)
    assert len({n.phone_number for n in AvailablePhoneNumber.each(area_code=917, contains="7777")}) == 30
    assert AvailablePhoneNumber.all(beta=True) == []  # a filter on a field of the numbers
    assert AvailablePhoneNumber.toll_free.all(country="GB")[0].phone_number.startswith("+44")


def test_a_found_number_can_be_bought(emulator):
    number = AvailablePhoneNumber.all()[0].purchase(voice_url="https://example.com/voice")
    assert number.sid.startswith("PN") and number.voice_url == "https://example.com/voice"


def test_countries(emulator, raw):
    assert {c.country_code for c in AvailablePhoneNumberCountry.all()} == {"US", "CA", "GB"}
    canada = AvailablePhoneNumberCountry.find("CA")
    assert canada.country == "Canada"
    assert canada.subresource_uris["local"].endswith("/AvailablePhoneNumbers/CA/Local.json")
    assert AvailablePhoneNumberCountry.find("ZZ") is None
    assert raw.get("/AvailablePhoneNumbers/ZZ/Local.json").json()["code"] == 20404


def test_usage_records_count_calls_and_messages(emulator):
    Message.create(to=TO, from_=FROM, body="one")
    Call.create(to=TO, from_=FROM, url="https://example.com/voice")
    Call.create(to=TO, from_=FROM, url="https://example.com/voice")
    usage = {r.category: r["usage"] for r in UsageRecord.this_month.all()}  # (r.count is the class method)
    assert usage == {"calls": "2", "sms": "1"}
    assert [r.category for r in UsageRecord.all(category="sms")] == ["sms"]


def test_a_periods_bounds_are_not_field_filters(raw):
    answer = raw.get("/Usage/Records.json", params={"StartDate": "2026-01-01", "EndDate": "2026-12-31"}).json()
    assert {r["category"] for r in answer["usage_records"]} == {"calls", "sms"}


def test_boolean_filters(emulator, raw):
    from flask_twilio_rb import IncomingPhoneNumber

    number = IncomingPhoneNumber.create(phone_number=FROM)
    assert [n["sid"] for n in raw.get("/IncomingPhoneNumbers.json", params={"Beta": "false"}).json()[
        "incoming_phone_numbers"]] == [number.sid]
    assert raw.get("/IncomingPhoneNumbers.json", params={"Beta": "true"}).json()["incoming_phone_numbers"] == []


def test_a_payloads_data_is_the_one_record_under_it(emulator):
    """A singleton without its own SID (a payload's Data) is read as its collection's one record, or 20404."""
    from flask_twilio_rb import NotFoundError, RecordingAddOnResultPayloadData

    parents = {"reference_sid": "RE" + "1" * 32, "add_on_result_sid": "XR" + "2" * 32, "payload_sid": "XH" + "3" * 32}
    with pytest.raises(NotFoundError):
        RecordingAddOnResultPayloadData.fetch(**parents)
    emulator.seed("RecordingAddOnResultPayloadData", **parents, redirect_to="https://example.com/payload.json")
    data = RecordingAddOnResultPayloadData.reload(**parents)
    assert data.redirect_to == "https://example.com/payload.json"
