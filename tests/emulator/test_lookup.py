"""Lookup on the emulator, over raw HTTP: numbers in any common form validated and formatted, v2's
Line Type Intelligence and Caller Name from the magic numbers, v1's carrier and its 404."""
from __future__ import annotations

from typing import Any, Dict, Optional
from urllib.parse import quote

import pytest

from flask_twilio_rb.emulator.products import lookup
from flask_twilio_rb.emulator.products.numbering import parse


def look(api: Any, number: str, version: str = "v2", expect: int = 200, **params: Any) -> Dict[str, Any]:
    return api("GET", f"/lookups/{version}/PhoneNumbers/{quote(number, safe='')}", expect, params=params)


@pytest.mark.parametrize("typed, country, e164, iso, national", [
    ("+14155552671", None, "+14155552671", "US", "(415) 555-2671"),
    ("(415) 555-2671", None, "+14155552671", "US", "(415) 555-2671"),  # national: North America by default
    ("415.555.2671", "US", "+14155552671", "US", "(415) 555-2671"),
    ("1 415 555 2671", None, "+14155552671", "US", "(415) 555-2671"),
    ("+1 416-555-0199", None, "+14165550199", "CA", "(416) 555-0199"),  # a Canadian area code
    ("787 555 0100", None, "+17875550100", "PR", "(787) 555-0100"),
    ("07772 000001", "GB", "+447772000001", "GB", "07772 000001"),
    ("0044 20 7946 0958", None, "+442079460958", "GB", "020 7946 0958"),  # 00: the international prefix
    ("06 12 34 56 78", "fr", "+33612345678", "FR", "06 12 34 56 78"),
    ("+34 612 34 56 78", None, "+34612345678", "ES", "612 34 56 78"),
    ("+61 412 345 678", None, "+61412345678", "AU", "0412 345 678"),
    ("(11) 91234-5678", "BR", "+5511912345678", "BR", "(11) 91234-5678"),
])
def test_any_common_form_is_read(api, typed, country, e164, iso, national):
    found = look(api, typed, **({"CountryCode": country} if country else {}))
    assert (found["phone_number"], found["country_code"], found["national_format"]) == (e164, iso, national)
    assert (found["valid"], found["validation_errors"]) == (True, None)
    assert found["calling_country_code"] == {"US": "1", "CA": "1", "PR": "1", "GB": "44", "FR": "33", "ES": "34",
                                             "AU": "61", "BR": "55"}[iso]
    assert found["url"].endswith(f"/lookups/v2/PhoneNumbers/{quote(e164, safe='')}")
    assert found["line_type_intelligence"] is None and found["caller_name"] is None  # not asked for


@pytest.mark.parametrize("typed, country, error, shown", [
    ("+1415555267", None, "TOO_SHORT", "+1415555267"),
    ("+141599299600", None, "TOO_LONG", "+141599299600"),  # the description's own example
    ("+10155552671", None, "INVALID_BUT_POSSIBLE", "+10155552671"),  # area codes never start with 0
    ("+14159112671", None, "INVALID_BUT_POSSIBLE", "+14159112671"),  # nor exchanges with N11
    ("+4420794609", None, "INVALID_LENGTH", "+4420794609"),  # 8 digits: between the UK's 7 and 9
    ("+9991234567", None, "INVALID_COUNTRY_CODE", "+9991234567"),
    ("5551234", "ZZ", "INVALID_COUNTRY_CODE", "5551234"),
    ("call me", None, "NOT_A_NUMBER", "call me"),
    ("+1415555267٠", None, "NOT_A_NUMBER", "+1415555267٠"),  # ASCII digits only
])
def test_an_invalid_number_says_why(api, typed, country, error, shown):
    found = look(api, typed, Fields="line_type_intelligence,caller_name", **({"CountryCode": country} if country else {}))
    assert (found["valid"], found["validation_errors"], found["phone_number"]) == (False, [error], shown)
    assert found["country_code"] is found["national_format"] is found["calling_country_code"] is None
    assert found["line_type_intelligence"] is found["caller_name"] is None


@pytest.mark.parametrize("number, line_type, name, caller_type", [
    ("+14155550100", "mobile", "ADA LOVELACE", "CONSUMER"),
    ("+14155550101", "mobile", "GRACE HOPPER", "CONSUMER"),
    ("+14155550102", "mobile", None, "UNDETERMINED"),
    ("+14155550103", "mobile", "ALAN TURING", "CONSUMER"),
    ("+14155550104", "landline", "EMULATED PIZZA", "BUSINESS"),
    ("+14155550105", "landline", "KATHERINE JOHNSON", "CONSUMER"),
    ("+14155550106", "fixedVoip", "EMULATED SUPPORT", "BUSINESS"),
    ("+14155550107", "nonFixedVoip", None, "UNDETERMINED"),
    ("+14155550108", "personal", "MARGARET HAMILTON", "CONSUMER"),
    ("+14155550109", "unknown", None, "UNDETERMINED"),
    ("+18005550104", "tollFree", None, "UNDETERMINED"),  # the numbering plan wins over the last digit
    ("+19005550100", "premium", None, "UNDETERMINED"),
])
def test_line_types_and_caller_names_come_from_the_magic_numbers(api, number, line_type, name, caller_type):
    found = look(api, number, Fields="line_type_intelligence, caller_name")
    line = found["line_type_intelligence"]
    assert line["type"] == line_type and line["error_code"] is None
    carried = line_type not in lookup.NO_CARRIER
    assert (line["carrier_name"] is not None, line["mobile_country_code"]) == (carried, "310" if carried else None)
    assert line["mobile_network_code"] == (lookup.MOBILE_NETWORK_CODE if line_type == "mobile" else None)
    assert found["caller_name"] == {"caller_name": name, "caller_type": caller_type, "error_code": None}


def test_outside_the_us_caller_name_is_unsupported_and_uk_mobiles_are_mobile(api):
    found = look(api, "+447772000004", Fields="line_type_intelligence,caller_name")
    assert found["line_type_intelligence"]["type"] == "mobile"  # 07: a mobile, whatever its last digit
    assert found["line_type_intelligence"]["mobile_country_code"] == "234"
    assert found["caller_name"] == {"caller_name": None, "caller_type": None, "error_code": 60607}
    assert look(api, "+448005550100", Fields="line_type_intelligence")["line_type_intelligence"]["type"] == "tollFree"
    assert look(api, "+33612345674", Fields="line_type_intelligence")["line_type_intelligence"]["type"] == "landline"


def test_fields_name_lookup_s_packages(api):
    found = look(api, "+14155550100", Fields="validation,sim_swap")
    assert found["valid"] is True and found["sim_swap"] is None and found["line_type_intelligence"] is None
    error = api.error("GET", "/lookups/v2/PhoneNumbers/%2B14155550100", 400,
                      params={"Fields": "line_type_inteligence"})
    assert error["code"] == 20001 and "'line_type_inteligence'" in error["message"]
    assert "line_type_intelligence" in error["message"]


def test_a_seeded_number_answers_what_was_seeded(api, emulator):
    sim = {"last_sim_swap": {"swapped_in_period": True}, "error_code": None}
    emulator.seed("lookups.v2.FetchPhoneNumber", phone_number="+14155550100", sim_swap=sim,
                  caller_name={"caller_name": "SEEDED", "caller_type": "BUSINESS", "error_code": None})
    assert look(api, "+14155550100")["sim_swap"] is None  # a package only when Fields asks for it
    found = look(api, "(415) 555-0100", Fields="sim_swap,caller_name,line_type_intelligence")
    assert found["sim_swap"] == sim and found["caller_name"]["caller_name"] == "SEEDED"
    assert found["line_type_intelligence"]["type"] == "mobile"  # what was not seeded is computed


# -- Lookup v1 -----------------------------------------------------------------------------------------

def test_v1_answers_carrier_and_caller_name_and_404_for_an_invalid_number(api):
    found = look(api, "+14155550106", "v1", Type=["carrier", "caller-name"])
    assert (found["phone_number"], found["national_format"], found["country_code"]) == (
        "+14155550106", "(415) 555-0106", "US")
    assert found["carrier"] == {"mobile_country_code": "310", "mobile_network_code": None, "name": "Emulated Voice",
                                "type": "voip", "error_code": None}
    assert found["caller_name"]["caller_name"] == "EMULATED SUPPORT" and found["add_ons"] is None
    plain = look(api, "+14155550100", "v1")
    assert plain["carrier"] is None and plain["caller_name"] is None
    assert look(api, "+18005550100", "v1", Type="carrier")["carrier"]["type"] is None  # v1 knows 3 types
    missing = api.error("GET", "/lookups/v1/PhoneNumbers/%2B1415", 404)
    assert missing["code"] == 20404
    assert api.error("GET", "/lookups/v1/PhoneNumbers/%2B14155550100", 400, params={"Type": "sim"})["code"] == 20001


def test_v1_answers_a_seeded_number_even_when_it_is_not_valid(api, emulator):
    emulator.seed("lookups.v1.FetchPhoneNumber", phone_number="+1555", caller_name={"caller_name": "TEST"})
    found = look(api, "+1555", "v1", Type="carrier")
    assert found["caller_name"] == {"caller_name": "TEST"} and found["carrier"] is None


# -- the numbering plan itself ----------------------------------------------------------------------

@pytest.mark.parametrize("typed, country, valid", [
    ("+4420794609581", None, False), ("0800 1111", "GB", True), ("+3361234567", None, False),
    ("+971501234567", None, True), ("+6591234567", None, True), ("+27821234567", None, True),
])
def test_the_numbering_plan(typed: str, country: Optional[str], valid: bool):
    assert parse(typed, country).valid is valid


def test_a_national_number_longer_than_the_country_s_groups_keeps_its_last_digits():
    number = parse("+46 812 345 6789", None)  # Sweden: 7 to 10 digits, written in groups of 2, 3 and 4
    assert number.country is not None and number.country.national_format(number.national) == "081 234 56789"
