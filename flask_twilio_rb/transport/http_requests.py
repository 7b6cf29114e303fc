"""The default transport, on requests (``TWILIO_TRANSPORT = "requests"``).

One ``requests.Session`` per process (re-created after ``fork``), no retries or redirects at
this layer, the time budget of :mod:`.shared`, and requests' errors mapped to the library's.
Tests that mock HTTP with ``responses`` see every request this transport sends.
"""
from __future__ import annotations

import os
import threading
from time import monotonic
from typing import TYPE_CHECKING, Any, Dict, Optional, Tuple

from ..wire import Params, basic_auth, form, json_body
from .base import RawResponse, Transport
from .shared import (
    MAX_RESPONSE_BYTES,
    USER_AGENT,
    Attempt,
    HeaderCache,
    begin,
    end,
    failure,
    pool_classes,
    read_body,
)

if TYPE_CHECKING:  # imported on first use (see :mod:`.shared`)
    import requests

#: The headers of a request without a body, with a form and with a JSON body.
Headers = Tuple[Dict[str, str], Dict[str, str], Dict[str, str]]
_JSON_TYPE = {"Content-Type": "application/json"}


class RequestsTransport(Transport):
    """The default transport: one ``requests.Session`` (connection reuse), re-created after ``fork``.

    ``pool_size`` connections per host are kept for reuse; size it to the number of threads
    that share the client (more threads still work, the extra connections are not kept).
    An answer longer than ``max_response_bytes`` (after decompression) is an error.
    """

    def __init__(self, trust_env: bool = False, pool_size: int = 16,
                 max_response_bytes: int = MAX_RESPONSE_BYTES) -> None:
        self.trust_env = trust_env
        self.pool_size = pool_size
        self.max_response_bytes = max_response_bytes
        self._session: Optional["requests.Session"] = None
        self._pid = 0
        self._lock = threading.Lock()
        self._headers: HeaderCache[Tuple[str, str], Headers] = HeaderCache()
        self._prepared: Any = None
        self._case_insensitive: Any = None
        self._errors: Any = None  # requests.exceptions, loaded with the session

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

        self._prepared, self._case_insensitive = requests.PreparedRequest, requests.structures.CaseInsensitiveDict
        self._errors = requests.exceptions
        session = requests.Session()
        # Without proxies from the environment, requests skips its per-request
        # environment and netrc lookups, the largest cost it adds to a call.
        session.trust_env = self.trust_env
        adapter = adapter_class()(pool_connections=4, pool_maxsize=self.pool_size)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
        return session

    def send(self, method: str, url: str, *, params: Optional[Params] = None, data: Optional[Params] = None,
             json: Any = None, auth: Tuple[str, str], timeout: float) -> RawResponse:
        """Send with requests; map its exceptions to the library's connection errors."""
        deadline = monotonic() + timeout
        session = self.session
        attempt = Attempt(deadline)
        token = begin(attempt)  # the connections keep to the deadline and report the phase
        try:
            if self.trust_env:  # proxies and netrc from the environment: requests' whole path
                body, headers = (json_body(json), _JSON_TYPE) if json is not None else (data, None)
                # types-requests allows only a list or tuple of pairs for data=; requests (and
                # its own annotations) take any iterable of pairs.
                response = session.request(method, url, params=params, data=body,  # type: ignore[arg-type]
                                           headers=headers, auth=auth, timeout=timeout, stream=True,
                                           allow_redirects=False)
            else:
                request = self._prepare(method, url, params, data, json, auth)
                # The session's own TLS and proxy settings still apply (a custom CA bundle, say).
                # types-requests types Session.verify as possibly None; requests types it bool | str.
                response = session.get_adapter(url).send(request, stream=True, timeout=timeout,
                                                         verify=session.verify,  # type: ignore[arg-type]
                                                         cert=session.cert, proxies=session.proxies)
            return RawResponse(response.status_code, response.headers,
                               read_body(response.raw, deadline, method, url, timeout, self.max_response_bytes))
        except self._errors.Timeout as exc:  # (only evaluated when something was raised)
            if isinstance(exc, self._errors.ConnectTimeout):  # requests raises it only while connecting
                attempt.reported = True
            raise failure(method, url, timeout, exc, attempt, True) from None
        except self._errors.ConnectionError as exc:  # SSLError too: its phase says whether it was sent
            raise failure(method, url, timeout, exc, attempt, False) from None
        finally:
            end(token)

    def _prepare(self, method: str, url: str, params: Optional[Params], data: Optional[Params], json: Any,
                 auth: Tuple[str, str]) -> "requests.PreparedRequest":
        """The request ``Session.request`` would prepare, without its per-call merging of settings and cookies.

        The values are already strings (:mod:`flask_twilio_rb.resources.params`) and the path is
        percent-encoded, so the encoding is urlencode's and nothing needs re-quoting.
        """
        request = self._prepared()
        request.method = method
        request.url = f"{url}{'&' if '?' in url else '?'}{form(params)}" if params else url
        plain, with_form, with_json = self._headers_for(auth)
        if json is not None:
            request.body = json_body(json)
            request.headers = self._case_insensitive(with_json)
            request.headers["Content-Length"] = str(len(request.body))
        elif data is None:
            request.headers = self._case_insensitive(plain)
        else:
            request.body = form(data)  # a str, as requests makes it; ASCII, so its length is its size
            request.headers = self._case_insensitive(with_form)
            request.headers["Content-Length"] = str(len(request.body))
        return request

    def _headers_for(self, auth: Tuple[str, str]) -> Headers:
        """The headers of a request without a body, with a form and with a JSON body, for one credential pair."""
        headers = self._headers.get(auth)
        if headers is None:
            plain = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate", "Accept": "application/json",
                     "Connection": "keep-alive", "Authorization": basic_auth(auth)}
            headers = self._headers.put(auth, (plain, {**plain, "Content-Type": "application/x-www-form-urlencoded"},
                                               {**plain, **_JSON_TYPE}))
        return headers

    def close(self) -> None:
        """Close the session's pooled connections."""
        if self._session is not None:
            self._session.close()
            self._session = None


_adapter_class: Optional[type] = None


def adapter_class() -> type:
    """requests' ``HTTPAdapter`` with the library's connections (:func:`.shared.pool_classes`) everywhere.

    Direct connections and proxied ones alike (``TWILIO_TRUST_ENV`` with ``HTTPS_PROXY``...):
    requests builds a separate pool manager per proxy, which would otherwise use urllib3's
    default connections, print the ``Authorization`` header under ``http.client``'s debug
    level and ignore the attempt's deadline. SOCKS proxies keep urllib3's own SOCKS classes.
    """
    global _adapter_class
    if _adapter_class is None:
        import requests
        import urllib3

        class QuietAdapter(requests.adapters.HTTPAdapter):
            def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
                super().init_poolmanager(*args, **kwargs)
                self.poolmanager.pool_classes_by_scheme = pool_classes()

            def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
                manager = super().proxy_manager_for(proxy, **proxy_kwargs)
                if isinstance(manager, urllib3.ProxyManager):
                    manager.pool_classes_by_scheme = pool_classes()
                return manager

        _adapter_class = QuietAdapter
    return _adapter_class
