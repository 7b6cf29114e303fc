"""Status callbacks: Twilio reports each step of a call or message here; we keep them."""
from __future__ import annotations

from flask import Blueprint, request
from flask.typing import ResponseReturnValue

from flask_twilio_rb import validate_twilio_request

from .activity import activity

bp = Blueprint("status", __name__, url_prefix="/status")


@bp.route("/calls", methods=["POST"])
@validate_twilio_request
def call() -> ResponseReturnValue:
    """A call's status changed (queued, ringing, in-progress, completed...)."""
    activity().report(request.form["CallSid"], request.form["CallStatus"])
    return "", 204


@bp.route("/messages", methods=["POST"])
@validate_twilio_request
def message() -> ResponseReturnValue:
    """A message's delivery status changed (sent, delivered, undelivered...)."""
    activity().report(request.form["MessageSid"], request.form["MessageStatus"], request.form.get("ErrorCode"))
    return "", 204
