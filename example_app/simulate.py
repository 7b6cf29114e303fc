"""Traffic from outside, on the local emulator: a text or a call arriving at the app's number.

The emulator delivers them as Twilio would (a signed webhook to the number's ``sms_url`` /
``voice_url``: this app's ``/sms/reply`` and ``/ivr/welcome``), and the page shows what the app
answered. Only on the emulator this process serves: real Twilio traffic comes from phones.
"""
from __future__ import annotations

from typing import Any, List, Optional, Tuple
from xml.dom import minidom
from xml.etree import ElementTree
from xml.parsers.expat import ExpatError

from flask import Blueprint, current_app, request, url_for
from flask.typing import ResponseReturnValue

from flask_twilio_rb import IncomingPhoneNumber
from flask_twilio_rb.testing import PhoneCall, transcript_lines

from .dashboard import page
from .local import local_twilio

bp = Blueprint("simulate", __name__, url_prefix="/simulate")


@bp.route("/text", methods=["POST"])
def text() -> ResponseReturnValue:
    """A text from ``from`` arrives at the app's number: the page shows the auto-reply."""
    local, problem = _serving()
    if problem:
        return page(error=problem, status=409)
    result = local.emulator.receive_message(_number(), request.form.get("from", ""), request.form.get("body", ""))
    twiml = result.body or ""
    return page(result={"kind": "text", "status": result.status_code, "twiml": pretty(twiml),
                        "replies": [m.text or "" for m in _elements(twiml, "Message")]})


@bp.route("/call", methods=["POST"])
def call() -> ResponseReturnValue:
    """A call from ``from`` arrives at the app's number: the page shows what the caller heard, and the TwiML."""
    local, problem = _serving()
    if problem:
        return page(error=problem, status=409)
    phone = local.emulator.dial(_number(), request.form.get("from") or "+15551234567")
    transcript = spoken_transcript(phone)
    phone.hang_up()  # the page is a snapshot: the caller hangs up at the menu
    first = phone.requests[0]  # the number's voice URL, this app's menu
    return page(result={"kind": "call", "status": first.status_code, "twiml": pretty(first.body or ""),
                        "transcript": transcript})


def spoken_transcript(call: PhoneCall) -> List[str]:
    """What the caller heard and did on a simulated call, one line a step (the emulator ran its TwiML)."""
    return transcript_lines(call.transcript)


def pretty(twiml: str) -> str:
    """The TwiML indented for reading (as it came when it is not XML)."""
    try:
        return minidom.parseString(twiml).toprettyxml(indent="  ").split("\n", 1)[1].strip()
    except ExpatError:  # not XML (an error page): shown as the app sent it
        return twiml


def _elements(twiml: str, tag: str) -> List[ElementTree.Element]:
    try:
        return list(ElementTree.fromstring(twiml).iter(tag))
    except ElementTree.ParseError:
        return []


def _serving() -> Tuple[Any, str]:
    local = local_twilio()
    if local is None:
        return None, "Simulated traffic needs the local emulator: real texts and calls come from phones."
    local.ensure_running()
    if local.emulator is None:
        return None, (f"The emulator at {local.base_url} is served by another program (flask twilio emulator?), "
                      "so this process cannot bring traffic to it: stop it, or simulate from there.")
    return local, ""


def _number() -> str:
    """The app's number on the emulator, bought once with its webhooks pointing at this app."""
    number = current_app.config["EXAMPLE_CALLER_ID"]
    sms_url, voice_url = url_for("sms.reply", _external=True), url_for("ivr.welcome", _external=True)
    owned = IncomingPhoneNumber.all(phone_number=number)
    if owned:
        owned[0].update_attributes(sms_url=sms_url, voice_url=voice_url)  # the app may have moved (another port)
    else:
        IncomingPhoneNumber.create(phone_number=number, sms_url=sms_url, voice_url=voice_url)
    return str(number)
