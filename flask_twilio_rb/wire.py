"""Facts of Twilio's HTTP protocol that every layer shares, the emulator included.

Pure definitions with no import of the rest of the library: the API version prefix, what a
SID looks like, HTTP Basic credentials, form encoding, and :class:`Operation`, the name of
what a request does, which resources hand down with each request.
"""
from __future__ import annotations

import re
from typing import Dict, Iterable, NamedTuple, Optional, Sequence, Tuple
from urllib.parse import quote, quote_plus, unquote

#: The path prefix of the 2010-04-01 REST API.
API_VERSION = "/2010-04-01"

#: A SID: two capital letters and 32 hexadecimal digits (``CA0123...``).
SID = re.compile(r"[A-Z]{2}[0-9a-fA-F]{32}\Z")

#: Query or form parameters as Twilio reads them: ``(name, value)`` pairs, names repeatable.
Params = Sequence[Tuple[str, str]]


def is_sid(value: object, prefixes: Optional[str] = None) -> bool:
    """Whether ``value`` is a SID, optionally with one of ``prefixes`` (``"SM|MM"``)."""
    if not isinstance(value, str) or not SID.match(value):
        return False
    return prefixes is None or value[:2] in prefixes.split("|")


def basic_auth(auth: Tuple[str, str]) -> str:
    """The ``Authorization`` header value for HTTP Basic credentials ``(user, password)``."""
    from base64 import b64encode  # here: computed once per credential pair, and base64 costs start-up time

    return "Basic " + b64encode(f"{auth[0]}:{auth[1]}".encode("utf-8")).decode("ascii")


def form(pairs: Params) -> str:
    """``urlencode`` for ``(name, str)`` pairs: the same text, without its per-value type checks."""
    return "&".join(f"{quote_plus(name)}={quote_plus(value)}" for name, value in pairs)


class Operation(NamedTuple):
    """What a request does, as the resource that sends it knows: recorded by outboxes, named in errors."""

    #: The resource class name (``"Message"``), or ``None`` for a request made without one.
    resource: Optional[str]
    #: ``"create"``, ``"list"``, ``"fetch"``, ``"update"`` or ``"delete"``.
    action: str
    #: The operationId in Twilio's spec (``"CreateMessage"``), when the resource declares it.
    operation_id: Optional[str] = None


#: The response header naming, in debug and testing, the template line of each TwiML element:
#: ``1=menu.voice:3 2=menu.voice:4`` (elements numbered in document order, ``<Response>`` is 0).
#: The library writes it; the emulator's phone calls show it in their transcripts.
TWIML_SOURCES_HEADER = "X-TwiML-Sources"


def encode_sources(sources: Iterable[Tuple[int, str, int]]) -> str:
    """The :data:`TWIML_SOURCES_HEADER` value for ``(element number, template name, line)`` triples."""
    return " ".join(f"{index}={quote(name, safe='/._-~')}:{line}" for index, name, line in sources)


def decode_sources(value: str) -> Dict[int, str]:
    """Element number -> ``"template:line"`` from a :data:`TWIML_SOURCES_HEADER` value; malformed entries are skipped."""
    found: Dict[int, str] = {}
    for entry in value.split():
        index, _, where = entry.partition("=")
        name, _, line = where.rpartition(":")
        if index.isdigit() and name and line.isdigit():
            found[int(index)] = f"{unquote(name)}:{line}"
    return found


def operation_of_method(method: str) -> Operation:
    """The operation of a request sent without a resource: only its method is known."""
    action = {"DELETE": "delete", "POST": "update"}.get(method, "fetch")
    return Operation(None, action)
