"""Thread-safe in-memory state: records by collection, credentials, subaccount owners, SIDs.

Every record is a dict of its public fields plus, under :data:`HIDDEN`, what the emulator keeps
beside them (the parameters it was created with, an API key's secret). Callers hold
:attr:`Store.lock` across a read-modify-write; each method also takes it, so a single call is
atomic on its own.
"""
from __future__ import annotations

import hmac
import threading
import uuid
from typing import Any, Dict, Iterator, List, Optional, Tuple

#: The key of a record's emulator-only data; never part of a representation.
HIDDEN = "_emulator"


def new_sid(prefix: str) -> str:
    """A SID: the two-letter prefix and 32 hex digits."""
    return prefix + uuid.uuid4().hex


def hidden(record: Dict[str, Any]) -> Dict[str, Any]:
    """The emulator-only data of ``record`` (created on first use)."""
    return record.setdefault(HIDDEN, {})


class Store:
    """Records by concrete collection path (``/Accounts/AC.../Calls``), newest last."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._collections: Dict[str, Dict[str, Dict[str, Any]]] = {}
        self._credentials: Dict[str, Tuple[str, str]] = {}
        self._owners: Dict[str, str] = {}
        #: Records whose status still progresses (calls, messages): SID -> collection path.
        self.progressing: Dict[str, str] = {}

    # -- records -------------------------------------------------------------------------------
    def put(self, collection_path: str, ident: str, record: Dict[str, Any]) -> None:
        """Store (or replace) the record named ``ident``."""
        with self.lock:
            self._collections.setdefault(collection_path, {})[ident] = record

    def get(self, collection_path: str, ident: str) -> Optional[Dict[str, Any]]:
        """The record, or ``None``."""
        with self.lock:
            return self._collections.get(collection_path, {}).get(ident)

    def remove(self, collection_path: str, ident: str) -> Optional[Dict[str, Any]]:
        """Forget the record; returns it, or ``None`` when there was none."""
        with self.lock:
            self.progressing.pop(ident, None)
            return self._collections.get(collection_path, {}).pop(ident, None)

    def remove_under(self, prefix: str) -> None:
        """Forget every collection whose path starts with ``prefix`` (the children of a deleted record)."""
        with self.lock:
            for path in [path for path in self._collections if path.startswith(prefix)]:
                for ident in self._collections.pop(path):
                    self.progressing.pop(ident, None)

    def newest_first(self, collection_path: str) -> List[Dict[str, Any]]:
        """A snapshot of the collection's records, newest first (as Twilio lists them)."""
        with self.lock:
            return list(reversed(self._collections.get(collection_path, {}).values()))

    def collections(self) -> Iterator[Tuple[str, List[Dict[str, Any]]]]:
        """A snapshot of every collection path with its records, oldest first."""
        with self.lock:
            snapshot = [(path, list(records.values())) for path, records in self._collections.items()]
        return iter(snapshot)

    # -- accounts and credentials ------------------------------------------------------------
    def add_credential(self, user: str, secret: str, account_sid: str) -> None:
        """Let ``user``/``secret`` authenticate as ``account_sid`` (an account's token or an API key)."""
        with self.lock:
            self._credentials[user] = (secret, account_sid)

    def remove_credential(self, user: str) -> None:
        """Forget a credential (a deleted API key)."""
        with self.lock:
            self._credentials.pop(user, None)

    def authenticate(self, user: str, secret: str) -> Optional[str]:
        """The account ``user``/``secret`` acts as, or ``None``; compares in constant time."""
        with self.lock:
            known = self._credentials.get(user)
        if known is None or not hmac.compare_digest(known[0].encode(), secret.encode()):
            return None
        return known[1]

    def set_owner(self, account_sid: str, owner_sid: str) -> None:
        """Record that ``owner_sid`` owns ``account_sid`` (a subaccount; the main account owns itself)."""
        with self.lock:
            self._owners[account_sid] = owner_sid

    def owner(self, account_sid: str) -> Optional[str]:
        """The account owning ``account_sid``, or ``None`` for an unknown account."""
        with self.lock:
            return self._owners.get(account_sid)

    def clear(self) -> None:
        """Forget everything."""
        with self.lock:
            self._collections.clear()
            self._credentials.clear()
            self._owners.clear()
            self.progressing.clear()
