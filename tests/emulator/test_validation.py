"""Every parameter kind of the table: the values Twilio accepts (typed as stored) and those it refuses."""
from __future__ import annotations

import pytest

from flask_twilio_rb import Call, Stream
from flask_twilio_rb.testing.emulator import TwilioAPIError
from flask_twilio_rb.emulator.routing import Operation
from flask_twilio_rb.emulator.validation import check

from tests.emulator.emulator_helpers import FROM, TO

OPERATION = Operation("CreateThing", "Create", "/Things.json", "/Things", None, None, 201, {
    "Count": "int", "Price": "num", "Flag": "bool", "Day": "date", "Moment": "datetime", "Link": "uri",
    "Method": "method", "Owner": "sid:AC", "Status": "enum:call_enum_status", "Links": "list:uri",
    "Parameter#.Name": "str", "Name": "str!",
})


@pytest.mark.parametrize("name, raw, stored", [
    ("Count", "-12", -12), ("Price", "0.75", "0.75"), ("Flag", "True", True), ("Flag", "false", False),
    ("Day", "2026-11-27", "2026-11-27"), ("Moment", "2026-11-27T08:00:00Z", "2026-11-27T08:00:00Z"),
    ("Moment", "2026-11-27", "2026-11-27"), ("Link", "wss://example.com/stream", "wss://example.com/stream"),
    ("Method", "get", "GET"), ("Owner", "AC" + "a" * 32, "AC" + "a" * 32), ("Status", "busy", "busy"),
    ("Links", "https://example.com/1", ["https://example.com/1"]), ("Parameter12.Name", "x", "x"),
])
def test_accepted_values_are_stored_typed(name, raw, stored):
    assert check(OPERATION, [("Name", "n"), (name, raw)], "post body")[name] == stored


@pytest.mark.parametrize("name, raw", [
    ("Count", "1.5"), ("Price", "cheap"), ("Flag", "yes"), ("Day", "27/11/2026"), ("Moment", "noon"),
    ("Link", "example.com"), ("Method", "PUT"), ("Owner", "CA" + "a" * 32), ("Status", "asleep"),
    ("Links", "nowhere"), ("ParameterX.Name", "x"),
])
def test_refused_values_are_20001(name, raw):
    with pytest.raises(TwilioAPIError) as caught:
        check(OPERATION, [("Name", "n"), (name, raw)], "post body")
    assert (caught.value.status, caught.value.code) == (400, 20001)


def test_lists_keep_every_value_and_single_values_the_first():
    values = check(OPERATION, [("Name", "a"), ("Name", "b"), ("Links", "https://x/1"), ("Links", "https://x/2")], "")
    assert values == {"Name": "a", "Links": ["https://x/1", "https://x/2"]}


def test_a_missing_required_parameter_is_named():
    with pytest.raises(TwilioAPIError, match="Missing required parameter Name in the post body"):
        check(OPERATION, [], "post body")


def test_streams_take_numbered_custom_parameters(emulator):
    call = Call.create(to=TO, from_=FROM, url="https://example.com/voice")
    stream = Stream.create(call_sid=call.sid, url="wss://example.com/audio", parameters={"agent": "7", "lang": "en"})
    assert stream.sid.startswith("MZ") and stream.call_sid == call.sid
