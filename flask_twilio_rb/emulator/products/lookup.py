"""Lookup as Twilio answers it: v2's validation, Line Type Intelligence and Caller Name; v1's carrier.

Every number is read by :mod:`.numbering` (E.164 or national, Twilio's validation errors).
What a valid number's line and caller name are comes from the emulator's magic numbers,
:data:`LINES`: Twilio's real data is the carriers', so the emulator decides by a documented
table a test can choose numbers from (README, "Testing Verify, Lookup and Messaging Services
locally"). A number seeded with ``emulator.seed("lookups.v2.FetchPhoneNumber", phone_number=...)``
answers what was seeded instead, field by field.

Lookup v2 (https://www.twilio.com/docs/lookup/v2-api) answers an invalid number with
``valid: false`` and its ``validation_errors``, and the data packages only when ``Fields``
asks for them; the types are Line Type Intelligence's
(https://www.twilio.com/docs/lookup/v2-api/line-type-intelligence), whose carrier data is
absent for the types that have none. Caller Name (CNAM) covers US numbers only, others
carry error 60607 (https://www.twilio.com/docs/api/errors/60607). Lookup v1 answers an
invalid number 404 (20404), and a carrier type of ``mobile``, ``landline`` or ``voip``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Tuple

from ..errors import invalid_parameter, not_found
from ..routing import Match
from .numbering import Number, parse

if TYPE_CHECKING:  # pragma: no cover - typing only
    from ..backend import Backend


@dataclass(frozen=True)
class Line:
    """What Lookup says of a number: its line ``type``, carrier, and (US numbers) the caller's name."""

    type: str
    carrier: Optional[str]
    caller_name: Optional[str]
    caller_type: str


#: The emulator's magic numbers, tried in order: a number's calling code and the start of its
#: national number where the numbering plan itself fixes the line (toll-free, premium, UK
#: mobiles), else the last digit of the number. (See the README's table.)
LINES: Tuple[Tuple[str, Line], ...] = (
    *((f"+1{area}", Line("tollFree", None, None, "UNDETERMINED")) for area in ("800", "833", "844", "855", "866",
                                                                              "877", "888")),
    ("+1900", Line("premium", None, None, "UNDETERMINED")),
    ("+44800", Line("tollFree", None, None, "UNDETERMINED")),
    ("+44808", Line("tollFree", None, None, "UNDETERMINED")),
    ("+449", Line("premium", None, None, "UNDETERMINED")),
    ("+447", Line("mobile", "Emulated Mobile", None, "UNDETERMINED")),
    ("0", Line("mobile", "Emulated Mobile", "ADA LOVELACE", "CONSUMER")),
    ("1", Line("mobile", "Emulated Mobile", "GRACE HOPPER", "CONSUMER")),
    ("2", Line("mobile", "Emulated Mobile", None, "UNDETERMINED")),
    ("3", Line("mobile", "Emulated Mobile", "ALAN TURING", "CONSUMER")),
    ("4", Line("landline", "Emulated Telephone Co", "EMULATED PIZZA", "BUSINESS")),
    ("5", Line("landline", "Emulated Telephone Co", "KATHERINE JOHNSON", "CONSUMER")),
    ("6", Line("fixedVoip", "Emulated Voice", "EMULATED SUPPORT", "BUSINESS")),
    ("7", Line("nonFixedVoip", "Emulated Voice", None, "UNDETERMINED")),
    ("8", Line("personal", None, "MARGARET HAMILTON", "CONSUMER")),
    ("9", Line("unknown", None, None, "UNDETERMINED")),
)
#: Mobile country codes of the carriers (the first three digits of a SIM's network), by country.
MOBILE_COUNTRY_CODES = {"US": "310", "CA": "302", "PR": "330", "GB": "234", "FR": "208", "DE": "262",
                        "ES": "214", "IT": "222", "AU": "505", "IN": "404", "BR": "724", "MX": "334"}
#: The mobile network code every emulated carrier has.
MOBILE_NETWORK_CODE = "001"
#: Line types Twilio has no carrier data for.
NO_CARRIER = frozenset({"personal", "tollFree", "premium", "sharedCost", "uan", "voicemail", "pager", "unknown"})
#: Lookup v2's data packages (the ``Fields`` values); the emulator computes the first three, and
#: answers the others with what was seeded for the number, or null.
PACKAGES = ("validation", "caller_name", "line_type_intelligence", "sim_swap", "call_forwarding", "line_status",
            "identity_match", "reassigned_number", "sms_pumping_risk", "phone_number_quality_score", "pre_fill")
#: Lookup v1's carrier types, from v2's line types.
V1_TYPES = {"mobile": "mobile", "landline": "landline", "fixedVoip": "voip", "nonFixedVoip": "voip"}
#: Caller Name's error outside its coverage (CNAM is a US service).
UNSUPPORTED_COUNTRY = 60607


def line_of(number: Number) -> Line:
    """The magic numbers' answer for a valid ``number``."""
    return next(line for start, line in LINES if number.phone_number.startswith(start) or
                (len(start) == 1 and number.phone_number.endswith(start)))


def line_type_intelligence(number: Number) -> Dict[str, Any]:
    """Line Type Intelligence's object for a valid ``number``."""
    line = line_of(number)
    carried = line.type not in NO_CARRIER
    mobile = line.type == "mobile"
    iso = number.country.iso if number.country else ""
    return {"carrier_name": line.carrier if carried else None, "error_code": None,
            "mobile_country_code": MOBILE_COUNTRY_CODES.get(iso) if carried else None,
            "mobile_network_code": MOBILE_NETWORK_CODE if mobile and iso in MOBILE_COUNTRY_CODES else None,
            "type": line.type}


def caller_name(number: Number) -> Dict[str, Any]:
    """Caller Name's object for a valid ``number`` (US numbers only)."""
    if number.country is None or number.country.iso != "US":
        return {"caller_name": None, "caller_type": None, "error_code": UNSUPPORTED_COUNTRY}
    line = line_of(number)
    return {"caller_name": line.caller_name, "caller_type": line.caller_type, "error_code": None}


def carrier_v1(number: Number) -> Dict[str, Any]:
    """Lookup v1's ``carrier`` object: v2's line in v1's words."""
    found = line_type_intelligence(number)
    return {"mobile_country_code": found["mobile_country_code"], "mobile_network_code": found["mobile_network_code"],
            "name": found["carrier_name"], "type": V1_TYPES.get(found["type"]), "error_code": None}


def requested(fields: Optional[str]) -> List[str]:
    """The packages ``Fields`` asks for (comma-separated); 400 for one Lookup does not have."""
    asked = [name.strip() for name in (fields or "").split(",") if name.strip()]
    unknown = [name for name in asked if name not in PACKAGES]
    if unknown:
        raise invalid_parameter(f"Fields has {', '.join(map(repr, unknown))}, which Lookup v2 does not have: "
                                f"use a comma-separated list of {', '.join(PACKAGES)}.")
    return asked


def _seeded(backend: "Backend", match: Match, number: Number) -> Dict[str, Any]:
    """What a test seeded for the number (found by its E.164 form or as asked), the fields it set."""
    store = backend.store
    with store.lock:
        record = store.get(match.collection_path, number.phone_number) or \
            store.get(match.collection_path, match.instance_id or "")
        return {name: value for name, value in (record or {}).items() if value is not None and name != "url"}


def _basics(number: Number) -> Dict[str, Any]:
    country = number.country if number.valid else None
    return {"phone_number": number.phone_number, "country_code": country.iso if country else None,
            "national_format": number.national_format}


def fetch_v2(backend: "Backend", match: Match, query: Mapping[str, Any]) -> Dict[str, Any]:
    """``GET /v2/PhoneNumbers/{PhoneNumber}``: the number validated, and the packages ``Fields`` asks for."""
    packages = requested(query.get("Fields"))
    number = parse(match.instance_id or "", query.get("CountryCode"))
    country = number.country if number.valid else None
    answer: Dict[str, Any] = {**_basics(number), "valid": number.valid,
                              "calling_country_code": country.calling_code if country else None,
                              "validation_errors": list(number.errors) or None}
    computed = {"caller_name": caller_name, "line_type_intelligence": line_type_intelligence}
    for package in packages:
        if package in computed:
            answer[package] = computed[package](number) if number.valid else None
    seeded = _seeded(backend, match, number)
    answer.update({name: value for name, value in seeded.items() if name not in PACKAGES or name in packages})
    answer["url"] = match.operation.domain.url_path(match.collection_path, answer["phone_number"])
    return answer


def fetch_v1(backend: "Backend", match: Match, query: Mapping[str, Any]) -> Dict[str, Any]:
    """``GET /v1/PhoneNumbers/{PhoneNumber}``: 404 for an invalid number; ``Type`` asks for carrier, caller-name."""
    types = query.get("Type") or []
    unknown = [name for name in types if name not in ("carrier", "caller-name")]
    if unknown:
        raise invalid_parameter(f"Type has {', '.join(map(repr, unknown))}: Lookup v1 takes carrier, caller-name.")
    number = parse(match.instance_id or "", query.get("CountryCode"))
    seeded = _seeded(backend, match, number)
    if not number.valid and not seeded:
        raise not_found(match.path)
    answer: Dict[str, Any] = {**(_basics(number) if number.valid else {}), **seeded}
    if "carrier" in types and number.valid:
        answer.setdefault("carrier", carrier_v1(number))
    if "caller-name" in types and number.valid:
        answer.setdefault("caller_name", caller_name(number))
    answer["url"] = match.operation.domain.url_path(match.collection_path, answer.get("phone_number") or
                                                    number.phone_number)
    return answer


#: The operations whose answer this module computes.
HANDLERS = {"lookups.v2.FetchPhoneNumber": fetch_v2, "lookups.v1.FetchPhoneNumber": fetch_v1}
