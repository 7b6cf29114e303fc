"""The records a call leaves behind, as the REST API then shows them: notifications, recordings,
texts, the calls a <Dial> places, conferences and queues with their participants and members.

A record that Twilio lists in two places (an account's notifications and a call's) is one
record stored under both paths, so an update through either shows in both.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional, Sequence
from urllib.parse import urlencode

from ..errors import MORE_INFO
from ..representation import API_VERSION_NAME, rfc2822
from ..store import hidden

if TYPE_CHECKING:  # pragma: no cover - typing only
    from ..outbound import Answer
    from .board import Switchboard
    from .webhook import Request

#: Error codes that are warnings (Notification ``log`` 1); the others are errors (``log`` 0).
WARNINGS = frozenset({12200})


def store_record(board: "Switchboard", collection: str, values: Mapping[str, str], params: Mapping[str, Any],
                 fields: Mapping[str, Any], *, also: Sequence[str] = ()) -> Dict[str, Any]:
    """Store a new record of ``collection`` (a table template) filled from ``params`` and ``fields``.

    :param values: the path's placeholders (``AccountSid``...).
    :param also: other collection templates that list the same record (a call's recordings).
    """
    return board.backend.make(collection, values, params, preset=fields, also=also)


def notify(board: "Switchboard", account_sid: str, call_sid: Optional[str], code: int, message: str,
           request: Optional["Request"] = None, answer: Optional["Answer"] = None, *, level: Optional[str] = None,
           url: Optional[str] = None) -> Dict[str, Any]:
    """A Notification, as Twilio's debugger leaves one: the code, what was asked and what came back."""
    level = level or ("1" if code in WARNINGS else "0")
    request_url = request.url if request is not None else url or ""
    text = urlencode({"Msg": message, "ErrorCode": str(code), "LogLevel": "WARNING" if level == "1" else "ERROR",
                      "url": request_url})
    fields = {
        "call_sid": call_sid, "api_version": API_VERSION_NAME, "error_code": str(code), "log": level,
        "message_date": rfc2822(board.now()), "message_text": text, "more_info": MORE_INFO.format(code=code),
        "request_method": request.method.upper() if request is not None else None, "request_url": request_url,
        "request_variables": urlencode(dict(request.params)) if request is not None else "",
        "response_body": answer.text() if answer is not None else "",
        "response_headers": "\n".join(f"{k}: {v}" for k, v in answer.headers.items()) if answer is not None else "",
    }
    values = {"AccountSid": account_sid, "CallSid": call_sid or ""}
    also = ["/Accounts/{AccountSid}/Calls/{CallSid}/Notifications"] if call_sid else []
    return store_record(board, "/Accounts/{AccountSid}/Notifications", values, {}, fields, also=also)


def recording(board: "Switchboard", account_sid: str, call_sid: str, duration: int, started: float,
              source: str = "RecordVerb") -> Dict[str, Any]:
    """A completed Recording of ``duration`` seconds, listed under the account and the call."""
    values = {"AccountSid": account_sid, "CallSid": call_sid}
    record = store_record(board, "/Accounts/{AccountSid}/Recordings", values, {}, {
        "call_sid": call_sid, "duration": str(duration), "status": "completed", "source": source, "channels": 1,
        "start_time": rfc2822(board.now()), "price": "-0.00250", "track": "inbound",
    }, also=["/Accounts/{AccountSid}/Calls/{CallSid}/Recordings"])
    record["media_url"] = recording_url(board, record)
    hidden(record)["started"] = started
    return record


def recording_url(board: "Switchboard", record: Mapping[str, Any]) -> str:
    """Where the recording's media lives: on the emulator, as Twilio's ``RecordingUrl`` (no extension)."""
    return f"{board.base_url()}/{API_VERSION_NAME}/Accounts/{record['account_sid']}/Recordings/{record['sid']}"


def transcription(board: "Switchboard", record: Mapping[str, Any], text: str) -> Dict[str, Any]:
    """The Transcription of a recording (its text: what the caller said)."""
    values = {"AccountSid": record["account_sid"], "RecordingSid": record["sid"]}
    return store_record(board, "/Accounts/{AccountSid}/Transcriptions", values, {}, {
        "recording_sid": record["sid"], "status": "completed", "transcription_text": text, "type": "fast",
        "duration": record["duration"], "price_unit": "USD", "api_version": API_VERSION_NAME,
    }, also=["/Accounts/{AccountSid}/Recordings/{RecordingSid}/Transcriptions"])


def message(board: "Switchboard", account_sid: str, to: str, from_: str, body: str, *,
            media: Sequence[str] = (), status_callback: Optional[str] = None,
            direction: str = "outbound-reply") -> Dict[str, Any]:
    """An outgoing text (a <Message> or <Sms> reply): queued, it progresses and calls back like any other."""
    params: Dict[str, Any] = {"To": to, "From": from_, "Body": body}
    if media:
        params["MediaUrl"] = list(media)
    if status_callback:
        params["StatusCallback"] = status_callback
    return store_record(board, "/Accounts/{AccountSid}/Messages", {"AccountSid": account_sid}, params,
                        {"direction": direction})


def call(board: "Switchboard", account_sid: str, to: str, from_: str, parent: Optional[str],
         params: Mapping[str, Any]) -> Dict[str, Any]:
    """A call placed by a <Dial> (``outbound-dial``), queued; ``params`` are its hidden ones (callbacks)."""
    record = store_record(board, "/Accounts/{AccountSid}/Calls", {"AccountSid": account_sid},
                          {"To": to, "From": from_, **params},
                          {"direction": "outbound-dial", "parent_call_sid": parent})
    board.paths[record["sid"]] = f"/Accounts/{account_sid}/Calls"
    return record
