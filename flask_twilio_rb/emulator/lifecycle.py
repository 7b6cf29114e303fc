"""How calls and messages move on: status steps, the fields each step fills, and what Twilio calls back.

A step changes the record under the store's lock and returns the requests Twilio would send
(status callbacks, the TwiML fetch of an answered call) as :class:`Outgoing` values; they are
delivered afterwards, outside the lock, by :mod:`.callbacks`.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Tuple

from .errors import TwilioAPIError
from .representation import API_VERSION_NAME, parse_rfc2822, rfc2822, utcnow
from .store import hidden

#: The statuses each kind passes through, in order; the last one is final. (A message sent
#: through a Messaging Service starts ``accepted``; the others start ``queued``.)
PROGRESSIONS: Dict[str, Tuple[str, ...]] = {
    "Calls": ("queued", "ringing", "in-progress", "completed"),
    "Messages": ("accepted", "queued", "sent", "delivered"),
}
#: The price Twilio shows once a call or message is over (USD).
PRICES = {"Calls": "-0.01400", "Messages": "-0.00790"}
#: Call statuses reached -> the StatusCallbackEvent names Twilio reports for them.
CALL_EVENTS = {"ringing": ("initiated", "ringing"), "in-progress": ("answered",), "completed": ("completed",),
               "canceled": ("completed",), "busy": ("completed",), "no-answer": ("completed",),
               "failed": ("completed",)}
#: How a call or message can fail instead of progressing (:meth:`TwilioEmulator.fail`), each with
#: the error code Twilio reports by default for a message (30003: unreachable handset; 30008: unknown).
FAILURES: Dict[str, Dict[str, Optional[int]]] = {
    "Calls": {"busy": None, "no-answer": None, "failed": None},
    "Messages": {"undelivered": 30003, "failed": 30008},
}
#: The CallStatus sent with an event whose name is not a status itself.
EVENT_STATUS = {"initiated": "initiated", "ringing": "ringing", "answered": "in-progress"}
_ENDED = ("completed", "canceled", "failed", "busy", "no-answer")


@dataclass(frozen=True)
class Outgoing:
    """A request Twilio would send about record ``sid``: ``kind`` is ``"status"`` (a status callback) or ``"twiml"``.

    ``answers`` marks the TwiML fetch of an answered call, which the phone calls (:mod:`.voice`) run.
    """

    kind: str
    url: str
    method: str
    params: Dict[str, str]
    account_sid: str
    sid: str
    answers: bool = False


def next_status(kind: str, status: Optional[str]) -> Optional[str]:
    """The status after ``status``, or ``None`` when it is final (or not one the kind passes through)."""
    steps = PROGRESSIONS[kind]
    if status not in steps[:-1]:
        return None
    return steps[steps.index(status) + 1]


def is_final(kind: str, status: Optional[str]) -> bool:
    """Whether a record in ``status`` moves no further."""
    return next_status(kind, status) is None


def move(kind: str, record: Dict[str, Any], status: str, now: Optional[_dt.datetime] = None) -> List[Outgoing]:
    """Put ``record`` in ``status``, fill the fields that go with it; the requests Twilio sends then.

    :param now: the moment it happens (default: now; the phone calls pass their virtual clock's).
    """
    now = now or utcnow()
    record["status"] = status
    record["date_updated"] = rfc2822(now)
    if status == "in-progress":
        record["start_time"] = rfc2822(now)
        hidden(record)["answered"] = now  # the duration is measured from this moment, not its whole second
    if status == "sent":
        record["date_sent"] = rfc2822(now)
    if kind == "Messages" and status == "queued" and record.get("from") is None:
        record["from"] = hidden(record).get("params", {}).get("From")  # the sender its service picked
    if status in ("completed", "delivered"):
        record["price"] = PRICES[kind]
    if kind == "Calls" and status in _ENDED:
        started = record.get("start_time")
        answered = hidden(record).get("answered") or (parse_rfc2822(started) if started else None)
        record["end_time"] = rfc2822(now)
        record["duration"] = str(max(0, int((now - answered).total_seconds()))) if answered else "0"
    return _call_requests(record, status) if kind == "Calls" else _message_requests(record, status)


def fail(kind: str, record: Dict[str, Any], status: Optional[str], error_code: Optional[int]) -> List[Outgoing]:
    """End ``record`` in a failure status instead of its next step; the requests Twilio sends then."""
    failures = FAILURES[kind]
    status = status or next(iter(failures))
    if status not in failures:
        raise ValueError(f"{kind[:-1].lower()} {record['sid']} cannot end as {status!r}; "
                         f"use one of {', '.join(map(repr, failures))}.")
    if kind == "Calls" and record["status"] not in ("queued", "ringing"):
        raise ValueError(f"call {record['sid']} is {record['status']}: only a call not yet answered fails.")
    code = error_code if error_code is not None else failures[status]
    if code is not None:
        record["error_code"] = code
    return move(kind, record, status)


def update_call_status(record: Dict[str, Any], requested: Optional[str], redirect: bool) -> Optional[str]:
    """The status a call update leads to, as Twilio decides it (``None``: no change).

    ``canceled`` ends only a queued or ringing call; ``completed`` cancels one that has not
    been answered and hangs up one in progress. An ended call refuses any change (21220).
    """
    status = record.get("status")
    if status in _ENDED and (requested or redirect):
        raise TwilioAPIError(400, 21220, "Call is not in-progress. Cannot redirect.")
    if requested is None:
        return None
    if status in ("queued", "ringing"):
        return "canceled"
    return "completed" if requested == "completed" else None


def call_parameters(record: Mapping[str, Any], status: str) -> Dict[str, str]:
    """The parameters Twilio sends about a call in every request (TwiML fetch or status callback)."""
    return {
        "AccountSid": record["account_sid"], "ApiVersion": API_VERSION_NAME, "CallSid": record["sid"],
        "CallStatus": status, "Called": record.get("to") or "", "Caller": record.get("from") or "",
        "Direction": record.get("direction") or "", "From": record.get("from") or "", "To": record.get("to") or "",
    }


def _call_requests(record: Dict[str, Any], status: str) -> List[Outgoing]:
    params = hidden(record).get("params", {})
    requests: List[Outgoing] = []
    if status == "in-progress" and params.get("Url") and not params.get("Twiml"):
        requests.append(Outgoing("twiml", params["Url"], params.get("Method", "POST"),
                                 call_parameters(record, status), record["account_sid"], record["sid"], True))
    callback = params.get("StatusCallback")
    # Events come one per parameter or several in one, space-separated ("initiated ringing").
    wanted = {event for value in params.get("StatusCallbackEvent") or ["completed"] for event in value.split()}
    for event in CALL_EVENTS.get(status, ()) if callback else ():
        if event not in wanted:
            continue
        sequence = hidden(record).get("sequence", 0)
        hidden(record)["sequence"] = sequence + 1
        sent = call_parameters(record, EVENT_STATUS.get(event, status))
        sent.update({"CallbackSource": "call-progress-events", "SequenceNumber": str(sequence),
                     "Timestamp": record["date_updated"]})
        if event == "completed":
            sent["CallDuration"] = record["duration"]
        requests.append(Outgoing("status", callback, params.get("StatusCallbackMethod", "POST"), sent,
                                 record["account_sid"], record["sid"]))
    return requests


def _message_requests(record: Dict[str, Any], status: str) -> List[Outgoing]:
    params = hidden(record).get("params", {})
    callback = params.get("StatusCallback")
    if not callback:
        return []
    sent = {"AccountSid": record["account_sid"], "ApiVersion": API_VERSION_NAME, "From": record.get("from") or "",
            "To": record.get("to") or "", "MessageSid": record["sid"], "MessageStatus": status,
            "SmsSid": record["sid"], "SmsStatus": status}
    if record.get("error_code") is not None:  # an undelivered or failed message says why
        sent["ErrorCode"] = str(record["error_code"])
    return [Outgoing("status", callback, "POST", sent, record["account_sid"], record["sid"])]
