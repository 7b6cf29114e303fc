"""The emulator's state and the generic operations: create, fetch, list, update, delete.

Every resource of every description is served by the same code, driven by the generated
tables (:mod:`.table`, :mod:`.tables`): nothing here is written for one resource, except the
small hooks Twilio's own behaviour needs (accounts and API keys authenticate; calls and
messages progress; a call update is a hang-up). Behaviour of one product goes in hooks keyed
by qualified names (:data:`.special.GENERATORS` by operationId for what Twilio computes,
:data:`.products.BEHAVIOURS` by operationId for what a product does with its records,
:mod:`.declarations` by kind), never in new code paths here.
"""
from __future__ import annotations

import datetime as _dt
import threading
from typing import Any, Dict, Iterable, List, Mapping, Optional, Protocol, Sequence, Tuple

from . import addressing, lifecycle, paging, rules, validation
from .callbacks import CallbackRecord, deliver_all
from .domains import API, Domain, product_of
from .errors import TwilioAPIError, authenticate, invalid_parameter, not_found
from .outbound import LocalApps
from .products import BEHAVIOURS
from .representation import (
    collection_fields,
    field_of,
    new_record,
    project,
    stamp,
    utcnow,
)
from .routing import Match, Operation, fill, operation_named, router_for
from .special import GENERATORS, Generator
from .store import Store, hidden

Pairs = Iterable[Tuple[str, str]]
ACCOUNTS = "/Accounts"
#: What a JSON body that is absent looks like (a request without one).
NO_BODY: Any = None


class VoiceHooks(Protocol):
    """What the phone calls (:mod:`.voice`) learn from the REST side: set as :attr:`Backend.voice`."""

    def intercept(self, outgoing: Sequence[lifecycle.Outgoing]) -> List[lifecycle.Outgoing]:
        """Take the requests of answered calls (their TwiML is run); return the others to deliver."""

    def moved(self, moves: Sequence[Tuple[str, str]]) -> None:
        """Calls and messages reached these statuses (``(sid, status)``), by any way."""

    def changed(self, match: Match, record: Dict[str, Any], params: Optional[Mapping[str, Any]]) -> None:
        """A record was updated with ``params`` through the API (``None``: deleted)."""


class Backend:
    """All the emulator knows, and the operations on it; thread-safe."""

    def __init__(self, account_sid: str, auth_token: str, *, rate_limit: Optional[float], callbacks: bool,
                 concurrency_limit: Optional[int] = None, queue_limit: Optional[int] = None,
                 retry_after: Optional[int] = None) -> None:
        self.account_sid = account_sid
        self._auth_token = auth_token
        self.store = Store()
        #: The origin requests were last sent to: the base of the newer APIs' URLs in :meth:`stored` views.
        self.origin = "http://localhost"
        self.limiter = rules.RateLimiter(rate_limit, retry_after)
        self.concurrency = rules.ConcurrencyLimiter(concurrency_limit, retry_after)
        self.queue_limit = queue_limit
        self.send_callbacks = callbacks
        self.callbacks: List[CallbackRecord] = []
        self._callbacks_lock = threading.Lock()
        #: Apps answering webhooks in this process (:meth:`TwilioEmulator.attach`).
        self.local = LocalApps()
        #: The phone calls' hooks, when the emulator runs TwiML (:mod:`.voice`).
        self.voice: Optional[VoiceHooks] = None
        self._serving = threading.local()
        #: Virtual seconds added to the real time: the emulator's clock (:meth:`now`), moved by ``wait()``.
        self.elapsed = 0.0
        self.reset()

    def reset(self) -> None:
        """Forget everything but the main account (which keeps its SID and auth token); the clock restarts."""
        with self.store.lock:
            self.elapsed = 0.0
            self.store.clear()
            own = {"Sid": self.account_sid, "AuthToken": self._auth_token, "OwnerAccountSid": self.account_sid,
                   "FriendlyName": "Emulated account"}
            record = new_record(ACCOUNTS, ACCOUNTS, own, {}, collection_fields(ACCOUNTS))
            self.add_record(ACCOUNTS, ACCOUNTS, record, self.account_sid)
        with self._callbacks_lock:
            self.callbacks.clear()

    def now(self) -> _dt.datetime:
        """The emulator's moment: the real time plus every virtual second ``wait()`` added, to the microsecond.

        Dates written from it drop the fraction (Twilio's have none); what is measured on it (a call's
        duration, a verification's ten minutes) is measured between precise moments, so a real second
        boundary passing while a test runs never adds a second to ``wait(599)``.
        """
        return _dt.datetime.now(_dt.timezone.utc) + _dt.timedelta(seconds=self.elapsed)

    def operation(self, operation_id: str) -> Optional[Operation]:
        """The operation of an operationId: bare for 2010-04-01, qualified (``verify.v2.CreateService``) otherwise."""
        return operation_named(operation_id)

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
               credentials: Optional[Tuple[str, str]], *, body: Any = NO_BODY,
               origin: Optional[str] = None) -> Tuple[int, Optional[Dict[str, Any]]]:
        """Answer one API request: ``(HTTP status, JSON body or None)``; raises :class:`TwilioAPIError`.

        :param path: as sent (percent-encoded); :param body: the decoded JSON body, if the request
            had one; :param origin: where it was sent (``http://127.0.0.1:8080``).
        """
        self._serving.active = True
        try:
            return self._handle(method, path, query, form, credentials, body, origin)
        finally:
            self._serving.active = False

    def serving_api(self) -> bool:
        """Whether this thread is answering an API request (its phone-call work must not wait)."""
        return getattr(self._serving, "active", False)

    def _handle(self, method: str, path: str, query: Pairs, form: Pairs, credentials: Optional[Tuple[str, str]],
                body: Any, origin: Optional[str]) -> Tuple[int, Optional[Dict[str, Any]]]:
        router = router_for(product_of(path))
        principal = self._principal(credentials) if credentials else None
        if principal is None:
            raise authenticate()
        if origin is not None:
            self.origin = origin
        match = router.match(method, path, principal, self.origin)
        if match.operation.domain.product:
            match = addressing.canonical(self.store, match)
        account = match.account_sid
        if account is not None and principal not in (account, self.store.owner(account)):
            raise not_found(path)
        self._check_active(principal, account if match.operation.collection != ACCOUNTS else None)
        self.limiter.check(account or principal)
        with self.concurrency.slot(account or principal):
            return self._answer(match, query, form, body, principal)

    def _answer(self, match: Match, query: Pairs, form: Pairs, body: Any,
                principal: str) -> Tuple[int, Optional[Dict[str, Any]]]:
        operation = match.operation
        query = list(query)
        handler = GENERATORS.get(operation.qualified_id) or BEHAVIOURS.get(operation.qualified_id)
        if handler is not None:
            return self._generated(match, query, form, body, handler)
        if operation.verb == "List":
            return operation.status, self._list(match, query, principal)
        if operation.verb in ("Create", "Update"):  # (answered with no body where the description shows none)
            params = self._body(operation, form, body)
            made = self.create(match, params, principal) if operation.verb == "Create" else self.update(match, params)
            return operation.status, made if operation.schema else None
        if operation.verb == "Delete":
            validation.check(operation, query, "query string")
            self._delete(match)
            return operation.status, None
        validation.check(operation, query, "query string")
        with self.store.lock:
            return operation.status, self._shown(match, addressing.existing(self, match))

    @staticmethod
    def _body(operation: Operation, form: Pairs, body: Any) -> Dict[str, Any]:
        """The parameters of a request body: a form, or JSON for the operations that take JSON."""
        if operation.takes_json:
            form = list(form)
            if body is NO_BODY and form:
                raise invalid_parameter(f"{operation.operation_id} takes a JSON body: send it with "
                                        f"Content-Type: application/json.")
            return validation.check_json(operation, {} if body is NO_BODY else body)
        if body is not NO_BODY:
            raise invalid_parameter(f"{operation.operation_id} takes a form body: send it with "
                                    f"Content-Type: application/x-www-form-urlencoded, not JSON.")
        return validation.check(operation, form, "post body")

    def _shown(self, match: Match, record: Mapping[str, Any]) -> Dict[str, Any]:
        """The record as the operation answers it (the newer APIs' URLs on the request's origin)."""
        return project(record, match.operation.fields, match.origin if match.operation.domain.product else None)

    def _check_active(self, *account_sids: Optional[str]) -> None:
        """A suspended or closed account can do nothing (403, 20403); its owner may still change its status."""
        for sid in account_sids:
            record = self.store.get(ACCOUNTS, sid) if sid else None
            if record is not None and record["status"] != "active":
                raise TwilioAPIError(403, 20403, f"Account {sid} is {record['status']}: it lacks permission to "
                                                 f"access the Twilio API until its owner sets Status=active.")

    def _generated(self, match: Match, query: List[Tuple[str, str]], form: Pairs, body: Any,
                   handler: Generator) -> Tuple[int, Optional[Dict[str, Any]]]:
        operation = match.operation
        if operation.verb in ("Fetch", "List", "Delete"):
            checked = validation.check(operation, query, "query string")
        else:
            checked = self._body(operation, form, body)
        result = handler(self, match, checked)
        if operation.verb == "List":
            return operation.status, self._page(match, paging.select(result, operation, query), query, checked)
        with self.store.lock:  # (a hook may answer with a stored record: it is copied under the lock)
            return operation.status, None if result is None else self._shown(match, result)

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
        key = operation.list_key or ""
        if operation.domain.product:  # the newer APIs: absolute URLs, the page fields under "meta"
            id_field = operation.domain.collection(operation.collection)[0]
            body = paging.meta_page(records, key, match.origin + match.path, checked, query, id_field)
        else:
            body = paging.page(records, key, match.path, checked, query)
        with self.store.lock:  # only the page's records are copied, under the lock
            body[key] = [self._shown(match, r) for r in body[key]]
        return body

    def create(self, match: Match, params: Dict[str, Any], principal: str,
               preset: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
        """Make the record a create names, with Twilio's checks; its representation.

        :param preset: field values that win over the parameters (a product's hook sets them).
        """
        operation = match.operation
        domain = operation.domain
        rules.check_create(operation.kind, params)
        addressing.check_parent(self.store, match)
        if operation.kind == "Messages" and self.queue_limit is not None:
            rules.check_queue(self._queued_from(params.get("MessagingServiceSid") or params.get("From")),
                              self.queue_limit)
        if operation.kind == "Calls" and params.get("ApplicationSid"):
            params.update(self._application_webhooks(match.collection_path, params["ApplicationSid"]))
        record = new_record(operation.collection, match.collection_path, match.record_values, params,
                            collection_fields(operation.collection, domain), domain, preset)
        with self.store.lock:
            if domain.product:
                addressing.check_unique(self.store, match, record)
            self.add_record(operation.collection, match.collection_path, record, principal, domain)
            return self._shown(match, record)

    def _queued_from(self, sender: Optional[str]) -> int:
        """How many messages of ``sender`` (a number or a messaging service) wait to go out (accepted, queued)."""
        with self.store.lock:
            records = (self.store.get(path, sid) for sid, path in self.store.progressing.items())
            return sum(1 for r in records if r is not None and r.get("status") in ("accepted", "queued")
                       and sender in (r.get("from"), r.get("messaging_service_sid")))

    def update(self, match: Match, params: Dict[str, Any]) -> Dict[str, Any]:
        """Change the record an update names (a call's status as Twilio moves it); its representation."""
        operation = match.operation
        outgoing: List[lifecycle.Outgoing] = []
        with self.store.lock:
            record = addressing.existing(self, match)
            status = params.pop("Status", None) if operation.kind == "Calls" else None
            if operation.kind == "Calls":
                redirect = bool(params.get("Url") or params.get("Twiml"))
                status = lifecycle.update_call_status(record, status, redirect)
            hidden(record).setdefault("params", {}).update(params)
            for name, value in params.items():
                if field_of(name, record) in record:
                    record[field_of(name, record)] = value
            record["date_updated"] = stamp(utcnow(), operation.domain.collection(operation.collection)[2])
            if "dateUpdated" in record:  # (a description spelling its fields in camelCase)
                record["dateUpdated"] = record["date_updated"]
            if status is not None:
                outgoing = lifecycle.move(operation.kind, record, status)
            if operation.kind in lifecycle.PROGRESSIONS and lifecycle.is_final(operation.kind, record["status"]):
                self.store.progressing.pop(match.instance_id or "", None)  # hung up, canceled: it moves no further
            answer = self._shown(match, record)
        self.send(outgoing)
        if status is not None:
            self.moved([(record["sid"], record["status"])])
        if self.voice is not None:
            self.voice.changed(match, record, params)
        return answer

    def _delete(self, match: Match) -> None:
        domain = match.operation.domain
        with self.store.lock:
            record = addressing.existing(self, match)
            ident = record[domain.collection(match.operation.collection)[0]]
            self.store.remove(match.collection_path, ident)
            self.store.remove_credential(ident)  # a deleted API key no longer authenticates
            if domain.product:  # the newer APIs delete what lives under a record with it
                self.store.remove_under(f"{match.collection_path}/{ident}/")
        if self.voice is not None:
            self.voice.changed(match, record, None)

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

    def make(self, collection: str, values: Mapping[str, str], params: Mapping[str, Any], *,
             domain: Domain = API, preset: Optional[Mapping[str, Any]] = None,
             also: Sequence[str] = ()) -> Dict[str, Any]:
        """Store a record Twilio makes itself (a verification, the text carrying its code); the raw record.

        :param collection: its table template (``/Accounts/{AccountSid}/Messages``), filled with ``values``
            (the account's SID among them) for where it lives; :param params: what it was made with
            (kept as its parameters); :param preset: its field values; :param also: more templates
            listing the same record (a call's recordings).
        """
        path = fill(domain.store_template(collection), dict(values))
        record = new_record(collection, path, values, params, collection_fields(collection, domain), domain, preset)
        with self.store.lock:
            self.add_record(collection, path, record, values["AccountSid"], domain)
            for other in also:
                self.store.put(fill(other, dict(values)), record[domain.collection(collection)[0]], record)
        return record

    def add_record(self, collection: str, collection_path: str, record: Dict[str, Any], principal: str,
                   domain: Domain = API) -> None:
        """Store a new record, and what that means beyond storing it: credentials, owners, progressions."""
        kind = domain.qualify(collection.rsplit("/", 1)[-1])
        ident = record[domain.collection(collection)[0]]
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
                assert status is not None, "a record in a final status left the progression (see update)"
                outgoing += lifecycle.move(kind, record, status)
                if lifecycle.is_final(kind, status):
                    self.store.progressing.pop(target)
                steps.append((target, status))
        self.send(outgoing)
        self.moved(steps)
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
        self.moved([(sid, ended)])
        return sid, ended

    def send(self, outgoing: Sequence[lifecycle.Outgoing]) -> List[CallbackRecord]:
        """Deliver what Twilio would send (unless callbacks are off) and record it; returns the records."""
        if not self.send_callbacks:
            return []
        outgoing = self.voice.intercept(outgoing) if self.voice is not None else outgoing
        sent = deliver_all(outgoing, self.token_of, self.local)
        self.record_callbacks(sent)
        return sent

    def record_callbacks(self, sent: Sequence[CallbackRecord]) -> None:
        """Keep requests sent (by :meth:`send` or the phone calls) in :attr:`callbacks`."""
        with self._callbacks_lock:
            self.callbacks.extend(sent)

    def moved(self, moves: Sequence[Tuple[str, str]]) -> None:
        """Tell the phone calls that records reached these statuses."""
        if self.voice is not None and moves:
            self.voice.moved(moves)

    def token_of(self, account_sid: str) -> str:
        """The auth token Twilio signs the account's webhooks with."""
        account = self.store.get(ACCOUNTS, account_sid)
        return account["auth_token"] if account else self._auth_token

    # -- looking inside ----------------------------------------------------------------------------
    def stored(self, account_sid: Optional[str], kind: str) -> List[Dict[str, Any]]:
        """The raw records of ``kind`` (``Calls``) directly under the account."""
        return self.store.newest_first(f"/Accounts/{account_sid}/{kind}")


