"""A transport that calls a WSGI app in this process: no socket, no network, no thread.

``TWILIO_SUPPRESS_SEND`` answers every request from an in-process emulator through it; any
other WSGI app that speaks Twilio's API (a stub of your own) works the same way.
"""
from __future__ import annotations

import sys
from io import BytesIO
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import unquote_to_bytes, urlsplit

from ..wire import Params, basic_auth, form, json_body, with_query
from .base import RawResponse, Transport

_FORM = "application/x-www-form-urlencoded"
_JSON = "application/json"
_DEFAULT_PORTS = {"http": "80", "https": "443"}


class WSGITransport(Transport):
    """Send each request to ``wsgi_app`` as the request Twilio would receive, and hand back its answer.

    The request is the WSGI environ a server would make of it (PEP 3333), built directly: a test
    client's request builder and response wrapper would cost as much as the emulator's answer.
    """

    def __init__(self, wsgi_app: Any) -> None:
        self.wsgi_app = wsgi_app

    def send(self, method: str, url: str, *, params: Optional[Params] = None, data: Optional[Params] = None,
             json: Any = None, auth: Tuple[str, str], timeout: float) -> RawResponse:
        """Call the app and return its answer (``timeout`` does not apply: the call is a function call)."""
        from werkzeug.datastructures import Headers  # Werkzeug comes with Flask

        body, kind = (json_body(json), _JSON) if json is not None else (form(data).encode(), _FORM) if data else (b"", None)
        environ = request_environ(method, with_query(url, params), body, kind, basic_auth(auth))
        answer: List[Any] = []

        def start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
            answer[:] = [int(status.split(" ", 1)[0]), headers]
            return chunks.append

        chunks: List[bytes] = []
        iterable = self.wsgi_app(environ, start_response)
        try:
            chunks.extend(iterable)
        finally:
            close = getattr(iterable, "close", None)
            if close is not None:
                close()
        return RawResponse(answer[0], Headers(answer[1]), b"".join(chunks))


def request_environ(method: str, url: str, body: bytes, content_type: Optional[str], authorization: str) -> Dict[str, Any]:
    """The WSGI environ of a request to ``url`` (query string included)."""
    parts = urlsplit(url)
    query = parts.query
    environ: Dict[str, Any] = {
        "REQUEST_METHOD": method.upper(), "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(parts.path).decode("latin-1"),  # WSGI strings carry bytes as latin-1
        "QUERY_STRING": query, "REQUEST_URI": url, "RAW_URI": url,  # the absolute form, as a proxy gets it
        "SERVER_NAME": parts.hostname or "localhost",
        "SERVER_PORT": str(parts.port) if parts.port else _DEFAULT_PORTS.get(parts.scheme, "80"),
        "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": parts.netloc, "HTTP_AUTHORIZATION": authorization,
        "CONTENT_LENGTH": str(len(body)), "wsgi.version": (1, 0), "wsgi.url_scheme": parts.scheme or "http",
        "wsgi.input": BytesIO(body), "wsgi.errors": sys.stderr, "wsgi.multithread": False,
        "wsgi.multiprocess": False, "wsgi.run_once": False,
    }
    if content_type is not None:
        environ["CONTENT_TYPE"] = content_type
    return environ
