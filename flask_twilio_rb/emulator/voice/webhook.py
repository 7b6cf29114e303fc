"""Fetching TwiML as Twilio does: signed, redirects followed, and every failure named by Twilio's code.

=====  ==================================================================================
11200  HTTP retrieval failure: the app answered with an error status
11205  HTTP connection failure: nothing listening, or no answer within 15 seconds
11215  HTTP too many redirects (more than 10)
11750  TwiML response body too large (over 64 kB)
12100  Document parse failure: not XML, or its root is not <Response>
12300  Invalid Content-Type (TwiML is text/xml, application/xml or text/html; audio is played)
=====  ==================================================================================
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional
from urllib.parse import urljoin, urlsplit

import requests

from ...wire import TWIML_SOURCES_HEADER, decode_sources
from ..callbacks import CallbackRecord
from ..outbound import Answer, LocalApps, send, signed
from .document import MAX_DOCUMENT, DocumentError, Node, parse

#: Twilio waits this long (virtual seconds) for an answer, then gives up with 11205.
WEBHOOK_TIMEOUT = 15.0
#: Redirects followed before 11215.
MAX_REDIRECTS = 10
#: Media types Twilio reads as TwiML.
TWIML_TYPES = ("text/xml", "application/xml", "text/html")


@dataclass(frozen=True)
class Request:
    """A TwiML request a call makes: where, how, with which parameters; ``fallback`` once it is the fallback."""

    url: str
    method: str = "POST"
    params: Mapping[str, str] = field(default_factory=dict)
    fallback: bool = False


@dataclass
class Fetched:
    """What a request brought: the document, or Twilio's ``code`` and ``message`` for why there is none.

    ``record`` is the request as :attr:`TwilioEmulator.callbacks` lists it; ``timed_out`` says the
    caller waited :data:`WEBHOOK_TIMEOUT` seconds for nothing.
    """

    request: Request
    record: CallbackRecord
    document: Optional[Node] = None
    code: Optional[int] = None
    message: str = ""
    timed_out: bool = False
    answer: Optional[Answer] = None


def resolve(base: Optional[str], url: Optional[str]) -> Optional[str]:
    """``url`` against the document's URL; ``None`` for no URL, or one that stays relative (an inline document's)."""
    if not url:
        return None
    absolute = urljoin(base, url) if base else url
    return absolute if urlsplit(absolute).scheme in ("http", "https") else None


def fetch(request: Request, auth_token: str, local: Optional[LocalApps], *, kind: str = "twiml",
          delay: float = 0.0) -> Fetched:
    """Send ``request`` and read its TwiML; never raises for what the app does.

    :param delay: virtual seconds the app takes to answer (:meth:`TwilioEmulator.delay`): from
        :data:`WEBHOOK_TIMEOUT` on, the answer comes too late (11205).
    """
    method, url = request.method.upper(), request.url
    answer: Optional[Answer] = None
    for _ in range(MAX_REDIRECTS + 1):
        signed_url, data, headers = signed(method, url, request.params if method == request.method.upper()
                                           else {}, auth_token)
        record = CallbackRecord(kind, signed_url, method, dict(request.params))
        try:
            answer = send(method, signed_url, data, headers, local=local, limit=MAX_DOCUMENT + 1)
        except requests.Timeout:
            return _failed(request, record, 11205, f"HTTP connection failure: {url} did not answer within "
                                                   f"{WEBHOOK_TIMEOUT:.0f} seconds.", timed_out=True)
        except requests.RequestException as exc:
            return _failed(request, record, 11205, f"HTTP connection failure: could not reach {url} "
                                                   f"({type(exc).__name__}).", error=f"{type(exc).__name__}: {exc}")
        record = CallbackRecord(kind, signed_url, method, dict(request.params), answer.status, body=answer.text())
        location = answer.headers.get("location")
        if answer.status in (301, 302, 303, 307, 308) and location:
            url = urljoin(url, location)
            method = method if answer.status in (307, 308) else "GET"
            continue
        break
    else:
        return _failed(request, record, 11215, f"HTTP too many redirects: more than {MAX_REDIRECTS} from "
                                               f"{request.url}.", answer=answer)
    assert answer is not None
    if delay >= WEBHOOK_TIMEOUT:
        return _failed(request, record, 11205, f"HTTP connection failure: {url} answered after {delay:g} seconds; "
                                               f"Twilio waits {WEBHOOK_TIMEOUT:.0f}.", timed_out=True, answer=answer)
    if not 200 <= answer.status < 300:
        return _failed(request, record, 11200, f"HTTP retrieval failure: {url} answered {answer.status}.",
                       answer=answer)
    if answer.content_type.startswith("audio/"):  # Twilio plays an audio answer
        document = parse(f"<Response><Play>{_escaped(url)}</Play></Response>")
    elif answer.content_type not in TWIML_TYPES:
        return _failed(request, record, 12300, f"Invalid Content-Type {answer.content_type or '(none)'!r} from "
                                               f"{url}: answer TwiML as text/xml.", answer=answer)
    else:
        try:
            document = parse(answer.body, decode_sources(answer.headers.get(TWIML_SOURCES_HEADER.lower(), "")))
        except DocumentError as error:
            return _failed(request, record, error.code, error.message, answer=answer)
    return Fetched(request, record, document, answer=answer)


def _failed(request: Request, record: CallbackRecord, code: int, message: str, *, timed_out: bool = False,
            error: Optional[str] = None, answer: Optional[Answer] = None) -> Fetched:
    if error is not None or timed_out and answer is None:
        record = CallbackRecord(record.kind, record.url, record.method, record.params, error=error or message)
    return Fetched(request, record, None, code, message, timed_out, answer)


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
