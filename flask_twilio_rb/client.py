"""The client: resolved settings, a transport, and Twilio's JSON and errors.

Resources never build HTTP by hand; they call :meth:`Client.request` with a path and
already-encoded parameters. Which client serves a call is decided by :func:`get_client`.
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, List, Optional, Tuple

from .config import Config, Settings, mask
from . import retry
from .errors import APIError, ConfigurationError, TwilioConnectionError
from .transport import Params, RawResponse, RequestsTransport, Transport

if TYPE_CHECKING:  # the outbox module imports this one
    from .outbox import Outbox

API_VERSION = "/2010-04-01"


class Client:
    """Talks to Twilio with one set of settings over one transport.

    ``current_app.twilio`` is the client of a Flask app; scripts get the client built from
    :class:`~flask_twilio_rb.Config`. A client is safe to share between threads.
    """

    def __init__(self, settings: Settings, source: str = "Config.setup / environment") -> None:
        #: The emulator this client talks to in ``TWILIO_SUPPRESS_SEND`` / ``TWILIO_EMULATOR`` mode.
        self.emulator: Any = None
        if settings.suppress_send or settings.emulator:
            from .local import go_local  # only clients with no account load the emulator

            settings, self.transport, self.emulator = go_local(settings)
        else:
            self.transport = make_transport(settings)
        self.settings = settings
        self.source = source
        #: Loaded singletons (e.g. Balance), keyed by class and account.
        self.singletons: Dict[Tuple[str, str], Any] = {}
        #: The open :meth:`record` blocks; each request is added to every one of them.
        self.outboxes: List["Outbox"] = []

    def __repr__(self) -> str:
        s = self.settings
        return f"<Client account_sid={s.account_sid!r} auth={mask(s.api_secret or s.auth_token)} base_url={s.api_base_url!r}>"

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

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Optional[Params] = None,
        data: Optional[Params] = None,
        connect_account_sid: Optional[str] = None,
        resource: Any = None,
    ) -> Any:
        """Send a request to ``path`` (``/2010-04-01/...``) and return the decoded JSON, or ``None`` for 204.

        ``resource`` is the resource class sending it, which the outbox records.
        """
        auth = self.auth(connect_account_sid)
        for outbox in self.outboxes:
            outbox.add(method, path, params, data, resource)
        return self._send(method, path, params, data, auth, resource)

    def _send(self, method: str, path: str, params: Optional[Params], data: Optional[Params],
              auth: Tuple[str, str], resource: Any) -> Any:
        """Send with retries (:mod:`flask_twilio_rb.retry`); decode the answer or raise the last failure."""
        settings = self.settings
        url = settings.api_base_url + path
        attempt = 0
        unknown = False  # an earlier attempt may have been carried out
        while True:
            attempt += 1
            try:
                raw = self.transport.send(method, url, params=params, data=data, auth=auth, timeout=settings.timeout)
            except TwilioConnectionError as exc:
                if not retry.should_retry(method, exc, attempt, settings.max_retries):
                    raise retry.final_error(exc, path, resource, attempt) from None
                unknown = unknown or exc.sent
                retry.wait(method, path, attempt, exc, None)
                continue
            status = raw.status
            if status < 400 or not retry.should_retry(method, status, attempt, settings.max_retries):
                if status == 404 and unknown and method == "DELETE":
                    return None  # an earlier attempt deleted it
                return decode(raw, method, path)
            unknown = unknown or status != 429
            retry.wait(method, path, attempt, status, raw.headers.get("Retry-After"))

    def close(self) -> None:
        """Close the transport's pooled connections."""
        self.transport.close()

    @contextmanager
    def record(self) -> Iterator["Outbox"]:
        """Record every request sent while the block is open: ``with app.twilio.record() as outbox:``.

        Requests are still sent (unless ``TWILIO_SUPPRESS_SEND`` is on); blocks can nest.
        """
        from .outbox import Outbox

        outbox = Outbox()
        self.outboxes.append(outbox)
        try:
            yield outbox
        finally:
            self.outboxes.remove(outbox)

    def capability_token(self, **options: Any) -> str:
        """A Twilio Client capability token (a JWT) signed with this client's credentials.

        Takes the options of :meth:`flask_twilio_rb.CapabilityToken.create`, e.g.
        ``allow_incoming="alice"``; ``account_sid`` and ``auth_token`` default to this client's.
        """
        from .tokens import CapabilityToken  # tokens imports this module

        options.setdefault("account_sid", self.settings.account_sid)
        options.setdefault("auth_token", self.settings.auth_token)
        return CapabilityToken.create(**options)

    def access_token(self, **options: Any) -> Any:
        """An :class:`~flask_twilio_rb.AccessToken` with this client's account SID and API key.

        Takes the arguments of :class:`~flask_twilio_rb.AccessToken`, e.g. ``identity="alice",
        grants=[VoiceGrant(...)]``; call ``to_jwt()`` on the result.
        """
        from .tokens import AccessToken  # tokens imports this module

        options.setdefault("account_sid", self.settings.account_sid)
        options.setdefault("api_key_sid", self.settings.api_key)
        options.setdefault("api_key_secret", self.settings.api_secret)
        return AccessToken(**options)


TRANSPORTS = ("requests", "urllib3")


def make_transport(settings: Settings) -> Transport:
    """The transport named by ``TWILIO_TRANSPORT``: ``"requests"`` (the default) or ``"urllib3"``."""
    name = settings.transport
    if name == "requests":
        return RequestsTransport(trust_env=settings.trust_env, pool_size=settings.pool_size)
    if name == "urllib3":
        if settings.trust_env:  # silently ignoring it would send around the proxy the user asked for
            raise ConfigurationError(
                "TWILIO_TRUST_ENV takes proxies from the environment, which only the requests transport"
                " does: unset TWILIO_TRANSPORT (or set it to \"requests\"), or unset TWILIO_TRUST_ENV."
            )
        from .transport_urllib3 import Urllib3Transport  # only apps that choose it import it

        return Urllib3Transport(pool_size=settings.pool_size)
    raise ConfigurationError(
        f"TWILIO_TRANSPORT is {name!r}; use one of {', '.join(repr(t) for t in TRANSPORTS)}."
    )


def decode(raw: RawResponse, method: str, path: str) -> Any:
    """Decode a JSON body, or raise :class:`APIError` for an error status (JSON body or not)."""
    status = raw.status
    if status < 400:
        if status == 204 or not raw.body:
            return None
        try:
            return json.loads(raw.body)
        except ValueError:
            raise APIError(status, f"Twilio answered with a body that is not JSON: {_snippet(raw.body)}",
                           method=method, url=path, request_id=raw.headers.get("Twilio-Request-Id")) from None
    try:
        body = json.loads(raw.body)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        body = {"message": f"Twilio answered HTTP {status} with a body that is not JSON: {_snippet(raw.body)}"}
    raise APIError(
        status,
        str(body.get("message") or body.get("detail") or f"HTTP {status}"),
        code=body.get("code"),
        more_info=body.get("more_info"),
        method=method,
        url=path,
        request_id=raw.headers.get("Twilio-Request-Id"),
        details=body.get("details"),
    )


def _snippet(body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip().replace("\n", " ")
    return repr(text[:80] + ("..." if len(text) > 80 else ""))


_script_client: Optional[Client] = None
_script_generation = -1
#: The open record() blocks of script clients, shared by each script client in turn.
_script_outboxes: List["Outbox"] = []
#: How a Flask app's client is found; set by the extension so this module never imports Flask.
app_client_lookup: Optional[Callable[[], Optional[Client]]] = None


def get_client() -> Client:
    """The client for this call: the current Flask app's, else the one built from :class:`Config`."""
    if app_client_lookup is not None:
        client = app_client_lookup()
        if client is not None:
            return client
    global _script_client, _script_generation
    if _script_client is None or _script_generation != Config._generation:
        _script_client = Client(Config.settings())
        # A record() block outlives a Config.setup() that replaces the script client.
        _script_client.outboxes = _script_outboxes
        _script_generation = Config._generation
    return _script_client
