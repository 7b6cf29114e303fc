"""``flask twilio emulator``: the local emulator of Twilio's API, served with the settings to use it."""
from __future__ import annotations

import os
import signal
import socket
import threading

import pytest
import requests
from tests.cli.cli_helpers import ACCOUNT_SID, AUTH_TOKEN, app, make_app, twilio  # noqa: F401  (fixtures)
from tests.spec_contract import contract

from flask_twilio_rb import local as emulator_package

GIVEN_SID = "AC" + "f" * 32


class Visited(emulator_package.TwilioEmulator):
    """The real emulator; while it serves, a thread calls it as an app would, then ends it."""

    last: "Visited"
    end_with_ctrl_c = False

    def serve_forever(self):
        Visited.last = self
        self.served_at = self.base_url
        self.answers = {}
        threading.Thread(target=self._visit, daemon=True).start()
        super().serve_forever()

    def _visit(self):
        account = f"{self.served_at}/2010-04-01/Accounts/{self.account_sid}.json"
        for name, token in (("right token", self.auth_token), ("wrong token", "wrong")):
            self.answers[name] = requests.get(account, auth=(self.account_sid, token), timeout=10)
        if self.end_with_ctrl_c:
            os.kill(os.getpid(), signal.SIGINT)  # the main thread serves: it gets the KeyboardInterrupt
        else:
            self.stop()


@pytest.fixture
def emulator(monkeypatch):
    monkeypatch.setattr(emulator_package, "TwilioEmulator", Visited)
    Visited.end_with_ctrl_c = False
    return Visited


def test_emulator_serves_and_prints_the_settings_with_the_generated_token(emulator):
    runner = make_app(TWILIO_ACCOUNT_SID=None, TWILIO_AUTH_TOKEN=None).test_cli_runner()  # no account
    result = twilio(runner, "emulator", "--port", "0")
    assert result.exit_code == 0, result.output
    emu = emulator.last
    assert emu.served_at.startswith("http://127.0.0.1:") and not emu.served_at.endswith(":0")
    assert result.stdout == (
        f"Twilio emulator at {emu.served_at}\n"
        f"Account SID  {emu.account_sid}\n"
        f"Auth token   {emu.auth_token} (generated: it works only here)\n\n"
        "Point an app at it with these settings:\n"
        f"  TWILIO_API_BASE_URL={emu.served_at}\n"
        f"  TWILIO_ACCOUNT_SID={emu.account_sid}\n"
        f"  TWILIO_AUTH_TOKEN={emu.auth_token}\n\n"
        "Press Ctrl+C to stop.\n"
    )
    assert result.stderr == "Stopped.\n"
    assert emu.auto_advance == 1.0  # statuses move on by themselves, a step a second
    assert emu.answers["right token"].json()["sid"] == emu.account_sid
    assert emu.answers["wrong token"].status_code == 401


def test_emulator_masks_a_token_it_was_given(runner, emulator):
    result = twilio(runner, "emulator", "--port", "0", "--account-sid", GIVEN_SID, "--auth-token", AUTH_TOKEN)
    assert result.exit_code == 0
    assert "Auth token   ********9999\n" in result.stdout
    assert f"  TWILIO_ACCOUNT_SID={GIVEN_SID}\n  TWILIO_AUTH_TOKEN=<the auth token you gave>\n" in result.stdout
    assert emulator.last.answers["right token"].json()["sid"] == GIVEN_SID


def test_ctrl_c_stops_the_emulator_and_frees_the_port(runner, emulator):
    emulator.end_with_ctrl_c = True
    result = twilio(runner, "emulator", "--port", "0")
    assert result.exit_code == 0 and result.stderr == "Stopped.\n"
    host, port = emulator.last.served_at[len("http://"):].split(":")
    with socket.socket() as again:  # nothing listens there any more (closed connections may linger)
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind((host, int(port)))
        again.listen()


def test_a_port_in_use_exits_1(runner):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = twilio(runner, "emulator", "--port", str(port))
    assert result.exit_code == 1 and result.stdout == ""
    assert f"Port {port} is in use by another program." in result.stderr


def test_emulator_step_sets_the_pace_of_statuses(runner, emulator):
    assert twilio(runner, "emulator", "--port", "0", "--step", "0.25").exit_code == 0
    assert emulator.last.auto_advance == 0.25
    assert twilio(runner, "emulator", "--port", "0", "--step", "0").exit_code == 2


def test_emulator_serves_the_apps_own_account_by_default(runner, emulator):
    result = twilio(runner, "emulator", "--port", "0")
    assert result.exit_code == 0
    emu = emulator.last
    assert (emu.account_sid, emu.auth_token) == (ACCOUNT_SID, AUTH_TOKEN)
    assert "Auth token   ********9999 (the app's)\n" in result.stdout
    assert f"  TWILIO_API_BASE_URL={emu.served_at}\n  (the app's own account SID and auth token)\n" in result.stdout
    assert AUTH_TOKEN not in result.output
    assert emu.answers["right token"].json()["sid"] == ACCOUNT_SID


def test_an_app_on_its_own_emulator_gets_a_fresh_account(emulator):
    app = make_app(TWILIO_EMULATOR=True)
    try:
        result = twilio(app.test_cli_runner(), "emulator", "--port", "0")
        assert result.exit_code == 0
        assert emulator.last.account_sid != app.twilio.settings.account_sid
        assert "(generated: it works only here)" in result.stdout
    finally:
        app.twilio.emulator.stop()


def test_a_malformed_account_sid_is_refused_before_serving(runner, emulator):
    result = twilio(runner, "emulator", "--port", "0", "--account-sid", "nope")
    assert result.exit_code == 2 and result.stdout == ""
    assert "Invalid value for '--account-sid': 'nope' is not an account SID: AC followed by 32 hexadecimal digits" \
        in result.stderr
    assert not hasattr(emulator, "last") or emulator.last.account_sid != "nope"


def test_emulator_and_routes_work_without_any_app(emulator, tmp_path, monkeypatch):
    """`flask twilio emulator` in a folder with no app: generated credentials, no "Could not locate" error."""
    from click.testing import CliRunner
    from flask.cli import FlaskGroup

    monkeypatch.chdir(tmp_path)  # no app.py or wsgi.py here
    monkeypatch.delenv("FLASK_APP", raising=False)
    flask = FlaskGroup()  # `flask`, as the console script builds it
    result = CliRunner().invoke(flask, ["twilio", "emulator", "--port", "0"])
    assert result.exit_code == 0, result.output
    assert "(generated: it works only here)" in result.stdout and "Could not locate" not in result.output
    routes = CliRunner().invoke(flask, ["twilio", "routes"])
    assert routes.exit_code == 0 and len(routes.stdout.splitlines()) == len(contract().operations)


def test_python_m_emulator_serves_until_interrupted(tmp_path):
    """`python -m flask_twilio_rb.emulator`: the banner, a working API, Ctrl+C ends it (all bounded)."""
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-m", "flask_twilio_rb.emulator", "--port", "0",
                                "--account-sid", GIVEN_SID, "--auth-token", AUTH_TOKEN],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        banner = [process.stdout.readline() for _ in range(10)]  # its 10 lines, as soon as it serves
        first = "".join(banner)
        assert first.startswith("Twilio emulator at http://127.0.0.1:") and banner[-1] == "Press Ctrl+C to stop.\n", first
        base_url = banner[0].split(" at ", 1)[1].strip()
        account = requests.get(f"{base_url}/2010-04-01/Accounts/{GIVEN_SID}.json", auth=(GIVEN_SID, AUTH_TOKEN),
                               timeout=10)
        assert account.json()["sid"] == GIVEN_SID
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=30)
    assert process.returncode == 0 and err.endswith("Stopped.\n")
    assert AUTH_TOKEN not in first + out + err
    assert "Auth token   ********9999\n" in first


def test_python_m_emulator_refuses_a_malformed_account_sid():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "flask_twilio_rb.emulator", "--account-sid", "ACnope"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "'ACnope' is not an account SID" in done.stderr
    assert done.stderr.startswith("Usage: python -m flask_twilio_rb.emulator")


def test_the_emulators_own_command_serves_in_process(monkeypatch, emulator):
    from click.testing import CliRunner

    from flask_twilio_rb.emulator import command, server

    monkeypatch.setattr(server, "TwilioEmulator", Visited)
    result = CliRunner().invoke(command.main, ["--port", "0", "--step", "0.5"])
    assert result.exit_code == 0, result.output
    emu = emulator.last
    assert f"Auth token   {emu.auth_token} (generated: it works only here)\n" in result.stdout
    assert emu.auto_advance == 0.5 and emu.answers["right token"].json()["sid"] == emu.account_sid


def test_the_main_module_runs_the_emulators_command():
    import importlib

    from flask_twilio_rb.emulator import command

    assert importlib.import_module("flask_twilio_rb.emulator.__main__").main is command.main
