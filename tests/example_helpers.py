"""What the tests of the example app share: its account, its number, the app configured for a test."""
from __future__ import annotations

from flask import Flask

from example_app import create_app

ACCOUNT = "AC" + "e" * 32
TOKEN = "example-token-" + "7" * 18
NUMBER = "+15005550006"


def example_app() -> Flask:
    """The example app with an account configured (the plugin's fixtures point it elsewhere)."""
    return create_app({"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": TOKEN, "TESTING": True})
