"""Facts of Twilio's HTTP protocol that every layer shares, the emulator included.

Pure definitions with no import of the rest of the library: where each of Twilio's API
descriptions lives (:class:`Api`), what a SID looks like, HTTP Basic credentials, form and JSON
bodies, and :class:`Operation`, the name of what a request does, which resources hand down
with each request.
"""
from __future__ import annotations

import re
from typing import Any, Dict, Iterable, NamedTuple, Optional, Sequence, Tuple
from urllib.parse import quote, quote_plus, unquote

#: The path prefix of the 2010-04-01 REST API.
API_VERSION = "/2010-04-01"

#: The host of the 2010-04-01 API, and where every description's host is when no region applies.
API_HOST = "api.twilio.com"


class Api(NamedTuple):
    """One of Twilio's API descriptions (a domain and version), as its resources address it.

    ``Api("verify.v2", "verify.twilio.com", "/v2")``: requests go to ``https://verify.twilio.com/v2/...``;
    the 2010-04-01 API also ends its paths in ``.json``. ``key`` is the description's Python
    module under ``flask_twilio_rb`` and qualifies its names (``verify.v2.Service``,
    ``verify.v2.CreateService``); the 2010-04-01 API's names stay bare (``Call``, ``CreateCall``).
    """

    #: ``"verify.v2"``: the module that declares the description's classes.
    key: str
    #: ``"verify.twilio.com"``: the description's server (regions and edges are inserted into it).
    host: str
    #: ``"/v2"``: the path prefix of every operation.
    prefix: str
    #: ``".json"`` for the 2010-04-01 API, else empty.
    suffix: str = ""

    def qualify(self, name: str) -> str:
        """``"verify.v2.Service"`` for ``"Service"``; the 2010-04-01 API's names stay bare."""
        return name if self.host == API_HOST else f"{self.key}.{name}"


#: The 2010-04-01 API: ``https://api.twilio.com/2010-04-01/Accounts/{AccountSid}/Calls.json``.
API_2010 = Api("api.v2010", API_HOST, API_VERSION, ".json")

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


def with_query(target: str, params: Optional[Params]) -> str:
    """``target`` (a URL or a path, which may have a query already, as a next page's has) with ``params`` added."""
    if not params:
        return target
    return f"{target}{'&' if '?' in target else '?'}{form(params)}"


def json_body(value: Any) -> bytes:
    """A JSON request body as Twilio reads it: UTF-8, no spaces (``wire.json_body({"a": 1})`` -> ``b'{"a":1}'``)."""
    import json  # here: only the descriptions that take JSON bodies pay for it

    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


class Operation(NamedTuple):
    """What a request does, as the resource that sends it knows: recorded by outboxes, named in errors."""

    #: The resource class name (``"Message"``, ``"verify.v2.Service"``), or ``None`` for a request made without one.
    resource: Optional[str]
    #: ``"create"``, ``"list"``, ``"fetch"``, ``"update"``, ``"patch"`` or ``"delete"``.
    action: str
    #: The operationId in Twilio's spec (``"CreateMessage"``, ``"verify.v2.CreateService"``), when the resource declares it.
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
