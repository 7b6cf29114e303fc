"""A transport on urllib3 directly (``TWILIO_TRANSPORT = "urllib3"``): less work per call than requests.

Same interface, time budget and error mapping as :class:`~flask_twilio_rb.transport.http_requests.RequestsTransport`:
one pool manager per process (re-created after ``fork``), no retries or redirects at this
layer, and connection failures raised as :class:`~flask_twilio_rb.errors.TwilioConnectionError`
(``sent=False`` when the request never left) or :class:`~flask_twilio_rb.errors.TwilioTimeout`.

urllib3 manages the connections (pooling, TLS with certificate checks, dropped-connection
detection); the hot path skips its request machinery: the request line and headers (Basic
auth included, built once per credential pair and host) and the body go out in one send on
a pooled connection, and ``http.client`` reads the answer within the attempt's budget.
"""
from __future__ import annotations

import os
import re
import socket
import threading
from http.client import HTTPException, HTTPResponse, IncompleteRead
from time import monotonic
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

from ..errors import TwilioConnectionError
from ..wire import Params, basic_auth, form, json_body, with_query
from .base import RawResponse, Transport
from .shared import (
    CHUNK,
    MAX_RESPONSE_BYTES,
    USER_AGENT,
    Attempt,
    DeadlineSocket,
    HeaderCache,
    begin,
    end,
    failure,
    origin,
    pool_classes,
    too_large,
    urllib3_errors,
)

if TYPE_CHECKING:
    import urllib3

_FORM = "application/x-www-form-urlencoded"
_JSON = "application/json"
#: A request target or host is printable ASCII: a space or a line break would split the request.
_UNSAFE = re.compile(r"[^\x21-\x7e]").search


class Urllib3Transport(Transport):
    """One ``urllib3.PoolManager`` per process; Basic auth headers computed once per credential pair.

    ``pool_size`` connections per host are kept for reuse; size it to the number of threads
    that share the client (more threads still work, the extra connections are not kept).
    An answer longer than ``max_response_bytes`` is an error. Other keyword arguments go to
    ``urllib3.PoolManager``, e.g. ``ca_certs="/etc/ssl/corp-ca.pem"``.
    """

    def __init__(self, pool_size: int = 16, max_response_bytes: int = MAX_RESPONSE_BYTES,
                 **pool_options: Any) -> None:
        self.pool_size = pool_size
        self.max_response_bytes = max_response_bytes
        self.pool_options = pool_options
        self._pool: Optional["urllib3.PoolManager"] = None
        self._pid = 0
        self._lock = threading.Lock()
        self._hosts: Dict[str, Any] = {}
        self._heads: HeaderCache[Tuple[Tuple[str, str], str], Tuple[str, str, str]] = HeaderCache()

    @property
    def pool(self) -> "urllib3.PoolManager":
        """The pool manager of this process; a forked child gets its own, never its parent's sockets."""
        if self._pool is None or self._pid != os.getpid():
            with self._lock:  # threads starting together share one pool
                if self._pool is None or self._pid != os.getpid():
                    import urllib3

                    pool = urllib3.PoolManager(num_pools=4, maxsize=self.pool_size, retries=False,
                                               **self.pool_options)
                    pool.pool_classes_by_scheme = pool_classes()
                    self._hosts = {}
                    self._pool, self._pid = pool, os.getpid()
        return self._pool

    def _host_pool(self, site: str) -> Any:
        pool = self.pool  # first: a fork empties the per-origin table
        host = self._hosts.get(site)
        if host is None:
            host = self._hosts[site] = pool.connection_from_url(site)
        return host

    def _head_for(self, auth: Tuple[str, str], site: str) -> Tuple[str, str, str]:
        """The header lines after the request line (without a body, with a form, with JSON), per credentials and host."""
        key = (auth, site)
        heads = self._heads.get(key)
        if heads is None:
            host = site.partition("://")[2]
            if _UNSAFE(host):
                raise ValueError(f"The API base URL's host {host!r} has a space, a control or a non-ASCII character.")
            plain = (f"Host: {host}\r\nUser-Agent: {USER_AGENT}\r\n"
                     f"Accept: application/json\r\nAuthorization: {basic_auth(auth)}\r\n")
            heads = self._heads.put(key, (plain, f"{plain}Content-Type: {_FORM}\r\n",
                                          f"{plain}Content-Type: {_JSON}\r\n"))
        return heads

    def send(self, method: str, url: str, *, params: Optional[Params] = None, data: Optional[Params] = None,
             json: Any = None, auth: Tuple[str, str], timeout: float) -> RawResponse:
        """Send on a pooled connection; ``sent`` of a failure comes from the phase it failed in."""
        deadline = monotonic() + timeout
        where = origin(url)
        target = with_query(url[len(where):] or "/", params)
        if _UNSAFE(target):
            raise ValueError(
                f"The path or query of a request to {where} has a space, a control or a non-ASCII character.")
        plain, with_form, with_json = self._head_for(auth, where)
        if json is None and data is None:
            request = f"{method} {target} HTTP/1.1\r\n{plain}\r\n".encode("ascii")
        else:
            # A form is percent-encoded (ASCII only); JSON is UTF-8.
            body, head = ((json_body(json), with_json) if json is not None
                          else (form(data or ()).encode("ascii"), with_form))
            request = (f"{method} {target} HTTP/1.1\r\n{head}Content-Length: {len(body)}\r\n\r\n"
                       .encode("ascii") + body)
        host = self._host_pool(where)
        conn = host._get_conn()
        try:
            return self._exchange(conn, method, url, request, Attempt(deadline), timeout)
        except BaseException:
            conn.close()  # a connection that failed carries nothing more
            raise
        finally:
            host._put_conn(conn)

    def _exchange(self, conn: Any, method: str, url: str, request: bytes, attempt: Attempt,
                  timeout: float) -> RawResponse:
        try:
            if conn.sock is None:
                attempt.reported = True  # connecting: nothing of the request has left yet
                token = begin(attempt)  # (only connect() reads it: the rest happens here)
                try:
                    conn.connect()  # within the budget (BudgetedConnection)
                finally:
                    end(token)
            sock = conn.sock
            attempt.written = True
            sock.settimeout(attempt.left())
            sock.sendall(request)  # one write: no Nagle / delayed-ACK stall between headers and body
            response = HTTPResponse(DeadlineSocket(sock, attempt.deadline), method=method)  # type: ignore[arg-type]
            response.begin()
            body = _read(response, method, url, self.max_response_bytes)
        except TwilioConnectionError:
            raise
        except (OSError, HTTPException, urllib3_errors().HTTPError) as exc:  # (evaluated only when raised)
            errors = urllib3_errors()
            timed_out = isinstance(exc, (socket.timeout, errors.ConnectTimeoutError)) and not isinstance(
                exc, errors.NewConnectionError)  # (a subclass of ConnectTimeoutError: refused, DNS)
            raise failure(method, url, timeout, exc, attempt, timed_out) from None
        if response.will_close:
            conn.close()
        return RawResponse(response.status, response.msg, body)

    def close(self) -> None:
        """Close the pooled connections."""
        if self._pool is not None:
            self._pool.clear()
            self._pool = None
            self._hosts = {}


def _read(response: HTTPResponse, method: str, url: str, limit: int) -> bytes:
    """The whole body (its reads keep to the deadline: :class:`.shared.DeadlineSocket`), at most ``limit`` bytes."""
    chunks: List[bytes] = []
    size = 0
    while True:
        chunk = response.read1(CHUNK)
        if not chunk:
            if response.length:  # read1 ends quietly where read() would see the body cut short
                raise IncompleteRead(b"".join(chunks), response.length)
            break
        size += len(chunk)
        if size > limit:
            raise too_large(method, url, limit)
        chunks.append(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)
