"""The pytest plugin (``pytest11`` entry point): ``twilio_emulator`` and ``twilio_outbox`` in a user's project."""
from __future__ import annotations

import importlib.metadata

import pytest

pytest_plugins = ["pytester"]

APP_CONFTEST = '''
import pytest
from flask import Flask
from flask_twilio_rb import TwilioRB

@pytest.fixture
def app():
    app = Flask("users_app")
    app.config.update(TWILIO_ACCOUNT_SID="AC" + "c" * 32, TWILIO_AUTH_TOKEN="users-token")
    TwilioRB(app)
    return app
'''

APP_TESTS = '''
from flask_twilio_rb import Message

def test_outbox_records_and_sends_nothing(app, twilio_outbox):
    with app.app_context():
        message = Message.create(to="+15005550006", from_="+15005550006", body="Hi")
    assert message.sid.startswith("SM")
    assert [(s.operation, s.params["Body"]) for s in twilio_outbox] == [("CreateMessage", "Hi")]

def test_emulator_knows_the_apps_account(app, twilio_emulator):
    assert twilio_emulator.auth_token == "users-token"
    with app.app_context():
        message = Message.create(to="+15005550006", from_="+15005550006", body="Hi")
    twilio_emulator.finish(message.sid)
    with app.app_context():
        assert Message.find(message.sid).status == "delivered"

def test_both_record_on_the_emulator(app, twilio_outbox, twilio_emulator):
    with app.app_context():
        Message.create(to="+15005550006", from_="+15005550006", body="Hi")
    assert len(twilio_outbox) == 1 and len(twilio_emulator.records("Message")) == 1
'''

SCRIPT_TESTS = '''
from flask_twilio_rb import Message

def test_scripts_use_the_emulator(twilio_emulator):
    Message.create(to="+15005550006", from_="+15005550006", body="Hi")
    assert len(twilio_emulator.records("Message")) == 1

def test_scripts_record(twilio_outbox):
    from flask_twilio_rb import Config
    Config.setup(account_sid="AC" + "d" * 32, auth_token="t")
    Message.create(to="+15005550006", from_="+15005550006", body="Hi")
    assert twilio_outbox[0].resource == "Message"
'''


def test_plugin_is_registered_through_the_pytest11_entry_point():
    plugins = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="pytest11")}
    assert plugins["twilio_rb"] == "pytest_twilio_rb"


def test_fixtures_with_the_projects_app(pytester: pytest.Pytester):
    pytester.makeconftest(APP_CONFTEST)
    pytester.makepyfile(test_app=APP_TESTS)
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


def test_fixtures_without_an_app(pytester: pytest.Pytester):
    pytester.makepyfile(test_script=SCRIPT_TESTS)
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


NESTED_TESTS = '''
from flask_twilio_rb import Message

def test_own_block_inside_the_fixture(app, twilio_outbox):
    with app.app_context():
        with app.twilio.record() as mine:
            Message.create(to="+15005550006", from_="+15005550006", body="inside")
        Message.create(to="+15005550006", from_="+15005550006", body="after")
    assert [r.params["Body"] for r in mine] == ["inside"]
    assert [r.params["Body"] for r in twilio_outbox] == ["inside", "after"]
'''


def test_the_outbox_fixture_with_a_tests_own_record_block(pytester: pytest.Pytester):
    # The review's M5 with the plugin: both record what they should, the teardown is clean.
    pytester.makeconftest(APP_CONFTEST)
    pytester.makepyfile(test_nested=NESTED_TESTS)
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
