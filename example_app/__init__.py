"""A small Twilio app built with an app factory and a blueprint: an IVR and an SMS auto-reply.

Run it with ``flask --app example_app run``; point a Twilio number's voice webhook at
``/ivr/welcome`` and its messaging webhook at ``/sms/reply``. Signatures are validated,
so try it locally with ``flask_twilio_rb.testing.post_as_twilio`` (see tests/test_example_app.py).
"""
from __future__ import annotations

import os
from typing import Any, Optional

from flask import Flask

from flask_twilio_rb import TwilioRB

twilio = TwilioRB()


def create_app(config: Optional[dict[str, Any]] = None) -> Flask:
    """The app factory: configuration from the environment, then ``config``."""
    app = Flask(__name__)
    app.config.update(
        TWILIO_ACCOUNT_SID=os.environ.get("TWILIO_ACCOUNT_SID", "AC" + "0" * 32),
        TWILIO_AUTH_TOKEN=os.environ.get("TWILIO_AUTH_TOKEN", "example-auth-token-change-me"),
    )
    app.config.update(config or {})
    twilio.init_app(app)
    from .views import bp

    app.register_blueprint(bp)
    return app
