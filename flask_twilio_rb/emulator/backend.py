"""The emulator's state and the generic operations: create, fetch, list, update, delete.

Every resource is served by the same code, driven by the generated table (:mod:`.table`):
nothing here is written for one resource, except the small hooks Twilio's own behaviour needs
(accounts and API keys authenticate; calls and messages progress; a call update is a hang-up).
"""
from __future__ import annotations

import re
import threading
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from ..wire import API_VERSION
from . import lifecycle, paging, rules, table, validation
from .callbacks import CallbackRecord, deliver_all
from .errors import TwilioAPIError, authenticate, invalid_parameter, not_found
from .representation import (
    collection_fields,
    new_record,
    project,
    rfc2822,
    snake,
    utcnow,
)
from .routing import Match, Router, fill
from .special import GENERATORS
from .store import Store, hidden

Pairs = Iterable[Tuple[str, str]]
ACCOUNTS = "/Accounts"


class Backend:
    """All the emulator knows, and the operations on it; thread-safe."""

    def __init__(self, account_sid: str, auth_token: str, *, rate_limit: Optional[float], callbacks: bool,
                 concurrency_limit: Optional[int] = None, queue_limit: Optional[int] = None,
                 retry_after: Optional[int] = None) -> None:
        self.account_sid = account_sid
        self._auth_token = auth_token
        self.store = Store()
        self.router = Router()
        self.limiter = rules.RateLimiter(rate_limit, retry_after)
        self.concurrency = rules.ConcurrencyLimiter(concurrency_limit, retry_after)
        self.queue_limit = queue_limit
        self.send_callbacks = callbacks
        self.callbacks: List[CallbackRecord] = []
        self._callbacks_lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Forget everything but the main account (which keeps its SID and auth token)."""
        with self.store.lock:
            self.store.clear()
            own = {"Sid": self.account_sid, "AuthToken": self._auth_token, "OwnerAccountSid": self.account_sid,
                   "FriendlyName": "Emulated account"}
            record = new_record(ACCOUNTS, ACCOUNTS, own, {}, collection_fields(ACCOUNTS))
            self.add_record(ACCOUNTS, ACCOUNTS, record, self.account_sid)
        with self._callbacks_lock:
            self.callbacks.clear()

    # -- a request -------------------------------------------------------------------------------
    def _principal(self, credentials: Tuple[str, str]) -> Optional[str]:
        """The account the credentials act as: their own, or with Twilio Connect a connected one.

        Twilio Connect authenticates as the connected account's SID with the Connect app owner's
        auth token; here every known account counts as connected to the main account.
        """
        principal = self.store.authenticate(*credentials)
        user, secret = credentials
        if principal is None and self.store.owner(user) is not None:
            if self.store.authenticate(self.account_sid, secret) == self.account_sid:
                return user
        return principal

    def handle(self, method: str, path: str, query: Pairs, form: Pairs,
               credentials: Optional[Tuple[str, str]]) -> Tuple[int, Optional[Dict[str, Any]]]:
        """Answer one API request: ``(HTTP status, JSON body or None)``; raises :class:`TwilioAPIError`."""
        principal = self._principal(credentials) if credentials else None
        if principal is None:
            raise authenticate()
        match = self.router.match(method, path)
        account = match.account_sid
        if account is not None and principal not in (account, self.store.owner(account)):
            raise not_found(path)
        self._check_active(principal, account if match.operation.collection != ACCOUNTS else None)
        self.limiter.check(account or principal)
        with self.concurrency.slot(account or principal):
            return self._answer(match, query, form, principal)

    def _answer(self, match: Match, query: Pairs, form: Pairs, principal: str) -> Tuple[int, Optional[Dict[str, Any]]]:
        operation = match.operation
        if operation.operation_id in GENERATORS:
            return self._generated(match, list(query))
        if operation.verb == "List":
            return operation.status, self._list(match, list(query), principal)
        if operation.verb == "Create":
            return operation.status, self._create(match, validation.check(operation, form, "post body"), principal)
        if operation.verb == "Update":
            return operation.status, self._update(match, validation.check(operation, form, "post body"))
        if operation.verb == "Delete":
            self._delete(match)
            return operation.status, None
        with self.store.lock:
            return operation.status, project(self._existing(match), operation.fields)

    def _check_active(self, *account_sids: Optional[str]) -> None:
        """A suspended or closed account can do nothing (403, 20403); its owner may still change its status."""
        for sid in account_sids:
            record = self.store.get(ACCOUNTS, sid) if sid else None
            if record is not None and record["status"] != "active":
                raise TwilioAPIError(403, 20403, f"Account {sid} is {record['status']}: it lacks permission to "
                                                 f"access the Twilio API until its owner sets Status=active.")

    def _generated(self, match: Match, query: List[Tuple[str, str]]) -> Tuple[int, Dict[str, Any]]:
        operation = match.operation
        checked = validation.check(operation, query, "query string")
        result = GENERATORS[operation.operation_id](self, match, checked)
        if operation.verb == "Fetch":
            return operation.status, project(result, operation.fields)
        return operation.status, self._page(match, paging.select(result, operation, query), query, checked)

    def _list(self, match: Match, query: List[Tuple[str, str]], principal: str) -> Dict[str, Any]:
        operation = match.operation
        checked = validation.check(operation, query, "query string")
        records = self.store.newest_first(match.collection_path)
        if operation.collection == ACCOUNTS:  # the principal's own account and its subaccounts
            records = [r for r in records if principal in (r["sid"], r.get("owner_account_sid"))]
        return self._page(match, paging.select(records, operation, query), query, checked)

    def _page(self, match: Match, records: Sequence[Mapping[str, Any]], query: List[Tuple[str, str]],
              checked: Dict[str, Any]) -> Dict[str, Any]:
        operation = match.operation
        path = API_VERSION + fill(operation.path, match.values)
        body = paging.page(records, operation.list_key or "", path, checked, query)
        with self.store.lock:  # only the page's records are copied, under the lock
            body[operation.list_key or ""] = [project(r, operation.fields) for r in body[operation.list_key or ""]]
        return body

    def _create(self, match: Match, params: Dict[str, Any], principal: str) -> Dict[str, Any]:
        operation = match.operation
        rules.check_create(operation.kind, params)
        self._check_parent(match)
        if operation.kind == "Messages" and self.queue_limit is not None:
            rules.check_queue(self._queued_from(params.get("From") or params.get("MessagingServiceSid")),
                              self.queue_limit)
        if operation.kind == "Calls" and params.get("ApplicationSid"):
            params.update(self._application_webhooks(match.collection_path, params["ApplicationSid"]))
        record = new_record(operation.collection, match.collection_path, match.values, params,
                            collection_fields(operation.collection))
        with self.store.lock:
            self.add_record(operation.collection, match.collection_path, record, principal)
            return project(record, operation.fields)

    def _queued_from(self, sender: Optional[str]) -> int:
        """How many messages of ``sender`` (a number or a messaging service) wait in ``queued``."""
        with self.store.lock:
            records = (self.store.get(path, sid) for sid, path in self.store.progressing.items())
            return sum(1 for r in records if r is not None and r.get("status") == "queued"
                       and sender in (r.get("from"), r.get("messaging_service_sid")))

    def _update(self, match: Match, params: Dict[str, Any]) -> Dict[str, Any]:
        operation = match.operation
        outgoing: List[lifecycle.Outgoing] = []
        with self.store.lock:
            record = self._existing(match)
            status = params.pop("Status", None) if operation.kind == "Calls" else None
            if operation.kind == "Calls":
                redirect = bool(params.get("Url") or params.get("Twiml"))
                status = lifecycle.update_call_status(record, status, redirect)
            hidden(record).setdefault("params", {}).update(params)
            for name, value in params.items():
                if snake(name) in record:
                    record[snake(name)] = value
            record["date_updated"] = rfc2822(utcnow())
            if status is not None:
                outgoing = lifecycle.move(operation.kind, record, status)
            if operation.kind in lifecycle.PROGRESSIONS and lifecycle.is_final(operation.kind, record["status"]):
                self.store.progressing.pop(match.instance_id or "", None)  # hung up, canceled: it moves no further
            answer = project(record, operation.fields)
        self.send(outgoing)
        return answer

    def _delete(self, match: Match) -> None:
        with self.store.lock:
            self._existing(match)
            ident = match.instance_id or ""  # a delete always names its instance
            self.store.remove(match.collection_path, ident)
            self.store.remove_credential(ident)  # a deleted API key no longer authenticates

    def _existing(self, match: Match) -> Dict[str, Any]:
        if match.instance_id is None:  # a singleton (a payload's Data): the collection's one record
            record = next(iter(self.store.newest_first(match.collection_path)), None)
        else:
            record = self.store.get(match.collection_path, match.instance_id)
        if record is None:
            raise not_found(API_VERSION + fill(match.operation.path, match.values))
        return record

    def _application_webhooks(self, calls_path: str, application_sid: str) -> Dict[str, Any]:
        """A call made with an ApplicationSid runs the application's voice URL and status callback
        (Twilio ignores the call's own Url, Method and StatusCallback then); 21218 for an unknown one."""
        application = self.store.get(calls_path.replace("/Calls", "/Applications"), application_sid)
        if application is None:
            raise invalid_parameter(f"Invalid ApplicationSid {application_sid}: no such application in the account.",
                                    21218)
        return {"Url": application.get("voice_url"), "Method": application.get("voice_method") or "POST",
                "StatusCallback": application.get("status_callback"),
                "StatusCallbackMethod": application.get("status_callback_method") or "POST"}

    def _check_parent(self, match: Match) -> None:
        """Creating under a parent (a call's recordings) needs the parent to exist, as on Twilio."""
        parents = re.findall(r"{(\w+Sid)}", match.operation.collection)[1:]
        if not parents:
            return
        name = parents[-1]
        parent_template = match.operation.collection.split("/{%s}" % name)[0]
        parent_path = fill(parent_template, match.values)
        if self.store.get(parent_path, match.values[name]) is None:
            raise not_found(f"{API_VERSION}{parent_path}/{match.values[name]}.json")

    def add_record(self, collection: str, collection_path: str, record: Dict[str, Any], principal: str) -> None:
        """Store a new record, and what that means beyond storing it: credentials, owners, progressions."""
        kind = collection.rsplit("/", 1)[-1]
        ident = record[table.COLLECTIONS[collection][0]]
        if collection == ACCOUNTS:
            owner = record.get("owner_account_sid") or self.store.owner(principal) or principal
            record["owner_account_sid"] = owner
            self.store.set_owner(ident, owner)
            self.store.add_credential(ident, record["auth_token"], ident)
        elif kind == "Keys":  # an API key authenticates for the account it belongs to
            self.store.add_credential(ident, record["secret"], collection_path.split("/")[2])
        elif kind in lifecycle.PROGRESSIONS and not lifecycle.is_final(kind, record.get("status")):
            self.store.progressing[ident] = collection_path
        self.store.put(collection_path, ident, record)

    # -- time passing --------------------------------------------------------------------------
    def advance(self, sid: Optional[str] = None) -> List[Tuple[str, str]]:
        """One status step for every progressing call and message (or just ``sid``); callbacks sent."""
        steps: List[Tuple[str, str]] = []
        outgoing: List[lifecycle.Outgoing] = []
        with self.store.lock:
            targets = [sid] if sid is not None else list(self.store.progressing)
            for target in targets:
                path = self.store.progressing.get(target)
                record = self.store.get(path, target) if path else None
                if path is None or record is None:
                    continue
                kind = path.rsplit("/", 1)[-1]
                status = lifecycle.next_status(kind, record["status"])
                assert status is not None, "a record in a final status left the progression (see _update)"
                outgoing += lifecycle.move(kind, record, status)
                if lifecycle.is_final(kind, status):
                    self.store.progressing.pop(target)
                steps.append((target, status))
        self.send(outgoing)
        return steps

    def fail(self, sid: str, status: Optional[str], error_code: Optional[int]) -> Tuple[str, str]:
        """End a progressing call or message in a failure status; its callbacks sent."""
        with self.store.lock:
            path = self.store.progressing.get(sid)
            record = self.store.get(path, sid) if path else None
            if path is None or record is None:
                raise ValueError(f"{sid} is not a call or message still progressing; only those can fail.")
            outgoing = lifecycle.fail(path.rsplit("/", 1)[-1], record, status, error_code)
            self.store.progressing.pop(sid)
            ended = record["status"]
        self.send(outgoing)
        return sid, ended

    def send(self, outgoing: Sequence[lifecycle.Outgoing]) -> List[CallbackRecord]:
        """Deliver what Twilio would send (unless callbacks are off) and record it; returns the records."""
        if not self.send_callbacks:
            return []
        sent = deliver_all(outgoing, self._token_of)
        with self._callbacks_lock:
            self.callbacks.extend(sent)
        return sent

    def _token_of(self, account_sid: str) -> str:
        account = self.store.get(ACCOUNTS, account_sid)
        return account["auth_token"] if account else self._auth_token

    # -- looking inside ----------------------------------------------------------------------------
    def stored(self, account_sid: Optional[str], kind: str) -> List[Dict[str, Any]]:
        """The raw records of ``kind`` (``Calls``) directly under the account."""
        return self.store.newest_first(f"/Accounts/{account_sid}/{kind}")

