"""The client (flask_twilio_rb.client) and the error types (flask_twilio_rb.errors)."""
from __future__ import annotations

import json
from types import SimpleNamespace
from urllib.parse import parse_qsl

import jwt
import pytest
import requests
import responses

from flask_twilio_rb import (
    APIError,
    Client,
    Config,
    ConfigurationError,
    InvalidStateError,
    RetiredOperationError,
    Settings,
    TwilioConnectionError,
    TwilioError,
    TwilioTimeout,
    TwiMLError,
    get_client,
)
from flask_twilio_rb import client as client_module
from flask_twilio_rb import current
from flask_twilio_rb.transport import RawResponse
from flask_twilio_rb.transport.http_requests import RequestsTransport
from flask_twilio_rb.transport.shared import USER_AGENT

ACCOUNT_SID = "AC" + "a" * 32
AUTH_TOKEN = "secret-token-" + "9" * 19
API_BASE = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}"
PATH = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
API_KEY = "SK" + "b" * 32
API_SECRET = "api-secret-" + "7" * 21


def make_client(**kw) -> Client:
    values = {"account_sid": ACCOUNT_SID, "auth_token": AUTH_TOKEN}
    values.update(kw)
    return Client(Settings(**values))


def basic_pair(call):
    import base64

    header = call.request.headers["Authorization"]
    return tuple(base64.b64decode(header.split()[1]).decode().split(":", 1))


@pytest.fixture
def no_app_lookup(monkeypatch):
    monkeypatch.setattr(current, "app_state_lookup", None)


# --- errors ---------------------------------------------------------------------------------------

def test_error_hierarchy():
    assert issubclass(ConfigurationError, TwilioError) and issubclass(ConfigurationError, RuntimeError)
    assert issubclass(InvalidStateError, RuntimeError)
    assert issubclass(RetiredOperationError, NotImplementedError)
    assert issubclass(TwiMLError, ValueError)
    assert issubclass(TwilioConnectionError, ConnectionError)
    assert issubclass(TwilioTimeout, TwilioConnectionError) and issubclass(TwilioTimeout, TimeoutError)
    assert issubclass(APIError, TwilioError)


def test_connection_error_attributes_default():
    e = TwilioConnectionError("boom")
    assert (str(e), e.method, e.url, e.sent) == ("boom", "", "", False)
    t = TwilioTimeout("slow", method="GET", url="u", sent=True)
    assert (t.method, t.url, t.sent) == ("GET", "u", True)


def test_api_error_str_repr_without_code():
    e = APIError(502, "Bad gateway", method="GET", url="/x")
    assert str(e) == "Bad gateway (HTTP 502, GET /x)"
    assert e.args == ("Bad gateway (HTTP 502, GET /x)",)
    assert repr(e) == "<APIError status=502 code=None GET /x>"
    assert e.code is None and e.more_info is None and e.request_id is None and e.details is None


# --- client basics --------------------------------------------------------------------------------

def test_repr_masks_secret():
    c = make_client()
    text = repr(c)
    assert AUTH_TOKEN not in text
    assert text == f"<Client account_sid={ACCOUNT_SID!r} auth=********{AUTH_TOKEN[-4:]} base_url='https://api.twilio.com'>"
    k = make_client(api_key=API_KEY, api_secret=API_SECRET)
    assert API_SECRET not in repr(k) and "auth=********7777" in repr(k)


def test_account_sid_and_auth():
    c = make_client()
    assert c.account_sid == ACCOUNT_SID
    assert c.auth() == (ACCOUNT_SID, AUTH_TOKEN)
    assert c.auth("ACconnected") == ("ACconnected", AUTH_TOKEN)
    assert make_client(api_key=API_KEY, api_secret=API_SECRET).auth() == (API_KEY, API_SECRET)
    assert make_client(auth_token=None, api_key=API_KEY, api_secret=API_SECRET).auth("ACc") == ("ACc", "")


def test_missing_credentials_raise_and_send_nothing():
    c = Client(Settings(account_sid=ACCOUNT_SID))
    assert c.source == "Config.setup / environment"
    with responses.RequestsMock() as rsps:  # any request would fail: nothing is registered
        with pytest.raises(ConfigurationError) as err:
            c.request("GET", PATH)
        assert len(rsps.calls) == 0
    assert "TWILIO_AUTH_TOKEN not set (Config.setup / environment)" in str(err.value)
    with pytest.raises(ConfigurationError, match="TWILIO_ACCOUNT_SID"):
        Client(Settings(auth_token=AUTH_TOKEN)).account_sid


def test_make_transport_urllib3_and_unknown():
    from flask_twilio_rb.transport.http_urllib3 import Urllib3Transport

    assert isinstance(make_client(transport="urllib3").transport, Urllib3Transport)
    with pytest.raises(ConfigurationError) as err:
        make_client(transport="httpx")
    assert str(err.value) == "TWILIO_TRANSPORT is 'httpx'; use one of 'requests', 'urllib3'."


def test_make_transport_follows_trust_env():
    c = make_client(trust_env=True)
    assert isinstance(c.transport, RequestsTransport) and c.transport.trust_env is True
    assert make_client().transport.trust_env is False
    assert c.singletons == {}


@responses.activate
def test_request_success_form_encoded_with_timeout_and_user_agent():
    responses.add(responses.POST, API_BASE + "/Messages.json", json={"sid": "SM1", "status": "queued"}, status=201)
    c = make_client(timeout=4)
    result = c.request("POST", PATH, data=[("To", "+15005550006"), ("Body", "Hi there")])
    assert result == {"sid": "SM1", "status": "queued"}
    call = responses.calls[0]
    assert call.request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qsl(call.request.body) == [("To", "+15005550006"), ("Body", "Hi there")]
    assert call.request.headers["User-Agent"] == USER_AGENT
    assert call.request.req_kwargs["timeout"] == 4.0
    assert basic_pair(call) == (ACCOUNT_SID, AUTH_TOKEN)


@responses.activate
def test_timeout_passed_on_every_request():
    responses.add(responses.GET, API_BASE + ".json", json={"sid": ACCOUNT_SID})
    c = make_client(timeout=0.75)
    for _ in range(3):
        c.request("GET", f"/2010-04-01/Accounts/{ACCOUNT_SID}.json")
    assert [call.request.req_kwargs["timeout"] for call in responses.calls] == [0.75] * 3


@responses.activate
def test_api_key_used_as_basic_auth():
    responses.add(responses.GET, API_BASE + ".json", json={})
    make_client(auth_token=None, api_key=API_KEY, api_secret=API_SECRET).request("GET", f"/2010-04-01/Accounts/{ACCOUNT_SID}.json")
    assert basic_pair(responses.calls[0]) == (API_KEY, API_SECRET)


@responses.activate
def test_custom_base_url():
    path = f"/2010-04-01/Accounts/{ACCOUNT_SID}.json"
    responses.add(responses.GET, "http://127.0.0.1:9" + path, json={"sid": ACCOUNT_SID})
    assert make_client(api_base_url="http://127.0.0.1:9").request("GET", path) == {"sid": ACCOUNT_SID}


@responses.activate
def test_api_error_from_twilio_json():
    responses.add(
        responses.POST, API_BASE + "/Messages.json", status=400,
        json={"code": 21211, "message": "The 'To' number 123 is not a valid phone number.",
              "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400, "details": {"a": 1}},
        headers={"Twilio-Request-Id": "RQ123"},
    )
    with pytest.raises(APIError) as err:
        make_client().request("POST", PATH, data=[("To", "123")])
    e = err.value
    assert str(e) == f"Error #21211: The 'To' number 123 is not a valid phone number. (HTTP 400, POST {PATH})"
    assert (e.status, e.code, e.method, e.url, e.request_id) == (400, 21211, "POST", PATH, "RQ123")
    assert e.message == "The 'To' number 123 is not a valid phone number."
    assert e.more_info == "https://www.twilio.com/docs/errors/21211"
    assert e.details == {"a": 1}
    assert repr(e) == f"<APIError status=400 code=21211 POST {PATH}>"
    assert AUTH_TOKEN not in str(e) and AUTH_TOKEN not in repr(e)


@responses.activate
def test_api_error_html_body():
    responses.add(responses.GET, API_BASE + ".json", status=502, body="<html>\n<h1>502 Bad Gateway</h1>\n</html>",
                  content_type="text/html")
    with pytest.raises(APIError) as err:
        make_client(max_retries=0).request("GET", f"/2010-04-01/Accounts/{ACCOUNT_SID}.json")  # a 502 is retried otherwise
    e = err.value
    assert e.status == 502 and e.code is None and e.request_id is None
    assert e.message == "Twilio answered HTTP 502 with a body that is not JSON: '<html> <h1>502 Bad Gateway</h1> </html>'"


def raw(status, body, headers=None):
    return RawResponse(status, headers or {}, body)


def test_decode_success_variants():
    assert client_module.decode(raw(204, b""), "DELETE", "/x") is None
    assert client_module.decode(raw(204, b"ignored"), "DELETE", "/x") is None
    assert client_module.decode(raw(200, b""), "GET", "/x") is None
    assert client_module.decode(raw(200, b'{"a": [1]}'), "GET", "/x") == {"a": [1]}


def test_decode_non_json_success_is_api_error():
    body = b"x" * 100
    with pytest.raises(APIError) as err:
        client_module.decode(raw(200, body, {"Twilio-Request-Id": "RQ9"}), "GET", "/x")
    e = err.value
    assert e.status == 200 and e.request_id == "RQ9" and e.method == "GET" and e.url == "/x"
    assert e.message == f"Twilio answered with a body that is not JSON: {'x' * 80 + '...'!r}"
    assert e.__cause__ is None and e.__suppress_context__


@pytest.mark.parametrize("body, message", [
    (b'{"detail": "Not found here"}', "Not found here"),
    (b'{"message": "", "code": 20404}', "HTTP 404"),
    (b"[1, 2]", "Twilio answered HTTP 404 with a body that is not JSON: '[1, 2]'"),
    (b"", "Twilio answered HTTP 404 with a body that is not JSON: ''"),
    (b"\xff\xfe", "Twilio answered HTTP 404 with a body that is not JSON: '\ufffd\ufffd'"),
])
def test_decode_error_variants(body, message):
    with pytest.raises(APIError) as err:
        client_module.decode(raw(404, body), "GET", "/x")
    assert err.value.message == message and err.value.status == 404


def test_close_closes_transport():
    c = make_client()
    session = c.transport.session
    c.close()
    assert c.transport._session is None
    assert c.transport.session is not session


def test_capability_token_uses_client_credentials():
    token = make_client().capability_token(allow_incoming="alice")
    claims = jwt.decode(token, AUTH_TOKEN, algorithms=["HS256"])
    assert claims["iss"] == ACCOUNT_SID and "clientName=alice" in claims["scope"]


def test_access_token_uses_client_api_key():
    token = make_client(api_key=API_KEY, api_secret=API_SECRET).access_token(identity="alice")
    assert (token.account_sid, token.api_key_sid, token.identity) == (ACCOUNT_SID, API_KEY, "alice")
    claims = jwt.decode(token.to_jwt(), API_SECRET, algorithms=["HS256"])
    assert claims["iss"] == API_KEY and claims["sub"] == ACCOUNT_SID


# --- get_client -----------------------------------------------------------------------------------

def test_get_client_script_client_cached_and_rebuilt(no_app_lookup, configured):
    first = get_client()
    assert first.settings.account_sid == ACCOUNT_SID and first.settings.auth_token == AUTH_TOKEN
    assert get_client() is first
    Config.setup(auth_token="new-token-" + "1" * 22)
    second = get_client()
    assert second is not first and second.settings.auth_token == "new-token-" + "1" * 22


def test_get_client_from_environment(no_app_lookup, monkeypatch):
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", "AC" + "e" * 32)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "env-token")
    assert get_client().auth() == ("AC" + "e" * 32, "env-token")


def test_get_client_prefers_app_lookup(monkeypatch, configured):
    app_client = make_client(account_sid="ACapp")
    app_state = SimpleNamespace(client=app_client, settings=app_client.settings)
    monkeypatch.setattr(current, "app_state_lookup", lambda: app_state)
    assert get_client() is app_client
    monkeypatch.setattr(current, "app_state_lookup", lambda: None)
    assert get_client().settings.account_sid == ACCOUNT_SID


@responses.activate
def test_config_setup_then_request(no_app_lookup, configured):
    responses.add(responses.GET, API_BASE + ".json", json={"sid": ACCOUNT_SID})
    assert get_client().request("GET", f"/2010-04-01/Accounts/{ACCOUNT_SID}.json") == {"sid": ACCOUNT_SID}
    assert basic_pair(responses.calls[0])[0] == ACCOUNT_SID
