"""What both HTTP transports share: headers, the time budget, reading a body, and the errors.

Every attempt has one time budget, ``timeout`` seconds, shared by connecting, sending, waiting
for the answer and reading its body: a server that trickles its answer a byte at a time cannot
hold a request past it.

requests and urllib3 are imported when the first request is sent, not when this module is:
``from flask_twilio_rb import Call`` stays cheap for scripts and forking workers.
"""
from __future__ import annotations

import sys
from time import monotonic
from typing import TYPE_CHECKING, Any, Dict, List, Tuple, TypeVar

from .. import __version__
from ..errors import TwilioConnectionError, TwilioTimeout

if TYPE_CHECKING:  # imported on first use (see the module docstring)
    import urllib3

USER_AGENT = f"flask-twilio-rb/{__version__} (Python {sys.version_info[0]}.{sys.version_info[1]})"

#: The most bytes asked of the socket per read while a body arrives.
CHUNK = 1 << 16

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
    """urllib3's errors raised while connecting (DNS, refused, TLS handshake): no byte of the request left."""
    errors = urllib3_errors()
    return (errors.NewConnectionError, errors.ConnectTimeoutError, errors.SSLError, errors.ProxyError)


_pool_classes: Dict[str, type] = {}


def pool_classes() -> Dict[str, type]:
    """urllib3 pool classes for ``PoolManager.pool_classes_by_scheme`` that never leak a secret or overrun.

    Their connections ignore ``http.client.HTTPConnection.debuglevel``, which would print the
    ``Authorization`` header to stdout, and each attempt gets one time budget: the read
    timeout is what the connection left of it (``Timeout(total=...)``).
    """
    if not _pool_classes:
        import urllib3
        from urllib3.connection import HTTPConnection, HTTPSConnection

        class QuietHTTPConnection(HTTPConnection):
            debuglevel = 0

        class QuietHTTPSConnection(HTTPSConnection):
            debuglevel = 0

        def _get_timeout(self: Any, timeout: Any) -> "urllib3.Timeout":
            limit = urllib3.HTTPConnectionPool._get_timeout(self, timeout)
            if limit.total is None and isinstance(limit.read_timeout, (int, float)):
                limit = urllib3.Timeout(total=limit.read_timeout, connect=limit.connect_timeout,
                                        read=limit.read_timeout)
            return limit

        _pool_classes["http"] = type("TwilioHTTPConnectionPool", (urllib3.HTTPConnectionPool,),
                                     {"ConnectionCls": QuietHTTPConnection, "_get_timeout": _get_timeout})
        _pool_classes["https"] = type("TwilioHTTPSConnectionPool", (urllib3.HTTPSConnectionPool,),
                                      {"ConnectionCls": QuietHTTPSConnection, "_get_timeout": _get_timeout})
    return dict(_pool_classes)


# -- reading a body within the budget, and the errors ----------------------------------------------

def read_body(raw: Any, deadline: float, method: str, url: str, timeout: float) -> bytes:
    """Read a streamed urllib3 response to its end before ``deadline`` (the connection returns to its pool)."""
    chunks: List[bytes] = []
    try:
        while True:
            chunk = raw.read1(CHUNK, decode_content=True)
            if not chunk:
                break
            chunks.append(chunk)
            if raw.length_remaining != 0:  # more to come: the next read gets only what is left of the budget
                left = deadline - monotonic()
                if left <= 0:
                    discard(raw)
                    raise read_timeout(method, url, timeout)
                conn = raw.connection
                if conn is not None and conn.sock is not None:
                    conn.sock.settimeout(left)
    except TwilioConnectionError:  # the deadline above (a TimeoutError, so also an OSError)
        raise
    except urllib3_errors().ReadTimeoutError:
        raise read_timeout(method, url, timeout) from None
    except (urllib3_errors().HTTPError, OSError) as exc:
        raise broken(method, url, exc, True) from None
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


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
