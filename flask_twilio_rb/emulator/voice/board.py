"""The emulator's phone network: calls that run their TwiML on a virtual clock, one step at a time.

Every change to a call (a digit pressed, time passing, the REST API hanging it up) is a piece
of work run by one thread at a time, the *driver*: whichever thread asks first drives until
nothing is left, the others wait for their work (or, from a REST request, leave it to the
driver and answer at once). So calls never race each other, and a request the app makes from
inside a webhook cannot deadlock the call that fetched it.

Time is virtual: :meth:`Switchboard.wait` moves it, firing the timeouts that fall due (a
<Gather>'s, a <Pause>'s, a ringing phone's) in order. Nothing ever sleeps.
"""
from __future__ import annotations

import datetime as _dt
import logging
import threading
from collections import deque
from functools import partial
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Deque, Dict, List, Mapping, Optional, \
    Sequence, Tuple

from .. import lifecycle
from ..callbacks import CallbackRecord, deliver_all
from ..store import hidden
from .dial import pick_up
from .events import Event, Leg
from .registry import VERBS
from . import conference, queue
from .conference import Room
from .queue import Waiting
from .session import Session
from .webhook import Request

if TYPE_CHECKING:  # pragma: no cover - typing only
    from ..backend import Backend
    from ..routing import Match

log = logging.getLogger("flask_twilio_rb.emulator")

#: Real seconds a thread waits for another thread's driving to run its work.
DRIVER_WAIT = 120.0
#: Timers one :meth:`Switchboard.wait` may fire (a bound, never reached by a sane test).
MAX_TIMERS = 10_000
#: How long an outbound call rings before it is ``no-answer`` when its ``Timeout`` says nothing.
RING_TIMEOUT = 60.0
_FINAL = frozenset({"completed", "canceled", "busy", "no-answer", "failed"})


class _Work:
    def __init__(self, work: Callable[[], Any], waited: bool = True) -> None:
        self.work = work
        self.waited = waited
        self.done = False
        self.result: Any = None
        self.error: Optional[BaseException] = None


@dataclass
class Switchboard:
    """The calls of one emulator (see the module documentation); :attr:`Backend.voice` points here."""

    backend: "Backend"
    base_url: Callable[[], str]
    sessions: Dict[str, Session] = field(default_factory=dict)
    legs: Dict[str, Leg] = field(default_factory=dict)
    rooms: Dict[Tuple[str, str], Room] = field(default_factory=dict)
    queues: Dict[str, List[Waiting]] = field(default_factory=dict)
    #: Outbound calls nobody answered yet: SID -> when they stop ringing.
    ringing: Dict[str, float] = field(default_factory=dict)
    #: URL prefixes the app answers slowly: prefix -> virtual seconds.
    delays: Dict[str, float] = field(default_factory=dict)
    #: Where the calls seen here are stored: SID -> collection path.
    paths: Dict[str, str] = field(default_factory=dict)
    #: The verbs calls run (:mod:`.registry`).
    verbs: Mapping[str, Any] = field(default_factory=lambda: VERBS)
    _cond: threading.Condition = field(default_factory=threading.Condition)
    _queue: Deque[_Work] = field(default_factory=deque)
    _driver: Optional[int] = None

    # -- driving ---------------------------------------------------------------------------
    def run(self, work: Callable[[], Any], *, wait: bool = True) -> Any:
        """Run ``work`` as the driver (or inside the current driving, when called from it); its result.

        :param wait: ``False`` leaves the work to another thread that is driving, if one is.
        """
        me = threading.get_ident()
        item = _Work(work)
        with self._cond:
            if self._driver == me:
                nested = True
            else:
                nested = False
                self._queue.append(item)
                if self._driver is not None:
                    if not wait:
                        item.waited = False
                        return None
                    if not self._cond.wait_for(lambda: item.done, DRIVER_WAIT):
                        raise RuntimeError("The emulator's phone calls are still busy in another thread "
                                           f"after {DRIVER_WAIT:.0f} s: is a webhook of the app hanging?")
                    return self._outcome(item)
                self._driver = me
        if nested:
            return work()
        self._drain()
        return self._outcome(item)

    def later(self, work: Callable[[], Any]) -> None:
        """Run ``work`` after the piece of work running now (or at once, when nothing runs)."""
        with self._cond:
            if self._driver == threading.get_ident():
                self._queue.append(_Work(work, waited=False))
                return
        self.run(work, wait=not self.backend.serving_api())

    def _drain(self) -> None:
        while True:
            with self._cond:
                if not self._queue:
                    self._driver = None
                    self._cond.notify_all()
                    return
                item = self._queue.popleft()
            try:
                item.result = item.work()
            except Exception as error:  # kept for the thread waiting for it; logged when none waits
                item.error = error
                if not item.waited:
                    log.exception("TwilioEmulator: a phone call step failed")
            with self._cond:
                item.done = True
                self._cond.notify_all()

    @staticmethod
    def _outcome(item: _Work) -> Any:
        if item.error is not None:
            raise item.error
        return item.result

    # -- time ------------------------------------------------------------------------------
    @property
    def elapsed(self) -> float:
        """Virtual seconds since the emulator started: the emulator's clock (:attr:`Backend.elapsed`),
        which only :meth:`wait` moves."""
        return self.backend.elapsed

    @elapsed.setter
    def elapsed(self, seconds: float) -> None:
        self.backend.elapsed = seconds

    def now(self) -> _dt.datetime:
        """The virtual moment (:meth:`Backend.now`): the real time plus every second :meth:`wait` added."""
        return self.backend.now()

    def wait(self, seconds: float) -> None:
        """Let ``seconds`` of virtual time pass, firing every timeout that falls due, in order."""
        if not seconds >= 0:
            raise ValueError(f"wait() takes a number of seconds >= 0, not {seconds!r}.")
        target = self.run(lambda: self.elapsed + seconds)
        self.run(self._note_ringing)
        for _ in range(MAX_TIMERS):
            if not self.run(lambda: self._fire_next(target)):
                return
        raise RuntimeError(f"More than {MAX_TIMERS} timeouts fell due in one wait(); wait in shorter steps.")

    def _note_ringing(self) -> None:
        # Outbound calls start ringing on the virtual clock when it first moves after they were made.
        store = self.backend.store
        with store.lock:
            calls = [store.get(path, sid) for sid, path in store.progressing.items() if path.endswith("/Calls")]
        for record in calls:
            if record is not None and record["status"] in ("queued", "ringing") and record["sid"] not in self.ringing:
                timeout = hidden(record).get("params", {}).get("Timeout")
                self.ringing[record["sid"]] = self.elapsed + float(timeout or RING_TIMEOUT)

    def _fire_next(self, target: float) -> bool:
        due: List[Tuple[float, int, Callable[[], None]]] = []
        for order, session in enumerate(self.sessions.values()):
            wait = session.wait
            if wait is not None and wait.deadline is not None and wait.deadline <= target:
                due.append((wait.deadline, order, partial(session.deliver, Event("timeout"))))
        for sid, deadline in self.ringing.items():
            if deadline <= target:
                due.append((deadline, len(due) + len(self.sessions), partial(self._no_answer, sid)))
        if not due:
            self.elapsed = max(self.elapsed, target)
            return False
        when, _, fire = min(due, key=lambda entry: entry[:2])
        self.elapsed = max(self.elapsed, when)
        fire()
        return True

    def delay_for(self, url: str) -> float:
        """The virtual seconds the app takes to answer ``url`` (:meth:`TwilioEmulator.delay`)."""
        matches = [prefix for prefix in self.delays if url.startswith(prefix)]
        return self.delays[max(matches, key=len)] if matches else 0.0

    def _no_answer(self, sid: str) -> None:
        self.ringing.pop(sid, None)
        self.set_status(sid, "no-answer")

    # -- calls and their records -------------------------------------------------------------
    def call(self, sid: str) -> Optional[Dict[str, Any]]:
        """The stored call ``sid`` (any account), or ``None``."""
        store = self.backend.store
        path = self.paths.get(sid) or store.progressing.get(sid)
        if path is None:
            path = next((p for p, records in store.collections() if p.endswith("/Calls") and p.count("/") == 3
                         and any(r["sid"] == sid for r in records)), None)
        if path is not None:
            self.paths[sid] = path
        return store.get(path, sid) if path is not None else None

    def set_status(self, sid: str, status: str) -> bool:
        """Move call ``sid`` to ``status`` on the virtual clock, with its callbacks; ``False`` if it had ended."""
        with self.backend.store.lock:
            record = self.call(sid)
            if record is None or record["status"] in _FINAL:
                return False
            outgoing = lifecycle.move("Calls", record, status, self.now())
            if status in _FINAL:
                self.backend.store.progressing.pop(sid, None)
        answered = next((o for o in outgoing if o.answers), None)
        if answered is not None and sid not in self.sessions:  # its TwiML runs here, then its callbacks go
            self._answered(answered, [o for o in outgoing if o is not answered])
        else:
            self.deliver(outgoing)
        self.status_changed(sid, status)
        return True

    def deliver(self, outgoing: Sequence[lifecycle.Outgoing]) -> List[CallbackRecord]:
        """Send status callbacks (never an answered call's TwiML: the calls here fetch their own)."""
        sent = deliver_all([o for o in outgoing if not o.answers], self.backend.token_of, self.backend.local)
        self.backend.record_callbacks(sent)
        return sent

    def status_changed(self, sid: str, status: str) -> None:
        """A call reached ``status`` (here or through the REST API): tell whom it concerns."""
        leg = self.legs.get(sid)
        if status in _FINAL or status == "in-progress":
            self.ringing.pop(sid, None)
        if status in _FINAL:
            session = self.sessions.get(sid)
            if session is not None and not session.ended:
                self.post(sid, Event("hangup", status))
            if leg is not None:
                self.post(leg.parent, Event("leg", (sid, status)))
        elif status == "in-progress" and leg is not None and not leg.answered:
            leg.answered = True
            pick_up(self, leg)
        elif status == "in-progress" and sid not in self.sessions:
            self._answered_inline(sid)

    def post(self, sid: str, event: Event) -> None:
        """Give ``event`` to call ``sid`` after the current step (a call never runs inside another's step)."""
        def deliver() -> None:
            session = self.sessions.get(sid)
            if session is not None and not session.ended:
                session.deliver(event)

        self.later(deliver)

    def start(self, session: Session) -> Session:
        """Register ``session`` and run it to its first wait."""
        self.sessions[session.sid] = session
        session.start()
        return session

    # -- hooks from the REST side (Backend.voice) ----------------------------------------------
    def intercept(self, outgoing: Sequence[lifecycle.Outgoing]) -> List[lifecycle.Outgoing]:
        """Run the TwiML of calls just answered; the other requests go back to be delivered."""
        answered = [o for o in outgoing if o.answers]
        for request in answered:
            group = [o for o in outgoing if o.sid == request.sid and o is not request]
            self.run(partial(self._answered, request, group), wait=not self.backend.serving_api())
        taken = {o.sid for o in answered}
        return [o for o in outgoing if o.sid not in taken]

    def moved(self, moves: Sequence[Tuple[str, str]]) -> None:
        """Calls moved through the REST API or :meth:`TwilioEmulator.advance`/``fail``."""
        calls = [(sid, status) for sid, status in moves if sid.startswith("CA")]

        def changed() -> None:
            for sid, status in calls:
                self.status_changed(sid, status)

        if calls:
            self.run(changed, wait=not self.backend.serving_api())

    def changed(self, match: "Match", record: Dict[str, Any], params: Optional[Mapping[str, Any]]) -> None:
        """A call redirected, a participant muted or removed, a member dequeued, a conference ended."""
        kind = match.operation.kind
        if kind == "Calls" and params and (params.get("Url") or params.get("Twiml")) and record["sid"] in self.sessions:
            target = (params.get("Url"), params.get("Method") or "POST", params.get("Twiml"))
            self.run(lambda: self.post(record["sid"], Event("redirect", target)), wait=not self.backend.serving_api())
        elif kind == "Members" and params is not None:
            self.run(lambda: queue.rest_change(self, record, params), wait=not self.backend.serving_api())
        elif kind in ("Participants", "Conferences"):
            self.run(lambda: conference.rest_change(self, kind, record, params), wait=not self.backend.serving_api())

    def _answered(self, request: lifecycle.Outgoing, then: List[lifecycle.Outgoing]) -> None:
        record = self.call(request.sid)
        if record is None or request.sid in self.sessions:  # pragma: no cover - a call answered twice
            self.deliver(then)
            return
        params = hidden(record).get("params", {})
        fallback = (params["FallbackUrl"], params.get("FallbackMethod") or "POST") if params.get("FallbackUrl") else None
        self.start(Session(self, record, Request(request.url, request.method, request.params), fallback=fallback,
                           answered=True, then=then))

    def _answered_inline(self, sid: str) -> None:
        record = self.call(sid)
        twiml = hidden(record).get("params", {}).get("Twiml") if record is not None else None
        if record is not None and twiml:
            self.start(Session(self, record, twiml, answered=True))
