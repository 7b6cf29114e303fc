"""The Flask extension: ``TwilioRB(app)`` or ``TwilioRB()`` + ``init_app(app)``."""
from __future__ import annotations

from typing import Optional

from flask import Flask

from . import current, views, webhooks
from .cli import twilio_cli
from .client import Client, get_client
from .config import DEFAULTS, resolve
from .errors import ConfigurationError
from .state import EXTENSION_KEY, TwilioState, current_state, get_state
from .twiml.jinja import TwiMLExtension

__all__ = ["TwilioRB", "TwilioState", "get_state"]


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
        settings, sources = resolve(app.config)
        for key, default in DEFAULTS.items():
            app.config.setdefault(key, default)
        state = TwilioState(settings, sources)
        app.extensions[EXTENSION_KEY] = state
        app.twilio = state.client  # type: ignore[attr-defined]
        current.app_state_lookup = current_state
        self._register(app, state)

    @staticmethod
    def _register(app: Flask, state: TwilioState) -> None:
        # Hooks of the other parts of the extension (TwiML, webhooks, CLI).
        webhooks.register(app, state.settings)
        # The TwiML tags, which also make the environment autoescape *.voice templates.
        app.jinja_env.add_extension(TwiMLExtension)
        # Templates are checked against the element table while they compile (no cost when they
        # render): by default while developing and testing, where a typo should stop you.
        strict = state.settings.twiml_strict
        app.jinja_env.twiml_strict = (app.debug or app.testing) if strict is None else strict  # type: ignore[attr-defined]
        # ...and name each element's template line (the X-TwiML-Sources header): phone calls
        # on the emulator show it in their transcripts, so a failing IVR test points at the line.
        app.jinja_env.twiml_trace = app.debug or app.testing  # type: ignore[attr-defined]
        views.register(app)
        # The flask.commands entry point may also provide the group (to `flask`, not app.cli), and
        # an app may have a `twilio` command of its own: either way, one `flask twilio` stays.
        if "twilio" not in app.cli.commands:
            app.cli.add_command(twilio_cli)

    @staticmethod
    def client() -> Client:
        """The client that serves API calls right now (the current app's, or the script client)."""
        return get_client()
