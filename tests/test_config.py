"""Settings, Config.setup and the masking of secrets (flask_twilio_rb.config)."""
from __future__ import annotations

import math

import pytest

from flask import Flask

from flask_twilio_rb import Config, ConfigurationError, Settings, TwilioRB
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
    ({"TWILIO_TIMEOUT": "soon"}, "TWILIO_TIMEOUT is 'soon' (from the app config or the environment); "
                                 "set it to a number of seconds above 0"),
    ({"TWILIO_TIMEOUT": [1]}, "TWILIO_TIMEOUT is [1] "),
    ({"TWILIO_MAX_RETRIES": "many"}, "TWILIO_MAX_RETRIES is 'many' (from the app config or the environment); "
                                     "set it to a whole number, 0 or more"),
    ({"TWILIO_TIMEOUT": 0}, "TWILIO_TIMEOUT is 0 "),
    ({"TWILIO_TIMEOUT": "-1"}, "TWILIO_TIMEOUT is '-1' "),
    ({"TWILIO_TIMEOUT": "nan"}, "TWILIO_TIMEOUT is 'nan' "),
    ({"TWILIO_TIMEOUT": math.inf}, "TWILIO_TIMEOUT is inf "),
    ({"TWILIO_TIMEOUT": True}, "TWILIO_TIMEOUT is True "),
    ({"TWILIO_MAX_RETRIES": -1}, "TWILIO_MAX_RETRIES is -1 "),
    ({"TWILIO_MAX_RETRIES": 2.5}, "TWILIO_MAX_RETRIES is 2.5 "),
    ({"TWILIO_MAX_RETRIES": "\uff11\uff12"}, "TWILIO_MAX_RETRIES is '\uff11\uff12' "),  # full-width digits: float() reads 12
    ({"TWILIO_TIMEOUT": "\u0662"}, "TWILIO_TIMEOUT is '\u0662' "),  # an Arabic-Indic 2
    ({"TWILIO_EMULATOR_STEP": "-inf"}, "TWILIO_EMULATOR_STEP is '-inf' "),
])
def test_invalid_numbers(values, needle):
    with pytest.raises(ConfigurationError) as err:
        Settings.from_mapping(values)
    assert needle in str(err.value)
    assert err.value.__cause__ is None


@pytest.mark.parametrize("name, value", [
    ("max_retries", math.inf), ("max_retries", -math.inf), ("max_retries", math.nan), ("max_retries", 1e400),
    ("max_retries", "inf"), ("timeout", math.inf), ("timeout", "NaN"), ("timeout", 10 ** 400),
    ("pool_size", math.inf), ("emulator_step", math.nan),
], ids=lambda v: v if isinstance(v, str) else repr(v)[:10])
def test_setup_refuses_non_finite_numbers_naming_only_that_setting(name, value):
    """L13: Config.setup(max_retries=inf) raised OverflowError; now a ConfigurationError about that one setting."""
    Config.setup(account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN)
    with pytest.raises(ConfigurationError) as err:
        Config.setup(**{name: value, ("max_retries" if name != "max_retries" else "timeout"): 2})
    text = str(err.value)
    key = f"TWILIO_{name.upper()}"
    assert text.startswith(f"{key} is ") and f"from Config.setup({name}=...)" in text
    others = {f"TWILIO_{k.upper()}" for k in ("max_retries", "timeout", "pool_size", "emulator_step")} - {key}
    assert not [other for other in others if other in text]
    kept = Config.settings(environ={})
    assert (kept.timeout, kept.max_retries) == (15.0, 3)  # nothing of the refused call was kept


def test_numbers_in_their_spellings():
    s = Settings.from_mapping({"TWILIO_TIMEOUT": " 2.5 ", "TWILIO_MAX_RETRIES": 3.0, "TWILIO_POOL_SIZE": "8",
                               "TWILIO_EMULATOR_STEP": "0.5"})
    assert (s.timeout, s.max_retries, s.pool_size, s.emulator_step) == (2.5, 3, 8, 0.5)
    assert type(s.max_retries) is int


TRUE_VALUES = [True, 1, "true", "1", "yes", "on", " TRUE", "On ", "YES"]
FALSE_VALUES = [False, 0, "false", "0", "no", "off", "False", " OFF "]
NOT_FLAGS = ["enabled", "ture", "y", "t", "", " ", "yes please", "2", 2, 0.0, 1.0, [], {}, [1], None.__class__]


@pytest.mark.parametrize("setting", ["TWILIO_VALIDATE_WEBHOOKS", "TWILIO_TRUST_ENV", "TWILIO_SUPPRESS_SEND",
                                     "TWILIO_EMULATOR", "TWILIO_TWIML_STRICT"])
def test_every_flag_takes_its_spellings_of_true_and_false(setting):
    name = setting[len("TWILIO_"):].lower()
    for value in TRUE_VALUES:
        assert getattr(Settings.from_mapping({setting: value}), name) is True, value
    for value in FALSE_VALUES:
        assert getattr(Settings.from_mapping({setting: value}), name) is False, value


@pytest.mark.parametrize("value", NOT_FLAGS)
def test_an_unrecognised_flag_is_an_error_not_off(value):
    """M2: "enabled", "ture", "y", "" or [] turned webhook validation off; now each is refused."""
    with pytest.raises(ConfigurationError) as err:
        Settings.from_mapping({"TWILIO_VALIDATE_WEBHOOKS": value})
    text = str(err.value)
    assert text.startswith("TWILIO_VALIDATE_WEBHOOKS is ")
    assert "'true', '1', 'yes', 'on' to switch it on" in text
    assert "'false', '0', 'no', 'off' to switch it off" in text


@pytest.mark.parametrize("value", ["enabled", "ture", "y", "", []])
def test_init_app_refuses_an_unrecognised_validate_webhooks(value):
    """M2, through the app as the review's reproducer does it: init_app raises, no app serves unsigned posts."""
    app = Flask("a")
    app.config.update(TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN, TWILIO_VALIDATE_WEBHOOKS=value)
    with pytest.raises(ConfigurationError) as err:
        TwilioRB(app)
    assert f"TWILIO_VALIDATE_WEBHOOKS is {value!r} (from the app config, app.config['TWILIO_VALIDATE_WEBHOOKS'])" \
        in str(err.value)
    assert "twilio_rb" not in app.extensions


def test_an_unrecognised_flag_in_the_environment_names_the_variable(monkeypatch):
    monkeypatch.setenv("TWILIO_VALIDATE_WEBHOOKS", "enabled")
    with pytest.raises(ConfigurationError, match=r"is 'enabled' \(from the environment variable "
                                                 r"TWILIO_VALIDATE_WEBHOOKS\)"):
        Config.settings()
    app = Flask("a")
    app.config.update(TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN)
    with pytest.raises(ConfigurationError, match="TWILIO_VALIDATE_WEBHOOKS"):
        TwilioRB(app)
    with pytest.raises(ConfigurationError, match=r"from Config.setup\(validate_webhooks=...\)"):
        Config.setup(validate_webhooks="ture")


@pytest.mark.parametrize("values, needle", [
    ({"TWILIO_ACCOUNT_SID": "ACnope"}, "TWILIO_ACCOUNT_SID is 'ACnope' (from the app config or the environment); "
                                       "set it to AC followed by 32 hexadecimal digits (the Account SID on your "
                                       "Twilio Console's dashboard)."),
    ({"TWILIO_ACCOUNT_SID": "SK" + "a" * 32}, "TWILIO_ACCOUNT_SID is 'SKaaaa"),
    ({"TWILIO_ACCOUNT_SID": 42}, "TWILIO_ACCOUNT_SID is 42 "),
    ({"TWILIO_API_KEY": "AC" + "a" * 32}, "set it to SK followed by 32 hexadecimal digits (an API key's SID"),
    ({"TWILIO_API_KEY": "SKx"}, "TWILIO_API_KEY is 'SKx' "),
    ({"TWILIO_API_BASE_URL": "api.twilio.com"}, "TWILIO_API_BASE_URL is 'api.twilio.com' (from the app config or "
                                               "the environment); set it to a URL starting with http:// or https:// "
                                               "and a host"),
    ({"TWILIO_API_BASE_URL": "https://"}, "TWILIO_API_BASE_URL is 'https://' "),
    ({"TWILIO_API_BASE_URL": "ftp://example.com"}, "TWILIO_API_BASE_URL is 'ftp://example.com' "),
    ({"TWILIO_API_BASE_URL": "http://exa mple.com"}, "TWILIO_API_BASE_URL is 'http://exa mple.com' "),
    ({"TWILIO_API_BASE_URL": "http://x\r\nHost: evil"}, "TWILIO_API_BASE_URL is 'http://x\\r\\nHost: evil' "),
    ({"TWILIO_API_BASE_URL": "http://[::1"}, "TWILIO_API_BASE_URL is 'http://[::1' "),  # urlsplit's ValueError
    ({"TWILIO_API_BASE_URL": "http://127.0.0.1:99999"}, "TWILIO_API_BASE_URL is 'http://127.0.0.1:99999' "),
    ({"TWILIO_WEBHOOK_BASE_URL": "example.ngrok.io"}, "TWILIO_WEBHOOK_BASE_URL is 'example.ngrok.io' "),
    ({"TWILIO_TRANSPORT": "httpx"}, "TWILIO_TRANSPORT is 'httpx' (from the app config or the environment); "
                                    "set it to one of 'requests', 'urllib3'."),
    ({"TWILIO_TRANSPORT": 3}, "TWILIO_TRANSPORT is 3 "),
])
def test_malformed_settings_name_the_setting_and_the_fix(values, needle):
    with pytest.raises(ConfigurationError) as err:
        Settings.from_mapping(values)
    assert needle in str(err.value)


def test_a_secret_that_is_not_a_string_is_refused_without_showing_it():
    with pytest.raises(ConfigurationError) as err:
        Settings.from_mapping({"TWILIO_AUTH_TOKEN": 123456789012345678})
    assert str(err.value) == ("TWILIO_AUTH_TOKEN is not a string (from the app config or the environment); "
                              "set it to a string.")


def test_well_formed_settings_are_kept_tidied():
    s = Settings.from_mapping({"TWILIO_ACCOUNT_SID": " " + ACCOUNT_SID, "TWILIO_API_KEY": "SK" + "B" * 32,
                               "TWILIO_TRANSPORT": " URLLIB3", "TWILIO_WEBHOOK_BASE_URL": "https://x.ngrok.io/app/",
                               "TWILIO_API_BASE_URL": "http://127.0.0.1:9"})
    assert (s.account_sid, s.api_key, s.transport) == (ACCOUNT_SID, "SK" + "B" * 32, "urllib3")
    assert (s.webhook_base_url, s.api_base_url) == ("https://x.ngrok.io/app", "http://127.0.0.1:9")


def test_every_setting_has_a_checker():
    """A new setting is a field of Settings and one line of CHECKS: this fails until both are there."""
    from flask_twilio_rb.config import CHECKS

    assert set(CHECKS) == {key[len("TWILIO_"):].lower() for key in DEFAULTS}


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
        Config.setup(acount_sid=ACCOUNT_SID, zzz=1)
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
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", "AC" + "e" * 32)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "env-token")
    monkeypatch.setenv("TWILIO_TIMEOUT", "7")
    monkeypatch.setenv("TWILIO_TRUST_ENV", "true")
    monkeypatch.setenv("TWILIO_WEBHOOK_BASE_URL", "")
    s = Config.settings()
    assert (s.account_sid, s.auth_token, s.timeout, s.trust_env) == ("AC" + "e" * 32, "env-token", 7.0, True)
    assert s.webhook_base_url is None
    Config.setup(auth_token=AUTH_TOKEN)
    s = Config.settings()
    assert (s.account_sid, s.auth_token) == ("AC" + "e" * 32, AUTH_TOKEN)


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
    with pytest.raises(ConfigurationError, match="TWILIO_POOL_SIZE is .* whole number, 1 or more .the connections"):
        Settings.from_mapping({"TWILIO_POOL_SIZE": value})


def test_proxies_from_the_environment_need_the_requests_transport():
    from flask_twilio_rb.transport.factory import make_transport

    settings = Settings.from_mapping({"TWILIO_TRANSPORT": "urllib3", "TWILIO_TRUST_ENV": "true"})
    with pytest.raises(ConfigurationError, match="TWILIO_TRUST_ENV .* only the requests transport"):
        make_transport(settings)
    assert make_transport(Settings.from_mapping({"TWILIO_TRUST_ENV": "true"})).trust_env is True
