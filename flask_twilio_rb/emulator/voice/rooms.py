"""Conferences and queues: <Dial><Conference>, <Enqueue>, <Dial><Queue>, <Leave>, and what the REST API does to them.

A conference is a Conference record (``init``, ``in-progress`` once a participant with
``startConferenceOnEnter`` joins, ``completed`` when the last one leaves or one with
``endConferenceOnExit`` does) with a Participant record per call in it; the REST API lists them,
mutes and holds them (with the ``participant-mute``/``-hold`` events), removes them (the call
goes on after its <Dial>) and ends the conference. A queue is a Queue record with a Member per
waiting call: <Dial><Queue> connects the first one, a Member update through the REST API
redirects it, <Leave> in the wait music makes it leave. Wait music (``waitUrl``) is fetched and
run once: its Say/Play/Pause/Redirect are heard, and in a queue's, <Leave>.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, Generator, List, Mapping, Optional, Tuple

from ..lifecycle import Outgoing
from ..representation import rfc2822
from . import records
from .events import Event, Wait
from .document import Node
from .session import END, Interrupted, Outcome, Session
from .verbs import number
from .webhook import Request, resolve

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .board import Switchboard

CONFERENCES = "/Accounts/{AccountSid}/Conferences"
PARTICIPANTS = "/Accounts/{AccountSid}/Conferences/{ConferenceSid}/Participants"
QUEUES = "/Accounts/{AccountSid}/Queues"
MEMBERS = "/Accounts/{AccountSid}/Queues/{QueueSid}/Members"
#: The conference events sent when ``statusCallbackEvent`` names none.
DEFAULT_EVENTS = ("start", "end")
_DONE = {"mute": "muted", "unmute": "unmuted", "hold": "put on hold", "unhold": "taken off hold"}


@dataclass
class Room:
    """A live conference: its record's SID, its calls, the status callback (of the first to give one)."""

    account_sid: str
    name: str
    sid: str
    members: Dict[str, Dict[str, bool]] = field(default_factory=dict)
    started: bool = False
    ended: bool = False
    callback: Optional[Tuple[str, str, Tuple[str, ...]]] = None
    sequence: int = 0


@dataclass
class Waiting:
    """A call waiting in a queue, since ``since`` (virtual seconds)."""

    sid: str
    since: float


# -- conferences ----------------------------------------------------------------------------

def conference(call: Session, dial: Node, noun: Node, url: Optional[str]) -> Generator[Wait, Event, Outcome]:
    """<Dial><Conference>: join (or open) the room named by the noun, wait there until it ends or we leave."""
    board = call.board
    room = _room(board, call.account_sid, noun.text)
    flags = {"muted": noun.get("muted") == "true", "hold": False,
             "start_conference_on_enter": noun.get("startConferenceOnEnter") != "false",
             "end_conference_on_exit": noun.get("endConferenceOnExit") == "true"}
    limit = number(call, noun, url, "maxParticipants", 250.0, low=2)
    call.step("Dial", node=dial, url=url)
    if limit is not None and len(room.members) >= limit:
        call.step("Conference", noun.text, node=noun, url=url, note=f"full: {len(room.members)} participants")
        return call.request(dial, url, call.params(DialCallStatus="failed"), default_to_document=False)
    if room.callback is None and noun.get("statusCallback"):
        events = tuple((noun.get("statusCallbackEvent") or " ".join(DEFAULT_EVENTS)).replace(",", " ").split())
        room.callback = (resolve(url, noun.get("statusCallback") or "") or "",
                         (noun.get("statusCallbackMethod") or "POST").upper(), events)
    room.members[call.sid] = flags
    records.store_record(board, PARTICIPANTS, {"AccountSid": call.account_sid, "ConferenceSid": room.sid,
                                               "CallSid": call.sid}, {}, {
        "call_sid": call.sid, "conference_sid": room.sid, "status": "connected", "coaching": False,
        "label": noun.get("participantLabel"), "queue_time": "0", **flags})
    call.step("Conference", noun.text, node=noun, url=url, note=f"joined {room.sid}" + (" muted" if flags["muted"]
                                                                                        else ""))
    _emit(board, room, "participant-join", call.sid)
    if flags["start_conference_on_enter"] and not room.started:
        _start(board, room)
    elif not room.started:
        yield from _wait_music(call, noun, url, "waitUrl", "waitMethod", call.params())
    joined = board.elapsed
    try:
        while True:
            event = yield from call.wait_for("Conference" if room.started else "Conference (waiting to start)",
                                             None, {"room"})
            if event.value == "started":
                call.step("Conference", noun.text, note="the conference started")
                continue
            call.step("Conference", noun.text, note="removed" if event.value == "kicked" else "the conference ended")
            break
    except Interrupted as interrupt:
        leave(board, room, call.sid)
        if interrupt.event.kind == "hangup":
            call.fetch_ignored(call.request(dial, url, call.params(
                DialCallStatus="answered", DialCallDuration=str(int(board.elapsed - joined))),
                default_to_document=False))
        raise
    leave(board, room, call.sid)
    return call.request(dial, url, call.params(DialCallStatus="answered",
                                               DialCallDuration=str(int(board.elapsed - joined))),
                        default_to_document=False)


def _room(board: "Switchboard", account_sid: str, name: str) -> Room:
    room = board.rooms.get((account_sid, name))
    if room is None:
        record = records.store_record(board, CONFERENCES, {"AccountSid": account_sid}, {},
                                      {"friendly_name": name, "status": "init", "region": "us1"})
        room = board.rooms[(account_sid, name)] = Room(account_sid, name, record["sid"])
    return room


def _conference_record(board: "Switchboard", room: Room) -> Dict[str, Any]:
    found = board.backend.store.get(f"/Accounts/{room.account_sid}/Conferences", room.sid)
    assert found is not None, "a live conference keeps its record"
    return found


def _start(board: "Switchboard", room: Room) -> None:
    room.started = True
    with board.backend.store.lock:
        _conference_record(board, room).update(status="in-progress", date_updated=rfc2822(board.now()))
    _emit(board, room, "conference-start")
    for sid in room.members:
        board.post(sid, Event("room", "started"))


def leave(board: "Switchboard", room: Room, sid: str) -> None:
    """Call ``sid`` leaves ``room``: its participant goes, and the conference ends when it should."""
    flags = room.members.pop(sid)
    board.backend.store.remove(f"/Accounts/{room.account_sid}/Conferences/{room.sid}/Participants", sid)
    _emit(board, room, "participant-leave", sid, flags)
    if not room.members:
        end(board, room, "last-participant-left", sid)
    elif flags["end_conference_on_exit"]:
        end(board, room, "participant-with-end-conference-on-exit-left", sid)


def end(board: "Switchboard", room: Room, reason: str, ending: Optional[str] = None) -> None:
    """The conference ends: completed, with why; every call still in it leaves (and goes on after its <Dial>)."""
    if room.ended:
        return
    room.ended = True
    board.rooms.pop((room.account_sid, room.name), None)
    with board.backend.store.lock:
        _conference_record(board, room).update(status="completed", reason_conference_ended=reason,
                                               call_sid_ending_conference=ending, date_updated=rfc2822(board.now()))
    _emit(board, room, "conference-end", extra={"ReasonConferenceEnded": reason,
                                                "CallSidEndingConference": ending or ""})
    for sid in list(room.members):
        board.post(sid, Event("room", "ended"))


def _emit(board: "Switchboard", room: Room, event: str, sid: Optional[str] = None,
          flags: Optional[Mapping[str, bool]] = None, extra: Optional[Mapping[str, str]] = None) -> None:
    """A conference status callback (when the room has one and wants this event)."""
    if room.callback is None:
        return
    url, method, wanted = room.callback
    if event.split("-")[-1].replace("un", "", 1) not in wanted:
        return
    params = {"AccountSid": room.account_sid, "ConferenceSid": room.sid, "FriendlyName": room.name,
              "StatusCallbackEvent": event, "SequenceNumber": str(room.sequence), "Timestamp": rfc2822(board.now())}
    room.sequence += 1
    if sid is not None:
        flags = flags or room.members.get(sid, {})
        params.update(CallSid=sid, Muted=_flag(flags.get("muted")), Hold=_flag(flags.get("hold")), Coaching="false",
                      EndConferenceOnExit=_flag(flags.get("end_conference_on_exit")),
                      StartConferenceOnEnter=_flag(flags.get("start_conference_on_enter")))
    params.update(extra or {})
    board.deliver([Outgoing("status", url, method, params, room.account_sid, room.sid)])


def _flag(value: Optional[bool]) -> str:
    return "true" if value else "false"


# -- queues ---------------------------------------------------------------------------------

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
        if (yield from _wait_music(call, node, url, "waitUrl", "waitUrlMethod", music)) == "leave":
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


# -- wait music -----------------------------------------------------------------------------

def _wait_music(call: Session, node: Node, url: Optional[str], attribute: str, method_attribute: str,
                params: Mapping[str, str]) -> Generator[Wait, Event, Optional[str]]:
    """Fetch and run the wait music once (Say, Play, Pause and Redirect; <Leave> returns ``"leave"``)."""
    target = resolve(url, node.get(attribute) or "")
    if target is None:
        call.step("Play", "(Twilio's hold music)", note="not fetched: the emulator plays none")
        return None
    request: Optional[Request] = Request(target, (node.get(method_attribute) or "POST").upper(), dict(params))
    call.depth += 1
    try:
        while request is not None:
            fetched = yield from call.fetch(request, kind="wait")
            request = None
            for verb in fetched.document.children if fetched.document is not None else ():
                if verb.tag == "Leave":
                    call.step("Leave", node=verb, url=fetched.request.url)
                    return "leave"
                if verb.tag == "Redirect" and verb.text:
                    call.step("Redirect", verb.text, node=verb, url=fetched.request.url)
                    request = Request(resolve(fetched.request.url, verb.text) or "", (verb.get("method") or "POST")
                                      .upper(), dict(params))
                    break
                if verb.tag in ("Say", "Play", "Pause"):
                    if verb.tag == "Say":
                        call.say(verb.spoken())
                    call.step(verb.tag, verb.spoken() if verb.tag == "Say" else verb.text, node=verb,
                              url=fetched.request.url)
                else:
                    call.step(verb.tag, node=verb, url=fetched.request.url, note="not allowed in wait music (13238)")
    finally:
        call.depth -= 1
    return None


# -- the REST API's changes ------------------------------------------------------------------

def rest_change(board: "Switchboard", kind: str, record: Dict[str, Any], params: Optional[Mapping[str, Any]]) -> None:
    """A Participant muted, held or removed, a Member redirected, a Conference ended, through the REST API."""
    if kind == "Members":  # an update (its Url is required): out of the queue, to that URL
        assert params is not None
        board.post(record["call_sid"], Event("queue", ("redirect", params["Url"], params.get("Method") or "POST")))
        return
    rooms = {room.sid: room for room in board.rooms.values()}
    if kind == "Conferences":
        room = rooms.get(record["sid"])
        if room is not None and params and params.get("Status") == "completed":
            end(board, room, "conference-ended-via-api")
        return
    room = rooms.get(record.get("conference_sid") or "")
    if kind != "Participants" or room is None or record["call_sid"] not in room.members:
        return
    if params is None:  # removed: the call goes on after its <Dial>
        board.post(record["call_sid"], Event("room", "kicked"))
        return
    flags = room.members[record["call_sid"]]
    for name, event in (("Muted", "mute"), ("Hold", "hold")):
        if name in params and bool(params[name]) != flags[name.lower()]:
            flags[name.lower()] = bool(params[name])
            what = f"{'' if params[name] else 'un'}{event}"
            board.sessions[record["call_sid"]].step("Conference", room.name, note=f"{_DONE[what]} by the REST API")
            _emit(board, room, f"participant-{what}", record["call_sid"])
