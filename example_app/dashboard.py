"""The page: recent calls and messages read through the resource API, forms to make more, statuses
that refresh by themselves (``/activity`` renders the tables again for the page's script)."""
from __future__ import annotations

from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Dict, Optional

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup, escape

from flask_twilio_rb import APIError, Call, Message

from .activity import activity
from .local import local_twilio

bp = Blueprint("dashboard", __name__)

#: How many of each the page shows: one request per list, of exactly this page size.
RECENT = 20


def page(error: str = "", status: int = 200, result: Optional[Dict[str, Any]] = None) -> ResponseReturnValue:
    """The whole page; ``error`` and ``result`` (of a simulation) are shown above the forms, and
    the values the person typed stay in the form they used."""
    local = local_twilio()
    return render_template("dashboard.html", error=error, result=result or {}, form=request.form,
                           caller_id=current_app.config["EXAMPLE_CALLER_ID"], local=local,
                           **_activity()), status


@bp.route("/")
def index() -> ResponseReturnValue:
    """Recent calls and messages, newest first, with the status their callbacks reported."""
    return page()


@bp.route("/activity")
def recent_activity() -> ResponseReturnValue:
    """The two tables alone: the page's script fetches them every two seconds."""
    return render_template("_activity.html", **_activity())


def _activity() -> Dict[str, Any]:
    calls = list(Call.each(limit=RECENT, page_size=RECENT))
    messages = list(Message.each(limit=RECENT, page_size=RECENT))
    return {"calls": calls, "messages": messages, "reported": activity().latest}


@bp.route("/messages", methods=["POST"])
def send_message() -> ResponseReturnValue:
    """Send a text; Twilio reports its delivery to the status blueprint."""
    return _create(Message, body=request.form.get("body", ""),
                   status_callback=url_for("status.message", _external=True))


@bp.route("/calls", methods=["POST"])
def place_call() -> ResponseReturnValue:
    """Place a call that plays the IVR menu; its progress is reported to the status blueprint."""
    return _create(Call, url=url_for("ivr.welcome", _external=True),
                   status_callback=url_for("status.call", _external=True),
                   status_callback_event=["initiated", "ringing", "answered", "completed"])


def _create(resource: Any, **params: Any) -> ResponseReturnValue:
    try:
        resource.create(to=request.form.get("to", ""), from_=current_app.config["EXAMPLE_CALLER_ID"], **params)
    except APIError as exc:  # e.g. 21211: an invalid number, shown to the person who typed it
        return page(error=f"Twilio error {exc.code}: {exc.message}", status=422)
    return redirect(url_for("dashboard.index"), code=303)


@bp.app_template_filter("moment")
def moment(value: Optional[str]) -> Markup:
    """A date Twilio sent (RFC 2822) as a ``<time>`` the page's script shows in the reader's time zone;
    without the script it reads ``2026-12-01 09:30:05 UTC``."""
    if not value:
        return Markup("")
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return escape(value)
    when = (when if when.tzinfo else when.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
    return Markup('<time datetime="{}">{}</time>').format(when.isoformat(), _utc_text(when))


def _utc_text(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M:%S UTC")
