"""Queues: <Enqueue>, <Dial><Queue>, <Leave>, and a Member update through the REST API.

A queue is a Queue record with a Member per waiting call: <Dial><Queue> connects the first one
(after the noun's ``url`` whisper), a Member update redirects it, <Leave> in the wait music
(``waitUrl``, fetched and run once) makes it leave; the Enqueue ``action`` hears ``QueueResult``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, Generator, Mapping, Optional

from ..representation import rfc2822
from . import records
from .document import Node
from .events import Event, Wait
from .music import wait_music
from .session import END, Interrupted, Outcome, Session
from .verbs import number
from .webhook import Request, resolve

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .board import Switchboard

QUEUES = "/Accounts/{AccountSid}/Queues"
MEMBERS = "/Accounts/{AccountSid}/Queues/{QueueSid}/Members"


@dataclass
class Waiting:
    """A call waiting in a queue, since ``since`` (virtual seconds)."""

    sid: str
    since: float


def enqueue(call: Session, node: Node, url: Optional[str]) -> Generator[Wait, Event, Outcome]:
    """<Enqueue>: wait in the named queue until a <Dial><Queue> connects us, the REST API moves us or we <Leave>."""
    board = call.board
    call.step("Enqueue", node.text, node=node, url=url)
    if node.get("workflowSid"):
        call.step("Enqueue", note="TaskRouter (workflowSid) is not simulated by the emulator")
        return None
    queue = _queue(board, call.account_sid, node.text)
    waiting = board.queues.setdefault(queue["sid"], [])
    if len(waiting) >= int(queue.get("max_size") or 100):
        return _queue_result(call, node, url, queue, "queue-full", board.elapsed)
    since = board.elapsed
    waiting.append(Waiting(call.sid, since))
    records.store_record(board, MEMBERS, {"AccountSid": call.account_sid, "QueueSid": queue["sid"],
                                          "CallSid": call.sid}, {}, {
        "call_sid": call.sid, "queue_sid": queue["sid"], "position": len(waiting), "wait_time": 0,
        "date_enqueued": rfc2822(board.now())})
    _resize(board, queue)
    for other in list(board.sessions.values()):
        if other.wait is not None and other.wait.what == f"Dial <Queue> {node.text}":
            board.post(other.sid, Event("queue", ("arrived", call.sid)))
    music = call.params(QueueSid=queue["sid"], QueuePosition=str(len(waiting)), QueueTime="0",
                        AvgQueueTime=str(queue.get("average_wait_time") or 0), CurrentQueueSize=str(len(waiting)),
                        MaxQueueSize=str(queue.get("max_size") or 100))
    try:
        if (yield from wait_music(call, node, url, "waitUrl", "waitUrlMethod", music)) == "leave":
            _dequeue(board, queue, call.sid)
            return _queue_result(call, node, url, queue, "leave", since)
        event = yield from call.wait_for(f"Enqueue {node.text}", None, {"queue"})
        _dequeue(board, queue, call.sid)
        if event.value[0] == "redirect":  # a Member update through the REST API
            _, target, method = event.value
            call.step("Enqueue", node.text, note="dequeued by the REST API")
            return Request(target, method, call.params())
        _, agent, whisper = event.value  # a <Dial><Queue> took us
        if whisper is not None and (yield from call.follow(whisper)) is END:
            board.post(agent, Event("queue", ("ended", call.sid)))
            return END
        board.post(agent, Event("queue", ("connected", call.sid)))
        call.step("bridged", note=f"talking with {agent}")
        yield from call.wait_for("a call (bridged)", None, {"queue"})
        return _queue_result(call, node, url, queue, "bridged", since)
    except Interrupted as interrupt:
        in_queue = _dequeue(board, queue, call.sid)
        for other in board.sessions.values():  # an agent connecting or talking with us is left alone
            if other.wait is not None and other.wait.what.startswith("Dial <Queue>") and other.dialed == call.sid:
                board.post(other.sid, Event("queue", ("ended", call.sid)))
        if interrupt.event.kind == "hangup":
            request = _queue_request(call, node, url, queue, "hangup" if in_queue else "bridged", since)
            call.fetch_ignored(request)
        raise


def _queue(board: "Switchboard", account_sid: str, name: str) -> Dict[str, Any]:
    for queue in board.backend.stored(account_sid, "Queues"):
        if queue.get("friendly_name") == name:
            return queue
    return records.store_record(board, QUEUES, {"AccountSid": account_sid}, {},
                                {"friendly_name": name, "current_size": 0, "max_size": 100})


def _dequeue(board: "Switchboard", queue: Dict[str, Any], sid: str) -> bool:
    waiting = board.queues.get(queue["sid"], [])
    if not any(w.sid == sid for w in waiting):
        return False
    board.queues[queue["sid"]] = [w for w in waiting if w.sid != sid]
    board.backend.store.remove(f"/Accounts/{queue['account_sid']}/Queues/{queue['sid']}/Members", sid)
    _resize(board, queue)
    return True


def _resize(board: "Switchboard", queue: Dict[str, Any]) -> None:
    waiting = board.queues.get(queue["sid"], [])
    with board.backend.store.lock:
        queue["current_size"] = len(waiting)
        for position, member in enumerate(waiting, 1):
            stored = board.backend.store.get(f"/Accounts/{queue['account_sid']}/Queues/{queue['sid']}/Members",
                                             member.sid)
            assert stored is not None, "a waiting call keeps its member record"
            stored.update(position=position, wait_time=int(board.elapsed - member.since))


def _queue_request(call: Session, node: Node, url: Optional[str], queue: Mapping[str, Any], result: str,
                   since: float) -> Optional[Request]:
    return call.request(node, url, call.params(QueueResult=result, QueueSid=queue["sid"],
                                               QueueTime=str(int(call.board.elapsed - since))),
                        default_to_document=False)


def _queue_result(call: Session, node: Node, url: Optional[str], queue: Mapping[str, Any], result: str,
                  since: float) -> Outcome:
    call.step("Enqueue", node.text, note=f"QueueResult={result}")
    return _queue_request(call, node, url, queue, result, since)


def dequeue(call: Session, dial: Node, noun: Node, url: Optional[str]) -> Generator[Wait, Event, Outcome]:
    """<Dial><Queue>: connect to the first call waiting in the queue (waiting up to ``timeout`` for one)."""
    board = call.board
    call.step("Dial", node=dial, url=url)
    queue = _queue(board, call.account_sid, noun.text)
    timeout = number(call, dial, url, "timeout", 30.0, low=1) or 30.0
    started = board.elapsed
    call.step("Queue", noun.text, node=noun, url=url)
    try:
        while not board.queues.get(queue["sid"]):
            event = yield from call.wait_for(f"Dial <Queue> {noun.text}", started + timeout - board.elapsed,
                                             {"queue"})
            if event.kind == "timeout":
                return call.request(dial, url, call.params(DialCallStatus="no-answer", QueueSid=queue["sid"]),
                                    default_to_document=False)
        front = board.queues[queue["sid"]][0]
        whisper = resolve(url, noun.get("url") or "")
        board.post(front.sid, Event("queue", ("connect", call.sid, Request(whisper, (noun.get("method") or "POST")
                                                                            .upper(), {}) if whisper else None)))
        call.dialed = front.sid
        event = yield from call.wait_for(f"Dial <Queue> {noun.text} (connecting)", None, {"queue"})
        bridged = board.elapsed
        if event.value[0] == "connected":
            call.step("Dial", note=f"connected to {front.sid}")
            yield from call.wait_for("Dial <Queue> (bridged)", None, {"queue"})
    except Interrupted:
        if call.dialed:
            board.post(call.dialed, Event("queue", ("ended", call.sid)))
        raise
    return call.request(dial, url, call.params(DialCallStatus="completed", DialCallSid=front.sid,
                                               QueueSid=queue["sid"], DialCallDuration=str(int(board.elapsed - bridged))),
                        default_to_document=False)


def rest_change(board: "Switchboard", record: Dict[str, Any], params: Mapping[str, Any]) -> None:
    """A Member updated through the REST API (its ``Url`` is required): out of the queue, to that URL."""
    board.post(record["call_sid"], Event("queue", ("redirect", params["Url"], params.get("Method") or "POST")))
