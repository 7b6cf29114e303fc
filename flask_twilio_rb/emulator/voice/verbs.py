"""The verbs a call runs: Say, Play, Pause, Gather, Record, Redirect, Hangup, Reject, Sms (and Message).

Each verb is a generator function ``(call, node, url)`` that may wait (yield from
:meth:`Session.wait_for`) and returns the call's next move: ``None`` (the next verb), a
document to fetch (:class:`~.webhook.Request`), or :data:`~.session.END`. <Dial>, <Enqueue>
and <Leave> live in :mod:`.dial`, :mod:`.conference` and :mod:`.queue`.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Callable, Dict, Generator, Iterable, List, Optional, Tuple

from ..lifecycle import Outgoing
from . import records
from .events import Event, Wait
from .document import Node
from .session import END, Interrupted, Outcome
from .webhook import Request, resolve

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .session import Session

Verb = Callable[["Session", Node, Optional[str]], Generator[Wait, Event, Outcome]]
#: What Twilio's <Say loop> and <Play loop> repeat at most.
MAX_LOOP = 1000
#: The Confidence sent with speech when the test does not give one.
SPEECH_CONFIDENCE = 0.9


def number(call: "Session", node: Node, url: Optional[str], name: str, default: Optional[float],
           *, low: float = 0) -> Optional[float]:
    """A numeric attribute, or ``default`` (a 12200 warning says so when the value is not a number >= ``low``)."""
    text = node.get(name)
    if text is None:
        return default
    try:
        value = float(text)
        if not math.isfinite(value) or value < low:
            raise ValueError(text)
    except ValueError:
        problem = f"<{node.tag}> {name}={text!r} is not a number >= {low:g}; Twilio uses {default}"
        call.step("warning", node.tag, node=node, url=url, note=f"12200: {problem}")
        records.notify(call.board, call.account_sid, call.sid, 12200, f"Schema validation warning: {problem}",
                       url=url)
        return default
    return value


# -- prompts: Say, Play, Pause (also inside a Gather, where input cuts them short) --------------

def prompt(call: "Session", node: Node, url: Optional[str], listens: Iterable[str] = ()
           ) -> Generator[Wait, Event, Optional[Event]]:
    """Say, play or pause; returns the input event that cut it short inside a <Gather>, else ``None``."""
    listening = frozenset(listens)
    if node.tag == "Pause":
        length = number(call, node, url, "length", 1.0)
        call.step("Pause", node=node, url=url, note=f"{length:g} s")
        if length:
            event = yield from call.wait_for("Pause", length, listening)
            return None if event.kind == "timeout" else event
        return None
    loop = number(call, node, url, "loop", 1.0)
    if node.tag == "Say":
        text = node.spoken()
        for _ in range(int(min(loop or 1, MAX_LOOP))):
            call.say(text)
        call.step("Say", text, node=node, url=url, note=_loop_note(loop))
    else:
        digits = node.get("digits")
        call.step("Play", node.text or "", node=node, url=url,
                  note=f"sends digits {digits}" if digits else _loop_note(loop))
    if loop == 0:  # until the caller hangs up (or, in a <Gather>, answers)
        event = yield from call.wait_for(f"{node.tag} loop=0", None, listening)
        return event
    return None


def _loop_note(loop: Optional[float]) -> Optional[str]:
    if loop == 0:
        return "loops until the call ends"
    return f"{loop:g} times" if loop and loop > 1 else None


def say(call: "Session", node: Node, url: Optional[str]) -> Generator[Wait, Event, Outcome]:
    """<Say>, <Play>, <Pause> on their own."""
    yield from prompt(call, node, url)
    return None


# -- Gather --------------------------------------------------------------------------------

def gather(call: "Session", node: Node, url: Optional[str]) -> Generator[Wait, Event, Outcome]:
    """Collect digits or speech; the result goes to ``action`` (default: this document's URL)."""
    inputs = set((node.get("input") or "dtmf").split()) & {"dtmf", "speech"} or {"dtmf"}
    listens = ({"key"} if "dtmf" in inputs else set()) | ({"speech"} if "speech" in inputs else set())
    num_digits = number(call, node, url, "numDigits", None, low=1)
    finish = node.attributes.get("finishOnKey", "#")
    timeout = number(call, node, url, "timeout", 5.0)
    speech_timeout = node.get("speechTimeout")
    call.step("Gather", node=node, url=url)
    event: Optional[Event] = None
    call.depth += 1
    try:
        for child in node.children:
            if child.index not in call.skipped:
                event = yield from prompt(call, child, url, listens)
                if event is not None:
                    break
    finally:
        call.depth -= 1
    digits, finished_on, speech = "", "", []
    while True:
        if event is None:
            event = yield from call.wait_for("Gather", timeout, listens)
        if event.kind == "timeout":
            break
        if event.kind == "key":
            call.step("press", event.value, note="heard by Gather")
            if event.value in finish:
                finished_on = event.value
                break
            digits += event.value
            if num_digits and len(digits) >= num_digits:
                break
        else:
            words, confidence = event.value
            call.step("speak", words, note="heard by Gather")
            speech.append((words, confidence))
            seconds = _seconds(speech_timeout)
            if not seconds:
                break
            event = yield from call.wait_for("Gather (speech)", seconds, {"speech"})
            continue
        event = None
    if speech:
        params = call.params(SpeechResult=" ".join(w for w, _ in speech), Confidence=f"{speech[-1][1]:.8f}",
                             msg="Gather End")
    elif digits:
        params = call.params(Digits=digits, FinishedOnKey=finished_on, msg="Gather End")
    elif node.get("actionOnEmptyResult") == "true":
        params = call.params(FinishedOnKey=finished_on, msg="Gather End")
    else:
        call.step("Gather", note="no input: on to the next verb", node=node, url=url)
        return None
    return call.request(node, url, params)


def _seconds(value: Optional[str]) -> float:
    try:
        return max(float(value or 0), 0.0)
    except ValueError:  # "auto": speech ends when the caller pauses
        return 0.0


# -- Record ------------------------------------------------------------------------------

def record(call: "Session", node: Node, url: Optional[str]) -> Generator[Wait, Event, Outcome]:
    """Record the caller; a Recording with its duration, the callbacks, then ``action``.

    Time spent waiting (:meth:`PhoneCall.wait`) after the caller spoke (:meth:`PhoneCall.speak`)
    is recorded; a caller who says nothing is silent: after ``timeout`` seconds the recording is
    empty, no action is requested and the next verb runs, as on Twilio.
    """
    timeout = number(call, node, url, "timeout", 5.0)
    max_length = number(call, node, url, "maxLength", 3600.0, low=1)
    finish = node.attributes.get("finishOnKey", "1234567890*#")
    call.step("Record", node=node, url=url)
    board = call.board
    started, digits = board.elapsed, ""
    spoken: List[str] = []
    assert max_length is not None
    try:
        while True:
            left = started + max_length - board.elapsed
            silence = timeout if timeout and not spoken else None
            event = yield from call.wait_for("Record", min(left, silence) if silence else left, {"key", "speech"})
            if event.kind == "timeout":
                break
            if event.kind == "speech":
                call.step("speak", event.value[0], note="recorded")
                spoken.append(event.value[0])
            elif event.value in finish:
                call.step("press", event.value, note="ends the recording")
                digits = event.value
                break
            else:
                call.step("press", event.value, note="not a finishOnKey: recorded as sound")
    except Interrupted as interrupt:
        if spoken:
            request = _recorded(call, node, url, started, spoken, "hangup")
            if interrupt.event.kind == "hangup":
                call.fetch_ignored(request)
        raise
    if not spoken:
        call.step("Record", note="silence: nothing recorded, on to the next verb", node=node, url=url)
        _recording_callback(call, node, url, None, "absent")
        return None
    return _recorded(call, node, url, started, spoken, digits)


def _recorded(call: "Session", node: Node, url: Optional[str], started: float, spoken: List[str],
              digits: str) -> Optional[Request]:
    duration = max(1, int(round(call.board.elapsed - started)))
    stored = records.recording(call.board, call.account_sid, call.sid, duration, started)
    call.step("Record", stored["sid"], note=f"recorded {duration} s", node=node, url=url)
    _recording_callback(call, node, url, stored, "completed")
    if node.get("transcribe") == "true" or node.get("transcribeCallback"):
        text = records.transcription(call.board, stored, " ".join(spoken))
        target = resolve(url, node.get("transcribeCallback") or "")
        if target:
            _callback(call, target, "POST", call.params(
                TranscriptionSid=text["sid"], TranscriptionText=text["transcription_text"],
                TranscriptionStatus="completed", RecordingSid=stored["sid"], RecordingUrl=stored["media_url"],
                TranscriptionUrl=f"{stored['media_url']}/Transcriptions/{text['sid']}"))
    return call.request(node, url, call.params(RecordingUrl=stored["media_url"], RecordingDuration=str(duration),
                                               RecordingSid=stored["sid"], Digits=digits))


def _recording_callback(call: "Session", node: Node, url: Optional[str], stored: Optional[Dict[str, object]],
                        status: str) -> None:
    target = resolve(url, node.get("recordingStatusCallback") or "")
    events = (node.get("recordingStatusCallbackEvent") or "completed").replace(",", " ").split()
    if not target or status not in events:
        return
    params = {"AccountSid": call.account_sid, "CallSid": call.sid, "RecordingStatus": status,
              "RecordingSource": "RecordVerb", "RecordingChannels": "1"}
    if stored is not None:
        params.update(RecordingSid=str(stored["sid"]), RecordingUrl=str(stored["media_url"]),
                      RecordingDuration=str(stored["duration"]), RecordingStartTime=str(stored["start_time"]))
    _callback(call, target, (node.get("recordingStatusCallbackMethod") or "POST").upper(), params)


def _callback(call: "Session", url: str, method: str, params: Dict[str, str]) -> None:
    call.board.deliver([Outgoing("status", url, method, params, call.account_sid, call.sid)])


# -- the rest ------------------------------------------------------------------------------

def redirect(call: "Session", node: Node, url: Optional[str]) -> Generator[Wait, Event, Outcome]:
    """Fetch the next document from the URL in the element (relative to this one's)."""
    call.step("Redirect", node.text, node=node, url=url)
    if not node.text:
        call.step("Redirect", note="no URL: ignored", node=node, url=url)
        return None
    absolute = resolve(url, node.text)
    if absolute is None:
        call.step("error", note=f"11100: <Redirect> to {node.text!r} is relative in an inline document")
        return END
    yield from ()
    return Request(absolute, (node.get("method") or "POST").upper(), call.params())


def hangup(call: "Session", node: Node, url: Optional[str]) -> Generator[Wait, Event, Outcome]:
    """End the call."""
    call.step("Hangup", node=node, url=url)
    yield from ()
    return END


def reject(call: "Session", node: Node, url: Optional[str]) -> Generator[Wait, Event, Outcome]:
    """As the first verb, refuse the call unanswered: ``busy`` (reason="busy") or ``no-answer``; else hang up."""
    reason = node.get("reason") or "rejected"
    call.step("Reject", node=node, url=url)
    if not call.answered:
        call.end("busy" if reason == "busy" else "no-answer")
    yield from ()
    return END


def sms(call: "Session", node: Node, url: Optional[str]) -> Generator[Wait, Event, Outcome]:
    """<Sms> (and <Message>) during a call: a real outgoing text, then ``action`` if there is one."""
    own, other = _parties(call)
    bodies = [child.text for child in node.children if child.tag == "Body"]
    media = [child.text for child in node.children if child.tag == "Media"]
    body = " ".join(bodies) if bodies else node.text
    callback = resolve(url, node.get("statusCallback") or "")
    sent = records.message(call.board, call.account_sid, node.get("to") or other, node.get("from") or own, body,
                           media=media, status_callback=callback)
    call.step(node.tag, body, node=node, url=url, note=f"text {sent['sid']} to {sent['to']}")
    yield from ()
    if node.get("action"):
        return call.request(node, url, call.params(SmsSid=sent["sid"], SmsStatus="sending"))
    return None


def _parties(call: "Session") -> Tuple[str, str]:
    """(our number, the other party's) of the call."""
    with call.board.backend.store.lock:
        stored = call.record
        ours, theirs = (stored["to"], stored["from"]) if stored["direction"] == "inbound" else (
            stored["from"], stored["to"])
    return ours or "", theirs or ""


def leave(call: "Session", node: Node, url: Optional[str]) -> Generator[Wait, Event, Outcome]:
    """<Leave> outside a queue's wait music: nothing to leave."""
    call.step("Leave", node=node, url=url, note="not in a queue: ignored")
    yield from ()
    return None
