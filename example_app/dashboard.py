"""A page of recent calls and messages, read through the resource API, with forms to make more."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from flask_twilio_rb import APIError, Call, Message

from .activity import activity

bp = Blueprint("dashboard", __name__)

#: How many of each the page shows: one request per list, of exactly this page size.
RECENT = 20


@bp.route("/")
def index(error: str = "", status: int = 200):
    """Recent calls and messages, newest first, with the status their callbacks reported."""
    calls = list(Call.each(limit=RECENT, page_size=RECENT))
    messages = list(Message.each(limit=RECENT, page_size=RECENT))
    return render_template("dashboard.html", calls=calls, messages=messages, reported=activity().latest,
                           error=error, caller_id=current_app.config["EXAMPLE_CALLER_ID"]), status


@bp.route("/messages", methods=["POST"])
def send_message():
    """Send a text; Twilio reports its delivery to the status blueprint."""
    return _create(Message, body=request.form.get("body", ""),
                   status_callback=url_for("status.message", _external=True))


@bp.route("/calls", methods=["POST"])
def place_call():
    """Place a call that plays the IVR menu; its progress is reported to the status blueprint."""
    return _create(Call, url=url_for("ivr.welcome", _external=True),
                   status_callback=url_for("status.call", _external=True),
                   status_callback_event=["initiated", "ringing", "answered", "completed"])


def _create(resource, **params):
    try:
        resource.create(to=request.form.get("to", ""), from_=current_app.config["EXAMPLE_CALLER_ID"], **params)
    except APIError as exc:  # e.g. 21211: an invalid number, shown to the person who typed it
        return index(error=f"Twilio error {exc.code}: {exc.message}", status=422)
    return redirect(url_for("dashboard.index"), code=303)
