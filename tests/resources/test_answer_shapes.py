"""Answers that are not what the operation promises: redirects, empty bodies, JSON of the wrong shape,
next pages elsewhere or already read; and two spellings of one parameter, ``find(None)``."""
from __future__ import annotations

import pytest
import responses
from tests.resources.resource_helpers import ACCOUNT_SID, API, CALL_SID, api  # noqa: F401  (fixture)
from tests.transport.fault_servers import RawServer, redirect

from flask_twilio_rb import APIError, Call, Config, Message, get_client

PAGE = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json"


def _call(sid=CALL_SID):
    return {"sid": sid, "account_sid": ACCOUNT_SID, "status": "queued"}


# -- M6: a redirect is never success ----------------------------------------------------------------

@pytest.mark.parametrize("transport", ["requests", "urllib3"])
@pytest.mark.parametrize("call", [
    lambda: Message.create(to="+15005550006", from_="+15005550006", body="hi"),
    lambda: Call.find(CALL_SID),
    lambda: Call.all(),
    lambda: Call.count(),
], ids=["create", "find", "all", "count"])
def test_a_redirect_is_an_api_error_that_says_where_it_pointed(transport, call):
    with RawServer(redirect) as server:
        Config.setup(account_sid=ACCOUNT_SID, auth_token="x" * 32, api_base_url=server.base_url, max_retries=0,
                     transport=transport)
        with pytest.raises(APIError) as info:
            call()
        get_client().close()
    error = info.value
    assert error.status == 301 and error.details == {"location": "https://api.twilio.com/2010-04-01"}
    assert "pointing to 'https://api.twilio.com/2010-04-01'" in str(error)
    assert "was not carried out" in str(error) and "TWILIO_API_BASE_URL" in str(error)
    assert server.count() == 1  # never followed


def test_a_redirect_with_a_json_body_is_not_taken_for_the_resource(api):
    api.post(f"{API}/Messages.json", json={"sid": "SM" + "1" * 32}, status=302, headers={"Location": "/elsewhere"})
    with pytest.raises(APIError, match="HTTP 302, pointing to '/elsewhere'"):
        Message.create(to="+15005550006", from_="+15005550006", body="hi")


# -- M6 / L2: an object is never built from an empty body or from JSON of another shape ---------------

@pytest.mark.parametrize("body, what", [
    (b"", "with no body, where the Message was expected"),
    (b"[1, 2]", "expected an object, got an array"),
    (b'"x"', "expected an object, got a string"),
    (b"null", "expected an object, got null"),
    (b"1", "expected an object, got a number"),
    (b"true", "expected an object, got a boolean"),
])
def test_create_answered_without_an_object_is_an_api_error(api, body, what):
    api.post(f"{API}/Messages.json", body=body, status=201, content_type="application/json")
    with pytest.raises(APIError, match="unexpected shape|no body") as info:
        Message.create(to="+15005550006", from_="+15005550006", body="hi")
    assert what in str(info.value) and info.value.status == 201


def test_find_answered_with_204_is_an_api_error(api):
    api.get(f"{API}/Calls/{CALL_SID}.json", status=204)
    with pytest.raises(APIError, match="HTTP 204 with no body, where the Call was expected"):
        Call.find(CALL_SID)


@pytest.mark.parametrize("records, what", [
    ("abc", "expected 'calls' to be a list of records, got a string"),
    ({"a": 1}, "expected 'calls' to be a list of records, got an object"),
    (["CA1"], "expected every item of 'calls' to be an object"),
])
def test_a_page_whose_records_are_not_a_list_of_objects_is_an_api_error(api, records, what):
    api.get(f"{API}/Calls.json", json={"calls": records})
    for listing in (Call.all, Call.count, lambda: list(Call.each())):
        with pytest.raises(APIError) as info:
            listing()
        assert what in str(info.value)  # count() never counts the characters of a string


def test_an_update_answered_without_a_body_keeps_what_is_known(api):
    api.post(f"{API}/Calls/{CALL_SID}.json", status=204)
    call = Call.update(CALL_SID, status="canceled")
    assert call.sid == CALL_SID and call.to_dict() == {"sid": CALL_SID}


def test_a_delete_needs_no_body(api):
    api.delete(f"{API}/Calls/{CALL_SID}.json", status=204)
    assert Call.delete(CALL_SID) is True


# -- L3: the next page is a path on the client's origin, read once -----------------------------------

@pytest.mark.parametrize("link", [
    "@127.0.0.1:9/2010-04-01/Accounts/x.json",       # concatenated to the base URL: another host
    "//evil.example/2010-04-01/Calls.json",
    "https://evil.example/2010-04-01/Calls.json",
    "https://api.twilio.com.evil.example/2010-04-01/Calls.json",
    "2010-04-01/Calls.json",
    12,
])
def test_a_next_page_elsewhere_is_never_requested(api, link):
    api.get(f"{API}/Calls.json", json={"calls": [_call()], "next_page_uri": link})
    with pytest.raises(APIError, match="not a path on https://api.twilio.com"):
        list(Call.each())
    assert len(api.calls) == 1  # the credentials went nowhere else


def test_a_next_page_url_on_the_same_origin_is_followed(api):
    second = f"{PAGE}?PageSize=1&Page=1&PageToken=PA1"
    api.get(f"{API}/Calls.json", json={"calls": [_call()], "next_page_url": "https://api.twilio.com" + second})
    api.get(f"{API}/Calls.json?PageSize=1&Page=1&PageToken=PA1", json={"calls": [_call(CALL_SID[:-1] + "2")]},
            match=[responses.matchers.query_param_matcher({"PageSize": "1", "Page": "1", "PageToken": "PA1"})])
    assert len(list(Call.each(page_size=1))) == 2


@pytest.mark.parametrize("link", [f"{PAGE}?PageSize=1000", "own uri"])
def test_a_page_pointing_back_stops_with_an_error(api, link):
    own = f"{PAGE}?PageSize=1000&Page=0"
    api.get(f"{API}/Calls.json", json={"calls": [_call()], "uri": own, "next_page_uri": own if link == "own uri" else link})
    with pytest.raises(APIError, match="names a page already read"):
        Call.count()
    assert len(api.calls) == 1


def test_a_cycle_over_two_pages_stops(api):
    first, second = f"{PAGE}?Page=0&PageToken=PA0", f"{PAGE}?Page=1&PageToken=PA1"
    api.get(f"{API}/Calls.json", json={"calls": [_call()], "next_page_uri": second},
            match=[responses.matchers.query_string_matcher("")])
    api.get(f"{API}/Calls.json", json={"calls": [_call()], "next_page_uri": first},
            match=[responses.matchers.query_param_matcher({"Page": "1", "PageToken": "PA1"})])
    api.get(f"{API}/Calls.json", json={"calls": [_call()], "next_page_uri": second},
            match=[responses.matchers.query_param_matcher({"Page": "0", "PageToken": "PA0"})])
    with pytest.raises(APIError, match="already read"):
        list(Call.each())
    assert len(api.calls) == 3


def test_a_path_that_is_not_one_is_refused_before_anything_is_sent(api):
    client = get_client()
    for path in ("@evil.example/x.json", "//evil.example/x.json", "x.json"):
        with pytest.raises(ValueError, match="takes a path starting with one '/'"):
            client.request("GET", path)
    assert len(api.calls) == 0


# -- L13 --------------------------------------------------------------------------------------------

def test_two_spellings_of_one_parameter_are_a_type_error(api):
    for extra in ({"From": "+19005550100"}, {"from": "+19005550100"}):
        with pytest.raises(TypeError, match="are both Twilio's From parameter: pass only one"):
            Message.create(to="+15005550006", from_="+15005550006", body="hi", **extra)
    assert len(api.calls) == 0


def test_find_none_answers_none_without_a_request(api):
    assert Call.find(None) is None
    assert len(api.calls) == 0
    with pytest.raises(TypeError, match="must be a string"):
        Call.find(12)  # another type is still a mistake
