"""A transport that calls a WSGI app in this process: no socket, no network, no thread.

``TWILIO_SUPPRESS_SEND`` answers every request from an in-process emulator through it; any
other WSGI app that speaks Twilio's API (a stub of your own) works the same way.
"""
from __future__ import annotations

from typing import Any, Optional, Tuple

from ..wire import Params, basic_auth, form, json_body, with_query
from .base import RawResponse, Transport

_FORM = "application/x-www-form-urlencoded"
_JSON = "application/json"


class WSGITransport(Transport):
    """Send each request to ``wsgi_app`` as the request Twilio would receive, and hand back its answer."""

    def __init__(self, wsgi_app: Any) -> None:
        from werkzeug.test import Client as WSGIClient  # Werkzeug comes with Flask

        self.wsgi_app = wsgi_app
        self._client = WSGIClient(wsgi_app, use_cookies=False)

    def send(self, method: str, url: str, *, params: Optional[Params] = None, data: Optional[Params] = None,
             json: Any = None, auth: Tuple[str, str], timeout: float) -> RawResponse:
        """Call the app and return its answer (``timeout`` does not apply: the call is a function call)."""
        body, kind = (json_body(json), _JSON) if json is not None else (form(data), _FORM) if data else (None, None)
        response = self._client.open(
            with_query(url, params), method=method, data=body, content_type=kind,
            headers={"Authorization": basic_auth(auth)},
        )
        return RawResponse(response.status_code, response.headers, response.get_data())
