"""Looking inside the emulator by operation: stored records, and seeding records Twilio makes itself.

A resource is named by the operationIds that serve it (``FetchCall``, ``ListCall``...): the
first one whose collection the emulator stores gives the collection, the first with a response
schema gives the fields. The library's adapter (:mod:`flask_twilio_rb.local`) turns a resource
class into its operationIds; nothing here knows the library's classes.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Mapping, Sequence, Tuple

from . import table
from .backend import ACCOUNTS, Backend
from .representation import collection_fields, new_record, project
from .routing import fill
from .special import GENERATORS

#: Collections Twilio computes (balance, numbers for sale, usage): nothing of them is stored.
GENERATED = frozenset(collection for by_method in table.ROUTES.values()
                      for operation_id, _, collection, *_ in by_method.values() if operation_id in GENERATORS)


def collection_of(backend: Backend, operation_ids: Sequence[str], name: str) -> Tuple[str, Tuple[str, ...]]:
    """The stored collection (``/Accounts/{AccountSid}/Calls``) and the fields of a resource's operations."""
    operations = [backend.router.operations[op] for op in operation_ids if op in backend.router.operations]
    stored = [op.collection for op in operations if op.collection in table.COLLECTIONS and op.collection not in GENERATED]
    if not stored:
        raise ValueError(f"The emulator stores no {name} records (its operations {', '.join(operation_ids) or 'none'}"
                         f" serve no stored collection).")
    fields = next((op.fields for op in operations if op.fields), ())
    return stored[0], fields


def records(backend: Backend, operation_ids: Sequence[str], name: str, account_sid: str) -> List[Dict[str, Any]]:
    """Every stored record under ``account_sid`` (subaccounts: those it owns), newest first."""
    collection, fields = collection_of(backend, operation_ids, name)
    if collection == ACCOUNTS:
        found = [r for r in backend.store.newest_first(ACCOUNTS) if account_sid in (r["sid"], r["owner_account_sid"])]
    else:
        pattern = re.compile(re.sub(r"\\{(\w+)\\}", lambda m: re.escape(account_sid) if m.group(1) == "AccountSid"
                                    else "[^/]+", re.escape(collection)) + r"\Z")
        found = [r for path, stored in backend.store.collections() if pattern.match(path) for r in stored]
        found.reverse()
    with backend.store.lock:
        return [project(record, fields) for record in found]


def seed(backend: Backend, operation_ids: Sequence[str], name: str, account_sid: str,
         fields: Mapping[str, Any]) -> Dict[str, Any]:
    """Store a record with ``fields`` (snake_case, ``from_`` for ``from``; parents by name, ``call_sid=``);
    returns its representation."""
    collection, shown = collection_of(backend, operation_ids, name)
    known = collection_fields(collection)
    fields = {field.rstrip("_"): value for field, value in fields.items()}  # from_ as the library spells it
    unknown = sorted(set(fields) - set(known) - {_snake_placeholder(p) for p in re.findall(r"{(\w+)}", collection)})
    if unknown:
        raise TypeError(f"seed({name!r}): no field {', '.join(unknown)}; it has {', '.join(known)}.")
    values = {"AccountSid": account_sid}
    values.update({_camel(field): value for field, value in fields.items() if "{%s}" % _camel(field) in collection})
    missing = [p for p in re.findall(r"{(\w+)}", collection) if p not in values]
    if missing:
        raise TypeError(f"seed({name!r}) needs the parent: pass "
                        f"{', '.join(_snake_placeholder(p) + '=...' for p in missing)}.")
    path = fill(collection, values)
    record = new_record(collection, path, values, {}, known)
    record.update(fields)
    with backend.store.lock:
        backend.add_record(collection, path, record, account_sid)
        return project(record, shown)


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _snake_placeholder(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()
