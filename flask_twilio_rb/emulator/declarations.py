"""What a new record of each kind looks like beyond the posted parameters: small declarations.

Keys are a collection's last path segment (``Calls``, ``Messages``), as in :attr:`Operation.kind`,
qualified by their description beyond 2010-04-01 (``verify.v2.Services``). The newer products'
defaults are the ones their descriptions state (a Verify code of 6 digits, a Messaging Service's
validity period of 36,000 seconds) or Twilio's documented ones (Sticky Sender and Area Code
Geomatch on).
"""
from __future__ import annotations

import secrets
import uuid
from typing import Any, Callable, Dict, Mapping

#: Field values every new record of a kind starts with (the posted parameters override them).
DEFAULTS: Dict[str, Dict[str, Any]] = {
    "Accounts": {"status": "active", "type": "Full"},
    "Calls": {"status": "queued", "direction": "outbound-api", "price_unit": "USD", "queue_time": "0"},
    "Messages": {"status": "queued", "direction": "outbound-api", "price_unit": "USD", "num_segments": "1",
                 "num_media": "0"},
    "IncomingPhoneNumbers": {"status": "in-use", "origin": "twilio", "beta": False, "address_requirements": "none",
                             "capabilities": {"voice": True, "sms": True, "mms": True, "fax": False},
                             "voice_method": "POST", "sms_method": "POST", "emergency_status": "Inactive"},
    "Queues": {"current_size": 0, "average_wait_time": 0, "max_size": 100},
    "Recordings": {"status": "in-progress", "channels": 1, "price_unit": "USD", "source": "StartCallRecording"},
    "Conferences": {"status": "in-progress"},
    "Participants": {"status": "connected", "muted": False, "hold": False},
    "Streams": {"status": "in-progress"},
    "Siprec": {"status": "in-progress"},
    "Transcriptions": {"status": "in-progress"},
    "Payments": {"status": "in-progress"},
    "Tokens": {"ttl": "86400", "ice_servers": [{"urls": "stun:global.stun.twilio.com:3478"}]},
    "OutgoingCallerIds": {"validation_code": "123456"},
    "verify.v2.Services": {"code_length": 6, "lookup_enabled": False, "skip_sms_to_landlines": False,
                           "dtmf_input_required": True, "psd2_enabled": False, "do_not_share_warning_enabled": False,
                           "custom_code_enabled": False, "verify_event_subscription_enabled": False},
    "messaging.v1.Services": {"sticky_sender": True, "mms_converter": True, "smart_encoding": True,
                              "fallback_to_long_code": True, "area_code_geomatch": True, "validity_period": 36000,
                              "inbound_method": "POST", "fallback_method": "POST", "synchronous_validation": False,
                              "use_inbound_webhook_on_number": False, "usecase": "undeclared",
                              "us_app_to_person_registered": False, "scan_message_content": "inherit"},
    "messaging.v1.AlphaSenders": {"capabilities": ["SMS"]},
}

#: SID prefixes of the kinds whose spec entry shows none (Twilio's own: MZ streams, SR SIPREC...).
SID_PREFIXES: Dict[str, str] = {
    "Streams": "MZ", "Siprec": "SR", "Transcriptions": "GT", "Participants": "CA", "Members": "CA",
}


def _secret(_: Mapping[str, Any]) -> Dict[str, Any]:
    return {"secret": secrets.token_hex(16)}


def _message(params: Mapping[str, Any]) -> Dict[str, Any]:
    media = params.get("MediaUrl") or ()
    # Twilio gives a message with media an MM SID, any other an SM one.
    return {"num_media": str(len(media)), **({"sid": "MM" + uuid.uuid4().hex} if media else {})}


def _north_american(number: Any) -> Any:
    """``+14155550100`` -> ``(415) 555-0100``, as Twilio formats a call's numbers; others unchanged."""
    text = str(number or "")
    if len(text) == 12 and text.startswith("+1") and text[1:].isdigit():
        return f"({text[2:5]}) {text[5:8]}-{text[8:]}"
    return number


def _verify_service(params: Mapping[str, Any]) -> Dict[str, Any]:
    """A Verify service's factor settings, from its dotted parameters (``Totp.Issuer``...) and their defaults."""
    return {
        "push": {"include_date": params.get("Push.IncludeDate", False),
                 "apn_credential_sid": params.get("Push.ApnCredentialSid"),
                 "fcm_credential_sid": params.get("Push.FcmCredentialSid")},
        "totp": {"issuer": params.get("Totp.Issuer") or params.get("FriendlyName"),
                 "time_step": params.get("Totp.TimeStep", 30), "code_length": params.get("Totp.CodeLength", 6),
                 "skew": params.get("Totp.Skew", 1)},
        "whatsapp": {"msg_service_sid": params.get("Whatsapp.MsgServiceSid"), "from": params.get("Whatsapp.From")},
    }


#: Fields computed from the posted parameters (or freshly generated secrets).
DERIVED: Dict[str, Callable[[Mapping[str, Any]], Dict[str, Any]]] = {
    "Messages": _message,
    "Calls": lambda params: {"to_formatted": _north_american(params.get("To")),
                             "from_formatted": _north_american(params.get("From"))},
    "Accounts": lambda params: {"auth_token": secrets.token_hex(16)},
    "Keys": _secret,
    "SigningKeys": _secret,
    "Tokens": lambda params: {"username": secrets.token_hex(32), "password": secrets.token_urlsafe(32),
                              "ttl": str(params.get("Ttl", 86400))},
    "verify.v2.Services": _verify_service,
}
