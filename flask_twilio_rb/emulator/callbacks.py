"""Delivering what Twilio would send: signed form posts (or GETs) with short timeouts, all recorded."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence

import requests

from .lifecycle import Outgoing
from .outbound import LocalApps, send, signed

#: How much of an answer is kept (a TwiML document is far shorter).
MAX_BODY = 100_000
#: At most this many requests in flight at once (each record's own requests go one after another).
MAX_PARALLEL = 16


@dataclass(frozen=True)
class CallbackRecord:
    """One request the emulator sent: a status callback (``kind="status"``) or a TwiML fetch (``"twiml"``).

    ``status_code`` is the HTTP status the app answered, or ``None`` with ``error`` saying why
    no answer came (connection refused, timeout...). ``body`` is the answer's text (the TwiML).
    """

    kind: str
    url: str
    method: str
    params: Dict[str, str] = field(default_factory=dict)
    status_code: Optional[int] = None
    error: Optional[str] = None
    body: Optional[str] = None


def deliver(outgoing: Outgoing, auth_token: str, local: Optional[LocalApps] = None) -> CallbackRecord:
    """Send ``outgoing`` signed with ``auth_token`` as Twilio does; failures are recorded, never raised.

    :param local: apps answering in this process (the others are reached over HTTP).
    """
    url, data, headers = signed(outgoing.method, outgoing.url, outgoing.params, auth_token, about=outgoing.sid)
    try:
        answer = send(outgoing.method, url, data, headers, local=local, limit=MAX_BODY)
    except requests.RequestException as exc:
        return CallbackRecord(outgoing.kind, url, outgoing.method, dict(outgoing.params),
                              error=f"{type(exc).__name__}: {exc}")
    return CallbackRecord(outgoing.kind, url, outgoing.method, dict(outgoing.params), answer.status,
                          body=answer.text())


def deliver_all(outgoing: Sequence[Outgoing], token_of: Callable[[str], str],
                local: Optional[LocalApps] = None) -> List[CallbackRecord]:
    """Deliver ``outgoing``: the requests about one record in order, different records in parallel.

    :param token_of: the auth token signing for an account SID.
    :param local: apps answering in this process.
    :returns: the records, grouped by record in the order the records first appear.
    """
    if not outgoing:
        return []
    by_record: Dict[str, List[Outgoing]] = {}
    for request in outgoing:
        by_record.setdefault(request.sid, []).append(request)

    def in_order(requests: List[Outgoing]) -> List[CallbackRecord]:
        return [deliver(request, token_of(request.account_sid), local) for request in requests]

    with ThreadPoolExecutor(min(MAX_PARALLEL, len(by_record)), thread_name_prefix="twilio-emulator-callback") as pool:
        return [record for records in pool.map(in_order, by_record.values()) for record in records]
