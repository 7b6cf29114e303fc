"""Records as Twilio shows them: every field of the response schema, SIDs, RFC 2822 dates, URIs."""
from __future__ import annotations

import copy
import datetime as _dt
import functools
import re
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any, Dict, Iterable, Mapping, Tuple

from ..wire import API_VERSION
from . import declarations, table
from .store import hidden, new_sid

#: The value of ``api_version`` in every record.
API_VERSION_NAME = API_VERSION.strip("/")


def utcnow() -> _dt.datetime:
    """Now, in UTC, to the second (Twilio's dates have no fractions)."""
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)


def rfc2822(moment: _dt.datetime) -> str:
    """``Fri, 27 Nov 2026 08:00:00 +0000``, as Twilio writes dates."""
    return format_datetime(moment.astimezone(_dt.timezone.utc))


def parse_rfc2822(text: str) -> _dt.datetime:
    """The moment an RFC 2822 date names."""
    return parsedate_to_datetime(text)


def snake(name: str) -> str:
    """``StatusCallback`` -> ``status_callback``: a Twilio parameter's field name."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


@functools.lru_cache(maxsize=None)
def collection_fields(collection: str) -> Tuple[str, ...]:
    """Every field any operation of ``collection`` answers with (a key's ``secret`` included)."""
    names: Dict[str, None] = {}
    for by_method in table.ROUTES.values():
        for _, _, route_collection, schema, *_ in by_method.values():
            if route_collection == collection and schema:
                names.update(dict.fromkeys(table.FIELDS[schema]))
    return tuple(names)


def instance_uri(collection_path: str, ident: str) -> str:
    """``/2010-04-01/Accounts/AC.../Calls/CA....json``."""
    return f"{API_VERSION}{collection_path}/{ident}.json"


def new_record(collection: str, collection_path: str, path_values: Mapping[str, str],
               params: Mapping[str, Any], fields: Iterable[str]) -> Dict[str, Any]:
    """A new record of ``collection`` (a table template) living at ``collection_path``.

    Path values and posted parameters fill the fields of the same (snake_case) name; the
    kind's declarations, a new SID, the dates and the URIs fill the rest; unknown fields are null.
    """
    kind = collection.rsplit("/", 1)[-1]
    record: Dict[str, Any] = dict.fromkeys(fields)
    record.update(declarations.DEFAULTS.get(kind, {}))
    derive = declarations.DERIVED.get(kind)
    if derive is not None:
        record.update(derive(params))
    for name, value in list(path_values.items()) + list(params.items()):
        field = snake(name)
        if field in record:
            record[field] = value
    id_field, prefix = table.COLLECTIONS.get(collection, ("sid", ""))
    ident = record.get(id_field) or new_sid(prefix or declarations.SID_PREFIXES.get(kind, "XX"))
    record[id_field] = ident
    now = rfc2822(utcnow())
    for field in ("date_created", "date_updated"):
        if field in record and record[field] is None:
            record[field] = now
    _fill_if_present(record, "api_version", API_VERSION_NAME)
    _fill_if_present(record, "uri", instance_uri(collection_path, ident))
    subresources = table.SUBRESOURCES.get(collection)
    if subresources and "subresource_uris" in record:
        base = instance_uri(collection_path, ident)[:-len(".json")]
        record["subresource_uris"] = {name: base + suffix for name, suffix in subresources.items()}
    hidden(record)["params"] = dict(params)
    return record


def _fill_if_present(record: Dict[str, Any], field: str, value: Any) -> None:
    if field in record and record[field] is None:
        record[field] = value


def project(record: Mapping[str, Any], fields: Iterable[str]) -> Dict[str, Any]:
    """The representation: ``fields`` of the record (null when unknown), a deep copy."""
    return copy.deepcopy({name: record.get(name) for name in fields})
