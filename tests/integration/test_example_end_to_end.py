"""The example app on a real socket, on its own emulator (TWILIO_EMULATOR): every flow end to end.

A text and a call are made through the app's page; the emulator progresses them, posts signed
status callbacks to the app, which validates and stores them, and fetches the call's TwiML from
the app's IVR. The page is then read back in headless Chromium.
"""
from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from typing import Dict, List

import pytest
import requests

from example_app import create_app
from example_app.activity import Activity
from flask_twilio_rb.testing import serving

NUMBER = "+15005550006"


@pytest.fixture
def live_app(monkeypatch):
    """The example app with no account configured (so on its emulator), served on 127.0.0.1."""
    monkeypatch.delenv("TWILIO_ACCOUNT_SID", raising=False)
    app = create_app({"TESTING": True})
    emulator = app.twilio.emulator
    try:
        with serving(app) as base_url:
            yield app, emulator, base_url
    finally:
        emulator.stop()


def test_a_text_is_delivered_and_its_signed_status_callbacks_are_stored(live_app):
    app, emulator, base_url = live_app
    response = requests.post(f"{base_url}/messages", data={"to": NUMBER, "body": "Hello"}, allow_redirects=False)
    assert response.status_code == 303
    [message] = emulator.records("Message")

    steps = emulator.finish()

    assert steps == [(message["sid"], "sent"), (message["sid"], "delivered")]
    assert [(c.url, c.params["MessageStatus"], c.status_code) for c in emulator.callbacks] == [
        (f"{base_url}/status/messages", "sent", 204), (f"{base_url}/status/messages", "delivered", 204)]
    activity: Activity = app.extensions["example_activity"]
    assert activity.history(message["sid"]) == [("sent", None), ("delivered", None)]


def test_a_call_plays_the_ivr_and_reports_its_progress(live_app):
    app, emulator, base_url = live_app
    assert requests.post(f"{base_url}/calls", data={"to": NUMBER}, allow_redirects=False).status_code == 303
    [call] = emulator.records("Call")

    emulator.finish()

    twiml = [c for c in emulator.callbacks if c.kind == "twiml"]
    assert [(c.url, c.status_code) for c in twiml] == [(f"{base_url}/ivr/welcome", 200)]
    assert '<Gather action="/ivr/choice" method="POST" numDigits="1">' in twiml[0].body
    statuses = [c.params["CallStatus"] for c in emulator.callbacks if c.kind != "twiml"]
    assert statuses[-1] == "completed"
    assert all(c.status_code == 204 for c in emulator.callbacks if c.kind != "twiml")
    activity: Activity = app.extensions["example_activity"]
    assert [status for status, _ in activity.history(call["sid"])] == statuses


def test_a_callback_signed_with_another_token_is_refused(live_app):
    app, emulator, base_url = live_app
    from flask_twilio_rb.testing import signed_headers

    params = {"MessageSid": "SM" + "1" * 32, "MessageStatus": "sent"}
    url = f"{base_url}/status/messages"
    assert requests.post(url, data=params, headers=signed_headers(url, params, "not-the-token")).status_code == 403
    assert requests.post(url, data=params, headers=signed_headers(url, params, emulator.auth_token)).status_code == 204


class _Tables(HTMLParser):
    """Cell texts of each table of a page, by table id."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: Dict[str, List[List[str]]] = {}
        self._table = ""
        self._cell = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = dict(attrs).get("id", "")
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[self._table][-1].append(self._cell.strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def test_the_page_of_recent_activity_in_headless_chromium(live_app):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("Chromium is not installed: `apt-get install chromium` (Debian's package; .ci/run installs it)")
    app, emulator, base_url = live_app
    requests.post(f"{base_url}/messages", data={"to": NUMBER, "body": "Hi <there> & you"})
    requests.post(f"{base_url}/calls", data={"to": NUMBER})
    emulator.finish()

    dom = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", f"{base_url}/"],
                         capture_output=True, text=True, timeout=60, check=True).stdout

    parser = _Tables()
    parser.feed(dom)
    [header, message] = parser.tables["messages"]
    assert header == ["SID", "Sent", "To", "Body", "Status", "Reported"]
    assert message[0] == emulator.records("Message")[0]["sid"]
    assert message[2:] == [NUMBER, "Hi <there> & you", "delivered", "delivered"]  # escaped, rendered as text
    [_, call] = parser.tables["calls"]
    assert call[0] == emulator.records("Call")[0]["sid"] and call[3:] == ["completed", "completed"]


def test_an_arriving_text_and_call_reach_the_apps_webhooks(live_app):
    from flask_twilio_rb import IncomingPhoneNumber

    app, emulator, base_url = live_app
    with app.app_context():  # buy Twilio's magic "available" number and point it at the app
        IncomingPhoneNumber.create(phone_number=NUMBER, sms_url=f"{base_url}/sms/reply",
                                   voice_url=f"{base_url}/ivr/welcome")

    texted = emulator.receive_message(NUMBER, "+15558675310", "hi <there>")
    called = emulator.receive_call(NUMBER, "+15558675310")

    assert texted.status_code == 200  # the signature checked by the app's validate_twilio_request
    assert "<Message>Thanks! You said: hi &lt;there&gt;</Message>" in texted.body
    assert called.status_code == 200
    assert "Hello +15558675310, thanks for calling." in called.body
    assert [m["direction"] for m in emulator.records("Message")] == ["inbound"]


def test_an_undelivered_text_is_stored_with_its_error_code(live_app):
    app, emulator, base_url = live_app
    requests.post(f"{base_url}/messages", data={"to": NUMBER, "body": "Hello"}, allow_redirects=False)
    [message] = emulator.records("Message")
    emulator.advance()
    emulator.fail(message["sid"])  # the handset was unreachable: 30003
    activity: Activity = app.extensions["example_activity"]
    assert activity.history(message["sid"]) == [("sent", None), ("undelivered", "30003")]
    page = requests.get(f"{base_url}/").text
    assert "<td>undelivered</td><td>undelivered</td>" in page
