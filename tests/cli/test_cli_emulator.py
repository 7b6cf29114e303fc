"""``flask twilio emulator``: the local emulator of Twilio's API, served with the settings to use it."""
from __future__ import annotations

import os
import signal
import socket
import threading

import pytest
import requests
from tests.cli.cli_helpers import ACCOUNT_SID, AUTH_TOKEN, app, make_app, twilio  # noqa: F401  (fixtures)

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
