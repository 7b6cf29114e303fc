"""Messaging Services: the sender pool, the sender Twilio picks for each message, where arrivals go.

A service's pool is its phone numbers, short codes and alphanumeric sender IDs, each one of the
account's own (21421 for a SID the account does not have, 21712 for one in another service's
pool, 21714 past 400: https://www.twilio.com/docs/api/errors/21421, .../21712, .../21714).
A message sent with ``MessagingServiceSid`` is ``accepted`` with no ``from`` yet; its sender
shows once it is ``queued`` ("Twilio will immediately set the message's status to accepted.
Twilio will then determine the optimal From phone number",
https://www.twilio.com/docs/messaging/services). The sender is picked as Twilio describes it:
the same number as before for a recipient when Sticky Sender is on; a short code of the
recipient's country; an alphanumeric sender ID outside North America; then, with Area Code
Geomatch, a number of the recipient's area code, one of the recipient's country, a US number,
any number (https://support.twilio.com/hc/en-us/articles/223181268); several alike take turns.
A service with no sender is 21704, one whose senders cannot carry the message (SMS, or MMS
without the MMS converter) 21703, an unknown service 21701
(https://www.twilio.com/docs/api/errors/21701). The service's status callback is the message's
when it names none; texts arriving at a pool number go to the service's inbound request URL
unless it uses the number's own webhook.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

from ..addressing import check_parent
from ..errors import TwilioAPIError, invalid_parameter
from ..routing import Match
from ..store import hidden
from . import content
from .numbering import parse

if TYPE_CHECKING:  # pragma: no cover - typing only
    from ..backend import Backend

#: A pool holds at most this many senders.
POOL_LIMIT = 400
#: The pool's collections under a service, with the 2010-04-01 collection each kind of sender comes
#: from, the field naming it there, and the capabilities Twilio lists for it.
POOLS = {"PhoneNumbers": ("PhoneNumberSid", "/IncomingPhoneNumbers", "phone_number"),
         "ShortCodes": ("ShortCodeSid", "/SMS/ShortCodes", "short_code")}
_SERVICES = "/Accounts/{account}/messaging/v1/Services"


@dataclass(frozen=True)
class Sender:
    """One sender of a pool: its ``address`` (a number, short code or sender ID) and what it can do."""

    address: str
    kind: str
    iso: Optional[str]
    capabilities: Tuple[str, ...]

    @property
    def area(self) -> str:
        """A North American number's area code ("" for anything else)."""
        return self.address[2:5] if self.kind == "PhoneNumbers" and self.address.startswith("+1") else ""


def _pool_pattern(account_sid: str, service_sid: str = "[^/]+") -> "re.Pattern[str]":
    return re.compile(re.escape(_SERVICES.format(account=account_sid)) + f"/({service_sid})/"
                      r"(PhoneNumbers|ShortCodes|AlphaSenders)\Z")


def pool(backend: "Backend", account_sid: str, service_sid: str) -> List[Sender]:
    """The senders of a service, oldest first."""
    pattern = _pool_pattern(account_sid, re.escape(service_sid))
    found = []
    for path, records in backend.store.collections():
        place = pattern.match(path)
        for record in records if place else ():
            kind = place.group(2) if place else ""
            address = record.get({"PhoneNumbers": "phone_number", "ShortCodes": "short_code"}.get(kind, "alpha_sender"))
            found.append(Sender(str(address), kind, record.get("country_code"), tuple(record.get("capabilities") or ())))
    return found


def add(backend: "Backend", match: Match, params: Dict[str, Any]) -> Dict[str, Any]:
    """``POST .../PhoneNumbers`` or ``.../ShortCodes``: one of the account's numbers joins the pool."""
    check_parent(backend.store, match)
    kind = match.operation.collection.rsplit("/", 1)[-1]
    param, collection, field = POOLS[kind]
    sid, account = params[param], match.account_sid or ""
    owned = backend.store.get(f"/Accounts/{account}{collection}", sid)
    if owned is None:
        raise invalid_parameter(f"{param} {sid} is invalid: it is not one of the account's "
                                f"{'phone numbers' if kind == 'PhoneNumbers' else 'short codes'}.", 21421)
    pattern = _pool_pattern(account)
    with backend.store.lock:
        for path, records in backend.store.collections():
            place = pattern.match(path)
            if place and any(r["sid"] == sid for r in records):
                if place.group(1) == match.values["ServiceSid"]:
                    raise TwilioAPIError(409, 20409, f"Conflict: {sid} is already in the pool of {place.group(1)}.")
                raise invalid_parameter(f"{owned[field]} is associated with another Messaging Service "
                                        f"({place.group(1)}): remove it from that pool first.", 21712)
        if len(pool(backend, account, match.values["ServiceSid"])) >= POOL_LIMIT:
            raise invalid_parameter(f"The Messaging Service pool holds at most {POOL_LIMIT} senders.", 21714)
        number = parse(str(owned[field]))
        able = owned.get("capabilities") or {"sms": True, "mms": kind == "PhoneNumbers"}
        capabilities = [name for name, key in (("Voice", "voice"), ("SMS", "sms"), ("MMS", "mms")) if able.get(key)]
        preset = {"sid": sid, field: owned[field], "capabilities": capabilities,
                  "country_code": number.country.iso if number.valid and number.country else "US"}
        return backend.make(match.operation.collection, match.record_values, params, domain=match.operation.domain,
                            preset=preset)


def _service(backend: "Backend", account_sid: str, sid: str) -> Dict[str, Any]:
    service = backend.store.get(_SERVICES.format(account=account_sid), sid)
    if service is None:
        raise invalid_parameter(f"The Messaging Service {sid} does not exist in account {account_sid}.", 21701)
    return service


def choose(backend: "Backend", account_sid: str, service: Dict[str, Any], to: str, media: bool) -> Sender:
    """The sender the service sends a message to ``to`` from (see the module's documentation)."""
    senders = pool(backend, account_sid, service["sid"])
    if not senders:
        raise invalid_parameter(f"The Messaging Service {service['sid']} contains no phone numbers: add one with "
                                f"POST /messaging/v1/Services/{service['sid']}/PhoneNumbers.", 21704)
    number = parse(to.split(":", 1)[-1])
    iso = number.country.iso if number.valid and number.country else None
    needed = "MMS" if media and not service.get("mms_converter") else "SMS"
    able = [s for s in senders if needed in s.capabilities and not (s.kind == "ShortCodes" and s.iso != iso)
            and not (s.kind == "AlphaSenders" and (iso is None or number.phone_number.startswith("+1")))]
    if not able:
        raise invalid_parameter(f"The Messaging Service {service['sid']} does not have a phone number available "
                                f"to send a message to {to} ({needed}).", 21703)
    remembered = hidden(service).get("sticky", {})
    if service.get("sticky_sender") and remembered.get(to) in [s.address for s in able]:
        return next(s for s in able if s.address == remembered[to])
    area = number.phone_number[2:5] if iso and number.phone_number.startswith("+1") else ""
    tiers = [[s for s in able if s.kind == "ShortCodes"], [s for s in able if s.kind == "AlphaSenders"]]
    long_codes = [s for s in able if s.kind == "PhoneNumbers"]
    if service.get("area_code_geomatch"):
        tiers.append([s for s in long_codes if area and s.area == area])
    tiers += [[s for s in long_codes if s.iso == iso], [s for s in long_codes if s.iso == "US"], long_codes]
    chosen = next(tier for tier in tiers if tier)
    return chosen[hidden(service).get("turn", 0) % len(chosen)]


def send(backend: "Backend", match: Match, params: Dict[str, Any]) -> Dict[str, Any]:
    """``POST /Messages.json``: a template rendered, a Messaging Service's sender picked; then the generic create."""
    account = match.account_sid or ""
    if params.get("ContentVariables") is not None and not params.get("ContentSid"):
        raise invalid_parameter("A ContentSid must be specified if ContentVariables are provided in the request.",
                                21654)
    if params.get("ContentSid"):
        params.update(content.render(backend, account, params))
    if not params.get("MessagingServiceSid"):
        return backend.create(match, params, account)
    with backend.store.lock:
        service = _service(backend, account, params["MessagingServiceSid"])
        preset: Dict[str, Any] = {"status": "accepted"}
        sender = None
        if not params.get("From"):
            sender = choose(backend, account, service, str(params["To"]), bool(params.get("MediaUrl")))
            prefix = "whatsapp:" if str(params["To"]).startswith("whatsapp:") else ""
            params["From"] = prefix + sender.address
            preset["from"] = None  # shown once queued
        if service.get("status_callback") and not params.get("StatusCallback"):
            params["StatusCallback"] = service["status_callback"]
        made = backend.create(match, params, account, preset)
        if sender is not None:  # the service remembers whose turn it is, and (Sticky Sender) who got which number
            kept = hidden(service)
            kept["turn"] = kept.get("turn", 0) + 1
            if service.get("sticky_sender"):
                kept.setdefault("sticky", {})[str(params["To"])] = sender.address
        return made


def inbound(backend: "Backend", account_sid: str, phone_number: str) -> Dict[str, Any]:
    """Where a text arriving at ``phone_number`` goes when a service's pool has it (``{}`` when none does).

    :returns: the number's webhook fields as the service sets them, and ``messaging_service_sid``.
    """
    pattern = _pool_pattern(account_sid)
    for path, records in backend.store.collections():
        place = pattern.match(path)
        if place and place.group(2) == "PhoneNumbers" and any(r.get("phone_number") == phone_number for r in records):
            service = backend.store.get(_SERVICES.format(account=account_sid), place.group(1)) or {}
            found: Dict[str, Any] = {"messaging_service_sid": place.group(1)}
            if not service.get("use_inbound_webhook_on_number"):
                found.update(sms_url=service.get("inbound_request_url"), sms_method=service.get("inbound_method"),
                             sms_fallback_url=service.get("fallback_url"),
                             sms_fallback_method=service.get("fallback_method"))
            return found
    return {}


#: The operations this module answers.
HANDLERS = {
    "messaging.v1.CreatePhoneNumber": add, "messaging.v1.CreateShortCode": add, "CreateMessage": send,
}
