"""Looking inside the emulator by resource class: stored records, and seeding records Twilio makes itself."""
from __future__ import annotations

import re
from typing import Any, Dict, List, Mapping, Tuple, Type

from ...resources.base import Resource
from . import table
from .backend import ACCOUNTS, Backend
from .representation import collection_fields, new_record, project
from .routing import fill
from .special import GENERATORS

#: Collections Twilio computes (balance, numbers for sale, usage): nothing of them is stored.
GENERATED = frozenset(collection for by_method in table.ROUTES.values()
                      for operation_id, _, collection, *_ in by_method.values() if operation_id in GENERATORS)


def collection_of(cls: Type[Resource]) -> str:
    """The table collection a resource class lives in (``Call`` -> ``/Accounts/{AccountSid}/Calls``)."""
    path = re.sub(r"{(\w+)}", lambda m: "" if m.group(1) in cls._choices else "{%s}" % _camel(m.group(1)),
                  cls._path)
    if path not in table.COLLECTIONS or path in GENERATED:
        raise ValueError(f"The emulator stores no {cls.__name__} records ({cls._path} is not a stored collection).")
    return path


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def fields_of(backend: Backend, cls: Type[Resource]) -> Tuple[str, ...]:
    """The fields of a class's representation: its fetch answer, else its list's, else its create's."""
    operations = cls._operations  # every stored class has one of the three (collection_of checked it)
    return backend.router.operations[operations.get("fetch") or operations.get("list") or operations["create"]].fields


def records(backend: Backend, cls: Type[Resource], account_sid: str) -> List[Dict[str, Any]]:
    """Every stored record of ``cls`` under ``account_sid`` (subaccounts: those it owns), newest first."""
    collection = collection_of(cls)
    fields = fields_of(backend, cls)
    if collection == ACCOUNTS:
        found = [r for r in backend.store.newest_first(ACCOUNTS) if account_sid in (r["sid"], r["owner_account_sid"])]
    else:
        pattern = re.compile(re.sub(r"\\{(\w+)\\}", lambda m: re.escape(account_sid) if m.group(1) == "AccountSid"
                                    else "[^/]+", re.escape(collection)) + r"\Z")
        found = [r for path, stored in backend.store.collections() if pattern.match(path) for r in stored]
        found.reverse()
    with backend.store.lock:
        return [project(record, fields) for record in found]


def seed(backend: Backend, cls: Type[Resource], account_sid: str, fields: Mapping[str, Any]) -> Dict[str, Any]:
    """Store a record of ``cls`` with ``fields`` (snake_case, ``from_`` for ``from``; parents by name,
    ``call_sid=``); returns its representation."""
    collection = collection_of(cls)
    known = collection_fields(collection)
    fields = {name.rstrip("_"): value for name, value in fields.items()}  # from_ as the library spells it
    unknown = sorted(set(fields) - set(known) - {_snake_placeholder(p) for p in re.findall(r"{(\w+)}", collection)})
    if unknown:
        raise TypeError(f"seed({cls.__name__!r}): no field {', '.join(unknown)}; it has {', '.join(known)}.")
    values = {"AccountSid": account_sid}
    values.update({_camel(name): value for name, value in fields.items() if "{%s}" % _camel(name) in collection})
    missing = [p for p in re.findall(r"{(\w+)}", collection) if p not in values]
    if missing:
        raise TypeError(f"seed({cls.__name__!r}) needs the parent: pass "
                        f"{', '.join(_snake_placeholder(p) + '=...' for p in missing)}.")
    path = fill(collection, values)
    record = new_record(collection, path, values, {}, known)
    record.update(fields)
    with backend.store.lock:
        backend.add_record(collection, path, record, account_sid)
        return project(record, fields_of(backend, cls))


def _snake_placeholder(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()
