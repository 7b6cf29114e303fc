"""No account needed: TWILIO_SUPPRESS_SEND (answers in-process) and TWILIO_EMULATOR (a local server)."""
from __future__ import annotations

import pytest
import responses
from flask import Flask

from flask_twilio_rb import APIError, Call, Config, Message, TwilioRB, get_client
from flask_twilio_rb.state import get_state
from flask_twilio_rb.transport.factory import SUPPRESSED_BASE_URL
from flask_twilio_rb.transport.wsgi import WSGITransport
from flask_twilio_rb.testing import TwilioEmulator, post_as_twilio
from flask_twilio_rb.testing.fixtures import recording_outbox, running_emulator

from tests.accounts import ACCOUNT_SID, AUTH_TOKEN

TEST_NUMBER = "+15005550006"


def make_app(**config):
    app = Flask(__name__)
    app.config.update(TESTING=True, **config)
    TwilioRB(app)
    return app


@pytest.fixture
def no_network():
    """Any request through requests fails the test: responses knows no URL."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock
        assert len(mock.calls) == 0


# -- suppressed sending ----------------------------------------------------------------------------
def test_suppressed_sending_answers_in_process(no_network):
    app = make_app(TWILIO_SUPPRESS_SEND=True, TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN)
    with app.app_context(), app.twilio.record() as outbox:
        message = Message.create(to=TEST_NUMBER, from_=TEST_NUMBER, body="Hi")
        assert Message.find(message.sid).body == "Hi"
        assert [m.sid for m in Message.each(to=TEST_NUMBER)] == [message.sid]
        assert Message.find(message.sid).destroy() is True
        assert Message.find(message.sid) is None
    assert message.sid.startswith("SM") and message.status == "queued"
    assert [sent.operation for sent in outbox] == [
        "CreateMessage", "FetchMessage", "ListMessage", "FetchMessage", "DeleteMessage", "FetchMessage"]
    settings = app.twilio.settings
    assert (settings.account_sid, settings.auth_token) == (ACCOUNT_SID, AUTH_TOKEN)  # the app's own
    assert settings.api_base_url == SUPPRESSED_BASE_URL
    assert app.twilio.emulator.records("Message") == []  # the emulator in the client holds the state


def test_suppressed_sending_still_raises_twilios_errors():
    app = make_app(TWILIO_SUPPRESS_SEND=True)
    with app.app_context(), pytest.raises(APIError) as info:
        Message.create(to="+15005550001", from_=TEST_NUMBER, body="Hi")  # Twilio's "invalid To" number
    assert info.value.code == 21211


def test_suppressed_sending_without_credentials_generates_them():
    settings = make_app(TWILIO_SUPPRESS_SEND=True).twilio.settings
    assert settings.account_sid.startswith("AC") and len(settings.account_sid) == 34
    assert settings.auth_token


def test_suppressed_sending_uses_the_emulators_account_instead_of_api_keys():
    app = make_app(TWILIO_SUPPRESS_SEND=True, TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_API_KEY="SK" + "1" * 32,
                   TWILIO_API_SECRET="key-secret")
    with app.app_context():
        assert Call.create(to=TEST_NUMBER, from_=TEST_NUMBER, url="https://example.com/v").sid.startswith("CA")
    assert app.twilio.settings.api_key is None


def test_scripts_can_suppress_sending(no_network):
    Config.setup(suppress_send=True)
    assert Message.create(to=TEST_NUMBER, from_=TEST_NUMBER, body="Hi").sid.startswith("SM")


def test_wsgi_transport_sends_query_and_reads_empty_answers():
    emulator = TwilioEmulator()
    transport = WSGITransport(emulator.app)
    base = f"http://local/2010-04-01/Accounts/{emulator.account_sid}"
    auth = (emulator.account_sid, emulator.auth_token)
    created = transport.send("POST", base + "/Queues.json", data=[("FriendlyName", "q")], auth=auth, timeout=1)
    assert created.status == 201
    listed = transport.send("GET", base + "/Queues.json", params=[("PageSize", "1")], auth=auth, timeout=1)
    assert b'"page_size": 1' in listed.body or b'"page_size":1' in listed.body
    sid = emulator.records("Queue")[0]["sid"]
    deleted = transport.send("DELETE", f"{base}/Queues/{sid}.json", auth=auth, timeout=1)
    assert (deleted.status, deleted.body) == (204, b"")
    refused = transport.send("GET", base + "/Queues.json", auth=(emulator.account_sid, "wrong"), timeout=1)
    assert refused.status == 401


def test_wsgi_transport_calls_any_wsgi_app_as_a_server_would():
    seen = {}

    def stub(environ, start_response):  # a plain WSGI app: its answer a list, nothing to close
        seen.clear()
        seen.update(environ, body=environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"])))
        start_response("201 CREATED", [("Content-Type", "application/json"), ("X-Stub", "yes")])
        return [b'{"sid": ', b'"SM1"}']

    url = "https://stub.example:8443/2010-04-01/Accounts/AC1/Messages%2Bx.json?Page=1"
    raw = WSGITransport(stub).send("POST", url, params=[("PageSize", "5")], data=[("Body", "a b&c")],
                                   auth=("AC1", "secret"), timeout=1)
    assert (raw.status, raw.headers.get("x-stub"), raw.body) == (201, "yes", b'{"sid": "SM1"}')
    assert (seen["PATH_INFO"], seen["QUERY_STRING"]) == ("/2010-04-01/Accounts/AC1/Messages+x.json", "Page=1&PageSize=5")
    assert (seen["SERVER_NAME"], seen["SERVER_PORT"], seen["HTTP_HOST"], seen["wsgi.url_scheme"]) == (
        "stub.example", "8443", "stub.example:8443", "https")
    assert seen["CONTENT_TYPE"] == "application/x-www-form-urlencoded" and seen["body"] == b"Body=a+b%26c"
    assert seen["HTTP_AUTHORIZATION"].startswith("Basic ") and seen["REQUEST_METHOD"] == "POST"
    WSGITransport(stub).send("GET", "http://stub/x", auth=("AC1", "secret"), timeout=1)
    assert (seen["SERVER_PORT"], seen["CONTENT_LENGTH"], seen["body"]) == ("80", "0", b"")
    assert "CONTENT_TYPE" not in seen and seen["REQUEST_METHOD"] == "GET"


# -- the emulator mode ----------------------------------------------------------------------------
def test_emulator_mode_serves_on_a_local_port_and_signs_with_the_apps_token():
    app = make_app(TWILIO_EMULATOR=True, TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN)
    emulator = app.twilio.emulator
    try:
        assert app.twilio.settings.api_base_url == emulator.base_url
        assert emulator.base_url.startswith("http://127.0.0.1:")
        assert (emulator.account_sid, emulator.auth_token) == (ACCOUNT_SID, AUTH_TOKEN)
        with app.app_context():
            call = Call.create(to=TEST_NUMBER, from_=TEST_NUMBER, url="https://example.com/v")
            emulator.advance(call.sid)
            assert Call.find(call.sid).status == "ringing"
    finally:
        emulator.stop()


def test_emulator_mode_without_credentials_shares_generated_ones_with_webhook_validation():
    app = make_app(TWILIO_EMULATOR=True)
    app.add_url_rule("/hook", "hook", lambda: "ok", methods=["POST"])
    from flask_twilio_rb import validate_twilio_request

    app.view_functions["hook"] = validate_twilio_request(app.view_functions["hook"])
    token = app.twilio.emulator.auth_token
    try:
        assert get_state(app).settings.auth_token == token
        assert post_as_twilio(app.test_client(), "/hook", {"A": "1"}, auth_token=token).status_code == 200
    finally:
        app.twilio.emulator.stop()


# -- Config.overridden and TwilioState.reconfigured restore what was there -------------------------
def test_config_overridden_restores_the_previous_values():
    Config.setup(account_sid=ACCOUNT_SID, timeout=3)
    with Config.overridden(timeout=9, auth_token="t"):
        assert (Config.settings().timeout, Config.settings().auth_token) == (9, "t")
    assert (Config.settings().timeout, Config.settings().auth_token) == (3, None)


def test_overridden_restores_after_an_error():
    with pytest.raises(RuntimeError):
        with Config.overridden(timeout=9):
            raise RuntimeError
    assert Config.settings().timeout == 15


def test_reconfigured_gives_the_app_another_client_for_a_block(app):
    state = get_state(app)
    own = app.twilio
    with state.reconfigured(app, timeout=2) as client:
        assert app.twilio is client is state.client and client.settings.timeout == 2
        assert client.settings.account_sid == ACCOUNT_SID
    assert app.twilio is own is state.client


# -- the fixtures' context managers ----------------------------------------------------------------
def test_running_emulator_points_the_app_and_scripts(app):
    with running_emulator(app) as emulator:
        assert (emulator.account_sid, emulator.auth_token) == (ACCOUNT_SID, AUTH_TOKEN)
        assert app.twilio.settings.api_base_url == emulator.base_url
        assert app.twilio.emulator is emulator
        assert get_client().settings.api_base_url == emulator.base_url  # outside the app context
        with app.app_context():
            sid = Message.create(to=TEST_NUMBER, from_=TEST_NUMBER, body="Hi").sid
        assert [r["sid"] for r in emulator.records("Message")] == [sid]
    assert app.twilio.settings.api_base_url == "https://api.twilio.com"
    assert Config.settings().api_base_url == "https://api.twilio.com"


def test_running_emulator_for_scripts_uses_their_configuration(configured):
    with running_emulator() as emulator:
        assert emulator.account_sid == ACCOUNT_SID
        assert Message.create(to=TEST_NUMBER, from_=TEST_NUMBER, body="Hi").sid.startswith("SM")
    assert get_client().settings.api_base_url == "https://api.twilio.com"


def test_recording_outbox_suppresses_an_apps_sending(app, no_network):
    with recording_outbox(app) as outbox, app.app_context():
        Message.create(to=TEST_NUMBER, from_=TEST_NUMBER, body="Hi")
    assert [sent.params["Body"] for sent in outbox] == ["Hi"]
    assert app.twilio.settings.suppress_send is False  # restored


def test_recording_outbox_keeps_an_emulator_the_app_already_uses(app):
    with running_emulator(app) as emulator, recording_outbox(app) as outbox, app.app_context():
        Message.create(to=TEST_NUMBER, from_=TEST_NUMBER, body="Hi")
    assert len(outbox) == 1 and len(emulator.records("Message")) == 1


def test_recording_outbox_for_scripts(configured, no_network):
    with recording_outbox() as outbox:
        Message.create(to=TEST_NUMBER, from_=TEST_NUMBER, body="Hi")
    assert outbox[0].operation == "CreateMessage"
    assert get_client().settings.suppress_send is False


def test_recording_outbox_sends_to_a_server_the_client_is_pointed_at(configured):
    Config.setup(api_base_url="https://mock.example")
    with responses.RequestsMock() as mock, recording_outbox() as outbox:
        mock.post(f"https://mock.example/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json", json={"sid": "SM1"})
        Message.create(to=TEST_NUMBER, from_=TEST_NUMBER, body="Hi")
        assert len(outbox) == len(mock.calls) == 1


def test_recording_outbox_for_scripts_on_an_emulator(configured):
    with running_emulator() as emulator, recording_outbox() as outbox:
        Message.create(to=TEST_NUMBER, from_=TEST_NUMBER, body="Hi")
    assert len(outbox) == 1 and len(emulator.records("Message")) == 1


def test_emulator_step_moves_statuses_on_a_clock():
    import time

    app = make_app(TWILIO_EMULATOR=True, TWILIO_EMULATOR_STEP="0.02")
    emulator = app.twilio.emulator
    try:
        assert emulator.auto_advance == 0.02
        with app.app_context():
            sid = Message.create(to=TEST_NUMBER, from_=TEST_NUMBER, body="Hi").sid
            deadline = time.monotonic() + 5
            while Message.find(sid).status != "delivered" and time.monotonic() < deadline:
                time.sleep(0.02)
            assert Message.find(sid).status == "delivered"
    finally:
        emulator.stop()


@pytest.mark.parametrize("value", ["0", "-1", "soon", float("nan"), float("inf")])
def test_emulator_step_must_be_a_positive_number_of_seconds(value):
    from flask_twilio_rb import ConfigurationError

    with pytest.raises(ConfigurationError, match="TWILIO_EMULATOR_STEP is .*the seconds between status steps"):
        make_app(TWILIO_EMULATOR_STEP=value)
