"""Which record a request names: by id or unique name, a singleton, a parent that must exist.

The 2010-04-01 API names every record by its SID under its account's path; the newer APIs
also name a record by its ``unique_name`` (a conversation, a Sync document), a parent by
either (its children live under its SID), and have singletons that always exist (a service's
``Configuration``). These rules read the store; :class:`.backend.Backend` applies them.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional

from ..wire import API_VERSION
from .errors import TwilioAPIError, not_found
from .representation import collection_fields, new_record
from .routing import Match, Operation, fill
from .store import Store

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .backend import Backend

#: A placeholder naming a parent record by SID (``{ServiceSid}``).
_SID_PLACEHOLDER = re.compile(r"{(\w+Sid)}")


def existing(backend: "Backend", match: Match) -> Dict[str, Any]:
    """The record a request names; 404 when there is none.

    A singleton (a payload's Data, a service's Configuration) is the collection's one record;
    the newer APIs' singletons always exist (made on first use, as Twilio has them), and their
    instances may be named by ``unique_name`` as well as by id.
    """
    store, domain = backend.store, match.operation.domain
    if match.instance_id is None:
        record = next(iter(store.newest_first(match.collection_path)), None)
        if record is None and domain.product and match.operation.verb != "Delete":
            record = _made_singleton(backend, match)
    elif match.operation.kind == "Members" and match.instance_id == "Front":  # Twilio's name of the first
        record = next(reversed(store.newest_first(match.collection_path)), None)
    else:
        record = store.get(match.collection_path, match.instance_id)
        if record is None and domain.product:
            record = named(store, match.collection_path, match.instance_id)
    if record is None:
        raise not_found(match.path)
    return record


def _made_singleton(backend: "Backend", match: Match) -> Dict[str, Any]:
    operation = match.operation
    check_parent(backend.store, match)
    record = new_record(operation.collection, match.collection_path, match.record_values, {},
                        collection_fields(operation.collection, operation.domain), operation.domain)
    backend.add_record(operation.collection, match.collection_path, record, match.scope or "", operation.domain)
    return record


def named(store: Store, collection_path: str, name: str) -> Optional[Dict[str, Any]]:
    """The record of the collection whose ``unique_name`` is ``name``, if any."""
    return next((r for r in store.newest_first(collection_path) if r.get("unique_name") == name), None)


def check_unique(store: Store, match: Match, record: Mapping[str, Any]) -> None:
    """409 (20409) for a second record with the same id or ``unique_name`` in one collection."""
    ident = record[match.operation.domain.collection(match.operation.collection)[0]]
    name = record.get("unique_name")
    if store.get(match.collection_path, ident) is not None or (name and named(store, match.collection_path, name)):
        raise TwilioAPIError(409, 20409, f"Conflict: {match.path} already has a resource named "
                                         f"{name if name and ident != name else ident}.")


def canonical(store: Store, match: Match) -> Match:
    """The newer APIs name a parent by SID or by unique name; its children live under its SID."""
    operation = match.operation
    values = dict(match.values)
    for name in _SID_PLACEHOLDER.findall(operation.collection):
        parent = parent_path(operation, name, {**values, "AccountSid": match.scope or ""})
        if parent is not None and store.get(parent, values[name]) is None:
            found = named(store, parent, values[name])
            if found is not None:
                values[name] = found[operation.domain.collection(parent_template(operation.collection, name))[0]]
    if values == match.values:
        return match
    path = fill(operation.store_template, {**values, "AccountSid": match.scope or ""})
    return replace(match, values=values, collection_path=path)


def parent_template(collection: str, name: str) -> str:
    """``/v2/Services/{ServiceSid}/Entities``, ``ServiceSid`` -> ``/v2/Services``: the parent's collection."""
    return collection.split("/{%s}" % name)[0]


def parent_path(operation: Operation, name: str, values: Mapping[str, str]) -> Optional[str]:
    """The store path of the collection holding the parent named by the placeholder ``name``, if it is one."""
    template = parent_template(operation.collection, name)
    if operation.domain.product and template not in operation.domain.table.COLLECTIONS:
        return None  # a path segment, not a collection of records (/Exports/{ResourceType}...)
    return fill(operation.domain.store_template(template), values)


def check_parent(store: Store, match: Match) -> None:
    """Creating under a parent (a call's recordings) needs the parent to exist, as on Twilio."""
    operation = match.operation
    parents = _SID_PLACEHOLDER.findall(operation.collection)[0 if operation.domain.product else 1:]
    path = parent_path(operation, parents[-1], match.record_values) if parents else None
    if path is None:
        return
    ident = match.values[parents[-1]]
    if store.get(path, ident) is None:
        domain = operation.domain
        raise not_found(domain.url_path(path, ident) if domain.product else f"{API_VERSION}{path}/{ident}.json")
