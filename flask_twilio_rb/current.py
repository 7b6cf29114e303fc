"""Which settings serve a call right now: the current Flask app's, else the script settings.

Nothing here imports Flask: the extension tells this module how to find the current app's
state (:data:`app_state_lookup`), so scripts and workers that never start an app never load it.
"""
from __future__ import annotations

from typing import Any, Callable, Optional

from .config import Config, Settings

#: Finds the state of the current Flask app (``None`` outside an app context, or when the app
#: does not use the extension); set by :meth:`flask_twilio_rb.TwilioRB.init_app`.
app_state_lookup: Optional[Callable[[], Optional[Any]]] = None


def app_state() -> Optional[Any]:
    """The extension state of the current Flask app, or ``None``."""
    return app_state_lookup() if app_state_lookup is not None else None


def current_settings() -> Settings:
    """The settings of the current app's client, else those of :class:`~flask_twilio_rb.Config` and the environment."""
    state = app_state()
    return state.settings if state is not None else Config.settings()
