"""The SMS auto-reply, written with the Python TwiML builder."""
from __future__ import annotations

from flask import Blueprint, request
from flask.typing import ResponseReturnValue

from flask_twilio_rb import TwiML, validate_twilio_request

bp = Blueprint("sms", __name__, url_prefix="/sms")


@bp.route("/reply", methods=["POST"])
@validate_twilio_request
def reply() -> ResponseReturnValue:
    """Answer every text with a friendly echo."""
    doc = TwiML.response()
    doc.message(f"Thanks! You said: {request.form.get('Body', '')}")
    return doc
