"""What the pytest fixtures do, usable without pytest: a running emulator, a recording outbox.

``pytest_twilio_rb`` (the ``pytest11`` plugin) wraps these in the fixtures ``twilio_emulator``
and ``twilio_outbox``; other test runners use them as context managers.
"""
from __future__ import annotations

from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Any, Iterator, Optional

from ..client import get_client
from ..config import DEFAULTS, Config
from ..local import TwilioEmulator

TWILIO_API = DEFAULTS["TWILIO_API_BASE_URL"]

if TYPE_CHECKING:
    from flask import Flask

    from ..outbox import Outbox
    from ..state import TwilioState


@contextmanager
def running_emulator(app: Optional["Flask"] = None, **options: Any) -> Iterator["TwilioEmulator"]:
    """Start an emulator and point script clients (and ``app``, if given) at it for the block.

    The emulator knows ``app``'s account SID and auth token, so the app's webhook validation
    accepts the status callbacks it signs, and webhooks to the app's own URLs (what
    ``url_for(..., _external=True)`` gives in a test: ``http://localhost/...``) reach it in this
    process (:meth:`TwilioEmulator.attach`). ``options`` go to :class:`TwilioEmulator`.
    """
    state = _state(app)
    settings = state.settings if state is not None else Config.settings()
    with ExitStack() as stack:
        emulator = stack.enter_context(TwilioEmulator(settings.account_sid, settings.auth_token, **options))
        pointed = dict(account_sid=emulator.account_sid, auth_token=emulator.auth_token, api_key=None,
                       api_secret=None, api_base_url=emulator.base_url, suppress_send=False, emulator=False)
        stack.enter_context(Config.overridden(**{**pointed, "suppress_send": None, "emulator": None}))  # None clears
        if app is not None and state is not None:
            client = stack.enter_context(state.reconfigured(app, **pointed))
            client.emulator = emulator
            emulator.attach(app, app_base_url(app))  # webhooks to the app's own URLs need no socket
        yield emulator


@contextmanager
def recording_outbox(app: Optional["Flask"] = None) -> Iterator["Outbox"]:
    """Record every request ``app``'s client (or the script client) sends during the block.

    A client that would reach the real Twilio is switched to suppressed sending for the block,
    so nothing leaves the process; one pointed elsewhere (an emulator, your own mock server)
    keeps sending there.
    """
    state = _state(app)
    with ExitStack() as stack:
        client = state.client if state is not None else get_client()
        if client.settings.api_base_url == TWILIO_API:
            if app is not None and state is not None:
                client = stack.enter_context(state.reconfigured(app, suppress_send=True))
            else:
                stack.enter_context(Config.overridden(suppress_send=True))
                client = get_client()
        yield stack.enter_context(client.record())


def app_base_url(app: "Flask") -> str:
    """Where ``app``'s external URLs live in a test: ``PREFERRED_URL_SCHEME://SERVER_NAME`` (``http://localhost``)."""
    return f"{app.config.get('PREFERRED_URL_SCHEME') or 'http'}://{app.config.get('SERVER_NAME') or 'localhost'}"


def _state(app: Optional["Flask"]) -> Optional["TwilioState"]:
    if app is None:
        return None
    from ..state import get_state  # (Flask: only for an app)

    return get_state(app)
