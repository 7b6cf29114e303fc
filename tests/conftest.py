"""The suite's shared fixtures: a configured app, its test client, CLI runner and context, the fake
account (``tests/accounts.py``), a clean script configuration per test and the spec check."""
from __future__ import annotations

import pytest
from flask import Flask

from flask_twilio_rb import Config, TwilioRB
from flask_twilio_rb import client as client_module

from tests.accounts import ACCOUNT_SID, AUTH_TOKEN


@pytest.fixture(autouse=True)
def clean_config(monkeypatch):
    """No test sees another's Config.setup or the developer's TWILIO_* environment."""
    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY", "TWILIO_API_SECRET"):
        monkeypatch.delenv(name, raising=False)
    Config.reset()
    yield
    Config.reset()
    client_module._script_client = None


@pytest.fixture(autouse=True)
def fresh_log_budget(monkeypatch):
    """Each test has the whole budget of rejection warnings (the suite rejects thousands of webhooks)."""
    from flask_twilio_rb import webhooks

    monkeypatch.setattr(webhooks, "rejections_logged", webhooks.LogBudget())


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
def client(app):
    """The app's test client (a module that needs another app overrides ``app``; this follows)."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """The app's CLI runner: ``runner.invoke(args=["twilio", ...])``."""
    return app.test_cli_runner()


@pytest.fixture
def app_ctx(app):
    with app.app_context() as ctx:
        yield ctx


@pytest.fixture(autouse=True)
def spec_contract_check(request, monkeypatch):
    """Every request the suite sends through the library is checked against Twilio's descriptions.

    The compact contract (``tests/twilio_contract.json``) is committed, so the check runs on a
    fresh clone too. A request the description does not allow fails the test (``AssertionError``
    naming what is wrong), and so does one that is not the operation its resource says it
    performs. Tests that send a wrong request on purpose carry ``@pytest.mark.no_contract``.
    """
    if request.node.get_closest_marker("no_contract"):
        yield
        return
    from json import dumps
    from urllib.parse import urlencode

    from tests import spec_contract

    original = client_module.Client.request

    def checked(self, method, path, *, host="api.twilio.com", params=None, data=None, json=None, **options):
        operation = options.get("operation")
        by_resource = operation is not None and operation.resource is not None
        if by_resource or path.startswith("/2010-04-01/Accounts"):  # (not the made-up paths of transport tests)
            body, kind = (dumps(json), "application/json") if json is not None else (
                urlencode(data) if data else None, "application/x-www-form-urlencoded")
            key = spec_contract.contract().check(method, host, path, urlencode(params or ()), body, kind)
            if by_resource and operation.operation_id:
                assert key == operation.operation_id, (
                    f"{operation.resource} says it performs {operation.operation_id}; the request is {key}")
        return original(self, method, path, host=host, params=params, data=data, json=json, **options)

    monkeypatch.setattr(client_module.Client, "request", checked)
    yield


def pytest_configure(config):
    config.addinivalue_line("markers", "no_contract: this test sends a request Twilio's spec does not allow, on purpose")
