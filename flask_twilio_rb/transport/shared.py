"""What both HTTP transports share: headers, the time budget, reading a body, and the errors.

Every attempt has one time budget, ``timeout`` seconds, shared by connecting, sending, waiting
for the answer and reading its body: a server that trickles its answer a byte at a time cannot
hold a request past it.

requests and urllib3 are imported when the first request is sent, not when this module is:
``from flask_twilio_rb import Call`` stays cheap for scripts and forking workers.
"""
from __future__ import annotations

import io
import socket
import sys
from contextvars import ContextVar, Token
from time import monotonic
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple, TypeVar

from .. import __version__
from ..errors import TwilioConnectionError, TwilioTimeout

if TYPE_CHECKING:  # imported on first use (see the module docstring)
    pass

USER_AGENT = f"flask-twilio-rb/{__version__} (Python {sys.version_info[0]}.{sys.version_info[1]})"

#: The most bytes asked of the socket per read while a body arrives.
CHUNK = 1 << 16
#: The default of ``TWILIO_MAX_RESPONSE_BYTES``: far above Twilio's largest page (1,000 records, a few MB).
MAX_RESPONSE_BYTES = 64 << 20

K = TypeVar("K")
V = TypeVar("V")


class HeaderCache(Dict[K, V]):
    """Request headers computed once per key (credentials, and host), bounded for apps that connect many accounts."""

    def __init__(self, limit: int = 64) -> None:
        super().__init__()
        self.limit = limit

    def put(self, key: K, value: V) -> V:
        """Keep ``value`` for ``key`` (forgetting everything once the bound is reached); returns it."""
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


def origin(url: str) -> str:
    """``scheme://host[:port]`` of ``url``: what error messages show (never a path or a query)."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


# -- what urllib3 raises, loaded with it ------------------------------------------------------------

def urllib3_errors() -> Any:
    """``urllib3.exceptions``, imported on first use (only ``except`` clauses read it)."""
    import urllib3.exceptions

    return urllib3.exceptions


def not_sent_errors() -> Tuple[type, ...]:
    """urllib3's errors that are raised only while connecting (refused, DNS, connect timeout, proxy).

    Only consulted when no connection of the library reported how far an attempt got (a
    mocked or custom adapter): ``SSLError`` is not among them, since urllib3 raises it for a
    TLS failure at any step, including one met while the answer is read (see :func:`sent_by`).
    """
    errors = urllib3_errors()
    return (errors.NewConnectionError, errors.ConnectTimeoutError, errors.ProxyError)


# -- how far an attempt got, and its deadline ------------------------------------------------------

class Attempt:
    """One attempt as the library's connections see it: its deadline, and how far it got.

    A transport makes one current (:func:`begin`) while it sends; the connections of
    :func:`pool_classes` read the deadline (connecting, the TLS handshake, sending and every
    read of the answer get only what is left of it) and record the phase: ``connecting``
    while the connection is being made (TCP, proxy tunnel, TLS handshake), ``written`` as soon
    as the first byte of the request is handed to the socket. Whether a failed request may
    have reached the server is read from the phase (:func:`sent_by`), the same way for every
    transport, never from the exception's class.
    """

    __slots__ = ("deadline", "reported", "connecting", "written")

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        #: Whether a connection of the library took part (else the phase is unknown).
        self.reported = False
        self.connecting = False
        self.written = False

    def left(self) -> float:
        """Seconds left of the budget (never below :data:`MIN_WAIT`, so a ready answer can still be read)."""
        return max(self.deadline - monotonic(), MIN_WAIT)


#: The shortest socket wait: a deadline already passed still lets a ready byte be read or written.
MIN_WAIT = 0.001

#: The attempt in progress in this thread or task (set by :func:`begin`).
ATTEMPT: "ContextVar[Optional[Attempt]]" = ContextVar("flask_twilio_rb_attempt", default=None)


def begin(attempt: Attempt) -> "Token[Optional[Attempt]]":
    """Make ``attempt`` the one the library's connections report into; :func:`end` with the token after it."""
    return ATTEMPT.set(attempt)


def end(token: "Token[Optional[Attempt]]") -> None:
    """The attempt :func:`begin` started is over."""
    ATTEMPT.reset(token)


def sent_by(attempt: Attempt, exc: BaseException) -> bool:
    """Whether a request whose attempt failed with ``exc`` may have reached the server.

    By the phase: ``True`` once a byte of the request was written, ``False`` while the
    connection was still being made. When no connection of the library took part (a mocked
    adapter), only errors urllib3 raises while connecting count as not sent, and a TLS error
    only when the certificate was refused; anything else may have been sent.
    """
    if attempt.reported:
        return attempt.written
    not_sent = not_sent_errors()
    for arg in (exc, *exc.args):
        reason = getattr(arg, "reason", None)
        if isinstance(arg, not_sent) or isinstance(reason, not_sent):
            return False
    import ssl

    return not isinstance(root_cause(exc), ssl.SSLCertVerificationError)  # (ssl.CertificateError too)


class DeadlineSocket:
    """A socket whose every read waits only for what is left of the attempt's budget.

    ``http.client`` reads the status line, the headers, chunk-size lines and the body through
    ``makefile()``; each ``recv_into`` here first sets the socket's timeout to the time left,
    and past the deadline raises ``TimeoutError``: a server that trickles any part of its
    answer cannot hold the attempt longer. Everything else is the wrapped socket's.
    """

    __slots__ = ("_sock", "_deadline")

    def __init__(self, sock: Any, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        """Read into ``buffer``, waiting at most until the deadline."""
        left = self._deadline - monotonic()
        if left <= 0:
            raise socket.timeout("timed out")
        self._sock.settimeout(left)
        return self._sock.recv_into(buffer, nbytes, flags)

    def makefile(self, mode: str = "rb", *args: Any, **kwargs: Any) -> Any:
        """A buffered reader whose reads go through :meth:`recv_into` (``http.client`` asks for ``"rb"``)."""
        self._sock._io_refs += 1  # the socket closes for real once this reader is closed too
        return io.BufferedReader(socket.SocketIO(self, "rb"))  # type: ignore[arg-type]

    def _decref_socketios(self) -> None:
        self._sock._decref_socketios()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class BudgetedConnection:
    """What the library's urllib3 connections add: the attempt's deadline at every step, and its phase.

    A mixin before urllib3's ``HTTPConnection``/``HTTPSConnection`` (see :func:`pool_classes`);
    outside an attempt (:data:`ATTEMPT` unset) the connection behaves as urllib3's own.
    """

    sock: Any
    timeout: Any

    def connect(self) -> None:
        """Connect (TCP, a proxy tunnel, the TLS handshake) within what is left of the budget."""
        attempt = ATTEMPT.get()
        if attempt is None:
            return super().connect()  # type: ignore[misc, no-any-return]
        attempt.reported = attempt.connecting = True
        self.timeout = attempt.left()
        try:
            super().connect()  # type: ignore[misc]
        finally:
            attempt.connecting = False

    def _new_conn(self) -> Any:
        sock = super()._new_conn()  # type: ignore[misc]
        attempt = ATTEMPT.get()
        if attempt is not None:  # the TLS handshake that follows gets only what the TCP connect left
            sock.settimeout(attempt.left())
        return sock

    def send(self, data: Any) -> None:
        """Send request bytes; from the first one on, the request may have reached the server."""
        attempt = ATTEMPT.get()
        if attempt is not None and not attempt.connecting:  # (a proxy's CONNECT is part of connecting)
            if self.sock is None:
                self.connect()
            attempt.reported = attempt.written = True
            self.sock.settimeout(attempt.left())  # sendall: one timeout for all the bytes
        super().send(data)  # type: ignore[misc]

    def getresponse(self) -> Any:
        """Read the answer's status line and headers (and later its body) within the budget."""
        attempt = ATTEMPT.get()
        sock = self.sock
        if attempt is None or sock is None:
            return super().getresponse()  # type: ignore[misc]
        attempt.reported = True
        wrapped = self.sock = DeadlineSocket(sock, attempt.deadline)
        try:
            return super().getresponse()  # type: ignore[misc]
        finally:
            if self.sock is wrapped:  # (None when the answer closes the connection)
                self.sock = sock


_pool_classes: Dict[str, type] = {}


def pool_classes() -> Dict[str, type]:
    """urllib3 pool classes for ``PoolManager.pool_classes_by_scheme`` that never leak a secret or overrun.

    Their connections ignore ``http.client.HTTPConnection.debuglevel``, which would print the
    ``Authorization`` header to stdout, and keep to the attempt's deadline and report its
    phase (:class:`BudgetedConnection`).
    """
    if not _pool_classes:
        import urllib3
        from urllib3.connection import HTTPConnection, HTTPSConnection

        class QuietHTTPConnection(BudgetedConnection, HTTPConnection):
            debuglevel = 0

        class QuietHTTPSConnection(BudgetedConnection, HTTPSConnection):
            debuglevel = 0

        _pool_classes["http"] = type("TwilioHTTPConnectionPool", (urllib3.HTTPConnectionPool,),
                                     {"ConnectionCls": QuietHTTPConnection})
        _pool_classes["https"] = type("TwilioHTTPSConnectionPool", (urllib3.HTTPSConnectionPool,),
                                      {"ConnectionCls": QuietHTTPSConnection})
    return dict(_pool_classes)


# -- reading a body within the budget, and the errors ----------------------------------------------

def read_body(raw: Any, deadline: float, method: str, url: str, timeout: float,
              limit: int = MAX_RESPONSE_BYTES) -> bytes:
    """Read a streamed urllib3 response to its end before ``deadline`` (the connection returns to its pool).

    At most ``limit`` bytes, counted after gzip or deflate are undone: a larger answer (a
    compression bomb included) is cut off while it is inflated, with :func:`too_large`.
    """
    chunks: List[bytes] = []
    size = 0
    try:
        while True:
            chunk = raw.read1(CHUNK, decode_content=True)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                discard(raw)
                raise too_large(method, url, limit)
            chunks.append(chunk)
            # The connection's reads keep to the deadline (DeadlineSocket); this covers the rest.
            if raw.length_remaining != 0 and monotonic() >= deadline:
                discard(raw)
                raise read_timeout(method, url, timeout)
    except TwilioConnectionError:  # the checks above (a timeout is also an OSError)
        raise
    except urllib3_errors().ReadTimeoutError:
        raise read_timeout(method, url, timeout) from None
    except (urllib3_errors().HTTPError, OSError) as exc:
        raise broken(method, url, exc, True) from None
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def too_large(method: str, url: str, limit: int) -> TwilioConnectionError:
    """The answer was longer than ``TWILIO_MAX_RESPONSE_BYTES``: it was not read to its end."""
    return TwilioConnectionError(
        f"{origin(url)} answered with more than {limit:,} bytes (TWILIO_MAX_RESPONSE_BYTES), so the answer"
        " was not read; the request was sent. Raise TWILIO_MAX_RESPONSE_BYTES if such answers are expected"
        " (or ask for smaller pages with page_size=).",
        method=method, url=url, sent=True)


def failure(method: str, url: str, timeout: float, exc: BaseException, attempt: Attempt,
            timed_out: bool) -> TwilioConnectionError:
    """The library's error for an attempt that failed with ``exc``; ``sent`` comes from its phase (:func:`sent_by`)."""
    sent = sent_by(attempt, exc)
    if timed_out:
        return read_timeout(method, url, timeout) if sent else connect_timeout(method, url, timeout)
    return broken(method, url, root_cause(exc), sent)


def discard(raw: Any) -> None:
    """Close a connection whose answer was not read to its end (it cannot carry another request)."""
    raw.close()
    raw.release_conn()


def connect_timeout(method: str, url: str, timeout: float) -> TwilioTimeout:
    """No connection within ``timeout``: nothing was sent."""
    return TwilioTimeout(f"Could not connect to {origin(url)} within {timeout:g} s.",
                         method=method, url=url, sent=False)


def read_timeout(method: str, url: str, timeout: float) -> TwilioTimeout:
    """The request was sent and no (complete) answer came within ``timeout``."""
    return TwilioTimeout(
        f"{origin(url)} did not answer within {timeout:g} s; the request was sent, so its outcome is unknown.",
        method=method, url=url, sent=True)


def broken(method: str, url: str, exc: BaseException, sent: bool) -> TwilioConnectionError:
    """A connection that failed (``sent=False``) or broke after the request left (``sent=True``)."""
    what = "The connection broke after the request was sent" if sent else "Could not connect"
    # The class name only: an exception's text can echo the URL or the headers.
    return TwilioConnectionError(f"{what} to {origin(url)}: {type(exc).__name__}.", method=method, url=url, sent=sent)


def root_cause(exc: BaseException) -> BaseException:
    """The error underneath the wrappers: requests' ``ConnectionError(MaxRetryError(reason=...))``, a cause."""
    for _ in range(8):  # wrappers nest a few deep; a cycle must not loop for ever
        inner = getattr(exc, "reason", None)
        if not isinstance(inner, BaseException):
            inner = next((arg for arg in exc.args if isinstance(arg, BaseException)), None)
        inner = inner or exc.__cause__ or exc.__context__
        if inner is None:
            break
        exc = inner
    return exc
