"""Looking inside the emulator by operation: stored records, and seeding records Twilio makes itself.

A resource is named by the operationIds that serve it (``FetchCall``, ``ListCall``...; for the
newer APIs qualified by their description, ``verify.v2.FetchService``): the first one whose
collection the emulator stores gives the collection, the first with a response schema gives
the fields. The library's adapter (:mod:`flask_twilio_rb.local`) turns a resource class into
its operationIds; nothing here knows the library's classes.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Mapping, Sequence, Tuple

from .backend import ACCOUNTS, Backend
from .representation import collection_fields, project, snake
from .routing import Operation, router_for
from .special import GENERATORS

#: Collections Twilio computes (balance, numbers for sale, usage): nothing of them is stored.
GENERATED = frozenset(op.store_template for op in router_for("").operations.values() if op.qualified_id in GENERATORS)


def collection_of(backend: Backend, operation_ids: Sequence[str], name: str) -> Tuple[str, Tuple[str, ...]]:
    """The stored collection (``/Accounts/{AccountSid}/Calls``) and the fields of a resource's operations."""
    collection, fields, _ = _collection(backend, operation_ids, name)
    return collection, fields


def _collection(backend: Backend, operation_ids: Sequence[str], name: str) -> Tuple[str, Tuple[str, ...], Operation]:
    operations = [op for op in map(backend.operation, operation_ids) if op is not None]
    stored = [op for op in operations if op.collection in op.domain.table.COLLECTIONS
              and op.store_template not in GENERATED and op.qualified_id not in GENERATORS]
    if not stored:
        raise ValueError(f"The emulator stores no {name} records (its operations {', '.join(operation_ids) or 'none'}"
                         f" serve no stored collection).")
    fields = next((op.fields for op in operations if op.fields), ())
    return stored[0].store_template, fields, stored[0]


def records(backend: Backend, operation_ids: Sequence[str], name: str, account_sid: str) -> List[Dict[str, Any]]:
    """Every stored record under ``account_sid`` (subaccounts: those it owns), newest first."""
    collection, fields, operation = _collection(backend, operation_ids, name)
    if collection == ACCOUNTS:
        found = [r for r in backend.store.newest_first(ACCOUNTS) if account_sid in (r["sid"], r["owner_account_sid"])]
    else:
        pattern = re.compile(re.sub(r"\\{(\w+)\\}", lambda m: re.escape(account_sid) if m.group(1) == "AccountSid"
                                    else "[^/]+", re.escape(collection)) + r"\Z")
        found = [r for path, stored in backend.store.collections() if pattern.match(path) for r in stored]
        found.reverse()
    origin = backend.origin if operation.domain.product else None
    with backend.store.lock:
        return [project(record, fields, origin) for record in found]


def seed(backend: Backend, operation_ids: Sequence[str], name: str, account_sid: str,
         fields: Mapping[str, Any]) -> Dict[str, Any]:
    """Store a record with ``fields`` (snake_case, ``from_`` for ``from``; parents by name, ``call_sid=``);
    returns its representation."""
    collection, shown, operation = _collection(backend, operation_ids, name)
    domain = operation.domain
    known = collection_fields(operation.collection, domain)
    fields = {field.rstrip("_"): value for field, value in fields.items()}  # from_ as the library spells it
    placeholders = {snake(p): p for p in re.findall(r"{(\w+)}", collection)}
    unknown = sorted(set(fields) - set(known) - set(placeholders))
    if unknown:
        raise TypeError(f"seed({name!r}): no field {', '.join(unknown)}; it has {', '.join(known)}.")
    values = {"AccountSid": account_sid}
    values.update({placeholders[field]: value for field, value in fields.items() if field in placeholders})
    missing = [p for p in placeholders.values() if p not in values]
    if missing:
        raise TypeError(f"seed({name!r}) needs the parent: pass "
                        f"{', '.join(snake(p) + '=...' for p in missing)}.")
    record = backend.make(operation.collection, values, {}, domain=domain, preset=fields)
    with backend.store.lock:
        return project(record, shown, backend.origin if domain.product else None)
