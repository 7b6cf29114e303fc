"""One request as Twilio sends it: signed, to an app attached in this process or over HTTP.

Status callbacks (:mod:`.callbacks`) and the phone calls' TwiML fetches (:mod:`.voice`) both
send through :func:`send`. An app attached with :meth:`LocalApps.attach` answers the URLs
under its base URL with no socket at all (a WSGI call, as Flask's test client makes one).
"""
from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Tuple
from urllib.parse import urlencode

import requests
from requests.utils import requote_uri
from werkzeug.test import Client

from ..signature import SIGNATURE_HEADER, compute_signature

#: (connect, read) seconds: a slow or absent app must not hold the emulator up.
TIMEOUT = (2.0, 5.0)
#: Every request says it comes from Twilio's proxy, as Twilio's do.
USER_AGENT = "TwilioProxy/1.1"


@dataclass(frozen=True)
class Answer:
    """What the app answered: HTTP status, headers (lower-case names) and at most ``limit`` bytes of body."""

    status: int
    headers: Dict[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        """The media type, without parameters (``text/xml``)."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def text(self) -> str:
        """The body as text (UTF-8, undecodable bytes replaced)."""
        return self.body.decode("utf-8", "replace")


class LocalApps:
    """WSGI apps that answer, in this process, the webhooks to URLs under their base URL."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._apps: List[Tuple[str, Any]] = []

    def attach(self, app: Any, base_url: str) -> None:
        """Let ``app`` answer every URL under ``base_url`` (``http://localhost``); the latest attach wins."""
        base = base_url.rstrip("/")
        with self._lock:
            self._apps = [(b, a) for b, a in self._apps if b != base] + [(base, app)]

    def find(self, url: str) -> Optional[Any]:
        """The app answering ``url``, or ``None`` (then it goes over HTTP)."""
        with self._lock:
            for base, app in reversed(self._apps):
                if url == base or url.startswith(base + "/") or url.startswith(base + "?"):
                    return app
        return None


#: The header Twilio gives each webhook request, the same on its retries: what an app dedupes with.
IDEMPOTENCY_HEADER = "I-Twilio-Idempotency-Token"


def signed(method: str, url: str, params: Mapping[str, str], auth_token: str, *,
           about: str = "") -> Tuple[str, Dict[str, str], Dict[str, str]]:
    """``(url, form, headers)`` of a request signed as Twilio signs it.

    A POST carries the parameters as a form and signs URL + sorted parameters; a GET carries
    them in the query string and signs that full URL alone. The URL is signed as it is sent:
    characters a URL cannot carry (a space) percent-encoded, and without its ``#fragment``
    (Twilio's connection overrides, ``#rc=3&ct=1000``), which never goes over HTTP. Each request
    carries an ``I-Twilio-Idempotency-Token`` (``about``: the SID it is about, its prefix).
    """
    url = requote_uri(url.partition("#")[0])
    data = dict(params)
    if method == "GET":
        url = url + ("&" if "?" in url else "?") + urlencode(data) if data else url
        data = {}
    headers = {SIGNATURE_HEADER: compute_signature(url, data, auth_token), "User-Agent": USER_AGENT,
               IDEMPOTENCY_HEADER: f"{about}-{uuid.uuid4().hex}" if about else uuid.uuid4().hex}
    return url, data, headers


def send(method: str, url: str, data: Mapping[str, str], headers: Mapping[str, str], *, local: Optional[LocalApps],
         limit: int) -> Answer:
    """One request, redirects not followed; raises :class:`requests.RequestException` when no answer came
    (:data:`TIMEOUT` bounds the wait)."""
    app = local.find(url) if local is not None else None
    if app is not None:
        response = Client(app).open(url, method=method, data=dict(data) or None, headers=dict(headers))
        try:
            return Answer(response.status_code, {k.lower(): v for k, v in response.headers.items()},
                          response.get_data()[:limit])
        finally:
            response.close()
    answer = requests.request(method, url, data=dict(data) or None, headers=dict(headers), timeout=TIMEOUT,
                              allow_redirects=False, stream=True)
    try:
        body = answer.raw.read(limit, decode_content=True)
    finally:
        answer.close()
    return Answer(answer.status_code, {k.lower(): v for k, v in answer.headers.items()}, body)
