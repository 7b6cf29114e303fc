"""The ``flask twilio`` group: where it comes from, its help, and how failures end a command."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, timezone
from importlib.metadata import entry_points

import click
import pytest
from tests.cli.cli_helpers import ACCOUNT_SID, API, AUTH_TOKEN, api, app, twilio  # noqa: F401  (fixtures)
from tests.spec_contract import contract
from click.testing import CliRunner
from flask import Flask
from flask.cli import FlaskGroup

from flask_twilio_rb import TwilioRB
from flask_twilio_rb.cli import twilio_cli
from flask_twilio_rb.cli.options import DATE, KEY_VALUE


def test_the_extension_adds_the_group_to_the_app(app):
    assert app.cli.commands["twilio"] is twilio_cli


def test_an_apps_own_twilio_command_is_kept():
    app = Flask(__name__)

    @app.cli.command("twilio")
    def own() -> None:
        """The app's own."""

    TwilioRB(app)
    assert app.cli.commands["twilio"] is own


def test_the_entry_point_names_the_group():
    (point,) = [ep for ep in entry_points(group="flask.commands") if ep.name == "twilio"]
    assert point.value == "flask_twilio_rb.cli:twilio_cli"
    assert point.load() is twilio_cli


def test_the_entry_point_serves_an_app_without_the_extension(monkeypatch):
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", ACCOUNT_SID)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
    flask = FlaskGroup(create_app=lambda: Flask("plain"))  # `flask`, as the console script builds it
    result = CliRunner().invoke(flask, ["twilio", "config"])
    assert result.exit_code == 0, result.output
    assert f"Account SID        {ACCOUNT_SID}  (environment)\n" in result.stdout
    assert "Timeout            15 s  (default)\n" in result.stdout
    assert AUTH_TOKEN not in result.output


def test_with_both_the_extension_and_the_entry_point_there_is_one_twilio_command(app):
    flask = FlaskGroup(create_app=lambda: app)
    listing = CliRunner().invoke(flask, ["--help"]).stdout
    assert [line.split()[0] for line in listing.splitlines() if line.startswith("  twilio ")] == ["twilio"]
    result = CliRunner().invoke(flask, ["twilio", "routes"])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == len(contract().operations)


def test_flask_twilio_runs_from_the_installed_entry_point(tmp_path):
    (tmp_path / "plainapp.py").write_text("from flask import Flask\napp = Flask(__name__)\n")
    env = dict(os.environ, TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN)
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "plainapp", "twilio", "config"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Auth token         ********9999  (environment)\n" in done.stdout and AUTH_TOKEN not in done.stdout


def _commands(group: click.Group, prefix: str = "twilio"):
    for name, command in group.commands.items():
        yield f"{prefix} {name}", command
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix} {name}")


@pytest.mark.parametrize("path, command", list(_commands(twilio_cli)), ids=lambda value: str(value))
def test_every_command_and_option_has_help(path, command):
    assert command.help, path
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{path} {param.opts}"


def test_the_group_help_lists_the_commands(runner):
    result = twilio(runner, "--help")
    assert result.exit_code == 0
    for name in ("config", "sms", "call", "numbers", "token", "twiml", "webhook", "routes", "emulator"):
        assert f"\n  {name} " in result.stdout


def test_an_error_without_code_or_link_is_reported_as_twilio_gave_it(runner, api, monkeypatch):
    from flask_twilio_rb.transport import retrying as retry

    waits = []
    monkeypatch.setattr(retry, "sleep", waits.append)  # a 502 is retried: no real waiting in a test
    api.get(f"{API}/Calls.json", status=502, body="<html>Bad gateway</html>")
    result = twilio(runner, "call", "list")
    assert result.exit_code == 1
    assert len(waits) == 3 and len(api.calls) == 4  # the default 3 retries, then Twilio's answer
    assert result.stderr.splitlines() == [
        "Error: Twilio answered HTTP 502 with a body that is not JSON: '<html>Bad gateway</html>'",
        f"HTTP 502, GET /2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json",
    ]


def test_parameter_types_take_values_already_converted():
    # click passes defaults and values from Python callers through convert() again.
    moment = datetime(2026, 11, 1, tzinfo=timezone.utc)
    assert DATE.convert(date(2026, 11, 1), None, None) == date(2026, 11, 1)
    assert DATE.convert(moment, None, None) is moment
    assert KEY_VALUE.convert(("Body", "hi"), None, None) == ("Body", "hi")


def test_importing_the_commands_loads_no_resources_templates_or_http_client():
    # Flask imports the entry point for every `flask` command line, `flask run` included.
    code = ("import sys, flask_twilio_rb.cli; "
            "print(sorted(m for m in ('flask_twilio_rb.resources', 'flask_twilio_rb.tokens', 'jinja2.ext', "
            "'requests', 'flask_twilio_rb.testing', 'flask_twilio_rb.apimap') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout == "[]\n", done.stderr


@pytest.mark.parametrize("setting, value, message", [
    ("TWILIO_ACCOUNT_SID", "ACnope", "TWILIO_ACCOUNT_SID is 'ACnope' (from the app config, "
                                     "app.config['TWILIO_ACCOUNT_SID']); set it to AC followed by 32 hexadecimal"),
    ("TWILIO_TIMEOUT", "soon", "TWILIO_TIMEOUT is 'soon' (from the app config, app.config['TWILIO_TIMEOUT']); "
                               "set it to a number of seconds above 0"),
    ("TWILIO_VALIDATE_WEBHOOKS", "enabled", "TWILIO_VALIDATE_WEBHOOKS is 'enabled'"),
])
def test_an_app_with_a_wrong_setting_exits_2_with_the_message_and_no_traceback(setting, value, message):
    def create_app():
        app = Flask("misconfigured")
        app.config.update({"TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN, setting: value})
        TwilioRB(app)
        return app

    result = CliRunner().invoke(FlaskGroup(create_app=create_app), ["twilio", "config"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {message}")
    assert "Traceback" not in result.output and result.stdout == ""
