"""Traffic from outside: a text or a call arriving at one of the account's numbers, as Twilio delivers it.

The number's ``sms_url`` / ``voice_url`` gets the signed webhook Twilio sends (with its
``sms_method`` / ``voice_method``); the inbound message or call is stored like any other, and an
inbound call then progresses on :meth:`advance` with the number's ``status_callback``. A text
to a number in a Messaging Service's pool goes where the service says (:func:`.products.senders.inbound`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional, Tuple

from .callbacks import CallbackRecord
from .lifecycle import Outgoing, call_parameters
from .products.senders import inbound
from .representation import API_VERSION_NAME, collection_fields, new_record
from .store import hidden

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .backend import Backend

#: kind -> (the number's webhook field, its method field, the status an arrival starts in).
ARRIVALS = {"Messages": ("sms_url", "sms_method", "received"), "Calls": ("voice_url", "voice_method", "ringing")}


def receive(backend: "Backend", kind: str, account_sid: str, to: str, from_: str,
            body: Optional[str] = None) -> Optional[CallbackRecord]:
    """Store an inbound message or call to ``to`` and send its webhook; what the app answered.

    :returns: ``None`` when the emulator sends no callbacks (``callbacks=False``).
    :raises ValueError: ``to`` is not a number of the account, or it has no webhook URL.
    """
    url_field, method_field, status = ARRIVALS[kind]
    number, record = arrive(backend, kind, account_sid, to, from_, body)
    sent = message_parameters(record) if kind == "Messages" else call_parameters(record, status)
    request = Outgoing("twiml", number[url_field], number.get(method_field) or "POST", sent, account_sid,
                       record["sid"])
    delivered = backend.send([request])
    return delivered[0] if delivered else None


def arrive(backend: "Backend", kind: str, account_sid: str, to: str, from_: str, body: Optional[str] = None,
           params: Optional[Mapping[str, Any]] = None) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """Store an inbound message or call to the account's number ``to``: ``(the number, the record)``.

    :param params: more of the record's parameters (a text's ``MediaUrl``).
    :raises ValueError: ``to`` is not a number of the account, or it has no webhook URL.
    """
    url_field, _, status = ARRIVALS[kind]
    numbers = [n for n in backend.stored(account_sid, "IncomingPhoneNumbers") if n.get("phone_number") == to]
    if not numbers:
        raise ValueError(f"{to} is not a number of {account_sid}: buy it first, "
                         f"IncomingPhoneNumber.create(phone_number={to!r}, {url_field}=...).")
    number = numbers[0]
    service = inbound(backend, account_sid, to) if kind == "Messages" else {}
    number = {**number, **service}
    if service.get("messaging_service_sid") and not number.get(url_field):
        raise ValueError(f"{to} is in the pool of Messaging Service {service['messaging_service_sid']}, which has no "
                         f"inbound_request_url: Twilio drops texts arriving there. Set the service's "
                         f"InboundRequestUrl, or UseInboundWebhookOnNumber=true to use the number's sms_url.")
    if not number.get(url_field) and not (kind == "Calls" and number.get("voice_application_sid")):
        raise ValueError(f"{to} has no {url_field}: set it, e.g. number.update_attributes({url_field}=...).")
    collection = f"/Accounts/{{AccountSid}}/{kind}"
    path = f"/Accounts/{account_sid}/{kind}"
    fields = {"To": to, "From": from_, **({"Body": body} if body is not None else {}), **(params or {})}
    record = new_record(collection, path, {"AccountSid": account_sid}, fields, collection_fields(collection))
    record.update(direction="inbound", status=status)
    if service.get("messaging_service_sid"):
        record["messaging_service_sid"] = service["messaging_service_sid"]
    if number.get("status_callback"):  # an inbound call reports its progress where the number says
        hidden(record)["params"] = {"StatusCallback": number["status_callback"],
                                    "StatusCallbackMethod": number.get("status_callback_method") or "POST"}
    with backend.store.lock:
        backend.add_record(collection, path, record, account_sid)
    return number, record


def message_parameters(record: Mapping[str, Any]) -> Dict[str, str]:
    """What Twilio posts to a number's ``sms_url`` about an arriving message."""
    sid = str(record["sid"])
    sent = {"AccountSid": str(record["account_sid"]), "ApiVersion": API_VERSION_NAME,
            "Body": str(record["body"] or ""), "From": str(record["from"]), "MessageSid": sid, "NumMedia": "0",
            "NumSegments": "1", "SmsMessageSid": sid, "SmsSid": sid, "SmsStatus": "received", "To": str(record["to"])}
    if record.get("messaging_service_sid"):  # a text to a Messaging Service's number says which service
        sent["MessagingServiceSid"] = str(record["messaging_service_sid"])
    return sent
