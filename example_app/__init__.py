"""A small but real Twilio app: an IVR, an SMS auto-reply, delivery status, a page that shows what it does.

Built with an app factory and one blueprint per concern (``ivr``, ``sms``, ``status``,
``dashboard``, ``simulate``, ``login``: a two-factor sign-in with Twilio Verify). With no ``TWILIO_ACCOUNT_SID`` in the environment it runs on the
local Twilio emulator (:mod:`.local`), so ``flask --app example_app.wsgi run`` works with no
account and costs nothing::

    flask --app example_app.wsgi run          # open http://127.0.0.1:5000/, send a text, place a call
    flask --app example_app.wsgi twilio sms list      # the texts the page sent (the same emulator)

With an account, export ``TWILIO_ACCOUNT_SID``, ``TWILIO_AUTH_TOKEN`` and ``EXAMPLE_CALLER_ID``
(one of your Twilio numbers), and point the number's webhooks at ``/ivr/welcome`` and ``/sms/reply``.
"""
from __future__ import annotations

import os
import secrets
import sys
from typing import Any, Mapping, Optional

from flask import Flask

from flask_twilio_rb import TwilioRB, request_sent

from .activity import Activity
from .local import ACCOUNT_SID, AUTH_TOKEN, LocalTwilio

twilio = TwilioRB()


def create_app(config: Optional[Mapping[str, Any]] = None) -> Flask:
    """The app factory: settings from the environment, then ``config``; no account means the local emulator."""
    app = Flask(__name__)
    app.config.update(
        TWILIO_ACCOUNT_SID=os.environ.get("TWILIO_ACCOUNT_SID"),
        TWILIO_AUTH_TOKEN=os.environ.get("TWILIO_AUTH_TOKEN"),
        # Twilio's test number: accepted as a sender by test credentials and by the emulator.
        EXAMPLE_CALLER_ID=os.environ.get("EXAMPLE_CALLER_ID", "+15005550006"),
        # Where "press 1 for sales" transfers the call.
        EXAMPLE_SALES_NUMBER=os.environ.get("EXAMPLE_SALES_NUMBER", "+15558675310"),
        EXAMPLE_EMULATOR_HOST=os.environ.get("EXAMPLE_EMULATOR_HOST", "127.0.0.1"),
        EXAMPLE_EMULATOR_PORT=int(os.environ.get("EXAMPLE_EMULATOR_PORT", "4010")),
        # The two-factor sign-in's Verify service (unset: the app makes one, see login.py).
        EXAMPLE_VERIFY_SERVICE_SID=os.environ.get("EXAMPLE_VERIFY_SERVICE_SID"),
        # Signs the session cookie; without EXAMPLE_SECRET_KEY, sign-ins last as long as the process.
        SECRET_KEY=os.environ.get("EXAMPLE_SECRET_KEY") or secrets.token_hex(32),
    )
    app.config.update(config or {})
    local = None
    if not app.config["TWILIO_ACCOUNT_SID"]:
        # Calls and texts move on by themselves, a step a second (tests step them).
        local = LocalTwilio(app.config["EXAMPLE_EMULATOR_HOST"], app.config["EXAMPLE_EMULATOR_PORT"],
                            step=None if app.testing else 1.0)
        app.config.update(TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN,
                          TWILIO_API_BASE_URL=local.base_url)
        app.extensions["example_local"] = local
    twilio.init_app(app)
    if local is not None:
        request_sent.connect(local.ensure_running, sender=app.twilio)  # type: ignore[attr-defined]
        # One line at start-up (from the watching process only, under `flask run --debug`).
        if not app.testing and os.environ.get("WERKZEUG_RUN_MAIN") != "true":
            print(f" * Twilio: no TWILIO_ACCOUNT_SID, so the app runs on the local Twilio emulator at "
                  f"{local.base_url}; nothing reaches Twilio.", file=sys.stderr)
    app.extensions["example_activity"] = Activity()

    from . import dashboard, ivr, login, simulate, sms, status

    for blueprint in (ivr.bp, sms.bp, status.bp, dashboard.bp, simulate.bp, login.bp):
        app.register_blueprint(blueprint)
    return app
