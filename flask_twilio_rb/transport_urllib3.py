"""A transport on urllib3 directly (``TWILIO_TRANSPORT = "urllib3"``): less work per call than requests.

Same interface and error mapping as :class:`~flask_twilio_rb.transport.RequestsTransport`:
one pool manager per process (re-created after ``fork``), no retries or redirects at this
layer, and connection failures raised as :class:`~flask_twilio_rb.errors.TwilioConnectionError`
(``sent=False`` when the request never left) or :class:`~flask_twilio_rb.errors.TwilioTimeout`.
"""
from __future__ import annotations

import os
from base64 import b64encode
from typing import Dict, Optional, Tuple
from urllib.parse import urlencode

import urllib3
from urllib3.exceptions import ConnectTimeoutError, HTTPError, NewConnectionError, ReadTimeoutError, SSLError

from .errors import TwilioConnectionError, TwilioTimeout
from .transport import USER_AGENT, Params, RawResponse, Transport, _origin

_FORM = "application/x-www-form-urlencoded"


class Urllib3Transport(Transport):
    """One ``urllib3.PoolManager`` per process; Basic auth headers computed once per credential pair."""

    def __init__(self, pool_size: int = 16) -> None:
        self.pool_size = pool_size
        self._pool: Optional[urllib3.PoolManager] = None
        self._pid = 0
        self._headers: Dict[Tuple[str, str], Dict[str, str]] = {}
        self._timeouts: Dict[float, urllib3.Timeout] = {}

    @property
    def pool(self) -> urllib3.PoolManager:
        """The pool manager of this process; a forked child gets its own, never its parent's sockets."""
        if self._pool is None or self._pid != os.getpid():
            self._pool = urllib3.PoolManager(num_pools=4, maxsize=self.pool_size, retries=False)
            self._pid = os.getpid()
        return self._pool

    def _headers_for(self, auth: Tuple[str, str]) -> Dict[str, str]:
        headers = self._headers.get(auth)
        if headers is None:
            token = b64encode(f"{auth[0]}:{auth[1]}".encode("utf-8")).decode("ascii")
            headers = {"User-Agent": USER_AGENT, "Accept": "application/json", "Authorization": f"Basic {token}"}
            if len(self._headers) >= 64:  # a bound for apps that connect many accounts
                self._headers.clear()
            self._headers[auth] = headers
        return headers

    def send(self, method: str, url: str, *, params: Optional[Params] = None, data: Optional[Params] = None,
             auth: Tuple[str, str], timeout: float) -> RawResponse:
        """Send with urllib3; map its exceptions to the library's connection errors."""
        if params:
            url = f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"
        headers = self._headers_for(auth)
        body = None
        if data is not None:
            body = urlencode(data)
            headers = {**headers, "Content-Type": _FORM}
        limit = self._timeouts.get(timeout)
        if limit is None:
            limit = self._timeouts[timeout] = urllib3.Timeout(connect=timeout, read=timeout)
        try:
            response = self.pool.request(method, url, body=body, headers=headers, timeout=limit,
                                         retries=False, redirect=False)
        except NewConnectionError as exc:  # a subclass of ConnectTimeoutError: check it first
            raise TwilioConnectionError(f"Could not connect to {_origin(url)}: {_reason(exc)}.",
                                        method=method, url=url, sent=False) from None
        except ConnectTimeoutError:
            raise TwilioTimeout(f"Could not connect to {_origin(url)} within {timeout:g} s.",
                                method=method, url=url, sent=False) from None
        except ReadTimeoutError:
            raise TwilioTimeout(
                f"{_origin(url)} did not answer within {timeout:g} s; the request was sent, so its outcome is unknown.",
                method=method, url=url, sent=True) from None
        except SSLError as exc:
            raise TwilioConnectionError(f"Could not connect to {_origin(url)}: {_reason(exc)}.",
                                        method=method, url=url, sent=False) from None
        except HTTPError as exc:
            raise TwilioConnectionError(
                f"The connection broke after the request was sent to {_origin(url)}: {_reason(exc)}.",
                method=method, url=url, sent=True) from None
        return RawResponse(response.status, response.headers, response.data)

    def close(self) -> None:
        """Close the pooled connections."""
        if self._pool is not None:
            self._pool.clear()
            self._pool = None


def _reason(exc: BaseException) -> str:
    """The name of the underlying error (never its text, which could echo the URL or headers)."""
    for arg in getattr(exc, "args", ()):
        if isinstance(arg, BaseException):
            return type(arg).__name__
    return type(exc).__name__
