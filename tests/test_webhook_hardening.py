"""Webhook guard findings of the security review: L5 (unsigned bodies unread), L6 (.voice runs only voice
views), L7 (percent-escapes as sent), L9 (Webhook Rules' shared key)."""
from __future__ import annotations

import io
import logging
from typing import Any, List

import pytest
from flask import Flask, request
from flask.views import MethodView

from flask_twilio_rb import TwilioRB, compute_signature, respond_to, validate_twilio_request
from flask_twilio_rb.serving import serving
from flask_twilio_rb.testing import post_as_twilio, signed_headers

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "e1c1a9d27b6e4058a1c2d3e4f5a6b7c8"
RULE_KEY = "rule-shared-key-0123456789abcdef"


def make_app(**config: Any) -> Flask:
    app = Flask(__name__)
    app.config.update({"TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN, **config})
    TwilioRB(app)

    @app.post("/hook/<path:name>")
    @validate_twilio_request
    def hook(name: str) -> str:
        return "got " + name + " " + request.form.get("Body", "")

    return app


# -- L5 ---------------------------------------------------------------------------------------------

class Tripwire(io.BytesIO):
    """A request body that records whether anything read it."""

    read_at_all = False

    def read(self, *args: Any) -> bytes:
        Tripwire.read_at_all = True
        return super().read(*args)

    def readinto(self, buffer: Any) -> int:
        Tripwire.read_at_all = True
        return super().readinto(buffer)

    readline = read1 = read


@pytest.mark.parametrize("headers", [{}, {"X-Twilio-Signature": ""}])
def test_an_unsigned_request_is_refused_before_its_body_is_read(headers):
    app = make_app()
    Tripwire.read_at_all = False
    body = b"Body=" + b"x" * 100_000
    response = app.test_client().post("/hook/a", input_stream=Tripwire(body), headers=headers,
                                      content_type="application/x-www-form-urlencoded",
                                      content_length=len(body))
    assert response.status_code == 403 and Tripwire.read_at_all is False


def test_a_signed_request_still_reads_and_checks_its_body():
    app = make_app()
    assert post_as_twilio(app.test_client(), "/hook/a", data={"Body": "hi"}).get_data(as_text=True) == "got a hi"


# -- L6 ---------------------------------------------------------------------------------------------

def test_a_voice_path_never_runs_a_view_without_a_voice_branch():
    app = make_app()
    ran: List[str] = []

    @app.route("/internal/flush", methods=["GET", "POST"])
    def flush() -> str:
        ran.append("flush")
        return "flushed"

    @app.route("/menu", methods=["GET", "POST"])
    def menu() -> Any:
        ran.append("menu")
        return respond_to(html="menu", voice="<Response/>")

    class Wrapped(MethodView):
        def post(self) -> Any:
            ran.append("class")
            return respond_to(html="page", voice="<Response/>")

    @app.route("/sometimes", methods=["GET", "POST"])
    def sometimes() -> Any:
        ran.append("sometimes")
        if request.args.get("menu"):
            return respond_to(html="menu", voice="<Response/>")
        return "plain"

    app.add_url_rule("/class", view_func=Wrapped.as_view("wrapped"))
    client = app.test_client()
    assert client.post("/internal/flush.voice").status_code == 404 and ran == []
    # A view whose code calls respond_to on some branch only: the other branch's answer stays a 404.
    assert post_as_twilio(client, "/sometimes.voice").status_code == 404 and ran == ["sometimes"]
    ran.clear()
    assert post_as_twilio(client, "/menu.voice").status_code == 200 and ran == ["menu"]
    assert post_as_twilio(client, "/class.voice").status_code == 200 and ran == ["menu", "class"]


# -- L7 ---------------------------------------------------------------------------------------------

def post_raw(base: str, target: str, data: Any, signature: str) -> int:
    """POST to ``target`` byte for byte as given (requests would re-quote it, Twilio never does)."""
    import http.client
    from urllib.parse import urlencode

    host, port = base.rsplit("//", 1)[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        conn.request("POST", target, body=urlencode(data), headers={
            "X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"})
        return conn.getresponse().status
    finally:
        conn.close()


@pytest.mark.parametrize("segment", ["a%2Fb", "a%25b", "a%7Eb", "caf%c3%a9", "caf%C3%A9", "a%2cb", "a%3Ab", "a%20b",
                                     "a+b", "plain"])
def test_a_signed_path_with_percent_escapes_validates_on_a_real_server(segment):
    app = make_app()
    app.url_map.strict_slashes = False
    with serving(app) as base:
        target = f"/hook/{segment}?q=%7E1"
        data = {"Body": "hi"}
        signature = compute_signature(base + target, data, AUTH_TOKEN)
        ok = post_raw(base, target, data, signature)
        forged = post_raw(base, target, data, compute_signature(base + target.replace("%", "%25"), data, AUTH_TOKEN))
    assert ok == 200, segment
    assert forged == 403


def test_without_a_raw_target_the_url_is_rebuilt():
    app = make_app()
    data = {"Body": "hi"}
    url = "http://localhost/hook/caf%C3%A9"
    headers = signed_headers(url, data, AUTH_TOKEN)
    response = app.test_client().post("/hook/café", data=data, headers=headers,
                                      environ_overrides={"RAW_URI": None, "REQUEST_URI": None})
    assert response.status_code == 200


@pytest.mark.parametrize("raw", [None, "http://localhost/hook/a?x=%7E", b"/hook/a?x=\xff".decode("latin-1")])
def test_without_a_usable_raw_target_the_query_is_requoted(raw):
    # absent, the absolute form of a proxy request, or bytes that are not UTF-8: rebuilt from the request
    app = make_app()
    data = {"Body": "hi"}
    headers = signed_headers("http://localhost/hook/a?x=~", data, AUTH_TOKEN)
    response = app.test_client().post("/hook/a?x=~", data=data, headers=headers,
                                      environ_overrides={"RAW_URI": raw, "REQUEST_URI": None})
    assert response.status_code == 200


def test_under_a_prefix_the_server_did_not_see_the_root_path_comes_first():
    from werkzeug.middleware.proxy_fix import ProxyFix

    app = make_app()
    app.wsgi_app = ProxyFix(app.wsgi_app, x_prefix=1)  # type: ignore[method-assign]
    data = {"Body": "hi"}
    headers = signed_headers("http://localhost/app/hook/a%2Fb", data, AUTH_TOKEN)
    response = app.test_client().post("/hook/a%2Fb", data=data, headers={**headers, "X-Forwarded-Prefix": "/app"})
    assert response.status_code == 200


# -- L9 ---------------------------------------------------------------------------------------------

def rule_headers(url: str, data: Any, key: str) -> dict:
    return {"X-Twilio-Signature": compute_signature(url, data, key, "sha256"),
            "X-Twilio-Webhooks-Signature-Settings": "key=rule1,algorithm=HMAC_SHA256"}


def test_a_webhook_rule_request_is_checked_with_the_shared_key():
    app = make_app(TWILIO_WEBHOOK_SIGNING_KEY=RULE_KEY)
    client = app.test_client()
    data = {"Body": "hi"}
    url = "http://localhost/hook/a"
    assert client.post("/hook/a", data=data, headers=rule_headers(url, data, RULE_KEY)).status_code == 200
    assert client.post("/hook/a", data=data, headers=rule_headers(url, data, AUTH_TOKEN)).status_code == 403
    # Without the settings header the auth token signs, as always.
    assert client.post("/hook/a", data=data, headers=signed_headers(url, data, AUTH_TOKEN)).status_code == 200
    assert client.post("/hook/a", data=data, headers=signed_headers(url, data, RULE_KEY)).status_code == 403
    assert post_as_twilio(client, "/hook/a", data=data, algorithm="sha256").status_code == 200


def test_without_the_shared_key_a_rule_request_fails_closed_and_the_log_names_the_setting(caplog):
    app = make_app()
    data = {"Body": "hi"}
    with caplog.at_level(logging.WARNING, "flask_twilio_rb.webhooks"):
        response = app.test_client().post("/hook/a", data=data,
                                          headers=rule_headers("http://localhost/hook/a", data, RULE_KEY))
    assert response.status_code == 403
    assert "set TWILIO_WEBHOOK_SIGNING_KEY" in caplog.text and RULE_KEY not in caplog.text


def test_the_shared_key_is_a_secret():
    app = make_app(TWILIO_WEBHOOK_SIGNING_KEY=RULE_KEY)
    assert RULE_KEY not in repr(app.twilio.settings) and RULE_KEY[-4:] in repr(app.twilio.settings)


# -- I4: rejections cannot flood the log ------------------------------------------------------------

def test_rejection_warnings_are_budgeted_and_the_rest_counted(monkeypatch, caplog):
    from flask_twilio_rb import webhooks, webhook_rejected

    clock = [1000.0]
    monkeypatch.setattr(webhooks, "monotonic", lambda: clock[0])
    monkeypatch.setattr(webhooks, "rejections_logged", webhooks.LogBudget(limit=3, period=60))
    app = make_app()
    seen = []
    webhook_rejected.connect(lambda sender, **extra: seen.append(extra["reason"]), app, weak=False)
    client = app.test_client()
    with caplog.at_level(logging.WARNING, "flask_twilio_rb.webhooks"):
        for _ in range(10):
            assert client.post("/hook/a", data={"Body": "x"}).status_code == 403
        clock[0] += 61
        assert client.post("/hook/a", data={"Body": "x"}).status_code == 403
    lines = [r.getMessage() for r in caplog.records]
    assert len(seen) == 11  # every rejection is still signalled
    assert sum(line.startswith("Rejected a Twilio webhook") for line in lines) == 4
    assert "7 more rejected Twilio webhooks were not logged (at most 3 a minute)." in lines
