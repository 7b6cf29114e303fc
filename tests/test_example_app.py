"""The example app's flows, with signature validation on, on the emulator and the outbox."""
from __future__ import annotations

import re
import socket

import pytest

from example_app import create_app
from example_app.activity import activity
from flask_twilio_rb import Call, Message
from flask_twilio_rb.testing import post_as_twilio

from tests.example_helpers import ACCOUNT, NUMBER, TOKEN, example_app


@pytest.fixture
def app():
    return example_app()


# -- the IVR and the SMS auto-reply ------------------------------------------------------------------
def test_welcome_menu_is_a_voice_document_for_twilio(client):
    response = post_as_twilio(client, "/ivr/welcome", {"From": NUMBER}, auth_token=TOKEN)
    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    body = response.get_data(as_text=True)
    assert "Hello +15005550006, thanks for calling." in body
    assert '<Gather action="/ivr/choice" method="POST" numDigits="1">' in body


def test_welcome_page_is_html_for_people(client):
    response = client.get("/ivr/welcome")
    assert response.status_code == 200
    assert "<h1>" in response.get_data(as_text=True)


@pytest.mark.parametrize("digit, expected", [("1", '<Dial action="/ivr/dialed" timeout="20">+15558675310</Dial>'),
                                             ("2", "<Hangup/>"), ("3", '<Record action="/ivr/recorded"'),
                                             ("9", "<Redirect>/ivr/welcome</Redirect>")])
def test_menu_choice(client, digit, expected):
    response = post_as_twilio(client, "/ivr/choice", {"Digits": digit}, auth_token=TOKEN)
    assert expected in response.get_data(as_text=True)


def test_sms_auto_reply(client):
    response = post_as_twilio(client, "/sms/reply", {"Body": "hi <there>"}, auth_token=TOKEN)
    assert "<Message>Thanks! You said: hi &lt;there&gt;</Message>" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/sms/reply", "/ivr/choice", "/status/messages", "/status/calls"])
def test_unsigned_requests_are_refused(client, path):
    assert client.post(path, data={"Body": "x"}).status_code == 403
    assert client.post(path, data={"Body": "x"}, headers={"X-Twilio-Signature": "bad"}).status_code == 403


# -- status callbacks ------------------------------------------------------------------------------
def test_message_status_callbacks_are_kept_in_order(app, client):
    sid = "SM" + "1" * 32
    for status, error in (("sent", None), ("undelivered", "30003")):
        params = {"MessageSid": sid, "MessageStatus": status, **({"ErrorCode": error} if error else {})}
        assert post_as_twilio(client, "/status/messages", params, auth_token=TOKEN).status_code == 204
    with app.app_context():
        assert activity().history(sid) == [("sent", None), ("undelivered", "30003")]
        assert activity().latest(sid) == "undelivered"
        assert activity().latest("SM" + "2" * 32) is None


def test_call_status_callback_is_kept(app, client):
    sid = "CA" + "1" * 32
    post_as_twilio(client, "/status/calls", {"CallSid": sid, "CallStatus": "ringing"}, auth_token=TOKEN)
    with app.app_context():
        assert activity().latest(sid) == "ringing"


# -- the page of recent activity ------------------------------------------------------------------------
def test_dashboard_lists_recent_calls_and_messages(app, client, twilio_emulator, twilio_outbox):
    with app.app_context():
        older = Message.create(to=NUMBER, from_=NUMBER, body="first <b>")
        newer = Message.create(to=NUMBER, from_=NUMBER, body="second")
        call = Call.create(to=NUMBER, from_=NUMBER, url="https://example.com/voice")
    twilio_emulator.finish(newer.sid)
    twilio_outbox.clear()
    page = client.get("/").get_data(as_text=True)
    messages = _table(page, "messages")
    assert [row[0] for row in messages] == [newer.sid, older.sid]  # newest first
    assert messages[0][2:6] == [NUMBER, NUMBER, "second", "delivered"]
    assert messages[1][4] == "first &lt;b&gt;"  # autoescaped
    assert re.fullmatch(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00">'
                        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC</time>", messages[0][1])
    assert [row[0] for row in _table(page, "calls")] == [call.sid]
    # One request per list, of exactly the page size shown.
    assert [(s.operation, s.params) for s in twilio_outbox] == [
        ("ListCall", {"PageSize": "20"}), ("ListMessage", {"PageSize": "20"})]


def test_dashboard_when_nothing_happened_yet(client, twilio_emulator):
    page = client.get("/").get_data(as_text=True)
    assert "No messages yet." in page and "No calls yet." in page


def test_sending_a_text_asks_for_its_delivery_status(client, twilio_outbox):
    response = client.post("/messages", data={"to": NUMBER, "body": "Hello"})
    assert (response.status_code, response.headers["Location"]) == (303, "/")
    [sent] = twilio_outbox
    assert sent.operation == "CreateMessage"
    assert sent.params == {"To": NUMBER, "From": NUMBER, "Body": "Hello",
                           "StatusCallback": "http://localhost/status/messages"}


def test_placing_a_call_plays_the_menu_and_reports_progress(client, twilio_outbox):
    assert client.post("/calls", data={"to": NUMBER}).status_code == 303
    assert twilio_outbox[0].params == {
        "To": NUMBER, "From": NUMBER, "Url": "http://localhost/ivr/welcome",
        "StatusCallback": "http://localhost/status/calls",
        "StatusCallbackEvent": ["initiated", "ringing", "answered", "completed"]}


@pytest.mark.parametrize("path, number, code", [("/messages", "+15005550001", 21211),
                                                ("/calls", "+15005550001", 21217),
                                                ("/messages", "+15005550009", 21614)])
def test_twilios_error_is_shown_to_the_person(client, twilio_emulator, path, number, code):
    response = client.post(path, data={"to": number, "body": "Hello"})
    assert response.status_code == 422
    assert f"Twilio error {code}:" in _text(response.get_data(as_text=True), "error")


def test_the_activity_tables_render_alone_for_the_pages_refresh(client, twilio_emulator, app):
    with app.app_context():
        message = Message.create(to=NUMBER, from_=NUMBER, body="hi")
    fragment = client.get("/activity").get_data(as_text=True)
    assert fragment.lstrip().startswith("<h2>Messages</h2>") and "<html" not in fragment
    assert [row[0] for row in _table(fragment, "messages")] == [message.sid]


def test_every_input_of_the_page_has_a_label(client, twilio_emulator):
    page = client.get("/").get_data(as_text=True)
    inputs = re.findall(r'<input id="([^"]+)"', page)
    assert len(inputs) == 3  # with an account: a text and a call, no simulations
    assert all(f'<label for="{name}">' in page for name in inputs)
    assert "Using the Twilio account" in _text(page, "where")


def test_what_the_person_typed_stays_after_an_error(client, twilio_emulator):
    response = client.post("/messages", data={"to": "+15005550001", "body": "Hello <you>"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="text-to" name="to" value="+15005550001"' in page
    assert 'id="text-body" name="body" value="Hello &lt;you&gt;"' in page
    assert 'id="call-to" name="to" value=""' in page  # the other form is not filled in


@pytest.mark.parametrize("value, shown", [
    ("Tue, 01 Dec 2026 09:30:05 +0000", '<time datetime="2026-12-01T09:30:05+00:00">2026-12-01 09:30:05 UTC</time>'),
    ("Tue, 01 Dec 2026 15:00:05 +0530", '<time datetime="2026-12-01T09:30:05+00:00">2026-12-01 09:30:05 UTC</time>'),
    ("Tue, 01 Dec 2026 09:30:05 -0000", '<time datetime="2026-12-01T09:30:05+00:00">2026-12-01 09:30:05 UTC</time>'),
    ("soon <b>", "soon &lt;b&gt;"), (None, ""), ("", ""),
])
def test_dates_are_readable(app, value, shown):
    with app.app_context():
        assert str(app.jinja_env.filters["moment"](value)) == shown


def test_simulations_need_the_local_emulator(client, twilio_emulator):
    response = client.post("/simulate/text", data={"from": "+15558675310", "body": "hi"})
    assert response.status_code == 409
    assert "Simulated traffic needs the local emulator" in _text(response.get_data(as_text=True), "error")


# -- configuration ---------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_without_an_account_the_app_uses_the_local_emulator_started_on_first_use(monkeypatch):
    monkeypatch.delenv("TWILIO_ACCOUNT_SID", raising=False)
    port = _free_port()
    app = create_app({"TESTING": True, "EXAMPLE_EMULATOR_PORT": port})
    local = app.extensions["example_local"]
    try:
        assert app.twilio.settings.api_base_url == local.base_url == f"http://127.0.0.1:{port}"
        assert app.twilio.emulator is None and local.emulator is None  # nothing served before a request
        with app.app_context():
            assert Message.all() == []
        assert local.emulator is not None and local.emulator.auto_advance is None  # tests step it
        page = app.test_client().get("/").get_data(as_text=True)
        assert f"Running on the local Twilio emulator at <code>http://127.0.0.1:{port}</code>" in page
        assert len(re.findall(r'<label for="', page)) == 6  # the simulations too
    finally:
        local.stop()


def test_a_second_app_uses_the_emulator_the_first_serves(monkeypatch):
    """As `flask twilio sms list` does beside `flask run`: one emulator, every process of the app."""
    monkeypatch.delenv("TWILIO_ACCOUNT_SID", raising=False)
    config = {"TESTING": True, "EXAMPLE_EMULATOR_PORT": _free_port()}
    first, second = create_app(config), create_app(config)
    try:
        with first.app_context():
            sent = Message.create(to=NUMBER, from_=NUMBER, body="from the first")
        with second.app_context():
            assert [m.sid for m in Message.all()] == [sent.sid]
        assert second.extensions["example_local"].emulator is None  # it served nothing itself
        response = second.test_client().post("/simulate/text", data={"from": "+15558675310", "body": "hi"})
        assert response.status_code == 409 and "served by another program" in response.get_data(as_text=True)
    finally:
        first.extensions["example_local"].stop()


def test_the_startup_line_says_it_runs_on_the_emulator(monkeypatch, capsys):
    monkeypatch.delenv("TWILIO_ACCOUNT_SID", raising=False)
    monkeypatch.delenv("WERKZEUG_RUN_MAIN", raising=False)
    app = create_app({"EXAMPLE_EMULATOR_PORT": 4999})
    assert capsys.readouterr().err == (" * Twilio: no TWILIO_ACCOUNT_SID, so the app runs on the local Twilio emulator "
                                       "at http://127.0.0.1:4999; nothing reaches Twilio.\n")
    assert app.extensions["example_local"].step == 1.0  # outside tests, statuses move on by themselves
    monkeypatch.setenv("WERKZEUG_RUN_MAIN", "true")  # the serving process under `flask run --debug`: said once
    create_app({"EXAMPLE_EMULATOR_PORT": 4999})
    assert capsys.readouterr().err == ""


def test_with_an_account_it_talks_to_twilio(monkeypatch, capsys):
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", ACCOUNT)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", TOKEN)
    monkeypatch.setenv("EXAMPLE_CALLER_ID", "+15551230000")
    app = create_app()
    assert (app.twilio.emulator, app.twilio.settings.api_base_url) == (None, "https://api.twilio.com")
    assert app.config["EXAMPLE_CALLER_ID"] == "+15551230000"
    assert "example_local" not in app.extensions and capsys.readouterr().err == ""


def _table(page: str, table_id: str):
    body = re.search(rf'<table id="{table_id}">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    return [re.findall(r"<td>(.*?)</td>", row, re.S) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def _text(page: str, element_id: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(rf'id="{element_id}"[^>]*>(.*?)</p>', page, re.S).group(1))
