"""The HTTP transport: a small interface (``send``/``close``) and its requests implementation.

A transport only moves bytes: it returns the status, headers and body, and turns
connection failures into :class:`~flask_twilio_rb.errors.TwilioConnectionError`.
Reading Twilio's JSON and its errors is the client's job (:mod:`flask_twilio_rb.client`).
"""
from __future__ import annotations

import os
import platform
from typing import Mapping, NamedTuple, Optional, Sequence, Tuple

import requests

from . import __version__
from .errors import TwilioConnectionError, TwilioTimeout

USER_AGENT = f"flask-twilio-rb/{__version__} (Python {platform.python_version_tuple()[0]}.{platform.python_version_tuple()[1]})"

Params = Sequence[Tuple[str, str]]


class RawResponse(NamedTuple):
    """What a transport hands back: status code, headers and the undecoded body."""

    status: int
    headers: Mapping[str, str]
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
        auth: Tuple[str, str],
        timeout: float,
    ) -> RawResponse:
        """Send one request and return the raw response, or raise TwilioConnectionError."""
        raise NotImplementedError

    def close(self) -> None:
        """Release pooled connections (nothing to release by default)."""


class RequestsTransport(Transport):
    """The default transport: one ``requests.Session`` (connection reuse), re-created after ``fork``."""

    def __init__(self, trust_env: bool = False, pool_size: int = 16) -> None:
        self.trust_env = trust_env
        self.pool_size = pool_size
        self._session: Optional[requests.Session] = None
        self._pid = 0

    @property
    def session(self) -> requests.Session:
        """The session of this process; a forked child gets its own, never its parent's sockets."""
        if self._session is None or self._pid != os.getpid():
            session = requests.Session()
            # Without proxies from the environment, requests skips its per-request
            # environment and netrc lookups, the largest cost it adds to a call.
            session.trust_env = self.trust_env
            adapter = requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=self.pool_size)
            session.mount("https://", adapter)
            session.mount("http://", adapter)
            session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
            self._session, self._pid = session, os.getpid()
        return self._session

    def send(self, method: str, url: str, *, params: Optional[Params] = None, data: Optional[Params] = None,
             auth: Tuple[str, str], timeout: float) -> RawResponse:
        """Send with requests; map its exceptions to the library's connection errors."""
        try:
            response = self.session.request(method, url, params=params, data=data, auth=auth, timeout=timeout)
        except requests.exceptions.ConnectTimeout:
            raise TwilioTimeout(f"Could not connect to {_origin(url)} within {timeout:g} s.",
                                method=method, url=url, sent=False) from None
        except requests.exceptions.Timeout:
            raise TwilioTimeout(
                f"{_origin(url)} did not answer within {timeout:g} s; the request was sent, so its outcome is unknown.",
                method=method, url=url, sent=True) from None
        except requests.exceptions.ConnectionError as exc:
            sent = _was_sent(exc)
            what = "The connection broke after the request was sent" if sent else "Could not connect"
            raise TwilioConnectionError(f"{what} to {_origin(url)}: {type(_root(exc)).__name__}.",
                                        method=method, url=url, sent=sent) from None
        return RawResponse(response.status_code, response.headers, response.content)

    def close(self) -> None:
        """Close the session's pooled connections."""
        if self._session is not None:
            self._session.close()
            self._session = None


def _origin(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


def _root(exc: BaseException) -> BaseException:
    nxt = exc.__cause__ or exc.__context__
    while nxt is not None and nxt is not exc:  # an exception chained to itself ends the walk
        exc, nxt = nxt, nxt.__cause__ or nxt.__context__
    for arg in getattr(exc, "args", ()):
        reason = getattr(arg, "reason", None)
        if isinstance(reason, BaseException):
            return reason
    return exc


def _was_sent(exc: BaseException) -> bool:
    """Whether a failed request may have reached the server (anything but a refused connection)."""
    text = repr(_root(exc)) + repr(exc)
    not_sent_markers = ("NewConnectionError", "ConnectionRefused", "NameResolution", "gaierror", "Failed to establish")
    return not any(marker in text for marker in not_sent_markers)
