"""README.rst's examples outside the sections other tests cover: configuration, resources, webhooks, tokens.

Each runs as written (offline: the resources example talks to a local emulator). README also
names every public name and lists every setting with its default.
"""
from __future__ import annotations

import re
from typing import Any, Dict

import pytest
from tests.readme_blocks import README, readme_blocks

import flask_twilio_rb
import flask_twilio_rb.testing
from flask_twilio_rb import Config, InvalidStateError
from flask_twilio_rb.config import DEFAULTS
from flask_twilio_rb.testing import TwilioEmulator, post_as_twilio


def run(name: str, namespace: Dict[str, Any]) -> Dict[str, Any]:
    exec(compile(readme_blocks()[name], f"README.rst ({name})", "exec"), namespace)
    return namespace


def test_the_configuration_example_runs_and_its_factory_reads_the_environment(monkeypatch):
    namespace = run("config-app", {"__name__": "readme_config_app"})
    assert namespace["app"].twilio.settings.auth_token == "your_auth_token"
    monkeypatch.setenv("FLASK_TWILIO_ACCOUNT_SID", "AC" + "3" * 32)
    monkeypatch.setenv("FLASK_TWILIO_AUTH_TOKEN", "factory-token")
    app = namespace["create_app"]()
    assert app.twilio.settings.account_sid == "AC" + "3" * 32


def test_the_config_setup_example_runs():
    run("config-script", {})
    assert Config._values == {}


@pytest.mark.no_contract  # the emulator checks the requests itself
def test_the_resources_example_runs_against_the_emulator():
    with TwilioEmulator() as emulator:
        Config.setup(account_sid=emulator.account_sid, auth_token=emulator.auth_token, api_base_url=emulator.base_url)
        namespace = run("resources", {})
        assert namespace["call"].status == "canceled"
        with pytest.raises(InvalidStateError):
            namespace["call"].url = "https://example.com/again"
        assert [m["body"] for m in emulator.records("Message")] == ["Hi"]


def test_the_webhook_examples_run_together(capsys):
    namespace: Dict[str, Any] = {"__name__": "readme_webhooks"}
    for name in ("webhooks-app", "webhooks-signal", "webhooks-blueprint", "webhooks-testing"):
        run(name, namespace)
    assert capsys.readouterr().out == "rejected http://localhost/sms: signature does not match\n"
    client = namespace["app"].test_client()
    assert client.post("/ivr/welcome").status_code == 403
    assert post_as_twilio(client, "/ivr/welcome").status_code == 200


def test_the_signature_example_runs():
    run("webhooks-signature", {})


@pytest.mark.parametrize("name", ["tokens-capability", "tokens-access"])
def test_the_token_examples_run(name):
    namespace = run(name, {"__name__": f"readme_{name.replace('-', '_')}"})
    token = namespace.get("jwt") or namespace["token"]
    assert token.count(".") == 2


def test_every_public_name_is_in_the_readme():
    with open(README, encoding="utf-8") as file:
        text = file.read()
    names = list(flask_twilio_rb._EXPORTS) + list(flask_twilio_rb.testing.__all__)
    assert [name for name in names if not re.search(rf"``[^`]*\b{name}\b", text)] == []


def test_the_settings_table_lists_every_setting_with_its_default():
    with open(README, encoding="utf-8") as file:
        rows = dict(re.findall(r"^``(TWILIO_\w+)``\s{2,}(\S+)", file.read(), re.M))  # the table's rows
    shown = {"(required)": None, "``None``": None, "``False``": False, "``True``": True}
    for key, default in DEFAULTS.items():
        assert key in rows, f"{key} is not in README's settings table"
        value = shown.get(rows[key], rows[key].strip("`").strip('"'))
        assert value == default or str(default) in (value, f"{value}.0"), (key, rows[key], default)


def test_the_request_sent_example_counts_what_an_app_sends():
    from flask import Flask

    from flask_twilio_rb import TwilioRB, request_sent

    app = Flask("readme_signal")
    app.config.update(TWILIO_SUPPRESS_SEND=True)
    TwilioRB(app)
    before = dict(request_sent.receivers)  # (an example app of another test may still be connected)
    namespace = run("request-sent-signal", {"app": app})
    try:
        assert namespace["sent"] == ["CreateMessage"]
    finally:
        request_sent.disconnect(namespace["count"])
    assert request_sent.receivers == before


def test_the_security_example_dedupes_retries_and_bounds_bodies():
    namespace = run("security-app", {"__name__": "readme_security"})
    client = namespace["app"].test_client()
    retry = {"I-Twilio-Idempotency-Token": "SM1-abc"}
    url = "https://sms.example.com/sms"
    first = post_as_twilio(client, "/sms", data={"Body": "hi"}, url=url, headers=retry)
    again = post_as_twilio(client, "/sms", data={"Body": "hi"}, url=url, headers=retry)
    assert (first.status_code, again.status_code) == (200, 204)
    assert "Got it" in first.get_data(as_text=True)
    huge = post_as_twilio(client, "/sms", data={"Body": "x" * 100_000}, url=url)
    assert huge.status_code == 413
    assert client.post("/sms", data={"Body": "hi"}).status_code == 403  # unsigned
