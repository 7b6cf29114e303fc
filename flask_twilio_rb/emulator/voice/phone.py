"""The test's side of a call: :class:`PhoneCall`, and placing or answering one (``emulator.dial``/``answer``)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional

from ..callbacks import CallbackRecord
from ..incoming import arrive
from ..lifecycle import call_parameters
from .events import Event
from .session import Session
from .transcript import Step
from .webhook import Request

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .board import Switchboard

_KEYS = re.compile(r"[0-9*#]*\Z")


class PhoneCall:
    """A call seen from the phone: what it heard, and the buttons to press.

    .. code-block:: python

        call = emulator.dial("+15005550006")       # the number's voice_url runs
        assert call.said[0].startswith("Hello")
        call.press("2")                            # the <Gather> hears it; its action runs
        call.wait(5)                               # five seconds pass (timeouts, <Pause>, recordings)
        call.hang_up()

    Every method returns the call, so steps chain: ``call.press("1").wait(3).said``.
    """

    def __init__(self, board: "Switchboard", sid: str) -> None:
        self._board = board
        #: The call's SID (``CA...``).
        self.sid = sid

    def __repr__(self) -> str:
        return f"<PhoneCall {self.sid} {self.status}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PhoneCall) and other.sid == self.sid

    def __hash__(self) -> int:
        return hash(self.sid)

    @property
    def _session(self) -> Optional[Session]:
        return self._board.sessions.get(self.sid)

    @property
    def status(self) -> str:
        """The call's status as the REST API shows it (``ringing``, ``in-progress``, ``completed``, ``busy``...)."""
        record = self._board.call(self.sid)
        return record["status"] if record is not None else "unknown"

    @property
    def said(self) -> List[str]:
        """The text of every <Say> heard so far, in order (Twilio's application-error message included)."""
        session = self._session
        return list(session.said) if session is not None else []

    @property
    def transcript(self) -> List[Step]:
        """Every step so far: verbs run, documents fetched, keys pressed, time waited (:class:`Step`)."""
        session = self._session
        return list(session.transcript) if session is not None else []

    @property
    def requests(self) -> List[CallbackRecord]:
        """The webhook requests sent about this call (TwiML fetches and status callbacks), oldest first."""
        return [r for r in self._board.backend.callbacks if r.params.get("CallSid") == self.sid]

    @property
    def dialed(self) -> Optional["PhoneCall"]:
        """The callee a <Dial> of this call reached (the last one), or ``None``."""
        session = self._session
        return PhoneCall(self._board, session.dialed) if session is not None and session.dialed else None

    @property
    def waiting_for(self) -> Optional[str]:
        """What the call stands still for (``"Gather"``, ``"Dial"``, ``"Record"``...), ``None`` once over."""
        session = self._session
        return session.wait.what if session is not None and session.wait is not None else None

    def press(self, digits: str) -> "PhoneCall":
        """Press keys (``"12#"``), one after the other; each reaches whatever listens at that moment."""
        if not isinstance(digits, str) or not _KEYS.match(digits):
            raise ValueError(f"press() takes the keys of a phone: digits, * and #, not {digits!r}.")
        for index, key in enumerate(digits):
            if index and self.waiting_for is None:  # the call ended on an earlier key: the rest go nowhere
                break
            self._send(Event("key", key), f"press {key}")
        return self

    def speak(self, words: str, confidence: float = 0.9) -> "PhoneCall":
        """Say ``words``: a <Gather input="speech"> hears them (``SpeechResult``), a <Record> records them."""
        if not words or not isinstance(words, str):
            raise ValueError("speak() takes the words the caller says, e.g. call.speak(\"billing\").")
        if not 0 <= confidence <= 1:
            raise ValueError(f"confidence is between 0 and 1, not {confidence!r}.")
        self._send(Event("speech", (words, confidence)), f"speak {words}")
        return self

    def wait(self, seconds: float) -> "PhoneCall":
        """Let ``seconds`` pass on the emulator's virtual clock (for every call: it is one network)."""
        session = self._session
        if session is not None and not session.ended:
            self._board.run(lambda: session.step("wait", f"{seconds:g} s"))
        self._board.wait(seconds)
        return self

    def hang_up(self) -> "PhoneCall":
        """The phone hangs up (a no-op once the call is over)."""
        def hang_up() -> None:
            session = self._session
            if session is not None and not session.ended:
                session.step("hangup", note="the phone hung up")
            self._board.set_status(self.sid, _ended(self._board.call(self.sid)))

        self._board.run(hang_up)
        return self

    def _send(self, event: Event, what: str) -> None:
        def send() -> None:
            session = self._session
            if session is None or session.ended:
                raise RuntimeError(f"Call {self.sid} is {self.status}: it can no longer {what}.")
            session.deliver(event)

        self._board.run(send)


def _ended(record: Optional[Dict[str, Any]]) -> str:
    # Hanging up before an answer cancels the call; after one, completes it.
    return "canceled" if record is not None and record["status"] in ("queued", "ringing") else "completed"


def place(board: "Switchboard", to: str, from_: str, account_sid: str, params: Mapping[str, str]) -> PhoneCall:
    """A phone calls ``to``, one of the account's numbers: its voice URL (or application's) runs."""
    def start() -> str:
        number, record = arrive(board.backend, "Calls", account_sid, to, from_)
        board.backend.store.progressing.pop(record["sid"], None)  # the test drives it, not advance()
        url, method, fallback = _voice_of(board, account_sid, number)
        extra = dict(params)
        first = Request(url, method, {**call_parameters(record, "ringing"), **extra})
        board.start(Session(board, record, first, fallback=fallback, extra=extra))
        return record["sid"]

    return PhoneCall(board, board.run(start))


def _voice_of(board: "Switchboard", account_sid: str, number: Mapping[str, Any]) -> tuple:
    application_sid = number.get("voice_application_sid")
    source: Mapping[str, Any] = number
    if application_sid:
        application = board.backend.store.get(f"/Accounts/{account_sid}/Applications", application_sid)
        if application is None:
            raise ValueError(f"{number['phone_number']}'s voice_application_sid {application_sid} is no "
                             "application of the account.")
        source = application
    url = source.get("voice_url")
    if not url:
        raise ValueError(f"{number['phone_number']} has no voice_url: set it, e.g. "
                         "number.update_attributes(voice_url=...).")
    fallback = source.get("voice_fallback_url")
    return (url, (source.get("voice_method") or "POST").upper(),
            (fallback, (source.get("voice_fallback_method") or "POST").upper()) if fallback else None)


def answer(board: "Switchboard", call: str) -> PhoneCall:
    """Pick up ``call``: a ringing call's SID, or the number (``client:name``, ``sip:...``) it rings."""
    def pick_up() -> str:
        record = _ringing(board, call)
        sid = record["sid"]
        board.backend.store.progressing.pop(sid, None)  # the test drives it now
        if record["status"] == "queued":
            board.set_status(sid, "ringing")
        board.set_status(sid, "in-progress")
        return sid

    return PhoneCall(board, board.run(pick_up))


def _ringing(board: "Switchboard", call: str) -> Dict[str, Any]:
    if call.startswith("CA"):
        record = board.call(call)
        if record is None:
            raise ValueError(f"No call {call} in the emulator.")
        if record["status"] not in ("queued", "ringing"):
            raise ValueError(f"Call {call} is {record['status']}: only a ringing call can be answered.")
        return record
    store = board.backend.store
    with store.lock:
        ringing = [store.get(path, sid) for sid, path in store.progressing.items() if path.endswith("/Calls")]
    found = [r for r in ringing if r is not None and r["to"] == call and r["status"] in ("queued", "ringing")]
    if not found:
        raise ValueError(f"No call is ringing {call}: answer() takes a ringing call's SID or the number it rings.")
    return found[-1]

