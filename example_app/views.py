"""Webhooks of the example app: a voice menu and an SMS auto-reply."""
from __future__ import annotations

from flask import Blueprint, request

from flask_twilio_rb import TwiML, render_voice, respond_to, validate_twilio_request

bp = Blueprint("example", __name__)


@bp.route("/ivr/welcome", methods=["GET", "POST"])
def welcome():
    """The IVR's first menu: a .voice template for Twilio, a short HTML page for people."""
    return respond_to(html="<h1>Call our number to hear the menu.</h1>",
                      voice=lambda: render_voice("welcome.voice", caller=request.values.get("From", "friend")))


@bp.route("/ivr/choice", methods=["POST"])
@validate_twilio_request
def choice():
    """What the caller pressed in the menu."""
    digit = request.form.get("Digits", "")
    return render_voice("choice.voice", digit=digit)


@bp.route("/sms/reply", methods=["POST"])
@validate_twilio_request
def sms_reply():
    """Answer every text with a friendly echo, written with the Python builder."""
    doc = TwiML.response()
    doc.message(f"Thanks! You said: {request.form.get('Body', '')}")
    return doc
