"""JSON request bodies on every transport: requests, urllib3 (each against a real server) and the in-process WSGI one.

The 51 operations whose descriptions declare ``application/json`` send their body as JSON, with
``Content-Type: application/json``; every other body stays a form.
"""
from __future__ import annotations

import base64
import json
from contextlib import closing
from typing import Any, Dict, List

import pytest
from flask import Flask, request

from flask_twilio_rb.client import Client
from flask_twilio_rb.config import Settings
from flask_twilio_rb.transport.http_requests import RequestsTransport
from flask_twilio_rb.transport.http_urllib3 import Urllib3Transport
from flask_twilio_rb.transport.wsgi import WSGITransport

from tests.transport.local_http import KeepAlive, serve

AUTH = ("AC" + "a" * 32, "secret-token-0123456789abcdef")
BODY = {"friendly_name": "welcome", "language": "en", "types": {"twilio/text": {"body": "Hé {{1}}"}}}
SEEN: List[Dict[str, Any]] = []


class Echo(KeepAlive):
    def do_POST(self) -> None:  # noqa: N802 (http.server's spelling)
        length = int(self.headers.get("Content-Length") or 0)
        SEEN.append({"method": self.command, "path": self.path, "type": self.headers.get("Content-Type"),
                     "auth": self.headers.get("Authorization"), "body": self.rfile.read(length)})
        self.answer(201, {"sid": "HX" + "1" * 32})

    do_PUT = do_POST


@pytest.fixture
def server():
    SEEN.clear()
    with serve(Echo) as base:
        yield base


@pytest.mark.parametrize("transport", [RequestsTransport, Urllib3Transport])
@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_http_transports_send_json_with_its_content_type(server, transport, method):
    with closing(transport()) as sender:
        sent = sender.send(method, server + "/content/v1/Content", json=BODY, auth=AUTH, timeout=5)
    assert sent.status == 201
    seen = SEEN[-1]
    assert (seen["method"], seen["path"], seen["type"]) == (method, "/content/v1/Content", "application/json")
    assert json.loads(seen["body"]) == BODY  # UTF-8, nothing escaped away
    assert seen["auth"] == "Basic " + base64.b64encode(":".join(AUTH).encode()).decode()


def test_a_form_body_is_still_a_form(server):
    with closing(Urllib3Transport()) as sender:
        sender.send("POST", server + "/2010-04-01/Calls.json", data=[("To", "+1")], auth=AUTH, timeout=5)
    assert (SEEN[-1]["type"], SEEN[-1]["body"]) == ("application/x-www-form-urlencoded", b"To=%2B1")


def test_requests_with_trust_env_sends_json_through_the_session(server):
    with closing(RequestsTransport(trust_env=True)) as sender:
        sender.send("POST", server + "/content/v1/Content", json=BODY, auth=AUTH, timeout=5)
    assert SEEN[-1]["type"] == "application/json" and json.loads(SEEN[-1]["body"]) == BODY


def test_the_wsgi_transport_hands_the_app_json():
    app = Flask(__name__)
    got: List[Any] = []

    @app.post("/content/v1/Content")
    def content() -> Any:
        got.append((request.content_type, request.get_json()))
        return {"sid": "HX" + "1" * 32}, 201

    raw = WSGITransport(app).send("POST", "http://local/content/v1/Content", json=BODY, auth=AUTH, timeout=1)
    assert raw.status == 201 and got == [("application/json", BODY)]


def test_the_client_sends_a_json_body_to_the_descriptions_place_under_a_base_url(server):
    client = Client(Settings(account_sid=AUTH[0], auth_token=AUTH[1], api_base_url=server, transport="urllib3"))
    with closing(client):
        answer = client.request("POST", "/v1/Content", host="content.twilio.com", json=BODY)
    assert answer == {"sid": "HX" + "1" * 32}
    assert SEEN[-1]["path"] == "/content/v1/Content" and json.loads(SEEN[-1]["body"]) == BODY


class OldTransport:
    """A transport written before JSON bodies: its ``send`` takes no ``json``."""

    def __init__(self) -> None:
        self.calls: List[Any] = []

    def send(self, method: str, url: str, *, params: Any = None, data: Any = None, auth: Any, timeout: float) -> Any:
        from flask_twilio_rb.transport import RawResponse

        self.calls.append((method, url, data))
        return RawResponse(200, {}, b'{"ok": true}')

    def close(self) -> None:
        pass


def test_a_transport_written_before_json_bodies_still_sends_forms():
    client = Client(Settings(account_sid=AUTH[0], auth_token=AUTH[1]))
    client.transport = OldTransport()  # type: ignore[assignment]
    assert client.request("POST", "/2010-04-01/Queues.json", data=[("A", "1")]) == {"ok": True}
    assert client.transport.calls == [("POST", "https://api.twilio.com/2010-04-01/Queues.json", [("A", "1")])]
