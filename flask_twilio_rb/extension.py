"""The Flask extension: ``TwilioRB(app)`` or ``TwilioRB()`` + ``init_app(app)``."""
from __future__ import annotations

import dataclasses
import logging
from contextlib import contextmanager
from typing import Any, Iterator, Optional

from flask import Flask, current_app, has_app_context

from . import client as client_module
from .client import Client
from .config import DEFAULTS, Config, Settings
from .errors import ConfigurationError

log = logging.getLogger("flask_twilio_rb")

EXTENSION_KEY = "twilio_rb"


class TwilioState:
    """Per-app state, kept in ``app.extensions["twilio_rb"]``: the app's settings and client."""

    def __init__(self, settings: Settings) -> None:
        self.client = Client(settings, source="the Flask app config")

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
        self.client = Client(dataclasses.replace(previous.settings, **changes), source="the Flask app config")
        app.twilio = self.client  # type: ignore[attr-defined]
        try:
            yield self.client
        finally:
            self.client.close()
            self.client = previous
            app.twilio = previous  # type: ignore[attr-defined]


class TwilioRB:
    """Twilio for a Flask app.

    .. code-block:: python

        app = Flask(__name__)
        app.config["TWILIO_ACCOUNT_SID"] = "AC..."
        app.config["TWILIO_AUTH_TOKEN"] = "..."
        twilio = TwilioRB(app)          # or TwilioRB() and later twilio.init_app(app)

    ``init_app`` reads the ``TWILIO_*`` settings (values the app config leaves unset come from
    :meth:`Config.setup` and then the environment), stores the app's client in
    ``app.extensions["twilio_rb"]`` and as ``app.twilio``, registers the TwiML Jinja
    extension, the ``voice`` response type and the ``flask twilio`` commands. The extension
    object never holds an app, so one instance serves any number of apps.
    """

    def __init__(self, app: Optional[Flask] = None) -> None:
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        """Set the extension up on ``app``; a second call for the same app is refused."""
        if EXTENSION_KEY in app.extensions:
            raise ConfigurationError(
                "TwilioRB is already initialised on this app; call init_app(app) once per app."
            )
        # What the app sets itself wins; the rest comes from Config.setup / the environment. Read it
        # before filling in the defaults, or a default in app.config would hide Config.setup's value.
        explicit = {key: app.config.get(key) for key in DEFAULTS}
        fallback = dataclasses.asdict(Config.settings())
        values = {key: explicit[key] if explicit[key] is not None else fallback[key[len("TWILIO_"):].lower()]
                  for key in DEFAULTS}
        settings = Settings.from_mapping(values)
        for key, default in DEFAULTS.items():
            app.config.setdefault(key, default)
        state = TwilioState(settings)
        app.extensions[EXTENSION_KEY] = state
        app.twilio = state.client  # type: ignore[attr-defined]
        client_module.app_client_lookup = _current_app_client
        self._register(app, state)

    def _register(self, app: Flask, state: TwilioState) -> None:
        # Hooks of the other parts of the extension (TwiML, webhooks, CLI, emulator).
        from . import webhooks  # imported here because webhooks imports this module

        webhooks.register(app, state.settings)
        from . import views
        from .twiml.jinja import TwiMLExtension

        # The TwiML tags, which also make the environment autoescape *.voice templates.
        app.jinja_env.add_extension(TwiMLExtension)
        # Templates are checked against the element table while they compile (no cost when they
        # render): by default while developing and testing, where a typo should stop you.
        strict = state.settings.twiml_strict
        app.jinja_env.twiml_strict = (app.debug or app.testing) if strict is None else strict  # type: ignore[attr-defined]
        views.register(app)
        from .cli import twilio_cli

        # The flask.commands entry point may also provide the group (to `flask`, not app.cli), and
        # an app may have a `twilio` command of its own: either way, one `flask twilio` stays.
        if "twilio" not in app.cli.commands:
            app.cli.add_command(twilio_cli)

    @staticmethod
    def client() -> Client:
        """The client that serves API calls right now (the current app's, or the script client)."""
        return client_module.get_client()


def get_state(app: Optional[Flask] = None) -> TwilioState:
    """The extension state of ``app`` (default: the current app), with an error naming the fix."""
    app = app or current_app
    try:
        return app.extensions[EXTENSION_KEY]
    except KeyError:
        raise ConfigurationError(
            "flask-twilio-rb is not initialised on this app: did you forget TwilioRB(app) or twilio.init_app(app)?"
        ) from None


def _current_app_client() -> Optional[Client]:
    if has_app_context():
        state: Any = current_app.extensions.get(EXTENSION_KEY)
        if state is not None:
            return state.client
    return None
