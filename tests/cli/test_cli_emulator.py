"""``flask twilio emulator``: a local stand-in for Twilio's API, and the settings to use it."""
from __future__ import annotations

import sys
import types

import pytest
from cli_helpers import AUTH_TOKEN, app, runner, twilio  # noqa: F401  (fixtures)

GENERATED_SID = "AC" + "e" * 32
GENERATED_TOKEN = "generated-token-" + "5" * 16


class StubEmulator:
    """Stands in for flask_twilio_rb.testing.emulator.TwilioEmulator: records what the command does."""

    instances: list = []
    interrupt = False

    def __init__(self, account_sid=None, auth_token=None, *, host="127.0.0.1", port=0):
        self.account_sid = account_sid or GENERATED_SID
        self.auth_token = auth_token or GENERATED_TOKEN
        self.base_url = f"http://{host}:{port}"
        self.calls = ["init"]
        StubEmulator.instances.append(self)

    def serve_forever(self):
        self.calls.append("serve_forever")
        if self.interrupt:
            raise KeyboardInterrupt

    def stop(self):
        self.calls.append("stop")


@pytest.fixture
def stub(monkeypatch):
    module = types.ModuleType("flask_twilio_rb.testing.emulator")
    module.TwilioEmulator = StubEmulator
    monkeypatch.setitem(sys.modules, "flask_twilio_rb.testing.emulator", module)
    StubEmulator.instances = []
    StubEmulator.interrupt = False
    return StubEmulator


def test_emulator_prints_the_settings_with_the_generated_token_and_serves(runner, stub):
    result = twilio(runner, "emulator", "--port", "4011")
    assert result.exit_code == 0
    assert result.stdout == (
        "Twilio emulator at http://127.0.0.1:4011\n"
        f"Account SID  {GENERATED_SID}\n"
        f"Auth token   {GENERATED_TOKEN} (generated: it works only here)\n\n"
        "Point an app at it with these settings:\n"
        "  TWILIO_API_BASE_URL=http://127.0.0.1:4011\n"
        f"  TWILIO_ACCOUNT_SID={GENERATED_SID}\n"
        f"  TWILIO_AUTH_TOKEN={GENERATED_TOKEN}\n\n"
        "Press Ctrl+C to stop.\n"
    )
    (emulator,) = stub.instances
    assert emulator.calls == ["init", "serve_forever", "stop"]


def test_emulator_masks_a_token_it_was_given(runner, stub):
    result = twilio(runner, "emulator", "--host", "0.0.0.0", "--account-sid", "AC" + "f" * 32,
                    "--auth-token", AUTH_TOKEN)
    assert result.exit_code == 0
    assert "Auth token   ********9999\n" in result.stdout
    assert "  TWILIO_AUTH_TOKEN=<the auth token you gave>\n" in result.stdout
    assert f"  TWILIO_ACCOUNT_SID={'AC' + 'f' * 32}\n" in result.stdout
    assert "Twilio emulator at http://0.0.0.0:4010\n" in result.stdout


def test_ctrl_c_stops_the_emulator(runner, stub):
    stub.interrupt = True
    result = twilio(runner, "emulator")
    assert result.exit_code == 0 and result.stderr == "Stopped.\n"
    assert stub.instances[0].calls == ["init", "serve_forever", "stop"]
