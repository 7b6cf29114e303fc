"""<Dial><Conference>, and what the REST API does to a conference.

A conference is a Conference record (``init``, ``in-progress`` once a participant with
``startConferenceOnEnter`` joins, ``completed`` when the last one leaves or one with
``endConferenceOnExit`` does) with a Participant record per call in it; the REST API lists them,
mutes and holds them (with the ``participant-mute``/``-hold`` events), removes them (the call
goes on after its <Dial>) and ends the conference. Its wait music (``waitUrl``) is fetched and
run once.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, Generator, Mapping, Optional, Tuple

from ..lifecycle import Outgoing
from ..representation import rfc2822
from . import records
from .document import Node
from .events import Event, Wait
from .music import wait_music
from .session import Interrupted, Outcome, Session
from .verbs import number
from .webhook import resolve

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .board import Switchboard

CONFERENCES = "/Accounts/{AccountSid}/Conferences"
PARTICIPANTS = "/Accounts/{AccountSid}/Conferences/{ConferenceSid}/Participants"
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
        yield from wait_music(call, noun, url, "waitUrl", "waitMethod", call.params())
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


def rest_change(board: "Switchboard", kind: str, record: Dict[str, Any], params: Optional[Mapping[str, Any]]) -> None:
    """A Participant muted, held or removed, or a Conference ended, through the REST API."""
    rooms = {room.sid: room for room in board.rooms.values()}
    if kind == "Conferences":
        room = rooms.get(record["sid"])
        if room is not None and params and params.get("Status") == "completed":
            end(board, room, "conference-ended-via-api")
        return
    room = rooms.get(record.get("conference_sid") or "")
    if room is None or record["call_sid"] not in room.members:
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
