"""Verify v2 as Twilio runs it: services' settings, verifications that send a code, checks of the code.

A verification is started for a number (or an email address) on a channel; Twilio sends it a
code and keeps it ``pending`` for ten minutes, sending the same code again when it is started
again for the same number ("The token remains the same during its validity period",
https://www.twilio.com/docs/verify/api/rate-limits-and-timeouts). Checking the right code
approves it; five checks is the most it takes (https://www.twilio.com/docs/api/errors/60202),
five sends too (https://www.twilio.com/docs/api/errors/60203). An approved or expired
verification is "soft deleted": fetching or checking it again is 20404
(https://www.twilio.com/docs/errors/20404). Bad parameters are 60200 ("Invalid parameter: To",
https://www.twilio.com/docs/api/errors/60200); a check naming neither ``To`` nor
``VerificationSid`` is 60221; many new verifications for one number in a short time are 60212
(https://www.twilio.com/docs/api/errors/60212, the emulator's bound: :data:`BURST`).

Time is the emulator's clock (:meth:`Backend.now`: ``wait()`` moves it). The code goes out as
Twilio would send it (:mod:`.verify_delivery`); :func:`latest_code` is how a test reads it.
"""
from __future__ import annotations

import datetime as _dt
import re
import secrets
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional

from ..addressing import check_parent, parent_path
from ..errors import TwilioAPIError, invalid_parameter, not_found
from ..representation import stamp
from ..routing import Match
from ..store import hidden, new_sid
from .lookup import line_of
from .verify_delivery import SENDER, send_code
from .numbering import parse

if TYPE_CHECKING:  # pragma: no cover - typing only
    from ..backend import Backend

#: How long a verification's code can be checked.
EXPIRY = _dt.timedelta(minutes=10)
#: Checks one verification takes (60202 after them), and sends of its code (60203 after them).
MAX_CHECKS = 5
MAX_SENDS = 5
#: At most this many new verifications for one number (any service of the account) in this many
#: seconds; one more is 60212 ("many verifications in a short period of time for the same phone number").
BURST = (5, 60.0)
#: The channels the emulator sends codes on (``sna`` and ``auto`` need a carrier: refused with 60200).
CHANNELS = ("sms", "call", "email", "whatsapp")
#: What a service's settings may be: code lengths, and how long its friendly name may be (the description).
CODE_LENGTHS = range(4, 11)
MAX_FRIENDLY_NAME = 32
_E164 = re.compile(r"\+[1-9][0-9]{1,14}\Z")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+\Z")
#: Statuses a verification is over in; approved and expired ones are gone for the API (20404).
FINISHED = ("approved", "canceled", "expired")
GONE = ("approved", "expired")


def invalid(name: str) -> TwilioAPIError:
    """60200, as Verify names a bad parameter."""
    return invalid_parameter(f"Invalid parameter: {name}", 60200)


def too_many(code: int, message: str) -> TwilioAPIError:
    """A 429 with Verify's own code."""
    return TwilioAPIError(429, code, message)


# -- services -------------------------------------------------------------------------------------

def _check_settings(params: Mapping[str, Any]) -> None:
    if "CodeLength" in params and params["CodeLength"] not in CODE_LENGTHS:
        raise invalid("CodeLength")
    if len(str(params.get("FriendlyName") or "")) > MAX_FRIENDLY_NAME:
        raise invalid("FriendlyName")


def create_service(backend: "Backend", match: Match, params: Dict[str, Any]) -> Dict[str, Any]:
    """A service, its settings checked (a code of 4 to 10 digits, a name of at most 32 characters)."""
    _check_settings(params)
    return backend.create(match, params, match.account_sid or "")


def update_service(backend: "Backend", match: Match, params: Dict[str, Any]) -> Dict[str, Any]:
    """A service's settings changed, checked as when it was made."""
    _check_settings(params)
    return backend.update(match, params)


# -- verifications ----------------------------------------------------------------------------------

def _service(backend: "Backend", match: Match) -> Dict[str, Any]:
    check_parent(backend.store, match)
    path = parent_path(match.operation, "ServiceSid", match.record_values)
    return backend.store.get(path or "", match.values["ServiceSid"]) or {}


def _expired(backend: "Backend", record: Dict[str, Any]) -> Dict[str, Any]:
    """``record``, moved to ``expired`` once its ten minutes are over on the emulator's clock.

    (A verification a test seeded has no start the emulator knows of: it never expires.)
    """
    started = hidden(record).get("started")
    if record["status"] not in FINISHED and started is not None and backend.now() >= started + EXPIRY:
        record["status"] = "expired"
    return record


def _verifications(backend: "Backend", path: str) -> List[Dict[str, Any]]:
    return [_expired(backend, record) for record in backend.store.newest_first(path)]


def _current(backend: "Backend", path: str, to: str) -> Optional[Dict[str, Any]]:
    """The verification of ``to`` still going on in the service, newest first."""
    return next((r for r in _verifications(backend, path) if r["to"] == to and r["status"] not in FINISHED), None)


def _check_address(channel: str, to: str) -> None:
    if channel not in CHANNELS:
        raise invalid_parameter(f"Invalid parameter: Channel (the emulator sends {', '.join(CHANNELS)}; "
                                f"{channel!r} needs a carrier it does not have)", 60200)
    if not (_EMAIL if channel == "email" else _E164).match(to) or (channel != "email" and not parse(to).valid):
        raise invalid("To")


def _new_code(service: Mapping[str, Any], params: Mapping[str, Any]) -> str:
    custom = params.get("CustomCode")
    if custom is not None:
        if not service.get("custom_code_enabled") or len(custom) not in CODE_LENGTHS:
            raise invalid("CustomCode")
        return str(custom)
    length = int(service.get("code_length") or 6)
    return "".join(secrets.choice("0123456789") for _ in range(length))


def _check_burst(backend: "Backend", match: Match, to: str) -> None:
    limit, seconds = BURST
    since = backend.now() - _dt.timedelta(seconds=seconds)
    pattern = re.compile(re.escape(f"/Accounts/{match.account_sid}/verify/v2/Services/") + r"[^/]+/Verifications\Z")
    started = [r for path, records in backend.store.collections() if pattern.match(path) for r in records
               if r["to"] == to and hidden(r).get("started", since) > since]
    if len(started) >= limit:
        raise too_many(60212, f"Too many concurrent requests for phone number {to}: more than {limit} "
                              f"verifications in {seconds:.0f} seconds.")


def _attempt(backend: "Backend", channel: str) -> Dict[str, Any]:
    return {"attempt_sid": new_sid("VL"), "channel": channel, "time": stamp(backend.now(), "iso")}


def _lookup(service: Mapping[str, Any], params: Mapping[str, Any]) -> Dict[str, Any]:
    """``lookup``: the carrier of the number when the service looks numbers up, else empty."""
    number = parse(params["To"])
    if not service.get("lookup_enabled") or not number.valid:
        return {}
    line = line_of(number)
    return {"carrier": {"error_code": None, "name": line.carrier, "mobile_country_code": None,
                        "mobile_network_code": None, "type": line.type}}


def start(backend: "Backend", match: Match, params: Dict[str, Any]) -> Dict[str, Any]:
    """``POST .../Verifications``: a new verification with a code sent, or the pending one's code sent again."""
    service = _service(backend, match)
    channel, to = params["Channel"], params["To"]
    _check_address(channel, to)
    number = parse(to)
    if channel == "sms" and service.get("skip_sms_to_landlines") and number.valid and \
            line_of(number).type == "landline":
        raise invalid_parameter(f"SMS is not supported by landline phone number {to}.", 60205)
    now = stamp(backend.now(), "iso")
    with backend.store.lock:
        current = _current(backend, match.collection_path, to)
        if current is not None and current["status"] == "max_attempts_reached":
            raise too_many(60202, "Max check attempts reached: wait for the verification to expire (10 minutes).")
        if current is not None:
            if len(current["send_code_attempts"]) >= MAX_SENDS:
                raise too_many(60203, "Max send attempts reached: check the verification, or cancel it.")
            current["send_code_attempts"].append(_attempt(backend, channel))
            current.update(channel=channel, date_updated=now)
            record = current
        else:
            _check_burst(backend, match, to)
            code = _new_code(service, params)
            record = backend.make(match.operation.collection, match.record_values, params,
                                  domain=match.operation.domain,
                                  preset={"status": "pending", "valid": False, "lookup": _lookup(service, params),
                                          "send_code_attempts": [_attempt(backend, channel)],
                                          "date_created": now, "date_updated": now})
            hidden(record).update(code=code, checks=0, started=backend.now())
        code = hidden(record)["code"]
    send_code(backend, match.account_sid or "", service, params, code)
    return record


def _named(backend: "Backend", match: Match, ident: str) -> Optional[Dict[str, Any]]:
    """A verification of the service by SID, or (as Twilio also takes) by the number it verifies."""
    record = backend.store.get(match.collection_path, ident)
    if record is not None:
        return _expired(backend, record)
    return next((r for r in _verifications(backend, match.collection_path) if r["to"] == ident), None)


def fetch(backend: "Backend", match: Match, query: Mapping[str, Any]) -> Dict[str, Any]:
    """``GET .../Verifications/{Sid}``; 20404 once approved or expired."""
    check_parent(backend.store, match)
    with backend.store.lock:
        record = _named(backend, match, match.instance_id or "")
        if record is None or record["status"] in GONE:
            raise not_found(match.path)
        return record


def update(backend: "Backend", match: Match, params: Dict[str, Any]) -> Dict[str, Any]:
    """``POST .../Verifications/{Sid}`` with ``Status``: cancel it (or approve a custom code's); 20404 when over."""
    check_parent(backend.store, match)
    with backend.store.lock:
        record = _named(backend, match, match.instance_id or "")
        allowed = ("pending", "max_attempts_reached") if params["Status"] == "canceled" else ("pending",)
        if record is None or record["status"] not in allowed:
            raise not_found(match.path)
        record.update(status=params["Status"], valid=params["Status"] == "approved",
                      date_updated=stamp(backend.now(), "iso"))
        return record


def check(backend: "Backend", match: Match, params: Dict[str, Any]) -> Dict[str, Any]:
    """``POST .../VerificationCheck``: ``approved`` for the right code, ``pending`` otherwise (five times at most)."""
    check_parent(backend.store, match)
    if not params.get("To") and not params.get("VerificationSid"):
        raise invalid_parameter("No target verification specified: send To or VerificationSid.", 60221)
    code = params.get("Code")
    if code is None or len(code) not in CODE_LENGTHS:
        raise invalid("Code")
    path = match.collection_path.rsplit("/", 1)[0] + "/Verifications"
    with backend.store.lock:
        if params.get("VerificationSid"):
            found = backend.store.get(path, params["VerificationSid"])
            record = _expired(backend, found) if found is not None else None
        else:
            record = _current(backend, path, params["To"])
        if record is None or record["status"] in FINISHED:
            raise not_found(match.path)
        if record["status"] == "max_attempts_reached":
            raise too_many(60202, "Max check attempts reached: wait for the verification to expire (10 minutes).")
        secret = hidden(record)
        secret["checks"] = secret.get("checks", 0) + 1
        right = secrets.compare_digest(str(code), str(secret.get("code", "")))
        if right:
            record.update(status="approved", valid=True)
        elif secret["checks"] >= MAX_CHECKS:
            record["status"] = "max_attempts_reached"
        record["date_updated"] = stamp(backend.now(), "iso")
        return {**record, "status": "approved" if right else "pending", "valid": right,
                "sna_attempts_error_codes": []}


def latest_code(backend: "Backend", to: str, service_sid: Optional[str] = None,
                account_sid: Optional[str] = None) -> str:
    """The code of the newest pending verification of ``to`` (in one service, one account, or any).

    :raises ValueError: none is pending (never started, approved, canceled, expired).
    """
    pattern = re.compile(r"/Accounts/(?P<account>[^/]+)/verify/v2/Services/(?P<service>[^/]+)/Verifications\Z")
    found = []
    for path, records in backend.store.collections():
        place = pattern.match(path)
        if place is None or (service_sid and place["service"] != service_sid) or \
                (account_sid and place["account"] != account_sid):
            continue
        with backend.store.lock:
            found += [(hidden(r)["started"], hidden(r)["code"]) for r in records if r["to"] == to
                      and "code" in hidden(r) and _expired(backend, r)["status"] == "pending"]
    if not found:
        where = f" in service {service_sid}" if service_sid else ""
        raise ValueError(f"No verification of {to} is pending{where}: start one first "
                         f"(POST /verify/v2/Services/VA.../Verifications with To={to}), and check that it was "
                         f"not approved, canceled or expired.")
    return str(max(found, key=lambda item: item[0])[1])


#: The operations this module answers.
HANDLERS = {
    "verify.v2.CreateService": create_service, "verify.v2.UpdateService": update_service,
    "verify.v2.CreateVerification": start, "verify.v2.FetchVerification": fetch,
    "verify.v2.UpdateVerification": update, "verify.v2.CreateVerificationCheck": check,
}
