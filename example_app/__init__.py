"""A small but real Twilio app: an IVR, an SMS auto-reply, delivery status, a page of recent activity.

Built with an app factory and one blueprint per concern (``ivr``, ``sms``, ``status``,
``dashboard``). With no ``TWILIO_ACCOUNT_SID`` in the environment it runs on the local Twilio
emulator, so ``flask --app example_app.wsgi run`` works with no account and costs nothing::

    flask --app example_app.wsgi run          # open http://127.0.0.1:5000/, send a text, place a call

With an account, export ``TWILIO_ACCOUNT_SID``, ``TWILIO_AUTH_TOKEN`` and ``EXAMPLE_CALLER_ID``
(one of your Twilio numbers), and point the number's webhooks at ``/ivr/welcome`` and ``/sms/reply``.
"""
from __future__ import annotations

import os
from typing import Any, Mapping, Optional

from flask import Flask

from flask_twilio_rb import TwilioRB

from .activity import Activity

twilio = TwilioRB()


def create_app(config: Optional[Mapping[str, Any]] = None) -> Flask:
    """The app factory: settings from the environment, then ``config``; no account means the emulator."""
    app = Flask(__name__)
    app.config.update(
        TWILIO_ACCOUNT_SID=os.environ.get("TWILIO_ACCOUNT_SID"),
        TWILIO_AUTH_TOKEN=os.environ.get("TWILIO_AUTH_TOKEN"),
        # Twilio's test number: accepted as a sender by test credentials and by the emulator.
        EXAMPLE_CALLER_ID=os.environ.get("EXAMPLE_CALLER_ID", "+15005550006"),
        # Where "press 1 for sales" transfers the call.
        EXAMPLE_SALES_NUMBER=os.environ.get("EXAMPLE_SALES_NUMBER", "+15558675310"),
    )
    app.config.update(config or {})
    app.config.setdefault("TWILIO_EMULATOR", not app.config["TWILIO_ACCOUNT_SID"])
    if not app.testing:  # calls and texts move on by themselves, a step a second (tests step them)
        app.config.setdefault("TWILIO_EMULATOR_STEP", 1.0)
    twilio.init_app(app)
    app.extensions["example_activity"] = Activity()

    from . import dashboard, ivr, sms, status

    for blueprint in (ivr.bp, sms.bp, status.bp, dashboard.bp):
        app.register_blueprint(blueprint)
    return app
