"""Shared fixtures: a configured app, its context, and a clean script configuration per test."""
from __future__ import annotations

import pytest
from flask import Flask

from flask_twilio_rb import Config, TwilioRB
from flask_twilio_rb import client as client_module

ACCOUNT_SID = "AC" + "a" * 32
AUTH_TOKEN = "secret-token-" + "9" * 19
API_BASE = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}"


@pytest.fixture(autouse=True)
def clean_config(monkeypatch):
    """No test sees another's Config.setup or the developer's TWILIO_* environment."""
    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY", "TWILIO_API_SECRET"):
        monkeypatch.delenv(name, raising=False)
    Config.reset()
    yield
    Config.reset()
    client_module._script_client = None


@pytest.fixture
def configured():
    """Script-style configuration (no Flask app)."""
    Config.setup(account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN)


@pytest.fixture
def app():
    app = Flask(__name__)
    app.config.update(TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN, TESTING=True)
    TwilioRB(app)
    return app


@pytest.fixture
def app_ctx(app):
    with app.app_context() as ctx:
        yield ctx
