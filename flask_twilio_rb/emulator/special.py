"""Resources Twilio computes rather than stores: balance, countries, numbers for sale, usage records.

Each generator takes the backend, the matched request and its checked query, and returns one
record (fetch) or the full list (list); the generic code projects and pages them.
"""
from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Mapping

from ..wire import API_VERSION
from . import table
from .errors import not_found
from .representation import API_VERSION_NAME, instance_uri
from .routing import Match

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .backend import Backend

#: Countries with numbers for sale: ISO code -> (name, country calling code).
COUNTRIES = {"US": ("United States", "1"), "CA": ("Canada", "1"), "GB": ("United Kingdom", "44")}
#: How many numbers a search finds (Twilio answers at most a few dozen too).
NUMBERS_FOUND = 30
Generator = Callable[["Backend", Match, Mapping[str, Any]], Any]


def balance(backend: "Backend", match: Match, query: Mapping[str, Any]) -> Dict[str, Any]:
    """The account's balance: a fixed, comfortable amount."""
    return {"account_sid": match.account_sid, "balance": "100.00", "currency": "USD"}


def _country(account_path: str, code: str) -> Dict[str, Any]:
    base = instance_uri(f"{account_path}/AvailablePhoneNumbers", code)
    suffixes = table.SUBRESOURCES["/Accounts/{AccountSid}/AvailablePhoneNumbers"]
    return {"country_code": code, "country": COUNTRIES[code][0], "uri": base, "beta": False,
            "subresource_uris": {name: base[:-len(".json")] + suffix for name, suffix in suffixes.items()}}


def countries(backend: "Backend", match: Match, query: Mapping[str, Any]) -> List[Dict[str, Any]]:
    """Every country of :data:`COUNTRIES`."""
    return [_country(_account_path(match), code) for code in COUNTRIES]


def country(backend: "Backend", match: Match, query: Mapping[str, Any]) -> Dict[str, Any]:
    """One country; 404 for a country without numbers."""
    if match.instance_id not in COUNTRIES:
        raise not_found(f"{API_VERSION}{match.collection_path}/{match.instance_id}.json")
    return _country(_account_path(match), match.instance_id)


def available_numbers(backend: "Backend", match: Match, query: Mapping[str, Any]) -> List[Dict[str, Any]]:
    """Numbers for sale in the country, in the ``AreaCode`` asked for and ending with ``Contains``' digits."""
    code = match.values["CountryCode"]
    if code not in COUNTRIES:
        raise not_found(f"{API_VERSION}{match.collection_path}.json")
    calling_code = COUNTRIES[code][1]
    area = str(query.get("AreaCode", 415))
    wanted = "".join(ch for ch in str(query.get("Contains", "")) if ch.isdigit())[-7:]
    numbers = []
    for index in range(NUMBERS_FOUND):
        # Seven local digits ending with the digits asked for; the index keeps the numbers apart.
        local = (f"{index + 200:03d}5550000"[:7 - len(wanted)] + wanted) if wanted else f"555{index:04d}"
        numbers.append({
            "friendly_name": f"({area}) {local[:3]}-{local[3:]}", "phone_number": f"+{calling_code}{area}{local}",
            "lata": None, "locality": None, "rate_center": None, "latitude": None, "longitude": None,
            "region": None, "postal_code": None, "iso_country": code, "address_requirements": "none", "beta": False,
            "capabilities": {"voice": True, "SMS": True, "MMS": True, "fax": False},
        })
    return list({number["phone_number"]: number for number in numbers}.values())


def usage_records(backend: "Backend", match: Match, query: Mapping[str, Any]) -> List[Dict[str, Any]]:
    """This month's usage: how many calls and messages the account made (``Category`` filters as a field)."""
    counts = {"calls": len(backend.stored(match.account_sid, "Calls")),
              "sms": len(backend.stored(match.account_sid, "Messages"))}
    today = _dt.date.today()
    records: List[Dict[str, Any]] = []
    for category, count in counts.items():
        records.append({
            "account_sid": match.account_sid, "api_version": API_VERSION_NAME, "as_of": today.isoformat(),
            "category": category, "count": str(count), "count_unit": category, "description": category.title(),
            "end_date": today.isoformat(), "price": "0", "price_unit": "usd",
            "start_date": today.replace(day=1).isoformat(), "subresource_uris": {},
            "uri": f"{API_VERSION}{match.collection_path}.json?Category={category}",
            "usage": str(count), "usage_unit": category,
        })
    return records


def _account_path(match: Match) -> str:
    return f"/Accounts/{match.account_sid}"


#: operationId -> the generator answering it.
GENERATORS: Dict[str, Generator] = {
    "FetchBalance": balance,
    "ListAvailablePhoneNumberCountry": countries,
    "FetchAvailablePhoneNumberCountry": country,
}
GENERATORS.update({
    operation_id: available_numbers
    for by_method in table.ROUTES.values() for operation_id, *_ in by_method.values()
    if operation_id.startswith("ListAvailablePhoneNumber") and operation_id not in GENERATORS
})
GENERATORS.update({
    operation_id: usage_records
    for by_method in table.ROUTES.values() for operation_id, *_ in by_method.values()
    if operation_id.startswith("ListUsageRecord")
})
