"""The voice menu (IVR): ``.voice`` templates with a Gather, answered to Twilio's webhooks."""
from __future__ import annotations

from flask import Blueprint, request

from flask_twilio_rb import render_voice, respond_to, validate_twilio_request

bp = Blueprint("ivr", __name__, url_prefix="/ivr")


@bp.route("/welcome", methods=["GET", "POST"])
def welcome():
    """The IVR's first menu: a .voice template for Twilio, a short HTML page for people."""
    return respond_to(html="<h1>Call our number to hear the menu.</h1>",
                      voice=lambda: render_voice("welcome.voice", caller=request.values.get("From", "friend")))


@bp.route("/choice", methods=["POST"])
@validate_twilio_request
def choice():
    """What the caller pressed in the menu."""
    return render_voice("choice.voice", digit=request.form.get("Digits", ""))
