"""Webhook signatures: the algorithm, the Flask guard and the testing helpers."""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from base64 import b64encode
from typing import Any, Dict, Iterator, List

import pytest
from flask import Flask, request
from twilio.request_validator import RequestValidator
from werkzeug.datastructures import MultiDict
from werkzeug.middleware.proxy_fix import ProxyFix

from flask_twilio_rb import (
    Config,
    ConfigurationError,
    SignatureError,
    TwilioError,
    TwilioRB,
    compute_signature,
    is_valid_signature,
    reject_invalid_request,
    validate_twilio_request,
    webhook_rejected,
)
from flask_twilio_rb import signature, webhooks
from flask_twilio_rb.testing import post_as_twilio, sign_request, signed_headers, with_body_hash

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "f3c1a9d27b6e4058a1c2d3e4f5a6b7c8"
CALL = {"CallSid": "CA" + "1" * 32, "From": "+15550001111", "To": "+15550002222", "CallStatus": "ringing"}

# Twilio's own worked example (twilio.com/docs/usage/security), with auth token "12345".
DOC_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
DOC_PARAMS = {"CallSid": "CA1234567890ABCDE", "Caller": "+12349013030", "Digits": "1234",
              "From": "+12349013030", "To": "+18005551212"}
DOC_SIGNATURE = "0/KCTR6DLpKmkAf8muzZqo1nDgQ="


@pytest.fixture(autouse=True)
def clean_config(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_VALIDATE_WEBHOOKS", "TWILIO_WEBHOOK_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    Config.reset()
    yield
    Config.reset()


def make_app(**config: Any) -> Flask:
    app = Flask(__name__)
    app.config.update({"TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN, **config})
    TwilioRB(app)

    @app.route("/voice", methods=["GET", "POST"])
    @validate_twilio_request
    def voice() -> str:
        return "answered " + request.values.get("From", "")

    @app.post("/events")
    @validate_twilio_request
    def events() -> Dict[str, Any]:
        return {"seen": request.get_json()["type"]}

    @app.post("/café")
    @validate_twilio_request
    def cafe() -> str:
        return "bonjour"

    @app.post("/menu")
    def menu() -> Any:
        # How views.respond_to uses it: the guard without the decorator.
        return reject_invalid_request() or "menu"

    return app


@pytest.fixture
def app() -> Flask:
    return make_app()


@pytest.fixture
def rejections() -> Iterator[List[Dict[str, Any]]]:
    seen: List[Dict[str, Any]] = []

    def receive(sender: Any, **extra: Any) -> None:
        seen.append(dict(extra, sender=sender))

    webhook_rejected.connect(receive)
    yield seen
    webhook_rejected.disconnect(receive)


def reference(url: str, params: Any, token: str = AUTH_TOKEN, algorithm: str = "sha1") -> str:
    key = token.encode()
    if isinstance(params, dict):
        params = MultiDict(params)
    text = url + "".join(name + value for name in sorted(set(params.keys()))
                         for value in sorted(set(params.getlist(name))))
    return b64encode(hmac.new(key, text.encode(), getattr(hashlib, algorithm)).digest()).decode()


# -- the algorithm ---------------------------------------------------------------------------


def test_signature_matches_twilios_documented_example() -> None:
    assert compute_signature(DOC_URL, DOC_PARAMS, "12345") == DOC_SIGNATURE
    assert is_valid_signature(DOC_URL, DOC_PARAMS, DOC_SIGNATURE, "12345")


def test_signature_is_hmac_sha1_of_url_and_sorted_parameters() -> None:
    assert compute_signature("https://a.example/x?q=1", CALL, AUTH_TOKEN) == reference("https://a.example/x?q=1", CALL)


def test_sha256_signature_is_hmac_sha256() -> None:
    signature = compute_signature(DOC_URL, DOC_PARAMS, AUTH_TOKEN, algorithm="sha256")
    assert signature == reference(DOC_URL, DOC_PARAMS, algorithm="sha256")
    assert signature == RequestValidator(AUTH_TOKEN).compute_signature(DOC_URL, DOC_PARAMS, "HMAC_SHA256")
    assert compute_signature(DOC_URL, DOC_PARAMS, AUTH_TOKEN, algorithm="HMAC_SHA256") == signature
    assert is_valid_signature(DOC_URL, DOC_PARAMS, signature, AUTH_TOKEN, algorithm="HMAC_SHA256")
    assert not is_valid_signature(DOC_URL, DOC_PARAMS, signature, AUTH_TOKEN)


def test_multi_valued_parameters_sign_every_distinct_value_sorted() -> None:
    pairs = [("To", "+2"), ("Media", "b"), ("Media", "a"), ("Media", "b")]
    expected = RequestValidator(AUTH_TOKEN).compute_signature("https://a.example/", MultiDict(pairs))
    assert compute_signature("https://a.example/", pairs, AUTH_TOKEN) == expected
    assert compute_signature("https://a.example/", MultiDict(pairs), AUTH_TOKEN) == expected
    assert compute_signature("https://a.example/", {"To": "+2", "Media": ["b", "a"]}, AUTH_TOKEN) == expected
    assert compute_signature("https://a.example/", {"To": "+2", "Media": ["a"]}, AUTH_TOKEN) != expected


class QueryDictLike:
    """Django's QueryDict interface: ``keys`` and ``getlist``, without Werkzeug's ``lists``."""

    def __init__(self, pairs: List[Any]) -> None:
        self.pairs = pairs

    def __bool__(self) -> bool:
        return bool(self.pairs)

    def keys(self) -> List[str]:
        return list(dict.fromkeys(name for name, _ in self.pairs))

    def getlist(self, name: str) -> List[str]:
        return [value for key, value in self.pairs if key == name]


def test_objects_with_getlist_sign_every_value() -> None:
    pairs = [("To", "+2"), ("Media", "b"), ("Media", "a")]
    expected = RequestValidator(AUTH_TOKEN).compute_signature("https://a.example/", MultiDict(pairs))
    assert compute_signature("https://a.example/", QueryDictLike(pairs), AUTH_TOKEN) == expected


def test_any_mapping_of_parameters_is_accepted() -> None:
    from types import MappingProxyType

    assert compute_signature(DOC_URL, MappingProxyType(DOC_PARAMS), "12345") == DOC_SIGNATURE


def test_no_parameters_signs_the_url_alone() -> None:
    assert compute_signature(DOC_URL, None, AUTH_TOKEN) == compute_signature(DOC_URL, {}, AUTH_TOKEN)
    assert compute_signature(DOC_URL, None, AUTH_TOKEN) == reference(DOC_URL, {})


def test_auth_tokens_longer_than_a_hash_block_are_hashed_first() -> None:
    token = "k" * 100
    assert compute_signature(DOC_URL, DOC_PARAMS, token) == reference(DOC_URL, DOC_PARAMS, token)
    assert compute_signature(DOC_URL, DOC_PARAMS, token, "sha256") == reference(DOC_URL, DOC_PARAMS, token, "sha256")


def test_many_auth_tokens_keep_the_key_cache_bounded() -> None:
    for n in range(signature._KEYED_STATES_MAX + 5):
        token = f"token-{n}"
        assert compute_signature(DOC_URL, DOC_PARAMS, token) == reference(DOC_URL, DOC_PARAMS, token)
    assert len(signature._keyed_states) <= signature._KEYED_STATES_MAX


@pytest.mark.parametrize(
    "signed, called",
    [
        ("https://a.example/voice", "https://a.example:443/voice"),
        ("https://a.example:443/voice", "https://a.example/voice"),
        ("http://a.example/voice?x=1", "http://a.example:80/voice?x=1"),
        ("http://a.example:80", "http://a.example"),
        ("https://user:pw@a.example/v", "https://user:pw@a.example:443/v"),
        ("https://[::1]/v", "https://[::1]:443/v"),
    ],
)
def test_url_is_accepted_with_and_without_the_default_port(signed: str, called: str) -> None:
    assert is_valid_signature(called, CALL, compute_signature(signed, CALL, AUTH_TOKEN), AUTH_TOKEN)


@pytest.mark.parametrize(
    "signed, called",
    [
        ("https://a.example/voice", "https://a.example:8443/voice"),  # other ports are part of the URL
        ("https://a.example:8443/voice", "https://a.example/voice"),
        ("https://a.example/voice", "https://a.example:80/voice"),  # 80 is not https's port
        ("https://a.example:443/voice", "https://a.example:４４３/voice"),  # not ASCII digits
        ("https://a.example/voice", "https://a.example:/voice"),
        ("ftp://a.example/voice", "ftp://a.example:21/voice"),
        ("https://a.example/voice", "https:///voice"),  # no host at all
        ("a.example/voice", "a.example:443/voice"),
    ],
)
def test_other_port_changes_are_rejected(signed: str, called: str) -> None:
    assert not is_valid_signature(called, CALL, compute_signature(signed, CALL, AUTH_TOKEN), AUTH_TOKEN)


def test_changed_parameter_is_rejected() -> None:
    signature = compute_signature(DOC_URL, DOC_PARAMS, "12345")
    assert not is_valid_signature(DOC_URL, dict(DOC_PARAMS, Digits="1235"), signature, "12345")
    assert not is_valid_signature(DOC_URL, dict(DOC_PARAMS, Extra="1"), signature, "12345")
    assert not is_valid_signature(DOC_URL + "&baz=3", DOC_PARAMS, signature, "12345")
    assert not is_valid_signature(DOC_URL, DOC_PARAMS, signature, "54321")


def test_signature_may_be_bytes() -> None:
    assert is_valid_signature(DOC_URL, DOC_PARAMS, DOC_SIGNATURE.encode(), "12345")
    assert is_valid_signature(DOC_URL, DOC_PARAMS, bytearray(DOC_SIGNATURE.encode()), "12345")


@pytest.mark.parametrize(
    "url, params, signature, token, algorithm",
    [
        (DOC_URL, DOC_PARAMS, None, "12345", "sha1"),
        (DOC_URL, DOC_PARAMS, "", "12345", "sha1"),
        (DOC_URL, DOC_PARAMS, "ünïcödé", "12345", "sha1"),
        (DOC_URL, DOC_PARAMS, 12345, "12345", "sha1"),
        (DOC_URL, DOC_PARAMS, DOC_SIGNATURE, None, "sha1"),
        (DOC_URL, DOC_PARAMS, DOC_SIGNATURE, "", "sha1"),
        (DOC_URL, DOC_PARAMS, DOC_SIGNATURE, b"12345", "sha1"),
        (DOC_URL, DOC_PARAMS, DOC_SIGNATURE, "12345", "md5"),
        (DOC_URL, DOC_PARAMS, DOC_SIGNATURE, "12345", None),
        (None, DOC_PARAMS, DOC_SIGNATURE, "12345", "sha1"),
        (b"https://mycompany.com/", DOC_PARAMS, DOC_SIGNATURE, "12345", "sha1"),
        (DOC_URL, {"Digits": 1234}, DOC_SIGNATURE, "12345", "sha1"),
        (DOC_URL, {"Digits": [None, 1]}, DOC_SIGNATURE, "12345", "sha1"),
        (DOC_URL, 42, DOC_SIGNATURE, "12345", "sha1"),
        (DOC_URL, [("only-a-name",)], DOC_SIGNATURE, "12345", "sha1"),
        ("https://x/?bodySHA256=\u00e9", "{}", DOC_SIGNATURE, "12345", "sha1"),
    ],
)
def test_is_valid_signature_answers_false_to_bad_input(url: Any, params: Any, signature: Any, token: Any,
                                                       algorithm: Any) -> None:
    assert is_valid_signature(url, params, signature, token, algorithm=algorithm) is False


@pytest.mark.parametrize(
    "params, token, algorithm",
    [(DOC_PARAMS, "12345", "md5"), (DOC_PARAMS, "", "sha1"), (DOC_PARAMS, None, "sha1"),
     ({"Digits": 1234}, "12345", "sha1"), ([("only-a-name",)], "12345", "sha1")],
)
def test_compute_signature_refuses_what_it_cannot_sign(params: Any, token: Any, algorithm: str) -> None:
    with pytest.raises(SignatureError) as caught:
        compute_signature(DOC_URL, params, token, algorithm)
    assert isinstance(caught.value, TwilioError) and isinstance(caught.value, ValueError)


# -- raw bodies (JSON) -------------------------------------------------------------------------

BODY = '{"type": "call.ringing"}'


def test_raw_body_is_valid_when_body_sha256_matches() -> None:
    url = with_body_hash("https://a.example/events?v=2", BODY)
    signature = compute_signature(url, BODY, AUTH_TOKEN)
    assert signature == compute_signature(url, None, AUTH_TOKEN)  # the URL alone is signed
    assert is_valid_signature(url, BODY, signature, AUTH_TOKEN)
    assert is_valid_signature(url, BODY.encode(), signature, AUTH_TOKEN)
    assert RequestValidator(AUTH_TOKEN).validate(url, BODY, signature)


def test_raw_body_hash_is_compared_case_insensitively() -> None:
    url = "https://a.example/events?bodySHA256=" + hashlib.sha256(BODY.encode()).hexdigest().upper()
    assert is_valid_signature(url, BODY, compute_signature(url, None, AUTH_TOKEN), AUTH_TOKEN)


def test_tampered_raw_body_is_rejected() -> None:
    url = with_body_hash("https://a.example/events", BODY)
    signature = compute_signature(url, None, AUTH_TOKEN)
    assert not is_valid_signature(url, BODY.replace("ringing", "answered"), signature, AUTH_TOKEN)


def test_raw_body_without_body_sha256_is_rejected() -> None:
    url = "https://a.example/events?xbodySHA256=00"
    assert not is_valid_signature(url, BODY, compute_signature(url, None, AUTH_TOKEN), AUTH_TOKEN)


def test_empty_raw_body_without_body_sha256_signs_the_url_alone() -> None:
    url = "https://a.example/status?CallSid=CA1"
    assert is_valid_signature(url, b"", compute_signature(url, None, AUTH_TOKEN), AUTH_TOKEN)


# -- the Flask guard ---------------------------------------------------------------------------


def test_signed_request_reaches_the_view(client: Any) -> None:
    response = post_as_twilio(client, "/voice", data=CALL)
    assert response.status_code == 200
    assert response.text == "answered +15550001111"


def test_signature_checks_the_url_flask_test_client_calls(client: Any) -> None:
    headers = signed_headers("http://localhost/voice", CALL, AUTH_TOKEN)
    assert client.post("/voice", data=CALL, headers=headers).status_code == 200


def test_missing_signature_is_forbidden_with_an_empty_body(client: Any, rejections: List[Dict[str, Any]]) -> None:
    response = client.post("/voice", data=CALL)
    assert response.status_code == 403
    assert response.data == b""
    assert [r["reason"] for r in rejections] == ["missing signature"]


def test_wrong_signature_is_forbidden(client: Any, rejections: List[Dict[str, Any]]) -> None:
    response = post_as_twilio(client, "/voice", data=CALL, auth_token="not-the-auth-token")
    assert (response.status_code, response.data) == (403, b"")
    assert [r["reason"] for r in rejections] == ["signature does not match"]


def test_rejection_signal_carries_app_url_and_request(app: Flask, client: Any,
                                                      rejections: List[Dict[str, Any]]) -> None:
    client.post("/voice?token=s3cret", data=CALL, headers={"X-Twilio-Signature": "bm9wZQ=="})
    (rejection,) = rejections
    assert rejection["sender"] is app
    assert rejection["url"] == "http://localhost/voice"
    assert rejection["request"].path == "/voice"


def test_warning_names_the_reason_and_url_but_no_secret(client: Any, caplog: pytest.LogCaptureFixture) -> None:
    signature = compute_signature("http://localhost/voice?key=hush", CALL, "wrong-token-wrong-token")
    with caplog.at_level(logging.WARNING, logger="flask_twilio_rb"):
        client.post("/voice?key=hush", data=CALL, headers={"X-Twilio-Signature": signature})
    (record,) = caplog.records
    line = record.getMessage()
    assert "signature does not match" in line and "POST http://localhost/voice" in line
    for secret in (AUTH_TOKEN, AUTH_TOKEN[-4:], signature, "hush"):
        assert secret not in line


def test_query_string_is_part_of_the_signed_url(client: Any) -> None:
    assert post_as_twilio(client, "/voice?lang=fr&retry=1", data=CALL).status_code == 200
    url = "http://localhost/voice?lang=fr&retry=1"
    assert client.post("/voice?lang=fr&retry=1", data=CALL,
                       headers=signed_headers(url, CALL, AUTH_TOKEN)).status_code == 200


def test_query_parameters_are_never_mixed_into_post_parameters(client: Any) -> None:
    mixed = dict(CALL, lang="fr")
    headers = signed_headers("http://localhost/voice?lang=fr", mixed, AUTH_TOKEN)
    assert client.post("/voice?lang=fr", data=CALL, headers=headers).status_code == 403


def test_get_webhook_signs_the_url_with_its_query(client: Any) -> None:
    response = post_as_twilio(client, "/voice?From=%2B15550001111&CallSid=CA1", method="GET")
    assert response.status_code == 200
    assert response.text == "answered +15550001111"


def test_percent_encoded_path_is_checked_as_twilio_sent_it(client: Any) -> None:
    url = "http://localhost/caf%C3%A9"
    assert client.post("/caf%C3%A9", data=CALL, headers=signed_headers(url, CALL, AUTH_TOKEN)).status_code == 200
    decoded = signed_headers("http://localhost/café", CALL, AUTH_TOKEN)
    assert client.post("/caf%C3%A9", data=CALL, headers=decoded).status_code == 403


def test_app_mounted_under_a_prefix_signs_the_full_path(client: Any) -> None:
    headers = signed_headers("http://localhost/app/voice", CALL, AUTH_TOKEN)
    response = client.post("/voice", data=CALL, headers=headers, base_url="http://localhost/app")
    assert response.status_code == 200


def test_default_port_in_the_host_header_is_accepted(client: Any) -> None:
    headers = signed_headers("https://a.example/voice", CALL, AUTH_TOKEN)
    response = client.post("/voice", data=CALL, base_url="https://a.example:443", headers=headers)
    assert response.status_code == 200


def test_behind_a_proxy_with_proxy_fix_the_public_url_is_checked(app: Flask, client: Any) -> None:
    app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1, x_host=1)  # type: ignore[method-assign]
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "hooks.example.com"}
    response = post_as_twilio(client, "/voice", data=CALL, url="https://hooks.example.com/voice", headers=forwarded)
    assert response.status_code == 200


def test_behind_a_proxy_json_bodies_are_signed_with_their_hash(app: Flask, client: Any) -> None:
    app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1, x_host=1)  # type: ignore[method-assign]
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "hooks.example.com"}
    response = post_as_twilio(client, "/events", json={"type": "call.ringing"},
                              url="https://hooks.example.com/events", headers=forwarded)
    assert response.get_json() == {"seen": "call.ringing"}


def test_forwarded_headers_are_not_trusted_without_proxy_fix(client: Any) -> None:
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "hooks.example.com"}
    response = post_as_twilio(client, "/voice", data=CALL, url="https://hooks.example.com/voice", headers=forwarded)
    assert response.status_code == 403


@pytest.mark.parametrize("base_url", ["https://abc123.ngrok.io", "https://abc123.ngrok.io/"])
def test_webhook_base_url_replaces_the_request_origin(base_url: str) -> None:
    client = make_app(TWILIO_WEBHOOK_BASE_URL=base_url).test_client()
    signed = signed_headers("https://abc123.ngrok.io/voice?x=1", CALL, AUTH_TOKEN)
    assert client.post("/voice?x=1", data=CALL, headers=signed).status_code == 200
    local = signed_headers("http://localhost/voice?x=1", CALL, AUTH_TOKEN)
    assert client.post("/voice?x=1", data=CALL, headers=local).status_code == 403


def test_webhook_base_url_may_carry_a_path_prefix() -> None:
    client = make_app(TWILIO_WEBHOOK_BASE_URL="https://example.com/twilio").test_client()
    signed = signed_headers("https://example.com/twilio/voice", CALL, AUTH_TOKEN)
    assert client.post("/voice", data=CALL, headers=signed).status_code == 200


def test_post_as_twilio_signs_under_the_webhook_base_url() -> None:
    client = make_app(TWILIO_WEBHOOK_BASE_URL="https://abc123.ngrok.io").test_client()
    assert post_as_twilio(client, "/voice", data=CALL).status_code == 200


def test_json_body_with_body_sha256_reaches_the_view(client: Any) -> None:
    response = post_as_twilio(client, "/events", json={"type": "call.ringing"})
    assert response.status_code == 200
    assert response.get_json() == {"seen": "call.ringing"}


def test_json_body_that_does_not_match_body_sha256_is_forbidden(client: Any,
                                                                rejections: List[Dict[str, Any]]) -> None:
    url = with_body_hash("http://localhost/events", BODY)
    path = url[len("http://localhost"):]
    tampered = BODY.replace("ringing", "answered")
    response = client.post(path, data=tampered, content_type="application/json",
                           headers=signed_headers(url, None, AUTH_TOKEN))
    assert response.status_code == 403
    assert [r["reason"] for r in rejections] == ["body does not match bodySHA256"]


def test_json_body_without_body_sha256_is_forbidden(client: Any, rejections: List[Dict[str, Any]]) -> None:
    response = client.post("/events", data=BODY, content_type="application/json",
                           headers=signed_headers("http://localhost/events", None, AUTH_TOKEN))
    assert response.status_code == 403
    assert [r["reason"] for r in rejections] == ["body not covered by bodySHA256"]


def test_sha256_signature_is_checked_when_the_settings_header_says_so(client: Any) -> None:
    response = post_as_twilio(client, "/voice", data=CALL, algorithm="sha256")
    assert response.status_code == 200
    headers = signed_headers("http://localhost/voice", CALL, AUTH_TOKEN, algorithm="sha256")
    headers["X-Twilio-Webhooks-Signature-Settings"] = "key=webhooks_sharedkey_1, algorithm=HMAC_SHA256"
    assert client.post("/voice", data=CALL, headers=headers).status_code == 200


def test_sha256_signature_without_the_settings_header_is_forbidden(client: Any) -> None:
    headers = signed_headers("http://localhost/voice", CALL, AUTH_TOKEN, algorithm="sha256")
    del headers["X-Twilio-Webhooks-Signature-Settings"]
    assert client.post("/voice", data=CALL, headers=headers).status_code == 403


@pytest.mark.parametrize(
    "settings, reason",
    [("algorithm=HMAC_MD5", "unsupported signature algorithm"),
     ("key=abc,algorithm=", "signature does not match"),  # no algorithm named: SHA-1
     ("key=abc", "signature does not match")],
)
def test_settings_header_without_a_supported_algorithm(client: Any, settings: str, reason: str,
                                                       rejections: List[Dict[str, Any]]) -> None:
    headers = signed_headers("http://localhost/voice", CALL, AUTH_TOKEN, algorithm="sha256")
    headers["X-Twilio-Webhooks-Signature-Settings"] = settings
    assert client.post("/voice", data=CALL, headers=headers).status_code == 403
    assert [r["reason"] for r in rejections] == [reason]


def test_malformed_signature_header_is_forbidden(client: Any, rejections: List[Dict[str, Any]]) -> None:
    response = client.post("/voice", data=CALL, headers={"X-Twilio-Signature": "sïgnature"})
    assert response.status_code == 403
    assert [r["reason"] for r in rejections] == ["malformed signature"]


def test_guard_without_the_decorator_lets_signed_requests_through(client: Any) -> None:
    assert post_as_twilio(client, "/menu", data=CALL).text == "menu"
    assert client.post("/menu", data=CALL).status_code == 403


def test_decorator_keeps_the_view_name(app: Flask) -> None:
    assert "voice" in app.view_functions and app.view_functions["voice"].__name__ == "voice"


def test_an_async_view_runs_through_the_apps_ensure_sync_once_validated() -> None:
    ran: List[str] = []

    class AsyncApp(Flask):  # Flask's own async_to_sync needs asgiref: this one runs the coroutine itself
        def async_to_sync(self, func: Any) -> Any:
            ran.append(func.__name__)
            return lambda *args, **kwargs: asyncio.run(func(*args, **kwargs))

    app = AsyncApp(__name__)
    app.config.update(TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN)
    TwilioRB(app)

    @app.post("/later")
    @validate_twilio_request
    async def later() -> str:
        await asyncio.sleep(0)
        return "answered " + request.form["From"]

    client = app.test_client()
    assert client.post("/later", data=CALL).status_code == 403 and ran == []  # refused before the view runs
    assert post_as_twilio(client, "/later", data=CALL).text == "answered +15550001111"
    assert ran == ["later"]


def test_debug_and_testing_modes_do_not_switch_validation_off() -> None:
    app = make_app(DEBUG=True, TESTING=True)
    app.debug = True
    assert app.test_client().post("/voice", data=CALL).status_code == 403


def test_validation_off_lets_unsigned_requests_through_and_warns_once(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="flask_twilio_rb"):
        client = make_app(TWILIO_VALIDATE_WEBHOOKS=False).test_client()
        assert client.post("/voice", data=CALL).status_code == 200
        assert client.post("/voice", data=CALL).status_code == 200
    (record,) = caplog.records
    assert record.levelno == logging.WARNING
    assert "TWILIO_VALIDATE_WEBHOOKS is off" in record.getMessage()


def test_validation_off_from_a_string_setting() -> None:
    assert make_app(TWILIO_VALIDATE_WEBHOOKS="false").test_client().post("/voice").status_code == 200


def test_validation_on_does_not_warn(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="flask_twilio_rb"):
        make_app()
    assert caplog.records == []


def test_validation_without_an_auth_token_is_a_configuration_error() -> None:
    app = make_app(TWILIO_AUTH_TOKEN=None)
    with app.test_request_context("/voice", method="POST"):
        with pytest.raises(ConfigurationError, match="TWILIO_AUTH_TOKEN"):
            reject_invalid_request()


def test_guard_on_an_app_without_the_extension_names_the_fix() -> None:
    with Flask(__name__).test_request_context("/voice", method="POST"):
        with pytest.raises(ConfigurationError, match="TwilioRB"):
            reject_invalid_request()


# -- testing helpers -------------------------------------------------------------------------


def test_sign_request_uses_the_current_apps_auth_token(app: Flask) -> None:
    with app.app_context():
        assert sign_request(DOC_URL, DOC_PARAMS) == compute_signature(DOC_URL, DOC_PARAMS, AUTH_TOKEN)


def test_sign_request_outside_an_app_uses_config() -> None:
    Config.setup(auth_token="12345")
    assert sign_request(DOC_URL, DOC_PARAMS) == DOC_SIGNATURE


def test_sign_request_without_any_auth_token_names_the_fix() -> None:
    with pytest.raises(ConfigurationError, match="auth_token="):
        sign_request(DOC_URL, DOC_PARAMS)


def test_signed_headers_for_sha1_carry_only_the_signature() -> None:
    assert signed_headers(DOC_URL, DOC_PARAMS, "12345") == {"X-Twilio-Signature": DOC_SIGNATURE}


def test_with_body_hash_appends_to_an_existing_query() -> None:
    digest = hashlib.sha256(b"{}").hexdigest()
    assert with_body_hash("https://a.example/e", b"{}") == f"https://a.example/e?bodySHA256={digest}"
    assert with_body_hash("https://a.example/e?v=1", "{}") == f"https://a.example/e?v=1&bodySHA256={digest}"


def test_post_as_twilio_refuses_data_and_json_together(client: Any) -> None:
    with pytest.raises(TypeError):
        post_as_twilio(client, "/events", data=CALL, json={"type": "x"})


def test_post_as_twilio_needs_an_auth_token() -> None:
    client = make_app(TWILIO_AUTH_TOKEN=None, TWILIO_VALIDATE_WEBHOOKS=False).test_client()
    with pytest.raises(ConfigurationError, match="TWILIO_AUTH_TOKEN"):
        post_as_twilio(client, "/voice", data=CALL)


def test_post_as_twilio_sends_the_body_it_signed(client: Any) -> None:
    response = post_as_twilio(client, "/events", json={"type": "sms.received", "n": [1, 2]})
    assert json.loads(response.data) == {"seen": "sms.received"}
