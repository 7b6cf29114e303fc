"""The app the Celery workers of the bulk tests run: everything from the environment (TWILIO_*, BULK_VISIBILITY)."""
from __future__ import annotations

import logging
import os

from flask import Flask

from flask_twilio_rb import TwilioRB
from flask_twilio_rb.bulk import celery_init_app

logging.getLogger("flask_twilio_rb").setLevel(logging.INFO)

app = Flask(__name__)
# A killed worker's chunks go to the other one after BULK_VISIBILITY seconds, looked for every second.
app.config["CELERY"] = {"broker_transport_options": {"visibility_timeout": float(os.environ.get("BULK_VISIBILITY", 600)),
                                                     "unacked_restore_interval": 1, "unacked_restore_throttle": 1}}
TwilioRB(app)
celery_app = celery_init_app(app)
