"""What Verify sends a code as: a text (or WhatsApp message) from Twilio's number, a call that says it.

An email verification sends nothing here (the emulator has no mailbox); a test reads any code with
``emulator.verification_code(to)``. The text is Twilio's own wording ("Your {service} verification
code is: 123456", the example in the Verify description's ``DoNotShareWarningEnabled`` and
``AppHash``), so a test can assert what the person's phone shows.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:  # pragma: no cover - typing only
    from ..backend import Backend

#: The sender of the texts and calls Verify makes (Twilio's own number, not one of the account's).
SENDER = "+15005550006"


def message_body(service: Mapping[str, Any], params: Mapping[str, Any], code: str) -> str:
    """The text Twilio sends (its example in the description's ``DoNotShareWarningEnabled`` and ``AppHash``)."""
    name = params.get("CustomFriendlyName") or service.get("friendly_name") or "Verify"
    body = f"Your {name} verification code is: {code}"
    if service.get("do_not_share_warning_enabled"):
        body += ". Don\u2019t share this code with anyone; our employees will never ask for the code"
    if params.get("AppHash"):
        body = f"<#> {body} {params['AppHash']}"
    return body


def send_code(backend: "Backend", account_sid: str, service: Mapping[str, Any], params: Mapping[str, Any],
              code: str) -> None:
    """The code goes out as Twilio sends it: a text, a WhatsApp message, a call saying it (email: nothing here)."""
    channel, to = params["Channel"], params["To"]
    values = {"AccountSid": account_sid}
    if channel in ("sms", "whatsapp"):
        prefix = "whatsapp:" if channel == "whatsapp" else ""
        backend.make("/Accounts/{AccountSid}/Messages", values,
                     {"To": prefix + to, "From": prefix + SENDER, "Body": message_body(service, params, code)})
    elif channel == "call":
        spoken = ", ".join(code)
        twiml = f'<Response><Say loop="2">Your verification code is: {spoken}.</Say></Response>'
        call = {"To": to, "From": SENDER, "Twiml": twiml, **({"SendDigits": params["SendDigits"]}
                                                              if params.get("SendDigits") else {})}
        backend.make("/Accounts/{AccountSid}/Calls", values, call)
