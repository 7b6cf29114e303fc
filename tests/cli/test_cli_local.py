"""``flask twilio token|twiml|webhook|routes``: the commands that need no Twilio account."""
from __future__ import annotations

import threading
import time

import jwt
import pytest
from tests.cli.cli_helpers import (  # noqa: F401  (fixtures)
    ACCOUNT_SID, API_KEY, API_SECRET, APP_SID, AUTH_TOKEN, app, make_app, twilio,
)
from flask import request
from werkzeug.serving import make_server

from flask_twilio_rb import validate_twilio_request
from flask_twilio_rb.apimap import api_map_lines

from tests.spec_contract import contract

SERVICE_SID = "IS" + "d" * 32


# -- token ---------------------------------------------------------------------------------------

def test_token_client_prints_a_capability_token_signed_with_the_auth_token(runner):
    result = twilio(runner, "token", "client", "--incoming", "alice", "--outgoing", APP_SID, "--ttl", "600")
    assert result.exit_code == 0
    claims = jwt.decode(result.stdout.strip(), AUTH_TOKEN, algorithms=["HS256"])
    assert claims["iss"] == ACCOUNT_SID
    assert claims["scope"].split() == [
        "scope:client:incoming?clientName=alice",
        f"scope:client:outgoing?appSid={APP_SID}&clientName=alice",
    ]
    assert 595 <= claims["exp"] - time.time() <= 600


def test_token_client_needs_incoming_or_outgoing(runner):
    result = twilio(runner, "token", "client")
    assert result.exit_code == 2 and "Give --incoming, --outgoing or both." in result.stderr


def test_token_client_checks_the_application_sid(runner):
    result = twilio(runner, "token", "client", "--outgoing", "AP123")
    assert result.exit_code == 2
    assert "'AP123' is not a valid Application SID: expected AP followed by 32 hex digits." in result.stderr


def test_token_client_without_an_auth_token_exits_2():
    result = twilio(make_app(TWILIO_AUTH_TOKEN=None).test_cli_runner(), "token", "client", "--incoming", "alice")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: A capability token needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN")
    assert result.stdout == ""


def test_token_access_prints_an_access_token_with_the_grants():
    runner = make_app(TWILIO_API_KEY=API_KEY, TWILIO_API_SECRET=API_SECRET).test_cli_runner()
    result = twilio(runner, "token", "access", "--identity", "alice", "--voice", APP_SID, "--video", "standup",
                    "--chat", SERVICE_SID, "--ttl", "120")
    assert result.exit_code == 0
    claims = jwt.decode(result.stdout.strip(), API_SECRET, algorithms=["HS256"])
    assert (claims["iss"], claims["sub"]) == (API_KEY, ACCOUNT_SID)
    assert claims["grants"] == {
        "identity": "alice",
        "voice": {"incoming": {"allow": True}, "outgoing": {"application_sid": APP_SID}},
        "video": {"room": "standup"},
        "chat": {"service_sid": SERVICE_SID},
    }
    assert 115 <= claims["exp"] - time.time() <= 120


def test_token_access_needs_a_grant():
    runner = make_app(TWILIO_API_KEY=API_KEY, TWILIO_API_SECRET=API_SECRET).test_cli_runner()
    result = twilio(runner, "token", "access", "--identity", "alice")
    assert result.exit_code == 2 and "Give at least one grant: --voice, --video or --chat." in result.stderr


def test_token_access_without_an_api_key_exits_2_naming_the_settings(runner):
    result = twilio(runner, "token", "access", "--identity", "alice", "--video", "standup")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: an access token is signed with an API key: set TWILIO_API_KEY and "
                                    "TWILIO_API_SECRET in the app config or the environment")
    assert "=" not in result.stderr  # no Python keywords (api_key_sid=...) on a command line


def test_token_access_names_only_the_missing_setting():
    app = make_app(TWILIO_API_KEY=API_KEY)
    result = twilio(app.test_cli_runner(), "token", "access", "--identity", "alice", "--video", "standup")
    assert result.exit_code == 2 and "set TWILIO_API_SECRET in the app config" in result.stderr


# -- twiml ---------------------------------------------------------------------------------------

@pytest.fixture
def templates(tmp_path):
    (tmp_path / "welcome.voice").write_text(
        '{% say voice="alice" %}Hello {{ name }}{% endsay %}{% redirect %}{{ url_for("menu") }}{% endredirect %}')
    (tmp_path / "broken.voice").write_text("{% say %}Hello")
    app = make_app(template_folder=str(tmp_path))
    app.add_url_rule("/menu", "menu", lambda: "")
    return app.test_cli_runner()


def test_twiml_renders_a_voice_template_with_variables(templates):
    result = twilio(templates, "twiml", "welcome.voice", "-v", "name=Bob & Alice")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        '<?xml version="1.0" encoding="UTF-8"?><Response><Say voice="alice">Hello Bob &amp; Alice</Say>'
        "<Redirect>/menu</Redirect></Response>\n"  # url_for works: rendered as in a request
    )


def test_twiml_of_a_missing_template_is_a_usage_error(templates):
    result = twilio(templates, "twiml", "nope.voice")
    assert result.exit_code == 2 and "No template 'nope.voice' in the app's template folders." in result.stderr


def test_twiml_of_a_broken_template_exits_1_with_the_problem(templates):
    result = twilio(templates, "twiml", "broken.voice")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: broken.voice: Unexpected end of template.")


def test_twiml_variables_are_key_value(templates):
    result = twilio(templates, "twiml", "welcome.voice", "-v", "Bob")
    assert result.exit_code == 2 and "'Bob' is not KEY=VALUE." in result.stderr


# -- webhook -------------------------------------------------------------------------------------

def webhook_app(**config):
    app = make_app(**config)

    @app.route("/sms", methods=["GET", "POST"])
    @validate_twilio_request
    def sms():
        said = request.values.getlist("Body")
        return f"<Response><Message>You said {' and '.join(said)} ({request.method})</Message></Response>"

    return app


def test_webhook_posts_a_signed_request_that_the_app_accepts():
    result = twilio(webhook_app().test_cli_runner(), "webhook", "/sms", "-d", "Body=hi", "-d", "Body=there",
                    "-d", "From=+15558675310")
    assert result.exit_code == 0
    assert result.stderr == "HTTP 200 OK\n"
    assert result.stdout == "<Response><Message>You said hi and there (POST)</Message></Response>\n"


def test_webhook_signs_a_get_with_its_parameters_in_the_url():
    result = twilio(webhook_app().test_cli_runner(), "webhook", "sms?lang=en", "--method", "get", "-d", "Body=1")
    assert result.exit_code == 0
    assert result.stdout == "<Response><Message>You said 1 (GET)</Message></Response>\n"


def test_webhook_exits_1_when_the_app_answers_an_error():
    result = twilio(webhook_app().test_cli_runner(), "webhook", "/nowhere")
    assert result.exit_code == 1
    assert result.stderr == "HTTP 404 NOT FOUND\n" and "Not Found" in result.stdout


@pytest.fixture
def server():
    """A running server of a webhook app (with the same auth token), stopped after the test."""
    httpd = make_server("127.0.0.1", 0, webhook_app(), threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join()


def test_webhook_to_a_running_server(runner, server):
    result = twilio(runner, "webhook", "/sms", "-d", "Body=hi", "--url", server + "/")
    assert result.exit_code == 0
    assert result.stderr == "HTTP 200 OK\n"
    assert result.stdout == "<Response><Message>You said hi (POST)</Message></Response>\n"


def test_a_running_server_rejects_a_request_signed_with_another_token(server):
    runner = make_app(TWILIO_AUTH_TOKEN="not-the-servers-token-000000000").test_cli_runner()
    result = twilio(runner, "webhook", "/sms", "-d", "Body=hi", "--url", server)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "HTTP 403 FORBIDDEN" and result.stdout == ""
    assert "The app refused the request: it checks the signature with its TWILIO_AUTH_TOKEN" in result.stderr


def test_webhook_signs_for_the_public_url_when_webhook_base_url_is_set(server):
    # The server app does not know the public URL, so it refuses what is signed for it.
    runner = make_app(TWILIO_WEBHOOK_BASE_URL="https://abc.ngrok.io").test_cli_runner()
    assert twilio(runner, "webhook", "/sms", "--url", server).stderr.startswith("HTTP 403 FORBIDDEN\n")


def test_webhook_to_a_server_that_is_not_running(runner):
    with make_server("127.0.0.1", 0, webhook_app()) as httpd:
        origin = f"http://127.0.0.1:{httpd.server_port}"  # closed again at once
    result = twilio(runner, "webhook", "/sms", "--url", origin)
    assert result.exit_code == 1
    assert result.stderr == (f"Error: nothing is listening at {origin}: start the app there (e.g. flask run) "
                             "or give the --url it serves at.\n")


def test_webhook_to_a_host_that_cannot_be_reached_says_why(runner, monkeypatch):
    import requests

    def unreachable(*args, **kwargs):
        raise requests.ConnectionError("Name or service not known")

    monkeypatch.setattr(requests, "request", unreachable)
    result = twilio(runner, "webhook", "/sms", "--url", "http://nowhere.invalid")
    assert result.exit_code == 1
    assert result.stderr == "Error: could not reach http://nowhere.invalid: Name or service not known\n"


# -- routes --------------------------------------------------------------------------------------

def test_routes_lists_every_operation_and_its_python(runner):
    result = twilio(runner, "routes")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == api_map_lines()
    assert len(result.stdout.splitlines()) == len(contract().operations)  # every description's
    assert any(line.split() == ["CreateCall", "Call.create(**params)"] for line in result.stdout.splitlines())
