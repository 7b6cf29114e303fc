"""Traffic from outside, on the local emulator: a text or a call arriving at the app's number.

The emulator delivers them as Twilio would (a signed webhook to the number's ``sms_url`` /
``voice_url``: this app's ``/sms/reply`` and ``/ivr/welcome``), and the page shows what the app
answered. Only on the emulator this process serves: real Twilio traffic comes from phones.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple
from xml.dom import minidom
from xml.etree import ElementTree
from xml.parsers.expat import ExpatError

from flask import Blueprint, current_app, request, url_for

from flask_twilio_rb import IncomingPhoneNumber

from .dashboard import page
from .local import local_twilio

bp = Blueprint("simulate", __name__, url_prefix="/simulate")


@bp.route("/text", methods=["POST"])
def text():
    """A text from ``from`` arrives at the app's number: the page shows the auto-reply."""
    local, problem = _serving()
    if problem:
        return page(error=problem, status=409)
    result = local.emulator.receive_message(_number(), request.form.get("from", ""), request.form.get("body", ""))
    twiml = result.body or ""
    return page(result={"kind": "text", "status": result.status_code, "twiml": pretty(twiml),
                        "replies": [m.text or "" for m in _elements(twiml, "Message")]})


@bp.route("/call", methods=["POST"])
def call():
    """A call from ``from`` arrives at the app's number: the page shows the IVR's TwiML."""
    local, problem = _serving()
    if problem:
        return page(error=problem, status=409)
    result = local.emulator.receive_call(_number(), request.form.get("from", ""))
    return page(result={"kind": "call", "status": result.status_code, "twiml": pretty(result.body or ""),
                        "transcript": spoken_transcript(result)})


def spoken_transcript(result: Any) -> Optional[List[str]]:
    """What the caller hears and presses, line by line, from what the emulator returns for a simulated call.

    The hook for the emulator's call simulator: once the emulator runs a call's TwiML (plays
    ``<Say>``, follows ``<Gather>`` and ``<Redirect>``), render its transcript here and the
    page shows it under the TwiML. Until then the emulator returns the app's first answer
    only, so there is no transcript (``None``) and the page says so.
    """
    transcript = getattr(result, "transcript", None)
    return [str(line) for line in transcript] if transcript else None


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
    hooks: Dict[str, str] = {"sms_url": url_for("sms.reply", _external=True),
                             "voice_url": url_for("ivr.welcome", _external=True)}
    owned = IncomingPhoneNumber.all(phone_number=number)
    if owned:
        owned[0].update_attributes(**hooks)  # the app may have moved (another port)
    else:
        IncomingPhoneNumber.create(phone_number=number, **hooks)
    return number
