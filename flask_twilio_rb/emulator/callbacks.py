"""Delivering what Twilio would send: signed form posts (or GETs) with short timeouts, all recorded."""
from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence
from urllib.parse import urlencode

import requests

from ..signature import SIGNATURE_HEADER, compute_signature
from .lifecycle import Outgoing

#: (connect, read) seconds: a slow or absent app must not hold the emulator up.
TIMEOUT = (2.0, 5.0)
#: How much of an answer is kept (a TwiML document is far shorter).
MAX_BODY = 100_000
#: The header Twilio gives each webhook request, the same on its retries: what an app dedupes with.
IDEMPOTENCY_HEADER = "I-Twilio-Idempotency-Token"
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


def deliver(outgoing: Outgoing, auth_token: str) -> CallbackRecord:
    """Send ``outgoing`` signed with ``auth_token`` as Twilio does; failures are recorded, never raised.

    A POST carries the parameters as a form and signs URL + sorted parameters; a GET carries
    them in the query string and signs that full URL alone. A ``#fragment`` (Twilio's
    connection overrides, ``#rc=3&ct=1000``) is never sent over HTTP, so it is neither sent nor
    signed: the app validates the URL it receives.
    """
    url, data = outgoing.url.partition("#")[0], outgoing.params
    if outgoing.method == "GET":
        url = url + ("&" if "?" in url else "?") + urlencode(data)
        data = {}
    headers = {SIGNATURE_HEADER: compute_signature(url, data, auth_token), "User-Agent": "TwilioProxy/1.1",
               IDEMPOTENCY_HEADER: f"{outgoing.sid}-{uuid.uuid4().hex}"}
    try:
        answer = requests.request(outgoing.method, url, data=data or None, headers=headers, timeout=TIMEOUT,
                                  allow_redirects=False)
    except requests.RequestException as exc:
        return CallbackRecord(outgoing.kind, url, outgoing.method, dict(outgoing.params),
                              error=f"{type(exc).__name__}: {exc}")
    return CallbackRecord(outgoing.kind, url, outgoing.method, dict(outgoing.params), answer.status_code,
                          body=answer.text[:MAX_BODY])


def deliver_all(outgoing: Sequence[Outgoing], token_of: Callable[[str], str]) -> List[CallbackRecord]:
    """Deliver ``outgoing``: the requests about one record in order, different records in parallel.

    :param token_of: the auth token signing for an account SID.
    :returns: the records, grouped by record in the order the records first appear.
    """
    if not outgoing:
        return []
    by_record: Dict[str, List[Outgoing]] = {}
    for request in outgoing:
        by_record.setdefault(request.sid, []).append(request)

    def in_order(requests: List[Outgoing]) -> List[CallbackRecord]:
        return [deliver(request, token_of(request.account_sid)) for request in requests]

    with ThreadPoolExecutor(min(MAX_PARALLEL, len(by_record)), thread_name_prefix="twilio-emulator-callback") as pool:
        return [record for records in pool.map(in_order, by_record.values()) for record in records]
