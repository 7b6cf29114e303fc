"""Hostile path and parameter values never reach another URL than the one they name.

Resources check path values before a URL is built (``resources/base.py`` ``path_segment``);
these tests look at what actually goes on the wire, through ``responses``, on real resources.
"""
from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import unquote, urlsplit

import pytest
import responses
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flask_twilio_rb import AvailablePhoneNumberCountry, Call, Config, Member, Message, Participant

SID = "AC" + "a" * 32
TOKEN = "paths-token-" + "1" * 20
BASE = f"https://api.twilio.com/2010-04-01/Accounts/{SID}"
ANY = re.compile(r"https://api\.twilio\.com/.*")


@pytest.fixture(autouse=True)
def configured():
    Config.setup(account_sid=SID, auth_token=TOKEN)


@pytest.fixture
def wire():
    """Every request answers 404 and is recorded; a test asserts what (if anything) was sent."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        for method in (responses.GET, responses.POST, responses.DELETE):
            mock.add(method, ANY, status=404, json={"code": 20404, "message": "not found", "status": 404})
        yield mock


@pytest.mark.parametrize("sid", [
    "../../Accounts", "..", ".", "", "CA" + "a" * 31 + "/", "CA" + "a" * 32 + "?x=1", "CA" + "a" * 32 + "#x",
    "CA%2F" + "a" * 30, "CA" + "a" * 32 + "%2F..", "CA" + "\u0430" * 32, "CA" + "a" * 32 + "\n",
    "ca" + "a" * 32, "SM" + "a" * 32, "CA" + "\uff10" * 32, "CA" + "a" * 32 + "/../../Messages",
])
def test_malformed_sids_send_nothing(wire, sid):
    assert Call.find(sid) is None
    assert len(wire.calls) == 0


@pytest.mark.parametrize("value", [123, None, b"CA" + b"a" * 32, ["CA" + "a" * 32], 1.5])
def test_non_string_sids_are_a_type_error_and_send_nothing(wire, value):
    if value is None:  # find(None) answers None, as for a malformed SID (request.args.get("sid"))
        assert Call.find(value) is None
    else:
        with pytest.raises(TypeError, match="must be a string"):
            Call.find(value)
    with pytest.raises(TypeError):
        Call.delete(value)
    assert len(wire.calls) == 0


@pytest.mark.parametrize("parent", ["../Calls", "CA" + "a" * 32 + "/..", "AC" + "a" * 32])
def test_malformed_parent_sids_raise_before_any_request(wire, parent):
    with pytest.raises(ValueError, match="is not a valid SID"):
        Participant.all(conference_sid=parent)
    with pytest.raises(ValueError, match="is not a valid SID"):
        Call.all(account_sid="../" + parent)
    assert len(wire.calls) == 0


@pytest.mark.no_contract  # hostile values the spec's patterns would refuse: what matters is the URL sent
@pytest.mark.parametrize("value, segment", [
    ("../../Calls", "..%2F..%2FCalls"),
    ("US?PageSize=1000", "US%3FPageSize%3D1000"),
    ("US#frag", "US%23frag"),
    ("%2F..", "%252F.."),
    ("\u00e9t\u00e9", "%C3%A9t%C3%A9"),
    ("a b+c", "a%20b%2Bc"),
    ("...", "..."),
])
def test_free_form_path_values_stay_one_encoded_segment(wire, value, segment):
    assert AvailablePhoneNumberCountry.find(value) is None
    assert [call.request.url for call in wire.calls] == [f"{BASE}/AvailablePhoneNumbers/{segment}.json"]


@pytest.mark.no_contract
@pytest.mark.parametrize("value", [".", ".."])
def test_dot_segments_are_refused(wire, value):
    assert AvailablePhoneNumberCountry.find(value) is None
    assert len(wire.calls) == 0


@pytest.mark.no_contract
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20).filter(
    lambda v: v not in (".", "..")))
def test_any_member_label_is_one_segment_under_its_queue(value):
    queue = "QU" + "c" * 32
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.GET, ANY, json={"call_sid": "CA" + "a" * 32})
        Member.find(value, queue_sid=queue)
        (call,) = mock.calls
    path = urlsplit(call.request.url).path
    prefix = f"/2010-04-01/Accounts/{SID}/Queues/{queue}/Members/"
    assert path.startswith(prefix) and path.endswith(".json")
    segment = path[len(prefix):-len(".json")]
    assert "/" not in segment and unquote(segment) == value
    assert urlsplit(call.request.url).query == "" and urlsplit(call.request.url).fragment == ""


@pytest.mark.parametrize("value, kind", [
    (object(), "object"), (b"bytes", "bytes"), ({"a": 1}, "dict"), ({1, 2}, "set"), (1j, "complex"),
    ([object()], "object"), (datetime(2026, 1, 1), "naive datetime"),
])
def test_parameters_of_the_wrong_type_are_a_clear_type_error(wire, value, kind):
    with pytest.raises(TypeError) as info:
        Message.create(to="+15005550006", from_="+15005550001", body=value)
    assert "Body got a" in str(info.value)
    assert kind in str(info.value)
    assert len(wire.calls) == 0


def test_urllib3_transport_refuses_a_target_that_would_split_the_request():
    from flask_twilio_rb.transport.http_urllib3 import Urllib3Transport

    transport = Urllib3Transport()
    for url in ("http://127.0.0.1:9/a\r\nHost: evil.example/x", "http://127.0.0.1:9/a b"):
        with pytest.raises(ValueError):
            transport.send("GET", url, auth=(SID, TOKEN), timeout=0.1)
    assert transport._pool is None
