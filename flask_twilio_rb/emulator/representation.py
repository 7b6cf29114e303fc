"""Records as Twilio shows them: every field of the response schema, SIDs, dates, URIs and URLs.

The 2010-04-01 API writes RFC 2822 dates and relative ``uri`` fields; the newer APIs mostly
ISO 8601 dates (each collection's style is in its table) and absolute ``url`` / ``links``,
which records keep relative (``/verify/v2/Services/VA...``) and :func:`project` makes
absolute on the origin the request was sent to.
"""
from __future__ import annotations

import copy
import datetime as _dt
import functools
import re
import uuid
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any, Dict, Iterable, Mapping, Optional, Tuple

from ..wire import API_VERSION
from . import declarations
from .domains import API, Domain
from .store import hidden, new_sid

#: The value of ``api_version`` in every record.
API_VERSION_NAME = API_VERSION.strip("/")
#: The fields a new record's moment fills (a few newer descriptions spell them in camelCase).
DATE_FIELDS = ("date_created", "date_updated", "dateCreated", "dateUpdated")
#: The fields of the newer APIs holding URLs on the emulator's origin.
URL_FIELDS = ("url", "links")


def utcnow() -> _dt.datetime:
    """Now, in UTC, to the second (Twilio's dates have no fractions)."""
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)


def rfc2822(moment: _dt.datetime) -> str:
    """``Fri, 27 Nov 2026 08:00:00 +0000``, as Twilio writes dates."""
    return format_datetime(moment.astimezone(_dt.timezone.utc))


def stamp(moment: _dt.datetime, style: str) -> str:
    """``moment`` as a collection writes dates: ``rfc2822`` or ``iso`` (``2026-11-27T08:00:00Z``)."""
    if style == "iso":
        return moment.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return rfc2822(moment)


def parse_rfc2822(text: str) -> _dt.datetime:
    """The moment an RFC 2822 date names."""
    return parsedate_to_datetime(text)


def snake(name: str) -> str:
    """``StatusCallback`` -> ``status_callback``: a Twilio parameter's field name."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def field_of(name: str, record: Mapping[str, Any]) -> str:
    """The field a parameter fills: its own name when the record has it (JSON's ``userName``), else snake_case."""
    return name if name in record else snake(name)


@functools.lru_cache(maxsize=None)
def collection_fields(collection: str, domain: Domain = API) -> Tuple[str, ...]:
    """Every field any operation of ``collection`` answers with (a key's ``secret`` included)."""
    names: Dict[str, None] = {}
    for by_method in domain.table.ROUTES.values():
        for _, _, route_collection, schema, *_ in by_method.values():
            if route_collection == collection and schema:
                names.update(dict.fromkeys(domain.table.FIELDS[schema]))
    return tuple(names)


def instance_uri(collection_path: str, ident: str) -> str:
    """``/2010-04-01/Accounts/AC.../Calls/CA....json``."""
    return f"{API_VERSION}{collection_path}/{ident}.json"


def new_record(collection: str, collection_path: str, path_values: Mapping[str, str],
               params: Mapping[str, Any], fields: Iterable[str], domain: Domain = API,
               preset: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    """A new record of ``collection`` (a table template) living at ``collection_path``.

    Path values and posted parameters fill the fields of the same (snake_case) name, then
    ``preset`` field values (a seed's); the kind's declarations, a new SID, the dates and the
    URIs (or URLs) fill the rest; unknown fields are null.
    """
    kind = domain.qualify(collection.rsplit("/", 1)[-1])
    record: Dict[str, Any] = dict.fromkeys(fields)
    record.update(copy.deepcopy(declarations.DEFAULTS.get(kind, {})))
    derive = declarations.DERIVED.get(kind)
    if derive is not None:
        record.update(derive(params))
    for name, value in list(path_values.items()) + list(params.items()):
        field = field_of(name, record)
        if field in record:
            record[field] = value
    record.update(preset or {})
    id_field, prefix, dates = domain.collection(collection)
    ident = record.get(id_field) or new_id(prefix or declarations.SID_PREFIXES.get(kind, ""), id_field, domain)
    record[id_field] = ident
    now = stamp(utcnow(), dates)
    for field in DATE_FIELDS:
        if field in record and record[field] is None:
            record[field] = now
    if domain.product:
        own = ident if collection in domain.instance_collections else None
        _fill_if_present(record, "url", domain.url_path(collection_path, own))
        if "links" in record and record["links"] is None:
            record["links"] = domain.links(collection, record)
    else:
        _fill_if_present(record, "api_version", API_VERSION_NAME)
        _fill_if_present(record, "uri", instance_uri(collection_path, ident))
        subresources = domain.table.SUBRESOURCES.get(collection)
        if subresources and "subresource_uris" in record and record["subresource_uris"] is None:
            base = instance_uri(collection_path, ident)[:-len(".json")]
            record["subresource_uris"] = {name: base + suffix for name, suffix in subresources.items()}
    hidden(record)["params"] = dict(params)
    return record


def new_id(prefix: str, id_field: str = "sid", domain: Domain = API) -> str:
    """A new SID with ``prefix`` (``XX`` when its description shows none); an id that is no SID: 32 hex digits."""
    if prefix or not domain.product or id_field.endswith("sid"):
        return new_sid(prefix or "XX")
    return uuid.uuid4().hex


def _fill_if_present(record: Dict[str, Any], field: str, value: Any) -> None:
    if field in record and record[field] is None:
        record[field] = value


def project(record: Mapping[str, Any], fields: Iterable[str], origin: Optional[str] = None) -> Dict[str, Any]:
    """The representation: ``fields`` of the record (null when unknown), a deep copy.

    :param origin: for the newer APIs, the origin their ``url`` and ``links`` are made absolute on.
    """
    shown = {name: copied(record.get(name)) for name in fields}
    if origin is not None:
        for name in URL_FIELDS:
            if name in shown:
                shown[name] = absolute(shown[name], origin)
    return shown


def copied(value: Any) -> Any:
    """A deep copy of a JSON value (dicts, lists, scalars), at a fraction of ``copy.deepcopy``'s cost.

    Anything else a record may hold goes through ``copy.deepcopy``.
    """
    kind = type(value)
    if kind is str or kind is int or kind is bool or kind is float or value is None:
        return value
    if kind is dict:
        return {key: copied(item) for key, item in value.items()}
    if kind is list:
        return [copied(item) for item in value]
    return copy.deepcopy(value)


def absolute(value: Any, origin: str) -> Any:
    """A relative URL (or a dict of them) on ``origin``; anything else unchanged."""
    if isinstance(value, str) and value.startswith("/"):
        return origin + value
    if isinstance(value, dict):
        return {key: absolute(item, origin) for key, item in value.items()}
    return value
