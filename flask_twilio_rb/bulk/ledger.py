"""The ledger: what happened to each recipient of a job, so that nothing is sent twice.

Every recipient of a job is keyed by (job, number). Before a send, :meth:`Ledger.claim` marks
the number ``sending`` with a fresh token, atomically: a task that runs again (redelivered,
retried, or a second worker holding the same chunk) finds the mark and does nothing, or waits
while the first one may still be at it. A claim older than the lease (the longest a send can
take, retries included) belongs to a worker that died: the next claim takes it over, and the
taker *reconciles* before sending, because the dead worker's POST may have reached Twilio.

The same number twice in one job's recipients is sent once: each recipient carries its place
in the stream (``seq``), and a number already owned by another place is counted ``skipped``.

Counts (queued, sent, delivered, failed, skipped) change only with a recipient's state, in the
same atomic step, so they always add up to the recipients enqueued.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, NamedTuple, Optional, Tuple

from .store import Change, Store

PREFIX = "twilio_rb:bulk:"
#: Where a message SID leads back to its job and number (for status callbacks).
SID_PREFIX = "twilio_rb:bulk-sid:"
#: Seconds a job's state is kept in Redis after its last change.
JOB_TTL = 7 * 24 * 3600
#: The ledger's states of a recipient, and the count each one is shown in.
COUNTED = ("sent", "delivered", "failed", "skipped")
#: Twilio's message statuses by how far along they are; a callback never moves a message back.
STATUS_RANK = {"accepted": 0, "scheduled": 0, "queued": 0, "sending": 1, "sent": 2,
               "delivered": 3, "read": 3, "undelivered": 3, "failed": 3, "canceled": 3}
#: Final Twilio statuses -> the job's count they end in.
FINAL = {"delivered": "delivered", "read": "delivered", "undelivered": "failed", "failed": "failed",
         "canceled": "failed"}


class Item(NamedTuple):
    """One recipient as enqueued: its place in the stream, its number and template variables."""

    seq: int
    to: str
    variables: Dict[str, Any]


class Claim(NamedTuple):
    """What a worker may do with a recipient: ``"send"``, ``"reconcile"`` (then maybe send), ``"wait"`` or ``"done"``."""

    action: str
    token: str = ""
    wait: float = 0.0


@dataclass(frozen=True)
class Failure:
    """A recipient that was not delivered: its ``number``, Twilio's error ``code`` (if any) and ``message``."""

    number: str
    code: Optional[int]
    message: str


@dataclass(frozen=True)
class Progress:
    """A job's counts: every recipient enqueued (``total``) is in exactly one of the others.

    ``queued`` have not reached Twilio yet, ``sent`` were accepted by Twilio and have no final
    status yet, ``delivered`` and ``failed`` have one (``failed`` also counts Twilio's refusals,
    such as 21211 invalid number), ``skipped`` were not sent: a number seen twice, or a job canceled.
    ``done`` is true once every recipient is enqueued and none is queued.
    """

    total: int
    queued: int
    sent: int
    delivered: int
    failed: int
    skipped: int
    done: bool
    canceled: bool
    error: Optional[str] = None


class Ledger:
    """The state of one job in a store."""

    def __init__(self, store: Store, job_id: str) -> None:
        self.store = store
        self.job_id = job_id
        self.key = PREFIX + job_id

    # -- the job -------------------------------------------------------------------------------
    def create(self, spec: Dict[str, Any]) -> None:
        """Record a new job's spec (and when it began, by the store's clock)."""
        spec = dict(spec, started=self.store.now())
        self.store.hset(self.key + ":meta", "spec", json.dumps(spec))
        self.store.hincrby(self.key + ":counts", "enqueued", 0)
        self._keep(":meta", ":counts")

    def spec(self) -> Optional[Dict[str, Any]]:
        """The job's spec, or ``None`` for a job this store does not know."""
        raw = self.store.hgetall(self.key + ":meta").get("spec")
        return json.loads(raw) if raw else None

    def enqueued(self, count: int, next_seq: int) -> None:
        """``count`` more recipients are on their way to the workers, every one before ``next_seq``.

        ``next_seq`` is where a second :func:`~flask_twilio_rb.bulk.send_messages` with the
        same ``job_id`` goes on (the first one stopped: the process died while enqueueing).
        """

        def decide(current: Optional[str], now: float) -> Change:
            return Change(str(max(int(current or 0), next_seq)), None,
                          [("hincrby", self.key + ":counts", "enqueued", count)])

        self.store.atomic(self.key + ":mark", decide, JOB_TTL)

    def resume_at(self) -> int:
        """The place in the recipients' stream where enqueueing goes on (0 for a new job)."""
        return int(self.store.get(self.key + ":mark") or 0)

    def enqueued_all(self, error: Optional[str] = None) -> None:
        """Every recipient is enqueued (or enqueueing stopped with ``error``)."""
        self.store.hset(self.key + ":meta", "enqueued_all", "1")
        if error:
            self.store.hset(self.key + ":meta", "error", error)
        self._keep(":meta", ":counts", ":failures", ":pending")

    def cancel(self) -> None:
        """Send nothing more: recipients not yet sent end ``skipped``."""
        self.store.hset(self.key + ":meta", "canceled", "1")

    def canceled(self) -> bool:
        """Whether :meth:`cancel` was called."""
        return self.store.hgetall(self.key + ":meta").get("canceled") == "1"

    def progress(self) -> Progress:
        """The job's counts now."""
        counts = {name: int(value) for name, value in self.store.hgetall(self.key + ":counts").items()}
        meta = self.store.hgetall(self.key + ":meta")
        total = counts.get("enqueued", 0)
        shown = {name: counts.get(name, 0) for name in COUNTED}
        queued = max(0, total - sum(shown.values()))  # a worker may finish a chunk before its count lands
        return Progress(total=total, queued=queued, done=meta.get("enqueued_all") == "1" and queued <= 0,
                        canceled=meta.get("canceled") == "1", error=meta.get("error"), **shown)

    def failures(self, limit: Optional[int] = None) -> List[Failure]:
        """The recipients that failed, oldest first (at most ``limit``)."""
        raw = self.store.lrange(self.key + ":failures", 0, -1 if limit is None else limit - 1)
        return [Failure(**json.loads(entry)) for entry in raw]

    def pending(self) -> Iterator[str]:
        """The SIDs of messages Twilio accepted that have no final status yet."""
        return self.store.members(self.key + ":pending")

    # -- a recipient ---------------------------------------------------------------------------
    def claim(self, item: Item, lease: float) -> Claim:
        """Mark ``item``'s number ``sending`` for this worker, or say why not (see the module doc)."""
        token = uuid.uuid4().hex
        canceled = self.canceled()

        def decide(current: Optional[str], now: float) -> Change:
            record = json.loads(current) if current else None
            if record is None:
                if canceled:
                    return Change(json.dumps({"seq": item.seq, "state": "skipped"}), Claim("done"),
                                  self._count("skipped"))
                return Change(json.dumps({"seq": item.seq, "state": "sending", "token": token, "at": now}),
                              Claim("send", token))
            if record["seq"] != item.seq:  # the same number again, further down the stream
                if item.seq in record.get("dups", ()):
                    return Change(None, Claim("done"))
                record.setdefault("dups", []).append(item.seq)
                return Change(json.dumps(record), Claim("done"), self._count("skipped"))
            if record["state"] != "sending":
                return Change(None, Claim("done"))
            age = now - record["at"]
            if age < lease:
                return Change(None, Claim("wait", wait=lease - age))
            record.update(token=token, at=now)
            return Change(json.dumps(record), Claim("reconcile", token))

        return self.store.atomic(self._recipient(item.to), decide, JOB_TTL)

    def sent(self, item: Item, sid: str, status: str) -> bool:
        """Twilio accepted ``item``'s message ``sid``; ``False`` when it was already recorded."""
        effects = [("sadd", self.key + ":pending", sid),
                   ("set", SID_PREFIX + sid, json.dumps([self.job_id, item.to])), ("expire", SID_PREFIX + sid, JOB_TTL)]
        return self._finish(item, {"state": "sent", "sid": sid, "status": status}, "sent", effects)

    def failed(self, item: Item, code: Optional[int], message: str) -> bool:
        """Twilio refused ``item`` (or it could not be sent); ``False`` when it was already recorded."""
        failure = json.dumps({"number": item.to, "code": code, "message": message})
        return self._finish(item, {"state": "failed", "code": code}, "failed",
                            [("rpush", self.key + ":failures", failure)])

    def skipped(self, item: Item) -> bool:
        """``item`` is not sent (the job was canceled); ``False`` when it was already recorded."""
        return self._finish(item, {"state": "skipped"}, "skipped", [])

    def record_status(self, to: str, sid: str, status: str, error_code: Optional[int] = None) -> bool:
        """A status Twilio reported for ``sid`` (callback or fetch); ``False`` when it changes nothing.

        A status seen before, or one behind what is known (``sent`` after ``delivered``), changes
        nothing, so a callback delivered twice or late is harmless.
        """

        def decide(current: Optional[str], now: float) -> Change:
            record = json.loads(current) if current else None
            rank = STATUS_RANK.get(status, -1)
            if record is None or record.get("sid") != sid or rank <= STATUS_RANK.get(record.get("status"), -1):
                return Change(None, False)
            record["status"] = status
            effects: List[Tuple[Any, ...]] = []
            if status in FINAL and record["state"] == "sent":
                record["state"] = FINAL[status]
                effects = [*self._count(FINAL[status], "sent"), ("srem", self.key + ":pending", sid)]
                if record["state"] == "failed":
                    message = f"Twilio reported the message {status}"
                    failure = {"number": to, "code": error_code, "message": message}
                    effects.append(("rpush", self.key + ":failures", json.dumps(failure)))
            return Change(json.dumps(record), True, effects)

        return self.store.atomic(self._recipient(to), decide, JOB_TTL)

    # -- helpers -------------------------------------------------------------------------------
    def _finish(self, item: Item, fields: Dict[str, Any], count: str, effects: List[Tuple[Any, ...]]) -> bool:
        def decide(current: Optional[str], now: float) -> Change:
            record = json.loads(current) if current else {"seq": item.seq, "state": "sending"}
            if record["seq"] != item.seq or record["state"] != "sending":
                return Change(None, False)
            record.update(fields)
            record.pop("token", None)
            return Change(json.dumps(record), True, [*self._count(count), *effects])

        return self.store.atomic(self._recipient(item.to), decide, JOB_TTL)

    def _count(self, name: str, moved_from: Optional[str] = None) -> List[Tuple[Any, ...]]:
        effects: List[Tuple[Any, ...]] = [("hincrby", self.key + ":counts", name, 1)]
        if moved_from:
            effects.append(("hincrby", self.key + ":counts", moved_from, -1))
        return effects

    def _recipient(self, to: str) -> str:
        return f"{self.key}:r:{to}"

    def _keep(self, *suffixes: str) -> None:
        for suffix in suffixes:
            self.store.expire(self.key + suffix, JOB_TTL)


def find_message(store: Store, sid: str) -> Optional[Tuple[Ledger, str]]:
    """The ledger and number of the bulk message ``sid``, or ``None`` when no job sent it."""
    raw = store.get(SID_PREFIX + sid)
    if raw is None:
        return None
    job_id, to = json.loads(raw)
    return Ledger(store, job_id), to
