"""The Flask extension (flask_twilio_rb.extension): init, per-app state and settings resolution."""
from __future__ import annotations

import base64

import pytest
import responses
from flask import Flask, current_app

from flask_twilio_rb import Client, Config, ConfigurationError, TwilioRB, get_client
from flask_twilio_rb import current
from flask_twilio_rb.config import DEFAULTS
from flask_twilio_rb.state import EXTENSION_KEY, TwilioState, current_state, get_state

ACCOUNT_SID = "AC" + "a" * 32
AUTH_TOKEN = "secret-token-" + "9" * 19
OTHER_SID = "AC" + "b" * 32
OTHER_TOKEN = "other-token-" + "8" * 20


def new_app(**config) -> Flask:
    app = Flask(__name__)
    app.config.update(TESTING=True, **config)
    return app


def basic_pair(call):
    return tuple(base64.b64decode(call.request.headers["Authorization"].split()[1]).decode().split(":", 1))


def accounts_url(sid: str) -> str:
    return f"https://api.twilio.com/2010-04-01/Accounts/{sid}.json"


def fetch_account(sid: str):
    return get_client().request("GET", f"/2010-04-01/Accounts/{sid}.json")


def test_init_with_app_sets_defaults_and_state(app):
    state = app.extensions[EXTENSION_KEY]
    assert isinstance(state, TwilioState)
    assert app.config["TWILIO_API_BASE_URL"] == "https://api.twilio.com"
    assert app.config["TWILIO_TIMEOUT"] == 15
    assert app.config["TWILIO_MAX_RETRIES"] == 3
    assert app.config["TWILIO_API_KEY"] is None
    assert state.settings.account_sid == ACCOUNT_SID and state.settings.auth_token == AUTH_TOKEN
    assert state.settings.timeout == 15.0
    assert state.client.settings is state.settings
    assert state.client.source == "the Flask app config"
    assert app.twilio is state.client
    assert repr(state) == f"<TwilioState {state.client!r}>"
    assert AUTH_TOKEN not in repr(state)
    assert current.app_state_lookup is current_state


def test_init_app_later():
    ext = TwilioRB()
    app = new_app(TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN)
    assert EXTENSION_KEY not in app.extensions
    ext.init_app(app)
    assert app.extensions[EXTENSION_KEY].client is app.twilio


def test_current_app_twilio_is_app_client(app_ctx, app):
    assert current_app.twilio is app.extensions[EXTENSION_KEY].client
    assert get_client() is app.twilio
    assert TwilioRB.client() is app.twilio
    assert get_state() is app.extensions[EXTENSION_KEY]
    assert get_state(app) is app.extensions[EXTENSION_KEY]


def test_second_init_app_refused(app):
    client = app.twilio
    with pytest.raises(ConfigurationError, match="already initialised"):
        TwilioRB().init_app(app)
    assert app.twilio is client


def test_get_state_not_initialised():
    app = new_app()
    with pytest.raises(ConfigurationError) as err:
        get_state(app)
    assert "TwilioRB(app)" in str(err.value) and err.value.__cause__ is None


def test_current_app_state_lookup(app):
    assert current_state() is None  # no app context
    with new_app().app_context():
        assert current_state() is None  # an app without the extension
    with app.app_context():
        assert current_state().client is app.twilio


def test_script_client_outside_app_context(app, configured):
    assert current.app_state_lookup is not None
    client = get_client()
    assert client is not app.twilio and isinstance(client, Client)
    with new_app().app_context():
        assert get_client() is client


@responses.activate
def test_two_apps_never_mix_credentials():
    ext = TwilioRB()  # one extension object serves both apps
    first = new_app(TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN)
    second = new_app(TWILIO_ACCOUNT_SID=OTHER_SID, TWILIO_AUTH_TOKEN=OTHER_TOKEN)
    ext.init_app(first)
    ext.init_app(second)
    responses.add(responses.GET, accounts_url(ACCOUNT_SID), json={"sid": ACCOUNT_SID})
    responses.add(responses.GET, accounts_url(OTHER_SID), json={"sid": OTHER_SID})
    with first.app_context():
        fetch_account(ACCOUNT_SID)
        with second.app_context():
            fetch_account(OTHER_SID)
        fetch_account(ACCOUNT_SID)
    with second.app_context():
        fetch_account(OTHER_SID)
    assert [basic_pair(c) for c in responses.calls] == [
        (ACCOUNT_SID, AUTH_TOKEN), (OTHER_SID, OTHER_TOKEN), (ACCOUNT_SID, AUTH_TOKEN), (OTHER_SID, OTHER_TOKEN),
    ]
    assert first.twilio is not second.twilio


@responses.activate
def test_api_key_and_secret_are_basic_auth():
    app = new_app(TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_API_KEY="SK" + "c" * 32, TWILIO_API_SECRET="api-secret-" + "7" * 21)
    TwilioRB(app)
    responses.add(responses.GET, accounts_url(ACCOUNT_SID), json={})
    with app.app_context():
        fetch_account(ACCOUNT_SID)
    assert basic_pair(responses.calls[0]) == ("SK" + "c" * 32, "api-secret-" + "7" * 21)
    assert "api-secret-" not in repr(app.twilio)


def test_missing_credentials_name_setting_and_send_nothing():
    app = new_app(TWILIO_ACCOUNT_SID=ACCOUNT_SID)
    TwilioRB(app)
    with responses.RequestsMock() as rsps, app.app_context():
        with pytest.raises(ConfigurationError) as err:
            fetch_account(ACCOUNT_SID)
        assert len(rsps.calls) == 0
    text = str(err.value)
    assert text.startswith("TWILIO_AUTH_TOKEN not set (the Flask app config).")
    assert "app.config['TWILIO_AUTH_TOKEN']" in text and "Config.setup(auth_token=...)" in text


def test_resolution_app_over_setup_over_environment(monkeypatch):
    ENV_SID, APP_KEY = "AC" + "e" * 32, "SK" + "a" * 32
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", ENV_SID)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "env-token")
    monkeypatch.setenv("TWILIO_API_KEY", "SK" + "e" * 32)
    monkeypatch.setenv("TWILIO_API_SECRET", "env-secret")
    monkeypatch.setenv("TWILIO_TIMEOUT", "9")
    Config.setup(auth_token="setup-token", api_key="SK" + "5" * 32, timeout=5)
    app = new_app(TWILIO_API_KEY=APP_KEY)
    TwilioRB(app)
    s = app.twilio.settings
    assert s.account_sid == ENV_SID        # only in the environment
    assert s.auth_token == "setup-token"   # Config.setup over the environment
    assert s.api_key == APP_KEY            # the app over both
    assert s.api_secret == "env-secret"
    assert s.timeout == 5.0                # Config.setup over the default the app config got
    assert app.config["TWILIO_TIMEOUT"] == 15
    sources = app.extensions["twilio_rb"].sources
    assert {key: where for key, where in sources.items() if where != "default"} == {
        "TWILIO_ACCOUNT_SID": "environment", "TWILIO_AUTH_TOKEN": "Config.setup", "TWILIO_API_KEY": "app config",
        "TWILIO_API_SECRET": "environment", "TWILIO_TIMEOUT": "Config.setup"}
    assert set(sources) == set(DEFAULTS)


def test_app_config_overrides_setup_for_defaulted_settings():
    Config.setup(timeout=5, api_base_url="http://127.0.0.1:9")
    app = new_app(TWILIO_TIMEOUT=2, TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN)
    TwilioRB(app)
    assert app.twilio.settings.timeout == 2.0
    assert app.twilio.settings.api_base_url == "http://127.0.0.1:9"


def test_string_flags_from_app_config():
    app = new_app(TWILIO_TRUST_ENV="true", TWILIO_VALIDATE_WEBHOOKS="0", TWILIO_TIMEOUT="3")
    TwilioRB(app)
    s = app.twilio.settings
    assert s.trust_env is True and s.validate_webhooks is False and s.timeout == 3.0
    assert app.twilio.transport.trust_env is True


@pytest.mark.parametrize("config, needle", [
    ({"TWILIO_TIMEOUT": "never"}, "TWILIO_TIMEOUT"),
    ({"TWILIO_TIMEOUT": 0}, "TWILIO_TIMEOUT"),
    ({"TWILIO_MAX_RETRIES": -2}, "TWILIO_MAX_RETRIES"),
])
def test_invalid_app_config_refused(config, needle):
    app = new_app(**config)
    with pytest.raises(ConfigurationError, match=needle):
        TwilioRB(app)
    assert EXTENSION_KEY not in app.extensions


def test_jinja_extension_registered(app):
    from flask_twilio_rb.twiml.jinja import TwiMLExtension

    assert any(isinstance(e, TwiMLExtension) for e in app.jinja_env.extensions.values())


def test_client_for_is_the_apps_client_typed(app):
    from flask_twilio_rb import client_for

    assert client_for(app) is app.twilio
    with app.app_context():
        assert client_for() is app.twilio
    with pytest.raises(ConfigurationError, match="did you forget TwilioRB"):
        client_for(Flask("bare"))
