"""Per-app state, kept in ``app.extensions["twilio_rb"]``: the app's settings and client.

Its own small module so that the extension, the webhook guard, the CLI and the testing
helpers can all reach an app's state without importing one another.
"""
from __future__ import annotations

import dataclasses
from contextlib import contextmanager
from typing import Any, Dict, Iterator, Mapping, Optional

from flask import Flask, current_app, has_app_context

from .client import Client
from .config import Settings
from .errors import ConfigurationError

#: The key of the state in ``app.extensions``.
EXTENSION_KEY = "twilio_rb"

#: How an app's client names where its settings came from, in errors.
APP_SOURCE = "the Flask app config"


class TwilioState:
    """Per-app state, kept in ``app.extensions["twilio_rb"]``: the app's settings and client."""

    def __init__(self, settings: Settings, sources: Optional[Mapping[str, str]] = None) -> None:
        self.client = Client(settings, source=APP_SOURCE)
        #: Where each ``TWILIO_*`` value came from: ``"app config"``, ``"Config.setup"``,
        #: ``"environment"`` or ``"default"`` (as ``flask twilio config`` shows them).
        self.sources: Dict[str, str] = dict(sources or {})

    @property
    def settings(self) -> Settings:
        """The app's settings as its client uses them (pointed at the emulator in local modes)."""
        return self.client.settings

    def __repr__(self) -> str:
        return f"<TwilioState {self.client!r}>"

    @contextmanager
    def reconfigured(self, app: Flask, **changes: Any) -> Iterator[Client]:
        """Give ``app`` a client with some settings changed for a ``with`` block, then restore its own.

        For tests and tools that point an app elsewhere, e.g. ``api_base_url=emulator.base_url``.
        """
        previous = self.client
        self.client = Client(dataclasses.replace(previous.settings, **changes), source=APP_SOURCE)
        app.twilio = self.client  # type: ignore[attr-defined]
        try:
            yield self.client
        finally:
            self.client.close()
            self.client = previous
            app.twilio = previous  # type: ignore[attr-defined]


def get_state(app: Optional[Flask] = None) -> TwilioState:
    """The extension state of ``app`` (default: the current app), with an error naming the fix."""
    app = app or current_app
    try:
        return app.extensions[EXTENSION_KEY]
    except KeyError:
        raise ConfigurationError(
            "flask-twilio-rb is not initialised on this app: did you forget TwilioRB(app) or twilio.init_app(app)?"
        ) from None


def client_for(app: Optional[Flask] = None) -> Client:
    """The :class:`~flask_twilio_rb.Client` of ``app`` (default: the current app), typed.

    ``app.twilio`` is the same object, but type checkers cannot know that attribute of
    :class:`~flask.Flask`; ``client_for(app)`` gives IDEs and mypy the real type.

    :raises ConfigurationError: the extension is not initialised on that app.
    """
    return get_state(app).client


def current_state() -> Optional[TwilioState]:
    """The state of the current app, or ``None`` outside an app context or in an app without the extension."""
    if has_app_context():
        return current_app.extensions.get(EXTENSION_KEY)
    return None
