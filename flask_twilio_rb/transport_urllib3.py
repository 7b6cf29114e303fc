"""A transport on urllib3 directly (``TWILIO_TRANSPORT = "urllib3"``): less work per call than requests.

Same interface, time budget and error mapping as :class:`~flask_twilio_rb.transport.RequestsTransport`:
one pool manager per process (re-created after ``fork``), no retries or redirects at this
layer, and connection failures raised as :class:`~flask_twilio_rb.errors.TwilioConnectionError`
(``sent=False`` when the request never left) or :class:`~flask_twilio_rb.errors.TwilioTimeout`.

The hot path does once what urllib3's ``PoolManager.request`` does on every call: the
connection pool is looked up by origin in a dict, the headers (Basic auth included) are
built once per credential pair and the ``Timeout`` once per value.
"""
from __future__ import annotations

import os
import threading
from base64 import b64encode
from time import monotonic
from typing import TYPE_CHECKING, Any, Dict, Optional, Tuple
from urllib.parse import quote_plus

from . import transport as _t
from .transport import USER_AGENT, Params, RawResponse, Transport, _origin, pool_classes, read_body

if TYPE_CHECKING:
    import urllib3

_FORM = "application/x-www-form-urlencoded"


class Urllib3Transport(Transport):
    """One ``urllib3.PoolManager`` per process; Basic auth headers computed once per credential pair.

    ``pool_size`` connections per host are kept for reuse; size it to the number of threads
    that share the client (more threads still work, the extra connections are not kept).
    """

    def __init__(self, pool_size: int = 16) -> None:
        self.pool_size = pool_size
        self._pool: Optional["urllib3.PoolManager"] = None
        self._pid = 0
        self._lock = threading.Lock()
        self._hosts: Dict[str, Any] = {}
        self._headers: Dict[Tuple[str, str], Tuple[Dict[str, str], Dict[str, str]]] = {}
        self._timeouts: Dict[float, "urllib3.Timeout"] = {}

    @property
    def pool(self) -> "urllib3.PoolManager":
        """The pool manager of this process; a forked child gets its own, never its parent's sockets."""
        if self._pool is None or self._pid != os.getpid():
            with self._lock:  # threads starting together share one pool
                if self._pool is None or self._pid != os.getpid():
                    import urllib3

                    _t._load_urllib3()
                    pool = urllib3.PoolManager(num_pools=4, maxsize=self.pool_size, retries=False)
                    pool.pool_classes_by_scheme = pool_classes()
                    self._hosts = {}
                    self._pool, self._pid = pool, os.getpid()
        return self._pool

    def _host_pool(self, origin: str) -> Any:
        pool = self.pool  # first: a fork empties the per-origin table
        host = self._hosts.get(origin)
        if host is None:
            host = self._hosts[origin] = pool.connection_from_url(origin)
        return host

    def _headers_for(self, auth: Tuple[str, str]) -> Tuple[Dict[str, str], Dict[str, str]]:
        """The headers of a request without and with a form body, for one credential pair."""
        headers = self._headers.get(auth)
        if headers is None:
            token = b64encode(f"{auth[0]}:{auth[1]}".encode("utf-8")).decode("ascii")
            plain = {"User-Agent": USER_AGENT, "Accept": "application/json", "Authorization": f"Basic {token}"}
            headers = (plain, {**plain, "Content-Type": _FORM})
            if len(self._headers) >= 64:  # a bound for apps that connect many accounts
                self._headers.clear()
            self._headers[auth] = headers
        return headers

    def _timeout(self, timeout: float) -> "urllib3.Timeout":
        limit = self._timeouts.get(timeout)
        if limit is None:
            import urllib3

            # total: connecting and waiting for the answer share one budget per attempt.
            limit = self._timeouts[timeout] = urllib3.Timeout(total=timeout, connect=timeout, read=timeout)
        return limit

    def send(self, method: str, url: str, *, params: Optional[Params] = None, data: Optional[Params] = None,
             auth: Tuple[str, str], timeout: float) -> RawResponse:
        """Send with urllib3; map its exceptions to the library's connection errors."""
        deadline = monotonic() + timeout
        origin = _origin(url)
        target = url[len(origin):] or "/"
        if params:
            target = f"{target}{'&' if '?' in target else '?'}{form(params)}"
        plain, with_form = self._headers_for(auth)
        body = None
        headers = plain
        if data is not None:
            body = form(data).encode("utf-8")
            headers = with_form
        host = self._host_pool(origin)
        errors = _t._urllib3_errors
        try:
            response = host.urlopen(method, target, body=body, headers=headers, retries=False, redirect=False,
                                    assert_same_host=False, timeout=self._timeout(timeout), preload_content=False,
                                    release_conn=False)
        except errors.ConnectTimeoutError as exc:
            if isinstance(exc, errors.NewConnectionError):  # its subclass: refused, DNS
                raise _t.broken(method, url, _t._root(exc), False) from None
            raise _t.connect_timeout(method, url, timeout) from None
        except errors.ReadTimeoutError:
            raise _t.read_timeout(method, url, timeout) from None
        except errors.SSLError as exc:
            raise _t.broken(method, url, _t._root(exc), False) from None
        except errors.HTTPError as exc:
            raise _t.broken(method, url, _t._root(exc), True) from None
        return RawResponse(response.status, response.headers, read_body(response, deadline, method, url, timeout))

    def close(self) -> None:
        """Close the pooled connections."""
        if self._pool is not None:
            self._pool.clear()
            self._pool = None
            self._hosts = {}


def form(pairs: Params) -> str:
    """``urlencode`` for ``(name, str)`` pairs: the same bytes, without its per-value type checks."""
    return "&".join(f"{quote_plus(name)}={quote_plus(value)}" for name, value in pairs)
