"""Settings, Config.setup and the masking of secrets (flask_twilio_rb.config)."""
from __future__ import annotations

import math

import pytest

from flask_twilio_rb import Config, ConfigurationError, Settings
from flask_twilio_rb.config import DEFAULTS, mask

ACCOUNT_SID = "AC" + "a" * 32
AUTH_TOKEN = "secret-token-" + "9" * 19


def test_defaults():
    s = Settings.from_mapping({})
    assert s.api_base_url == "https://api.twilio.com"
    assert s.timeout == 15.0 and isinstance(s.timeout, float)
    assert s.max_retries == 3
    assert s.trust_env is False and s.validate_webhooks is True
    assert s.suppress_send is False and s.emulator is False
    assert DEFAULTS["TWILIO_API_BASE_URL"] == "https://api.twilio.com"
    assert DEFAULTS["TWILIO_TIMEOUT"] == 15.0


def test_from_mapping_converts_strings():
    s = Settings.from_mapping({
        "TWILIO_TIMEOUT": "2.5", "TWILIO_MAX_RETRIES": "0",
        "TWILIO_API_BASE_URL": "http://127.0.0.1:9/",
        "TWILIO_TRUST_ENV": "true", "TWILIO_VALIDATE_WEBHOOKS": "0",
        "TWILIO_SUPPRESS_SEND": " Yes ", "TWILIO_EMULATOR": "off",
        "NOT_A_SETTING": "ignored",
    })
    assert s.timeout == 2.5 and s.max_retries == 0
    assert s.api_base_url == "http://127.0.0.1:9"
    assert s.trust_env is True
    assert s.validate_webhooks is False
    assert s.suppress_send is True
    assert s.emulator is False


def test_from_mapping_non_string_flags_and_none_values():
    s = Settings.from_mapping({"TWILIO_TRUST_ENV": 1, "TWILIO_VALIDATE_WEBHOOKS": 0, "TWILIO_TIMEOUT": None})
    assert s.trust_env is True and s.validate_webhooks is False
    assert s.timeout == 15.0


@pytest.mark.parametrize("values, needle", [
    ({"TWILIO_TIMEOUT": "soon"}, "TWILIO_TIMEOUT must be a number"),
    ({"TWILIO_TIMEOUT": [1]}, "TWILIO_TIMEOUT must be a number"),
    ({"TWILIO_MAX_RETRIES": "many"}, "TWILIO_MAX_RETRIES a whole number"),
    ({"TWILIO_TIMEOUT": 0}, "more than 0 seconds"),
    ({"TWILIO_TIMEOUT": "-1"}, "more than 0 seconds"),
    ({"TWILIO_TIMEOUT": "nan"}, "more than 0 seconds"),
    ({"TWILIO_TIMEOUT": math.inf}, "more than 0 seconds"),
    ({"TWILIO_MAX_RETRIES": -1}, "TWILIO_MAX_RETRIES must be 0 or more"),
])
def test_invalid_numbers(values, needle):
    with pytest.raises(ConfigurationError) as err:
        Settings.from_mapping(values)
    assert needle in str(err.value)
    assert err.value.__cause__ is None


def test_repr_masks_secrets():
    s = Settings(account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN, api_key="SK" + "b" * 32, api_secret="api-secret-" + "7" * 21)
    text = repr(s)
    assert text.startswith("Settings(")
    assert AUTH_TOKEN not in text and "api-secret-" not in text
    assert f"auth_token='********{AUTH_TOKEN[-4:]}'" in text
    assert "api_secret='********7777'" in text
    assert f"account_sid={ACCOUNT_SID!r}" in text
    assert "timeout=15.0" in text
    assert "api_secret='<not set>'" in repr(Settings())


def test_mask():
    assert mask(None) == "<not set>"
    assert mask("") == "<not set>"
    assert mask("short") == "********"
    assert mask("x" * 15) == "********"
    assert mask("abcdefghijkl" + "wxyz") == "********wxyz"


@pytest.mark.parametrize("kwargs, missing", [
    ({}, "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN"),
    ({"account_sid": ACCOUNT_SID}, "TWILIO_AUTH_TOKEN"),
    ({"auth_token": AUTH_TOKEN}, "TWILIO_ACCOUNT_SID"),
    ({"account_sid": ACCOUNT_SID, "api_key": "SKx"}, "TWILIO_AUTH_TOKEN and TWILIO_API_SECRET"),
    ({"account_sid": ACCOUNT_SID, "auth_token": AUTH_TOKEN, "api_key": "SKx"}, "TWILIO_API_SECRET"),
    ({"api_key": "SKx", "api_secret": "shh-shh-shh-shh-1234"}, "TWILIO_ACCOUNT_SID"),
])
def test_require_credentials_names_missing(kwargs, missing):
    with pytest.raises(ConfigurationError) as err:
        Settings(**kwargs).require_credentials("the test")
    text = str(err.value)
    assert text.startswith(f"{missing} not set (the test).")
    first = missing.split(" and ")[0]
    assert f"app.config[{first!r}]" in text
    assert f"Config.setup({first[len('TWILIO_'):].lower()}=...)" in text
    assert f"environment variable {first}" in text
    assert AUTH_TOKEN not in text and "shh-shh" not in text


def test_require_credentials_ok():
    Settings(account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN).require_credentials("x")
    Settings(account_sid=ACCOUNT_SID, api_key="SKx", api_secret="s").require_credentials("x")


def test_setup_overrides_keeps_and_clears():
    Config.setup(account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN, timeout=3)
    Config.setup(auth_token="other-token")
    s = Config.settings(environ={})
    assert (s.account_sid, s.auth_token, s.timeout) == (ACCOUNT_SID, "other-token", 3.0)
    Config.setup(auth_token=None)
    s = Config.settings(environ={})
    assert s.auth_token is None and s.account_sid == ACCOUNT_SID


def test_setup_rejects_unknown_names():
    with pytest.raises(ConfigurationError) as err:
        Config.setup(acount_sid="AC1", zzz=1)
    assert "does not know acount_sid, zzz" in str(err.value)
    assert "account_sid" in str(err.value)
    assert Config.settings(environ={}).account_sid is None


def test_generation_changes_on_setup_and_reset():
    g = Config._generation
    Config.setup(account_sid=ACCOUNT_SID)
    assert Config._generation == g + 1
    Config.reset()
    assert Config._generation == g + 2
    assert Config.settings(environ={}).account_sid is None


def test_setup_wins_over_environment(monkeypatch):
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", "ACenv")
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "env-token")
    monkeypatch.setenv("TWILIO_TIMEOUT", "7")
    monkeypatch.setenv("TWILIO_TRUST_ENV", "true")
    monkeypatch.setenv("TWILIO_WEBHOOK_BASE_URL", "")
    s = Config.settings()
    assert (s.account_sid, s.auth_token, s.timeout, s.trust_env) == ("ACenv", "env-token", 7.0, True)
    assert s.webhook_base_url is None
    Config.setup(auth_token=AUTH_TOKEN)
    s = Config.settings()
    assert (s.account_sid, s.auth_token) == ("ACenv", AUTH_TOKEN)


def test_invalid_environment_timeout(monkeypatch):
    monkeypatch.setenv("TWILIO_TIMEOUT", "abc")
    with pytest.raises(ConfigurationError, match="TWILIO_TIMEOUT"):
        Config.settings()


@pytest.mark.parametrize("transport", ["requests", "urllib3"])
def test_pool_size_sizes_the_transports_pool(transport):
    from flask_twilio_rb.transport.factory import make_transport

    settings = Settings.from_mapping({"TWILIO_TRANSPORT": transport, "TWILIO_POOL_SIZE": "64"})
    assert settings.pool_size == 64
    assert make_transport(settings).pool_size == 64
    assert make_transport(Settings.from_mapping({"TWILIO_TRANSPORT": transport})).pool_size == 16


@pytest.mark.parametrize("value", [0, -3, "many", 2.5, True])
def test_pool_size_must_be_a_whole_number_of_connections(value):
    with pytest.raises(ConfigurationError, match="TWILIO_POOL_SIZE is .* number of connections"):
        Settings.from_mapping({"TWILIO_POOL_SIZE": value})


def test_proxies_from_the_environment_need_the_requests_transport():
    from flask_twilio_rb.transport.factory import make_transport

    settings = Settings.from_mapping({"TWILIO_TRANSPORT": "urllib3", "TWILIO_TRUST_ENV": "true"})
    with pytest.raises(ConfigurationError, match="TWILIO_TRUST_ENV .* only the requests transport"):
        make_transport(settings)
    assert make_transport(Settings.from_mapping({"TWILIO_TRUST_ENV": "true"})).trust_env is True
