"""The example app on a real socket, on its local emulator: every flow end to end.

A text and a call are made through the app's page; the emulator progresses them, posts signed
status callbacks to the app, which validates and stores them, and fetches the call's TwiML from
the app's IVR. A person signs in with the code Verify texts them (a wrong, an expired code). The page is then used in headless Chromium (Debian's, driven by Playwright), and
``flask twilio sms list`` in another process reads the same emulator.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from example_app import create_app
from example_app.activity import Activity
from flask_twilio_rb.testing import serving

NUMBER = "+15005550006"


ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def live_app(monkeypatch):
    """The example app with no account configured (so on its local emulator), served on 127.0.0.1."""
    monkeypatch.delenv("TWILIO_ACCOUNT_SID", raising=False)
    app = create_app({"TESTING": True, "EXAMPLE_EMULATOR_PORT": free_port()})
    local = app.extensions["example_local"]
    local.ensure_running()
    try:
        with serving(app) as base_url:
            yield app, local.emulator, base_url
    finally:
        local.stop()


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


def test_sms_list_in_another_process_shows_what_the_page_sent(live_app):
    """`flask --app example_app.wsgi twilio sms list` beside the running app: one emulator for both."""
    app, emulator, base_url = live_app
    requests.post(f"{base_url}/messages", data={"to": NUMBER, "body": "Seen from the CLI"}, allow_redirects=False)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TWILIO_")}
    env["EXAMPLE_EMULATOR_PORT"] = str(emulator.port)
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "example_app.wsgi", "twilio", "sms", "list", "--json"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert [m["body"] for m in json.loads(done.stdout)] == ["Seen from the CLI"]
    assert "runs on the local Twilio emulator at http://127.0.0.1:" in done.stderr  # its start-up line


# -- the page in headless Chromium ---------------------------------------------------------------------
#: The flags that work on this machine and in CI (no network but the loopback, no GPU).
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Chromium is not installed: `apt-get install chromium` (Debian's package; .ci/run installs it)")
    from playwright.sync_api import sync_playwright  # in the test extra

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, live_app):
    # A reader in UTC+5:30: the page's dates must come out in their zone, not in UTC.
    context = browser.new_context(timezone_id="Asia/Kolkata", locale="en-US")
    context.set_default_timeout(15_000)  # every wait is bounded
    opened = context.new_page()
    yield opened
    context.close()


def test_the_page_labels_every_input_and_shows_local_dates_and_live_statuses(live_app, page):
    app, emulator, base_url = live_app
    page.goto(f"{base_url}/")
    for label in ("To (a phone number, e.g. +15558675310)", "Message", "To (a phone number): they hear the IVR menu",
                  "From", "Their message"):
        assert page.get_by_label(label, exact=True).count() >= 1, label
    assert page.locator("input").count() == page.locator("label input").count() == 6

    page.get_by_label("To (a phone number, e.g. +15558675310)").fill(NUMBER)
    page.get_by_label("Message", exact=True).fill("Hi <there> & you")
    page.get_by_role("button", name="Send the text").click()
    row = page.locator("#messages tbody tr").first
    row.get_by_text("Hi <there> & you").wait_for()  # escaped by the app, shown as text
    [message] = emulator.records("Message")
    assert row.locator("td").first.text_content() == message["sid"]

    # Local time: the reader's zone (+05:30), as their browser writes dates, never the UTC fallback.
    sent = row.locator("td").nth(1)
    iso = sent.locator("time").get_attribute("datetime")
    assert sent.text_content() == page.evaluate("iso => new Date(iso).toLocaleString()", iso)
    assert "UTC" not in sent.text_content()

    # The statuses refresh by themselves: no reload, no click.
    emulator.finish()
    deadline = time.monotonic() + 15
    while row.locator("td").nth(5).text_content() != "delivered" and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    assert [row.locator("td").nth(i).text_content() for i in (5, 6)] == ["delivered", "delivered"]


def test_a_simulated_text_shows_the_auto_reply_and_a_simulated_call_the_ivr(live_app, page):
    app, emulator, base_url = live_app
    page.goto(f"{base_url}/")
    page.get_by_label("Their message").fill("hello <world>")
    page.get_by_role("button", name="Receive the text").click()
    assert page.locator(".reply").text_content() == "Auto-reply: Thanks! You said: hello <world>"
    assert "<Message>Thanks! You said: hello &lt;world&gt;</Message>" in page.locator("#twiml").text_content()
    assert page.locator("#activity").get_by_text("hello <world>").count() == 1  # the inbound text, stored

    page.get_by_label("From").last.fill("+15551112222")
    page.get_by_role("button", name="Receive the call").click()
    twiml = page.locator("#twiml").text_content()
    assert "Hello +15551112222, thanks for calling." in twiml
    assert '<Gather action="/ivr/choice" method="POST" numDigits="1">' in twiml
    transcript = page.locator("#transcript li").all_text_contents()  # what the caller heard, step by step
    assert transcript[1] == 'Say "Hello +15551112222, thanks for calling." voice=alice [welcome.voice:1]'
    assert transcript[-1].strip() == 'Say "Press 1 for sales, 2 for support, 3 to leave a message." [welcome.voice:3]'
    assert emulator.records("Call")[0]["status"] == "completed"  # the page's caller hung up at the menu
    assert [r["direction"] for r in emulator.records("Call")] == ["inbound"]


def test_what_the_person_typed_stays_after_twilios_error(live_app, page):
    app, emulator, base_url = live_app
    page.goto(f"{base_url}/")
    page.get_by_label("To (a phone number, e.g. +15558675310)").fill("+15005550001")  # Twilio's invalid number
    page.get_by_label("Message", exact=True).fill("Are you there?")
    page.get_by_role("button", name="Send the text").click()
    assert re.match(r"Twilio error 21211: ", page.locator("#error").text_content())
    assert page.get_by_label("To (a phone number, e.g. +15558675310)").input_value() == "+15005550001"
    assert page.get_by_label("Message", exact=True).input_value() == "Are you there?"


# -- the two-factor sign-in (Twilio Verify) ------------------------------------------------------------------

def test_the_sign_in_refuses_a_wrong_code_and_signs_in_with_the_texted_one(live_app):
    app, emulator, base_url = live_app
    browser_like = requests.Session()
    assert browser_like.post(f"{base_url}/login/code", data={"code": "123456"}).url == f"{base_url}/login"
    started = browser_like.post(f"{base_url}/login", data={"phone": NUMBER})
    assert started.url == f"{base_url}/login/code" and NUMBER in started.text
    code = emulator.verification_code(NUMBER)
    [text] = emulator.records("Message")  # the code, as Twilio texts it, to the number
    assert (text["to"], text["body"]) == (NUMBER, f"Your Example app verification code is: {code}")

    wrong = browser_like.post(f"{base_url}/login/code", data={"code": str((int(code[0]) + 1) % 10) + code[1:]})
    assert wrong.status_code == 403 and "That is not the code we sent" in wrong.text
    signed_in = browser_like.post(f"{base_url}/login/code", data={"code": code})
    assert signed_in.url == f"{base_url}/login" and f"Signed in as <strong>{NUMBER}</strong>" in signed_in.text
    assert requests.get(f"{base_url}/login").text.count("Signed in") == 0  # another browser: not signed in
    assert [s["friendly_name"] for s in emulator.records("verify.v2.Service")] == ["Example app"]  # made once


def test_the_sign_in_names_twilio_s_errors_and_an_expired_code(live_app):
    app, emulator, base_url = live_app
    browser_like = requests.Session()
    refused = browser_like.post(f"{base_url}/login", data={"phone": "555-1234"})
    assert refused.status_code == 422 and "Twilio error 60200: Invalid parameter: To" in refused.text
    assert 'value="555-1234"' in refused.text  # what was typed stays
    browser_like.post(f"{base_url}/login", data={"phone": NUMBER})
    code = emulator.verification_code(NUMBER)
    emulator.wait(600)  # ten minutes on the emulator's clock: the code expires
    expired = browser_like.post(f"{base_url}/login/code", data={"code": code})
    assert expired.status_code == 410 and "That code has expired" in expired.text
    browser_like.post(f"{base_url}/login", data={"phone": NUMBER})
    code = emulator.verification_code(NUMBER)
    for _ in range(5):
        browser_like.post(f"{base_url}/login/code", data={"code": str((int(code[0]) + 1) % 10) + code[1:]})
    locked = browser_like.post(f"{base_url}/login/code", data={"code": code})
    assert locked.status_code == 429 and "Too many wrong codes" in locked.text


def test_the_sign_in_page_in_chromium_phone_then_code_then_signed_in(live_app, page):
    app, emulator, base_url = live_app
    page.goto(f"{base_url}/")
    page.get_by_role("link", name="Sign in with a code texted to your phone").click()
    page.get_by_label("Your phone number (e.g. +15558675310)").fill(NUMBER)
    page.get_by_role("button", name="Text me a code").click()
    assert page.locator("#phone").text_content() == NUMBER
    page.get_by_label("The code from the text").fill(emulator.verification_code(NUMBER))
    page.get_by_role("button", name="Sign in").click()
    assert page.locator("#signed-in").text_content() == f"Signed in as {NUMBER}."
    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_label("Your phone number (e.g. +15558675310)").count() == 1
