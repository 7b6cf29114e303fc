"""Two-factor sign-in with Twilio Verify: a phone number, the code texted to it, then signed in.

``/login`` asks for the number and starts a verification (Twilio texts a code); ``/login/code``
checks the code the person types, and an approved check signs them in (``session["user"]``).
The Verify service is ``EXAMPLE_VERIFY_SERVICE_SID`` when set, else the account's service named
:data:`SERVICE_NAME`, made on first use. On the local emulator the code is the text listed on
the dashboard (and by ``flask --app example_app.wsgi twilio sms list``); a test reads it with
``emulator.verification_code(number)``.
"""
from __future__ import annotations

from typing import Optional

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from flask_twilio_rb import APIError, NotFoundError, RateLimitError
from flask_twilio_rb.verify import Service

from .local import local_twilio

bp = Blueprint("login", __name__, url_prefix="/login")

#: The Verify service the app makes (and finds again) when ``EXAMPLE_VERIFY_SERVICE_SID`` is unset;
#: its name is what the text says: "Your Example app verification code is: ...".
SERVICE_NAME = "Example app"


def verify_service() -> Service:
    """The app's Verify service: the configured SID (no request), else the one named :data:`SERVICE_NAME`."""
    sid: Optional[str] = current_app.config.get("EXAMPLE_VERIFY_SERVICE_SID")
    if not sid:
        found = next((s for s in Service.each() if s.friendly_name == SERVICE_NAME), None)
        sid = (found or Service.create(friendly_name=SERVICE_NAME)).sid
        current_app.config["EXAMPLE_VERIFY_SERVICE_SID"] = sid
    return Service({"sid": sid})


def page(step: str, error: str = "", status: int = 200) -> ResponseReturnValue:
    """The sign-in page at ``step`` (``phone``, ``code`` or ``done``); what was typed stays in the form."""
    return render_template("login.html", step=step, error=error, form=request.form, phone=session.get("phone"),
                           user=session.get("user"), local=local_twilio()), status


@bp.route("", methods=["GET"])
def start() -> ResponseReturnValue:
    """The number to text a code to (or who is signed in)."""
    return page("done" if session.get("user") else "phone")


@bp.route("", methods=["POST"])
def send_code() -> ResponseReturnValue:
    """Start a verification: Twilio texts the number a code; then ask for it."""
    phone = request.form.get("phone", "").strip()
    try:
        verify_service().verifications.create(to=phone, channel="sms")
    except APIError as exc:  # 60200: not a number; 60203: sent too often
        return page("phone", f"Twilio error {exc.code}: {exc.message}", 422)
    session["phone"] = phone
    return redirect(url_for("login.code"), code=303)


@bp.route("/code", methods=["GET"])
def code() -> ResponseReturnValue:
    """The code the text carried."""
    if not session.get("phone"):
        return redirect(url_for("login.start"), code=303)
    return page("code")


@bp.route("/code", methods=["POST"])
def check_code() -> ResponseReturnValue:
    """Check the code: approved signs the person in; a wrong one asks again."""
    phone = session.get("phone")
    if not phone:
        return redirect(url_for("login.start"), code=303)
    try:
        check = verify_service().verification_checks.create(to=phone, code=request.form.get("code", "").strip())
    except NotFoundError:  # 20404: approved already, canceled, or expired (ten minutes)
        session.pop("phone")
        return page("phone", "That code has expired: ask for a new one.", 410)
    except RateLimitError:  # 60202: five wrong codes
        session.pop("phone")
        return page("phone", "Too many wrong codes: ask for a new one.", 429)
    except APIError as exc:  # 60200: not a code at all
        return page("code", f"Twilio error {exc.code}: {exc.message}", 422)
    if check.status != "approved":
        return page("code", "That is not the code we sent: try again.", 403)
    session["user"] = session.pop("phone")
    return redirect(url_for("login.start"), code=303)


@bp.route("/logout", methods=["POST"])
def logout() -> ResponseReturnValue:
    """Sign out."""
    session.pop("user", None)
    return redirect(url_for("login.start"), code=303)
