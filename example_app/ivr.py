"""The voice menu (IVR): ``.voice`` templates with a Gather, a transfer with Dial and a voicemail with Record.

Press 1 for sales (a ``<Dial>``; unanswered, the caller leaves a message), 2 for support, 3 to
leave a message (a ``<Record>``; the recording is kept with its call). ``tests/test_example_ivr.py``
walks every branch on the emulator with ``emulator.dial``.
"""
from __future__ import annotations

from flask import Blueprint, current_app, request
from flask.typing import ResponseReturnValue

from flask_twilio_rb import render_voice, respond_to, validate_twilio_request

from .activity import activity

bp = Blueprint("ivr", __name__, url_prefix="/ivr")


@bp.route("/welcome", methods=["GET", "POST"])
def welcome() -> ResponseReturnValue:
    """The IVR's first menu: a .voice template for Twilio, a short HTML page for people."""
    return respond_to(html="<h1>Call our number to hear the menu.</h1>",
                      voice=lambda: render_voice("welcome.voice", caller=request.values.get("From", "friend")))


@bp.route("/choice", methods=["POST"])
@validate_twilio_request
def choice() -> ResponseReturnValue:
    """What the caller pressed in the menu."""
    return render_voice("choice.voice", digit=request.form.get("Digits", ""),
                        sales=current_app.config["EXAMPLE_SALES_NUMBER"])


@bp.route("/dialed", methods=["POST"])
@validate_twilio_request
def dialed() -> ResponseReturnValue:
    """How the transfer to sales ended: a goodbye, or a voicemail when nobody answered."""
    return render_voice("dialed.voice", status=request.form.get("DialCallStatus", ""))


@bp.route("/recorded", methods=["POST"])
@validate_twilio_request
def recorded() -> ResponseReturnValue:
    """A message was left: keep it with its call, and thank the caller."""
    seconds = int(request.form.get("RecordingDuration") or 0)
    activity().keep_voicemail(request.form["CallSid"], request.form["RecordingSid"], seconds)
    return render_voice("recorded.voice", duration=seconds)
