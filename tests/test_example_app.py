"""The example app's flows, with signature validation on."""
from __future__ import annotations

import pytest

from example_app import create_app
from flask_twilio_rb.testing import post_as_twilio

TOKEN = "example-token-" + "7" * 18


@pytest.fixture
def client():
    app = create_app({"TWILIO_AUTH_TOKEN": TOKEN, "TESTING": True})
    return app.test_client()


def test_welcome_menu_is_a_voice_document_for_twilio(client):
    response = post_as_twilio(client, "/ivr/welcome", {"From": "+15005550006"}, auth_token=TOKEN)
    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    body = response.get_data(as_text=True)
    assert "Hello +15005550006, thanks for calling." in body
    assert '<Gather action="/ivr/choice" method="POST" numDigits="1">' in body


def test_welcome_page_is_html_for_people(client):
    response = client.get("/ivr/welcome")
    assert response.status_code == 200
    assert "<h1>" in response.get_data(as_text=True)


@pytest.mark.parametrize("digit, expected", [("1", "<Dial>+15005550006</Dial>"), ("2", "<Hangup/>"),
                                             ("9", "<Redirect>/ivr/welcome</Redirect>")])
def test_menu_choice(client, digit, expected):
    response = post_as_twilio(client, "/ivr/choice", {"Digits": digit}, auth_token=TOKEN)
    assert expected in response.get_data(as_text=True)


def test_sms_auto_reply(client):
    response = post_as_twilio(client, "/sms/reply", {"Body": "hi <there>"}, auth_token=TOKEN)
    assert "<Message>Thanks! You said: hi &lt;there&gt;</Message>" in response.get_data(as_text=True)


def test_unsigned_requests_are_refused(client):
    assert client.post("/sms/reply", data={"Body": "x"}).status_code == 403
    assert client.post("/ivr/welcome", data={"From": "x"}, headers={"X-Twilio-Signature": "bad"}).status_code == 403
