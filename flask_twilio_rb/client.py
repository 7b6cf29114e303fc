"""The client: resolved settings, a transport, and Twilio's JSON and errors.

Resources never build HTTP by hand; they call :meth:`Client.request` with their description's
host, a path, already encoded parameters (or a JSON body) and the
:class:`~flask_twilio_rb.wire.Operation` they perform; :mod:`flask_twilio_rb.hosts` says where
that host is (a region and edge, or the one base URL of an emulator or proxy). How the
request travels (HTTP, the in-process emulator, retries) is the transport's business
(:mod:`flask_twilio_rb.transport`); the client decodes the answer and maps errors. Which client
serves a call is decided by :func:`get_client`.
"""
from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Dict, Iterator, Optional, Tuple

from . import current, hosts
from .config import Config, Settings, mask
from .errors import APIError, RateLimitError, api_error
from .retry import parse_retry_after
from .wire import API_HOST, API_VERSION, Operation, Params

if TYPE_CHECKING:
    from .outbox import Outbox
    from .tokens import AccessToken
    from .transport import RawResponse, Transport

__all__ = ["API_VERSION", "Client", "decode", "get_client"]

#: Where the request signal lives; see :meth:`Client.request`.
_SIGNALS = "flask_twilio_rb.signals"


class Client:
    """Talks to Twilio with one set of settings over one transport.

    ``current_app.twilio`` is the client of a Flask app; scripts get the client built from
    :class:`~flask_twilio_rb.Config`. A client is safe to share between threads.
    """

    def __init__(self, settings: Settings, source: str = "Config.setup / environment", *,
                 script: bool = False) -> None:
        # The transport stack loads with the first client, not with `from flask_twilio_rb import Call`.
        from .transport.factory import connect

        connection = connect(settings)
        #: The emulator this client talks to in ``TWILIO_SUPPRESS_SEND`` / ``TWILIO_EMULATOR`` mode.
        self.emulator: Any = connection.emulator
        self.settings = connection.settings
        self.source = source
        #: Whether this is a script client (built from Config), rather than an app's.
        self.script = script
        self.transport = connection.transport
        #: Loaded singletons (e.g. Balance), keyed by class and account.
        self.singletons: Dict[Tuple[str, str], Any] = {}
        self._origins: Dict[str, str] = {}

    def __repr__(self) -> str:
        s = self.settings
        return f"<Client account_sid={s.account_sid!r} auth={mask(s.api_secret or s.auth_token)} base_url={s.api_base_url!r}>"

    @property
    def transport(self) -> "Transport":
        """The transport requests travel on; the client sends through it with retries."""
        return self._sender.inner

    @transport.setter
    def transport(self, transport: "Transport") -> None:
        from .transport.retrying import RetryingTransport

        self._sender = RetryingTransport(transport, self.settings.max_retries)

    @property
    def account_sid(self) -> str:
        """The configured main account SID (raises ConfigurationError when unset)."""
        self.settings.require_credentials(self.source)
        return self.settings.account_sid  # type: ignore[return-value]

    def auth(self, connect_account_sid: Optional[str] = None) -> Tuple[str, str]:
        """HTTP Basic credentials: API key and secret if set, else account SID and auth token.

        With Twilio Connect, the connected account's SID is the user name.
        """
        s = self.settings
        s.require_credentials(self.source)
        if connect_account_sid:
            return connect_account_sid, s.auth_token or ""
        if s.api_key:
            return s.api_key, s.api_secret or ""
        return s.account_sid or "", s.auth_token or ""

    def origin(self, host: str = API_HOST) -> str:
        """Where requests to ``host`` go: ``https://verify.twilio.com``, a regional host, or ``BASE/verify``."""
        found = self._origins.get(host)
        if found is None:
            s = self.settings
            found = self._origins[host] = hosts.origin(s.api_base_url, host, s.edge, s.region)
        return found

    def request(
        self,
        method: str,
        path: str,
        *,
        host: str = API_HOST,
        params: Optional[Params] = None,
        data: Optional[Params] = None,
        json: Any = None,
        connect_account_sid: Optional[str] = None,
        operation: Optional[Operation] = None,
        records: Optional[str] = None,
    ) -> Any:
        """Send a request to ``path`` on ``host`` and return the decoded JSON object, or ``None`` for 204.

        ``path`` is the description's own (``/2010-04-01/Accounts/...``, ``/v2/Services``);
        :meth:`origin` says where ``host`` is. ``data`` is a form body, ``json`` a JSON one
        (the descriptions say which an operation takes). ``operation`` is what the request does
        (resource, action, operationId), as the resource sending it knows; it goes out on the
        :data:`~flask_twilio_rb.signals.request_sent` signal (which outboxes record) and names
        the request in a "was it sent?" error. An operation other than a delete must be answered
        with an object; a list page's ``records`` key must hold a list of objects (:func:`decode`).
        """
        if not path.startswith("/") or path.startswith("//"):  # appended to the base URL: it must stay a path
            raise ValueError(f"Client.request() takes a path starting with one '/', e.g. {API_VERSION}/Accounts.json,"
                             f" not {path[:40]!r}.")
        auth = self.auth(connect_account_sid)
        # The signal module is loaded by whatever subscribes to it (an outbox, your receiver);
        # when nothing did, there is no receiver to tell, and scripts never pay for blinker.
        signals = sys.modules.get(_SIGNALS)
        if signals is not None and signals.request_sent.receivers:
            signals.request_sent.send(self, method=method, path=path, params=params, data=data, operation=operation,
                                      host=host, json=json)
        settings = self.settings
        raw = self._sender.send(method, self.origin(host) + path, params=params, data=data, json=json, auth=auth,
                                timeout=settings.timeout, operation=operation)
        return decode(raw, method, path, operation, records)

    def close(self) -> None:
        """Close the transport's pooled connections."""
        self._sender.close()

    @contextmanager
    def record(self) -> Iterator["Outbox"]:
        """Record every request sent while the block is open: ``with app.twilio.record() as outbox:``.

        Requests are still sent (unless ``TWILIO_SUPPRESS_SEND`` is on); blocks can nest. A
        script client's block also records the script clients that later ``Config.setup`` calls make.
        """
        from .outbox import Outbox  # (loads blinker: only tests and tools record)

        with Outbox().recording(self) as outbox:
            yield outbox

    def capability_token(self, **options: Any) -> str:
        """A Twilio Client capability token (a JWT) signed with this client's credentials.

        Takes the options of :meth:`flask_twilio_rb.CapabilityToken.create`, e.g.
        ``allow_incoming="alice"``; ``account_sid`` and ``auth_token`` default to this client's.
        """
        from .tokens import (
            CapabilityToken,  # PyJWT and the grants load only for apps that make tokens
        )

        options.setdefault("account_sid", self.settings.account_sid)
        options.setdefault("auth_token", self.settings.auth_token)
        return CapabilityToken.create(**options)

    def access_token(self, **options: Any) -> "AccessToken":
        """An :class:`~flask_twilio_rb.AccessToken` with this client's account SID and API key.

        Takes the arguments of :class:`~flask_twilio_rb.AccessToken`, e.g. ``identity="alice",
        grants=[VoiceGrant(...)]``; call ``to_jwt()`` on the result.
        """
        from .tokens import AccessToken

        options.setdefault("account_sid", self.settings.account_sid)
        options.setdefault("api_key_sid", self.settings.api_key)
        options.setdefault("api_key_secret", self.settings.api_secret)
        return AccessToken(**options)


def decode(raw: "RawResponse", method: str, path: str, operation: Optional[Operation] = None,
           records: Optional[str] = None) -> Any:
    """The JSON object of a ``2xx`` answer (``None`` for no body), else an :class:`APIError`.

    Every answer that is not ``2xx`` is an error: a redirect (``3xx``, never followed) means the
    request was not carried out. JSON that is not an object, an empty answer to an
    ``operation`` that must return its resource (a create, a fetch, a list), or a list page whose
    ``records`` key is not a list of objects is an :class:`APIError` naming what was expected.
    """
    status = raw.status
    request_id = raw.headers.get("Twilio-Request-Id")
    if 200 <= status < 300:
        if status == 204 or not raw.body:
            if operation is not None and operation.action not in _MAY_BE_EMPTY:
                raise APIError(status, f"Twilio answered HTTP {status} with no body, where {_expected(operation)}"
                               " was expected", method=method, url=path, request_id=request_id)
            return None
        try:
            data = json.loads(raw.body)
        except ValueError:
            raise APIError(status, f"Twilio answered with a body that is not JSON: {_snippet(raw.body)}",
                           method=method, url=path, request_id=request_id) from None
        problem = _shape_problem(data, records)
        if problem is not None:
            raise APIError(status, f"Twilio answered with JSON of an unexpected shape: {problem}",
                           method=method, url=path, request_id=request_id)
        return data
    if status < 400:  # a redirect (or 1xx): never followed, so nothing was done
        where = raw.headers.get("Location")
        pointed = f", pointing to {where[:200]!r}" if where else ""
        raise api_error(status, f"Twilio answered HTTP {status}{pointed}, which is never followed, so the request"
                        " was not carried out. Check TWILIO_API_BASE_URL (https://, no proxy that redirects)",
                        method=method, url=path, request_id=request_id, details={"location": where})
    try:
        body = json.loads(raw.body)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        body = {"message": f"Twilio answered HTTP {status} with a body that is not JSON: {_snippet(raw.body)}"}
    error = api_error(
        status,
        str(body.get("message") or body.get("detail") or f"HTTP {status}"),
        code=body.get("code"),
        more_info=body.get("more_info"),
        method=method,
        url=path,
        request_id=request_id,
        details=body.get("details"),
    )
    if isinstance(error, RateLimitError):
        error.retry_after = parse_retry_after(raw.headers.get("Retry-After"))
    raise error


#: Actions Twilio may answer without a body (a delete's 204; an update the caller already holds).
_MAY_BE_EMPTY = frozenset({"delete", "update"})


def _expected(operation: Operation) -> str:
    return f"the {operation.resource or 'resource'}" + (" list page" if operation.action == "list" else "")


def _shape_problem(data: Any, records: Optional[str]) -> Optional[str]:
    """What is wrong with the shape of ``data`` (an object; its ``records`` a list of objects), or ``None``."""
    if not isinstance(data, dict):
        return f"expected an object, got {_kind(data)}"
    if records is None:
        return None
    items = data.get(records)
    if items is None:  # absent or null: a page without records
        return None
    if not isinstance(items, list):
        return f"expected {records!r} to be a list of records, got {_kind(items)}"
    if not all(isinstance(item, dict) for item in items):
        return f"expected every item of {records!r} to be an object"
    return None


_JSON_KINDS = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", int: "a number",
               float: "a number"}


def _kind(value: Any) -> str:
    """What a decoded JSON value is, in JSON's words (``null`` when absent)."""
    return _JSON_KINDS.get(type(value), "null")


def _snippet(body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip().replace("\n", " ")
    return repr(text[:80] + ("..." if len(text) > 80 else ""))


_script_client: Optional[Client] = None
_script_generation = -1
#: Script clients of :meth:`Config.overridden` blocks, by generation (each block has its own numbers).
_block_clients: Dict[int, Client] = {}
_BLOCK_CLIENTS_MAX = 16


def get_client() -> Client:
    """The client for this call: the current Flask app's, else the one built from :class:`Config`.

    Inside a :meth:`Config.overridden` block, the client of that block's values: threads in
    blocks of their own never share one.
    """
    state = current.app_state()
    if state is not None:
        return state.client
    global _script_client, _script_generation
    generation = Config.generation()
    if _script_generation == generation and _script_client is not None:
        return _script_client
    if not Config.in_block():
        _script_client = Client(Config.settings(), script=True)
        _script_generation = generation
        return _script_client
    client = _block_clients.get(generation)
    if client is None:
        if len(_block_clients) >= _BLOCK_CLIENTS_MAX:  # the oldest block has most likely ended
            del _block_clients[next(iter(_block_clients))]
        client = _block_clients[generation] = Client(Config.settings(), script=True)
    return client
