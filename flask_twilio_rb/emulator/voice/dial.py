"""<Dial>: a call to a <Number>, <Client> or <Sip> (or a number in its text) that the test answers, or not.

Each target is a real call (``outbound-dial``, its ``parent_call_sid`` the caller's), ringing
until :meth:`TwilioEmulator.answer` picks it up (or :meth:`~TwilioEmulator.advance` does, or
:meth:`~TwilioEmulator.fail` makes it busy), or until ``timeout`` seconds pass on the virtual
clock. The first to answer is connected (after its noun's ``url`` whisper, if any) and the
others are canceled. The caller waits until one side hangs up, ``timeLimit`` passes or, with
``hangupOnStar``, the caller presses ``*``; then ``action`` hears ``DialCallStatus``,
``DialCallSid``, ``DialCallDuration`` and ``DialBridged`` (without an action the next verb runs).
<Conference> and <Queue> are in :mod:`.conference` and :mod:`.queue`.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Dict, Generator, List, Optional, Set, Tuple

from . import records
from .conference import conference
from .events import Event, Leg, Wait
from .document import Node
from .queue import dequeue
from .session import END, Interrupted, Outcome, Program, Session
from .verbs import number
from .webhook import Request, resolve

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .board import Switchboard

_FINAL = ("completed", "canceled", "busy", "no-answer", "failed")
#: What <Dial> can reach: a phone number (formatted as people write them, too), a client, a SIP address.
_DIALLABLE = re.compile(r"\+?[(0-9][0-9()\-. ]{2,24}\Z|(?:client|sip):\S+\Z")


def dial(call: Session, node: Node, url: Optional[str]) -> Generator[Wait, Event, Outcome]:
    """Run a <Dial> (see the module documentation)."""
    nouns = [child for child in node.children if child.index not in call.skipped]
    for noun in nouns:
        if noun.tag == "Conference":
            return (yield from conference(call, node, noun, url))
        if noun.tag == "Queue":
            return (yield from dequeue(call, node, noun, url))
    call.step("Dial", node.text if not nouns else "", node=node, url=url)
    for noun in nouns:
        if noun.tag not in ("Number", "Client", "Sip"):
            call.step(noun.tag, noun.text, node=noun, url=url, note="not simulated by the emulator")
    targets: List[Tuple[str, Optional[Node]]] = [(_address(noun), noun) for noun in nouns
                                                 if noun.tag in ("Number", "Client", "Sip")]
    if not nouns and node.text:
        targets = [(node.text, None)]
    legs = _ring(call, node, url, targets)
    if not legs:
        status, connected, duration = "failed", None, 0
    else:
        status, connected, duration = yield from _connect(call, node, url, legs)
    params = call.params(DialCallStatus=status, DialCallSid=connected or legs[-1].sid if legs else "",
                         DialCallDuration=str(duration), DialBridged="true" if duration or connected else "false")
    call.step("Dial", note=f"DialCallStatus={status}", node=node, url=url)
    return call.request(node, url, params, default_to_document=False)


def _address(noun: Node) -> str:
    if noun.tag == "Client":
        identity = next((child.text for child in noun.children if child.tag == "Identity"), None)
        return f"client:{identity or noun.text}"
    return noun.text


def _ring(call: Session, node: Node, url: Optional[str], targets: List[Tuple[str, Optional[Node]]]) -> List[Leg]:
    board = call.board
    with board.backend.store.lock:
        caller = call.record
        caller_id = node.get("callerId") or caller["from"] or ""
    legs = []
    call.depth += 1
    for address, noun in targets:
        if not _DIALLABLE.match(address):
            call.step(noun.tag if noun is not None else "Number", address, node=noun, url=url,
                      note="13223: not a phone number, client:name or sip: address")
            records.notify(board, call.account_sid, call.sid, 13223, f"Dial: Invalid phone number format "
                                                                       f"{address!r}", url=url)
            continue
        hidden: Dict[str, object] = {}
        if noun is not None and noun.get("statusCallback"):
            hidden = {"StatusCallback": resolve(url, noun.get("statusCallback") or ""),
                      "StatusCallbackMethod": (noun.get("statusCallbackMethod") or "POST").upper(),
                      "StatusCallbackEvent": [noun.get("statusCallbackEvent") or "completed"]}
        child = records.call(board, call.account_sid, address, caller_id, call.sid, hidden)
        whisper = resolve(url, noun.get("url") or "") if noun is not None else None
        method = (noun.get("method") if noun is not None else None) or "POST"
        leg = Leg(child["sid"], call.sid, (whisper, method.upper()) if whisper else None)
        board.legs[leg.sid] = leg
        board.set_status(leg.sid, "ringing")
        call.step(noun.tag if noun is not None else "Number", address, node=noun, url=url,
                  note=f"ringing: call {leg.sid}")
        legs.append(leg)
    call.depth -= 1
    return legs


def _connect(call: Session, node: Node, url: Optional[str], legs: List[Leg]) -> Generator[Wait, Event, tuple]:
    """Wait for the legs: ``(DialCallStatus, the connected leg's SID, seconds connected)``."""
    board = call.board
    timeout = number(call, node, url, "timeout", 30.0, low=1) or 30.0
    time_limit = number(call, node, url, "timeLimit", 14400.0, low=1) or 14400.0
    star = node.get("hangupOnStar") == "true"
    started, bridged_at = board.elapsed, None
    connected: Optional[str] = None
    ringing = {leg.sid for leg in legs}
    failure = "no-answer"
    try:
        while True:
            if bridged_at is not None:
                seconds: Optional[float] = bridged_at + time_limit - board.elapsed
            else:
                seconds = None if connected else started + timeout - board.elapsed
            event = yield from call.wait_for("Dial", seconds, {"leg", "key"} if star else {"leg"})
            if event.kind == "timeout":
                _hang_up(board, ringing | ({connected} if connected else set()))
                status = "completed" if bridged_at is not None else "no-answer"
                break
            if event.kind == "key":
                if event.value == "*" and bridged_at is not None:
                    call.step("press", event.value, note="hangupOnStar")
                    _hang_up(board, {connected} if connected else set())
                    status = "completed"
                    break
                call.step("press", event.value, note="not heard")
                continue
            sid, what = event.value
            if what == "answered":
                ringing.discard(sid)
                connected = call.dialed = sid
                _hang_up(board, ringing, "canceled")
                ringing = set()
            elif what == "bridged":  # (only the connected callee gets that far)
                bridged_at = board.elapsed
                call.step("Dial", note=f"connected to {sid}")
            elif sid == connected:  # the callee hung up, or left through the REST API
                status = "completed" if bridged_at is not None else "no-answer"
                break
            else:  # a callee still ringing failed (busy, no-answer...)
                ringing.discard(sid)
                failure = what if what != "canceled" else failure
                if not ringing and connected is None:
                    status = failure
                    break
    except Interrupted as interrupt:
        _hang_up(board, ringing, "canceled")
        _hang_up(board, {connected} if connected else set())
        if interrupt.event.kind == "hangup":
            status = "completed" if bridged_at is not None else "canceled"
            duration = int(board.elapsed - bridged_at) if bridged_at is not None else 0
            call.fetch_ignored(call.request(node, url, call.params(
                DialCallStatus=status, DialCallSid=connected or legs[-1].sid, DialCallDuration=str(duration),
                DialBridged="true" if bridged_at is not None else "false"), default_to_document=False))
        raise
    return status, connected, int(board.elapsed - bridged_at) if bridged_at is not None else 0


def _hang_up(board: "Switchboard", sids: Set[str], status: str = "completed") -> None:
    for sid in sorted(sids):
        record = board.call(sid)
        if record is not None and record["status"] in ("queued", "ringing"):
            board.set_status(sid, "canceled" if status == "canceled" else "no-answer")
        else:
            board.set_status(sid, status)


def pick_up(board: "Switchboard", leg: Leg) -> None:
    """A dialled call was answered: its caller hears so, and its callee side starts (the whisper first)."""
    record = board.call(leg.sid)
    if record is None or leg.parent not in board.sessions:  # pragma: no cover - the caller is gone
        return
    board.post(leg.parent, Event("leg", (leg.sid, "answered")))
    board.start(Session(board, record, None, answered=True, program=lambda session: _callee(session, leg)))


def _callee(session: Session, leg: Leg) -> Program:
    """The answered side of a <Dial>: its whisper runs, then it talks until someone hangs up."""
    try:
        if leg.whisper is not None:
            url, method = leg.whisper
            if (yield from session.follow(Request(url, method, session.params()))) is END:
                return  # the whisper hung up (or failed): the callee never takes the call
        session.board.post(leg.parent, Event("leg", (leg.sid, "bridged")))
        session.step("bridged", note=f"talking with {leg.parent}")
        yield from session.wait_for("a call (bridged)")
    except Interrupted as interrupt:
        if interrupt.event.kind == "redirect":  # moved elsewhere through the REST API: the caller goes on alone
            session.board.post(leg.parent, Event("leg", (leg.sid, "left")))
            yield from session.run(session.redirected(interrupt.event.value))
