"""One call running its TwiML: documents fetched (with the fallback), verbs run in order, until it ends.

A :class:`Session` is a generator-driven program: it runs until it must wait (for digits, for
time, for a callee) and yields a :class:`~.board.Wait`; the switchboard sends it the event that
ends the wait. A hang-up or a redirect through the REST API is thrown into it as
:class:`Interrupted`, so a verb that must clean up (leave a conference, save a recording)
catches it where it stands.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Dict, Generator, Iterable, List, Mapping, Optional, Set, Tuple, \
    Union

from .. import lifecycle
from ..callbacks import CallbackRecord
from . import document as twiml
from .events import Event, Wait
from .document import DocumentError, Node
from .records import notify
from .transcript import Step
from .webhook import WEBHOOK_TIMEOUT, Fetched, Request, fetch, resolve

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .board import Switchboard

#: What the caller hears when no TwiML can be had, as on Twilio.
APPLICATION_ERROR = "We're sorry, an application error has occurred. Goodbye."
#: Bounds on what one call does without the clock moving: a <Redirect> loop stops there.
MAX_DOCUMENTS_AT_ONCE = 25
MAX_STEPS_AT_ONCE = 2000

#: A document to run: fetched (a request) or given inline (TwiML text, as ``Twiml=`` gives it).
Target = Union[Request, str]
#: What a verb leads to: the next verb (``None``), another document, or the end of the call (:data:`END`).
Outcome = Union[None, Target, "_End"]
Program = Generator[Wait, Event, Any]


class _End:
    def __repr__(self) -> str:
        return "END"


#: A verb's outcome: the call is over.
END = _End()


class Interrupted(Exception):
    """Thrown into a waiting call: its ``event`` is a hang-up or a redirect."""

    def __init__(self, event: Event) -> None:
        super().__init__(event.kind)
        self.event = event


class Runaway(Exception):
    """A call that ran too far without the clock moving (a <Redirect> loop...)."""


class Session:
    """A call whose TwiML the emulator runs; :class:`~.phone.PhoneCall` is its public face."""

    def __init__(self, board: "Switchboard", record: Dict[str, Any], first: Optional[Target], *,
                 fallback: Optional[Tuple[str, str]] = None, answered: bool = False,
                 then: Iterable[lifecycle.Outgoing] = (), extra: Optional[Mapping[str, str]] = None,
                 program: Optional[Callable[["Session"], Program]] = None) -> None:
        self.board = board
        self.sid: str = record["sid"]
        self.account_sid: str = record["account_sid"]
        board.paths[self.sid] = f"/Accounts/{self.account_sid}/Calls"
        self.first = first
        self.fallback = fallback
        self.answered = answered
        self.then = list(then)  # status callbacks to send once the first document is in
        self.extra = dict(extra or {})  # parameters sent with every request (emulator.dial(**params))
        self.transcript: List[Step] = []
        self.said: List[str] = []
        self.wait: Optional[Wait] = None
        self.ended = False
        self.busy = False
        #: The callee a <Dial> of this call reached (a call SID), the last one.
        self.dialed: Optional[str] = None
        self.depth = 0
        self.skipped: Set[int] = set()
        self._program: Optional[Program] = program(self) if program is not None else None
        self._instant, self._documents, self._steps = -1.0, 0, 0

    def __repr__(self) -> str:
        return f"<Session {self.sid} {'ended' if self.ended else self.wait.what if self.wait else 'running'}>"

    # -- running -----------------------------------------------------------------------------
    def start(self) -> None:
        """Run until the first wait."""
        if self._program is None:
            self._program = self._main()
        self._resume(None)

    def deliver(self, event: Event) -> None:
        """Give an event to the call where it waits; events it does not listen to are noted and dropped."""
        if self.busy:  # running (an app's webhook acting on its own call): the event comes next
            self.board.post(self.sid, event)
            return
        wait = self.wait
        if self.ended or wait is None:
            return
        if event.kind in ("hangup", "redirect"):
            self._resume(None, Interrupted(event))
        elif event.kind in wait.listens or (event.kind == "timeout" and wait.deadline is not None):
            self._resume(event)
        elif event.kind == "key":
            self.step("press", event.value, note=f"not heard: the call is in {wait.what}")
        elif event.kind == "speech":
            self.step("speak", event.value[0], note=f"not heard: the call is in {wait.what}")

    def _resume(self, event: Optional[Event], error: Optional[BaseException] = None) -> None:
        assert self._program is not None
        self.wait, self.busy = None, True
        try:
            self.wait = self._program.throw(error) if error is not None else self._program.send(event)  # type: ignore[arg-type]
        except StopIteration:
            self.wait = None
        except Runaway as runaway:
            self.step("error", note=str(runaway))
            self.wait = None
        finally:
            self.busy = False
        if self.wait is None:
            self.end()

    def _main(self) -> Program:
        assert self.first is not None, "a call without a program of its own starts from a document"
        yield from self.run(self.first)

    def run(self, target: Target) -> Program:
        """Run documents from ``target`` on until the call ends, following redirects made through the REST API."""
        while True:
            try:
                yield from self.follow(target)
                return
            except Interrupted as interrupt:
                if interrupt.event.kind == "hangup":
                    return
                target = self.redirected(interrupt.event.value)

    def follow(self, target: Outcome) -> Generator[Wait, Event, Outcome]:
        """Run documents from ``target`` on: ``None`` when the last one runs out, :data:`END` when one ends
        the call (or none could be had: the caller then heard the application error)."""
        while isinstance(target, (Request, str)):
            loaded = yield from self.load(target)
            if loaded is None:
                self.application_error()
                return END
            target = yield from self.execute(*loaded)
        return target

    def redirected(self, value: Tuple[Optional[str], str, Optional[str]]) -> Target:
        """Where a redirect through the REST API (``Url``/``Method`` or ``Twiml``) leads."""
        url, method, inline = value
        self.step("redirect", url or "(inline TwiML)", note="by the REST API")
        return inline if inline else Request(url or "", method, self.params())

    def wait_for(self, what: str, seconds: Optional[float] = None, listens: Iterable[str] = ()) -> Program:
        """Stand still until an event comes (or ``seconds`` of virtual time pass); returns the event."""
        deadline = None if seconds is None else self.board.elapsed + seconds
        event = yield Wait(what, deadline, frozenset(listens))
        return event

    def guard(self, documents: int = 0) -> None:
        """Count a step (and documents) done at this virtual instant; :class:`Runaway` past the bounds."""
        if self.board.elapsed != self._instant:
            self._instant, self._documents, self._steps = self.board.elapsed, 0, 0
        self._steps += 1
        self._documents += documents
        if self._documents > MAX_DOCUMENTS_AT_ONCE:
            raise Runaway(f"stopped: {MAX_DOCUMENTS_AT_ONCE} documents fetched without a pause or any input "
                          "(a <Redirect> loop?); the call is hung up")
        if self._steps > MAX_STEPS_AT_ONCE:
            raise Runaway(f"stopped: {MAX_STEPS_AT_ONCE} steps without a pause or any input; the call is hung up")

    # -- documents -------------------------------------------------------------------------
    def load(self, target: Target) -> Generator[Wait, Event, Optional[Tuple[Node, Optional[str]]]]:
        """The document ``target`` names, with the fallback on failure; ``None`` when none could be had."""
        if isinstance(target, str):
            self.guard(documents=1)
            try:
                return twiml.parse(target), None
            except DocumentError as error:
                self.step("error", note=f"{error.code}: {error.message}")
                notify(self.board, self.account_sid, self.sid, error.code, error.message)
                return None
        fetched = yield from self.fetch(target)
        if fetched.document is not None:
            return fetched.document, fetched.request.url
        if self.fallback is None or target.fallback:
            return None
        url, method = self.fallback
        params = {**target.params, "ErrorCode": str(fetched.code), "ErrorUrl": target.url}
        fetched = yield from self.fetch(Request(url, method, params, fallback=True))
        return (fetched.document, fetched.request.url) if fetched.document is not None else None

    def fetch(self, request: Request, *, kind: str = "twiml") -> Generator[Wait, Event, Fetched]:
        """Send a TwiML request; a slow answer is waited for on the virtual clock; failures are notified."""
        self.guard(documents=1)
        delay = self.board.delay_for(request.url)
        fetched = fetch(request, self.board.backend.token_of(self.account_sid), self.board.backend.local,
                        kind=kind, delay=delay)
        self.board.backend.record_callbacks([fetched.record])
        self.step("fetch", f"{request.method.upper()} {request.url}", note=_answered(fetched.record))
        if self.then:
            then, self.then = self.then, []
            self.board.deliver(then)
        waited = WEBHOOK_TIMEOUT if fetched.timed_out else delay
        if waited > 0:
            yield from self.wait_for("a webhook's answer", waited)
        if fetched.code is not None:
            self.step("error", note=f"{fetched.code}: {fetched.message}")
            notify(self.board, self.account_sid, self.sid, fetched.code, fetched.message, request, fetched.answer)
        return fetched

    def fetch_ignored(self, request: Optional[Request]) -> None:
        """Send a request whose answer Twilio ignores (a <Dial> action after the caller hung up...)."""
        if request is not None:
            fetched = fetch(request, self.board.backend.token_of(self.account_sid), self.board.backend.local)
            self.board.backend.record_callbacks([fetched.record])
            self.step("fetch", f"{request.method.upper()} {request.url}",
                      note=f"{_answered(fetched.record)}; the call is over, its answer is not run")

    def execute(self, document: Node, url: Optional[str]) -> Generator[Wait, Event, Outcome]:
        """Run ``document``'s verbs in order: the next document, :data:`END` (a <Hangup>...), or ``None``
        when it runs out (the call then ends too, but a whisper then connects its callee)."""
        self.skipped = set()
        for node, problem in twiml.warnings(document):
            self.step("warning", node.tag, node=node, url=url, note=f"12200: {problem}")
            notify(self.board, self.account_sid, self.sid, 12200, f"Schema validation warning: {problem}",
                   level="1", url=url)
            if problem.startswith(f"<{node.tag}> is not allowed"):
                self.skipped.add(node.index)
        for node in document.children:
            if node.index in self.skipped:
                continue
            self.guard()
            if not self.answered and node.tag != "Reject":
                self.answer()
            verb = self.board.verbs.get(node.tag)
            if verb is None:  # Pay, Connect, Start...: said so, never silently skipped
                self.step(node.tag, node.text, node=node, url=url, note="not simulated by the emulator")
                continue
            outcome = yield from verb(self, node, url)
            if outcome is not None:
                return outcome
        return None

    # -- the call ---------------------------------------------------------------------------
    @property
    def record(self) -> Dict[str, Any]:
        """The call as stored (a live dict: read it under the store's lock to be exact)."""
        record = self.board.call(self.sid)
        assert record is not None, f"call {self.sid} is no longer stored"
        return record

    def params(self, status: Optional[str] = None, **extra: str) -> Dict[str, str]:
        """Twilio's parameters about this call (``CallStatus`` as it is now), with ``extra``."""
        with self.board.backend.store.lock:
            record = self.record
            sent = lifecycle.call_parameters(record, status or record["status"])
        sent.update(self.extra)
        sent.update(extra)
        return sent

    def request(self, node: Node, url: Optional[str], params: Mapping[str, str], *, attribute: str = "action",
                default_to_document: bool = True) -> Optional[Request]:
        """The request of a verb's ``action`` (by default the document's own URL), ``None`` without one."""
        given = node.get(attribute)
        target = given if given else (url if default_to_document else None)
        if target is None:
            return None
        absolute = resolve(url, target)
        if absolute is None:
            raise Runaway(f"stopped: {attribute}={target!r} of <{node.tag}> is relative, and an inline document "
                          "has no URL to resolve it against (11100)")
        return Request(absolute, (node.get("method") or "POST").upper(), dict(params))

    def answer(self) -> None:
        """The call is picked up (an inbound call, by its first verb that is not <Reject>)."""
        if not self.answered:
            self.answered = True
            self.board.set_status(self.sid, "in-progress")

    def end(self, status: str = "completed") -> None:
        """The call is over (a no-op once it is): its status, its callbacks."""
        if self.ended:
            return
        self.ended = True
        self.wait = None
        if self.board.set_status(self.sid, status):
            self.step("hangup", note=status)

    def application_error(self) -> None:
        """What Twilio does when no TwiML could be had: the caller hears why, and the call ends."""
        self.answer()
        self.say(APPLICATION_ERROR)
        self.step("Say", APPLICATION_ERROR, note="Twilio's application error")

    def say(self, text: str) -> None:
        """Record what the caller hears (:attr:`said`)."""
        self.said.append(text)

    def step(self, verb: str, text: str = "", *, node: Optional[Node] = None, url: Optional[str] = None,
             note: Optional[str] = None, attributes: Optional[Mapping[str, str]] = None) -> Step:
        """Add a step to the transcript."""
        step = Step(verb, text, dict(attributes if attributes is not None else node.attributes if node else {}),
                    url, node.source if node else None, note, self.board.elapsed, self.depth)
        self.transcript.append(step)
        return step


def _answered(record: CallbackRecord) -> str:
    return f"HTTP {record.status_code}" if record.status_code is not None else record.error or "no answer"
