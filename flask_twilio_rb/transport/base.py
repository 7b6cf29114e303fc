"""The transport interface: one attempt at one request, bytes in and bytes out.

A transport returns the status, headers and body, or raises
:class:`~flask_twilio_rb.errors.TwilioConnectionError` / :class:`~flask_twilio_rb.errors.TwilioTimeout`
with ``sent`` telling whether the request may have reached the server. Retrying is a wrapper
around a transport (:mod:`.retrying`); reading Twilio's JSON is the client's job.
"""
from __future__ import annotations

from typing import Any, NamedTuple, Optional, Protocol, Tuple

from ..wire import Params


class ResponseHeaders(Protocol):
    """What the client reads of a response's headers: one header by name, ``None`` when absent.

    Transports hand over the headers their HTTP library parsed (a requests
    ``CaseInsensitiveDict``, an ``http.client.HTTPMessage``, Werkzeug ``Headers``, a plain
    dict): copying them into one type would cost every request, and ``get`` is all it takes.
    Names are matched as the object matches them; the three libraries ignore case.
    """

    def get(self, name: str, /) -> Optional[str]:
        """The value of the header ``name``, or ``None``."""


class RawResponse(NamedTuple):
    """What a transport hands back: status code, headers and the undecoded body."""

    status: int
    headers: ResponseHeaders
    body: bytes


class Transport:
    """The interface every transport implements."""

    def send(
        self,
        method: str,
        url: str,
        *,
        params: Optional[Params] = None,
        data: Optional[Params] = None,
        json: Any = None,
        auth: Tuple[str, str],
        timeout: float,
    ) -> RawResponse:
        """Send one request and return the raw response, or raise TwilioConnectionError.

        ``data`` is sent as a form, ``json`` (a value :func:`~flask_twilio_rb.wire.json_body`
        encodes) as ``application/json``; a request has at most one of them.
        """
        raise NotImplementedError

    def close(self) -> None:
        """Release pooled connections (nothing to release by default)."""
