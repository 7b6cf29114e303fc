"""``flask twilio phone``: the offline phone, driven by a test through its stdin."""
from __future__ import annotations

import pytest

from flask_twilio_rb.testing import serving

from tests.example_helpers import ACCOUNT, NUMBER, example_app


@pytest.fixture
def app():
    return example_app()


def phone(runner, *args, input=""):
    return runner.invoke(args=["twilio", "phone", *args], input=input)


def test_a_voicemail_left_from_the_terminal(runner, app):
    result = phone(runner, NUMBER, "--url", "/ivr/welcome", input="3\nsay: call me back\nwait 8\n#\n")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "fetch POST http://localhost/ivr/welcome (HTTP 200)"
    assert lines[1] == 'Say "Hello +15551234567, thanks for calling." voice=alice [welcome.voice:1]'
    assert '(Gather) > press 3 (heard by Gather)' in lines
    assert 'Say "Please leave a message after the beep, then press the pound key." [voicemail.voice:1]' in lines
    assert '(Record) > speak "call me back" (recorded)' in lines
    assert 'Say "Thank you. Your 8 second message was saved." [recorded.voice:1]' in lines
    assert lines[-1] == "Call ended: completed."
    with app.app_context():
        [(call_sid, recording_sid, seconds)] = app.extensions["example_activity"].voicemails()
    assert seconds == 8 and recording_sid.startswith("RE")


def test_a_transfer_answered_from_the_terminal_and_the_commands(runner, app):
    result = phone(runner, NUMBER, "--from", "+15558675399", "--url", "/ivr/welcome",
                   input="help\n\nanswer\nabc\n1\nsay\nwait\nanswer\nwait 30\nhangup\n")
    assert result.exit_code == 0, result.output
    output = result.output
    assert "Hello +15558675399" in output and "Keys: digits, * and #" in output
    assert "Nothing is ringing." in output and "press() takes the keys of a phone" in output
    assert "speak() takes the words" in output
    assert "Dial (connected to CA" in output and "Call ended: completed." in output


def test_the_end_of_the_input_hangs_up(runner, app):
    result = phone(runner, NUMBER, "--url", "http://localhost/ivr/welcome", input="")
    assert result.exit_code == 0
    assert result.output.splitlines()[-3:] == ["(Gather) > hangup", "hangup (the phone hung up)", "Call ended: completed."]


def test_a_running_server(runner, app):
    with serving(app) as base:
        result = phone(runner, NUMBER, "--url", base + "/ivr/welcome", input="2\n")
    assert result.exit_code == 0, result.output
    assert f"fetch POST {base}/ivr/welcome (HTTP 200)" in result.output
    assert 'Say "Support will call you back."' in result.output


def test_without_a_url_the_number_must_be_the_emulators(runner, app):
    result = phone(runner, NUMBER)
    assert result.exit_code == 2 and "Give --url" in result.output


def test_the_apps_own_emulator_and_its_numbers():
    from flask import Flask
    from jinja2 import DictLoader

    from flask_twilio_rb import TwilioRB, render_voice, validate_twilio_request

    app = Flask(__name__)
    app.config.update(TESTING=True, TWILIO_EMULATOR=True)  # the emulator whose numbers the phone calls
    TwilioRB(app)
    app.jinja_env.loader = DictLoader({"menu.voice": '{% say %}Welcome{% endsay %}\n{% gather num_digits=1 %}'
                                                     '{% endgather %}'})
    app.add_url_rule("/voice", "voice", validate_twilio_request(lambda: render_voice("menu.voice")), methods=["POST"])
    try:
        app.twilio.emulator.seed("IncomingPhoneNumber", phone_number=NUMBER, voice_url="http://localhost/voice")
        result = app.test_cli_runner().invoke(args=["twilio", "phone", NUMBER], input="9\n")
        assert result.exit_code == 0, result.output
        assert 'Say "Welcome" [menu.voice:1]' in result.output and "press 9 (heard by Gather)" in result.output
    finally:
        app.twilio.emulator.stop()


def test_it_needs_the_auth_token_to_sign():
    from flask import Flask

    from flask_twilio_rb import TwilioRB

    bare = Flask(__name__)
    bare.config.update(TWILIO_ACCOUNT_SID=ACCOUNT)
    TwilioRB(bare)
    result = bare.test_cli_runner().invoke(args=["twilio", "phone", NUMBER, "--url", "/voice"])
    assert result.exit_code == 2 and "TWILIO_AUTH_TOKEN" in result.output
