"""Fixtures of the emulator tests: a running emulator the library is pointed at, raw HTTP, a webhook app."""
from __future__ import annotations

from typing import Iterator

import pytest

from flask_twilio_rb.testing.emulator import TwilioEmulator

from tests.emulator.emulator_helpers import Api, Raw, WebhookApp, running


@pytest.fixture
def emulator() -> Iterator[TwilioEmulator]:
    """A running emulator the library points at; it sends no callbacks (test_callbacks.py turns them on)."""
    with running(callbacks=False) as emu:
        yield emu


@pytest.fixture
def raw(emulator: TwilioEmulator) -> Iterator[Raw]:
    """Plain ``requests`` with the main account's credentials."""
    client = Raw(emulator)
    yield client
    client.session.close()


@pytest.fixture
def api(emulator: TwilioEmulator) -> Iterator[Api]:
    """Raw HTTP against the newer APIs (``/verify/v2/...``) with the main account's credentials."""
    client = Api(emulator)
    yield client
    client.session.close()


@pytest.fixture
def webhook_app(emulator: TwilioEmulator) -> Iterator[WebhookApp]:
    """The app the emulator calls back, knowing the emulator's auth token."""
    app = WebhookApp(emulator.account_sid, emulator.auth_token)
    yield app
    app.close()
