"""The HTTP transport: a small interface (``send``/``close``) and its requests implementation.

A transport moves bytes for one attempt: it returns the status, headers and body, or raises
:class:`~flask_twilio_rb.errors.TwilioConnectionError` / :class:`~flask_twilio_rb.errors.TwilioTimeout`
with ``sent`` telling whether the request may have reached the server. Retrying and reading
Twilio's JSON are the client's job (:mod:`flask_twilio_rb.client`, :mod:`flask_twilio_rb.retry`).

Every attempt has one time budget, ``timeout`` seconds, shared by connecting, sending, waiting
for the answer and reading its body: a server that trickles its answer a byte at a time cannot
hold a request past it.

requests and urllib3 are imported when the first request is sent, not when this module is:
``from flask_twilio_rb import Call`` stays cheap for scripts and forking workers.
"""
from __future__ import annotations

import os
import sys
import threading
from time import monotonic
from urllib.parse import quote_plus
from typing import TYPE_CHECKING, Any, Dict, List, NamedTuple, Optional, Protocol, Sequence, Tuple

from . import __version__
from .errors import TwilioConnectionError, TwilioTimeout

if TYPE_CHECKING:  # imported on first use (see the module docstring)
    import requests
    import urllib3

USER_AGENT = f"flask-twilio-rb/{__version__} (Python {sys.version_info[0]}.{sys.version_info[1]})"

Params = Sequence[Tuple[str, str]]

#: The most bytes asked of the socket per read while a body arrives.
_CHUNK = 1 << 16


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
        auth: Tuple[str, str],
        timeout: float,
    ) -> RawResponse:
        """Send one request and return the raw response, or raise TwilioConnectionError."""
        raise NotImplementedError

    def close(self) -> None:
        """Release pooled connections (nothing to release by default)."""


class RequestsTransport(Transport):
    """The default transport: one ``requests.Session`` (connection reuse), re-created after ``fork``.

    ``pool_size`` connections per host are kept for reuse; size it to the number of threads
    that share the client (more threads still work, the extra connections are not kept).
    """

    def __init__(self, trust_env: bool = False, pool_size: int = 16) -> None:
        self.trust_env = trust_env
        self.pool_size = pool_size
        self._session: Optional["requests.Session"] = None
        self._pid = 0
        self._lock = threading.Lock()
        self._headers: Dict[Tuple[str, str], Tuple[Dict[str, str], Dict[str, str]]] = {}

    @property
    def session(self) -> "requests.Session":
        """The session of this process; a forked child gets its own, never its parent's sockets."""
        if self._session is None or self._pid != os.getpid():
            with self._lock:  # threads starting together share one session
                if self._session is None or self._pid != os.getpid():
                    self._session, self._pid = self._new_session(), os.getpid()
        return self._session

    def _new_session(self) -> "requests.Session":
        import requests

        _load_requests()
        session = requests.Session()
        # Without proxies from the environment, requests skips its per-request
        # environment and netrc lookups, the largest cost it adds to a call.
        session.trust_env = self.trust_env
        adapter = requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=self.pool_size)
        adapter.poolmanager.pool_classes_by_scheme = pool_classes()
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
        return session

    def send(self, method: str, url: str, *, params: Optional[Params] = None, data: Optional[Params] = None,
             auth: Tuple[str, str], timeout: float) -> RawResponse:
        """Send with requests; map its exceptions to the library's connection errors."""
        deadline = monotonic() + timeout
        session = self.session
        try:
            if self.trust_env:  # proxies and netrc from the environment: requests' whole path
                # types-requests allows only a list or tuple of pairs for data=; requests (and
                # its own annotations) take any iterable of pairs.
                response = session.request(method, url, params=params, data=data,  # type: ignore[arg-type]
                                           auth=auth, timeout=timeout, stream=True, allow_redirects=False)
            else:
                request = self._prepare(method, url, params, data, auth)
                # The session's own TLS and proxy settings still apply (a custom CA bundle, say).
                # types-requests types Session.verify as possibly None; requests types it bool | str.
                response = session.get_adapter(url).send(request, stream=True, timeout=timeout,
                                                         verify=session.verify,  # type: ignore[arg-type]
                                                         cert=session.cert, proxies=session.proxies)
        except _requests_errors.ConnectTimeout:
            raise connect_timeout(method, url, timeout) from None
        except _requests_errors.Timeout:
            raise read_timeout(method, url, timeout) from None
        except _requests_errors.ConnectionError as exc:
            raise broken(method, url, _root(exc), not _never_left(exc)) from None
        return RawResponse(response.status_code, response.headers,
                           read_body(response.raw, deadline, method, url, timeout))

    def _prepare(self, method: str, url: str, params: Optional[Params], data: Optional[Params],
                 auth: Tuple[str, str]) -> "requests.PreparedRequest":
        """The request ``Session.request`` would prepare, without its per-call merging of settings and cookies.

        The values are already strings (:mod:`flask_twilio_rb.resources.params`) and the path is
        percent-encoded, so the encoding is urlencode's and nothing needs re-quoting.
        """
        request = _PreparedRequest()
        request.method = method
        request.url = f"{url}{'&' if '?' in url else '?'}{form(params)}" if params else url
        plain, with_form = self._headers_for(auth)
        if data is None:
            request.headers = _CaseInsensitiveDict(plain)
        else:
            request.body = form(data)  # a str, as requests makes it; ASCII, so its length is its size
            request.headers = _CaseInsensitiveDict(with_form)
            request.headers["Content-Length"] = str(len(request.body))
        return request

    def _headers_for(self, auth: Tuple[str, str]) -> Tuple[Dict[str, str], Dict[str, str]]:
        """The headers of a request without and with a form body, for one credential pair."""
        headers = self._headers.get(auth)
        if headers is None:
            plain = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate", "Accept": "application/json",
                     "Connection": "keep-alive", "Authorization": basic_auth(auth)}
            headers = (plain, {**plain, "Content-Type": "application/x-www-form-urlencoded"})
            if len(self._headers) >= 64:  # a bound for apps that connect many accounts
                self._headers.clear()
            self._headers[auth] = headers
        return headers

    def close(self) -> None:
        """Close the session's pooled connections."""
        if self._session is not None:
            self._session.close()
            self._session = None


# -- what requests and urllib3 raise, loaded with them -------------------------------------------

_requests_errors: Any = None
_PreparedRequest: Any = None
_CaseInsensitiveDict: Any = None
_urllib3_errors: Any = None
_NOT_SENT: Tuple[type, ...] = ()
_pool_classes: Dict[str, type] = {}


def _load_urllib3() -> None:
    global _urllib3_errors, _NOT_SENT
    if _urllib3_errors is None:
        import urllib3.exceptions

        _urllib3_errors = urllib3.exceptions
        # Raised while connecting (DNS, refused, TLS handshake): no byte of the request left.
        _NOT_SENT = (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError,
                     urllib3.exceptions.SSLError, urllib3.exceptions.ProxyError)


def _load_requests() -> None:
    global _requests_errors, _PreparedRequest, _CaseInsensitiveDict
    if _requests_errors is None:
        import requests

        _load_urllib3()
        _PreparedRequest, _CaseInsensitiveDict = requests.PreparedRequest, requests.structures.CaseInsensitiveDict
        _requests_errors = requests.exceptions


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
            chunk = raw.read1(_CHUNK, decode_content=True)
            if not chunk:
                break
            chunks.append(chunk)
            if raw.length_remaining != 0:  # more to come: the next read gets only what is left of the budget
                left = deadline - monotonic()
                if left <= 0:
                    _discard(raw)
                    raise read_timeout(method, url, timeout)
                conn = raw.connection
                if conn is not None and conn.sock is not None:
                    conn.sock.settimeout(left)
    except TwilioConnectionError:  # the deadline above (a TimeoutError, so also an OSError)
        raise
    except _urllib3_errors.ReadTimeoutError:
        raise read_timeout(method, url, timeout) from None
    except (_urllib3_errors.HTTPError, OSError) as exc:
        raise broken(method, url, exc, True) from None
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _discard(raw: Any) -> None:
    """Close a connection whose answer was not read to its end (it cannot carry another request)."""
    raw.close()
    raw.release_conn()


def basic_auth(auth: Tuple[str, str]) -> str:
    """The ``Authorization`` header value for HTTP Basic credentials (computed once per pair by the transports)."""
    from base64 import b64encode

    return "Basic " + b64encode(f"{auth[0]}:{auth[1]}".encode("utf-8")).decode("ascii")


def form(pairs: Params) -> str:
    """``urlencode`` for ``(name, str)`` pairs: the same text, without its per-value type checks."""
    return "&".join(f"{quote_plus(name)}={quote_plus(value)}" for name, value in pairs)


def connect_timeout(method: str, url: str, timeout: float) -> TwilioTimeout:
    """No connection within ``timeout``: nothing was sent."""
    return TwilioTimeout(f"Could not connect to {_origin(url)} within {timeout:g} s.",
                         method=method, url=url, sent=False)


def read_timeout(method: str, url: str, timeout: float) -> TwilioTimeout:
    """The request was sent and no (complete) answer came within ``timeout``."""
    return TwilioTimeout(
        f"{_origin(url)} did not answer within {timeout:g} s; the request was sent, so its outcome is unknown.",
        method=method, url=url, sent=True)


def broken(method: str, url: str, exc: BaseException, sent: bool) -> TwilioConnectionError:
    """A connection that failed (``sent=False``) or broke after the request left (``sent=True``)."""
    what = "The connection broke after the request was sent" if sent else "Could not connect"
    # The class name only: an exception's text can echo the URL or the headers.
    return TwilioConnectionError(f"{what} to {_origin(url)}: {type(exc).__name__}.", method=method, url=url, sent=sent)


def _never_left(exc: BaseException) -> bool:
    """Whether requests' ``ConnectionError`` says the request never left: urllib3 failed while connecting.

    requests wraps urllib3's error (``MaxRetryError(reason=NewConnectionError)`` for a refused
    connection, ``ProtocolError`` for a reset after sending) in its first argument.
    """
    for arg in (exc, *exc.args):
        if isinstance(arg, _NOT_SENT) or isinstance(getattr(arg, "reason", None), _NOT_SENT):
            return True
    return False


def _origin(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


def _root(exc: BaseException) -> BaseException:
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
