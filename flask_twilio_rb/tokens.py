"""Client tokens: :class:`CapabilityToken` for Twilio Client and :class:`AccessToken` with grants.

Both are HS256 JSON Web Tokens built to the same claims as twilio-python's
``ClientCapabilityToken`` and ``AccessToken``. Credentials left out come from the current
Flask app, else from :class:`~flask_twilio_rb.Config` and the environment. Secrets never
appear in a repr or an error message.
"""
from __future__ import annotations

import math
import time
from datetime import datetime, timedelta
from typing import Any, ClassVar, Dict, Iterable, List, Mapping, Optional, Tuple, Union
from urllib.parse import urlencode

from .config import Settings, mask
from .current import current_settings
from .errors import ConfigurationError, TokenError

#: A moment: an aware :class:`~datetime.datetime` (a naive one is refused) or seconds since the epoch.
Moment = Union[datetime, int, float]
#: When a token expires: a moment, or a lifetime from now as a :class:`~datetime.timedelta` or seconds.
Expiry = Union[datetime, timedelta, int, float]
#: What ``allow_outgoing`` takes: an application SID, or the SID and parameters for the application.
Outgoing = Union[str, Tuple[str, Mapping[str, Any]]]

DEFAULT_TTL = 3600
#: Seconds: the longest a token may live. Twilio refuses longer ones (errors 20157 and 20104).
MAX_TTL = 24 * 3600


def _settings() -> Settings:
    return current_settings()


def _epoch(moment: Moment, name: str) -> int:
    if isinstance(moment, datetime):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise TokenError(
                f"{name} got a naive datetime, which could be any time zone's: pass an aware one "
                "(datetime.now(timezone.utc) + ...) or a timedelta."
            )
        return int(moment.timestamp())
    return int(_seconds(moment, name, "a datetime or seconds since the epoch"))


def _seconds(value: Any, name: str, what: str) -> float:
    """``value`` as a finite number of seconds, else a :class:`TokenError` naming ``name``."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if math.isfinite(value):
            return value
        raise TokenError(f"{name} is {value!r}; it must be a finite number of seconds.")
    raise TokenError(f"{name} must be {what}, not {type(value).__name__}.")


def _lifetime(issued: int, exp: int, name: str) -> None:
    """Refuse a token that is expired when made, or that lives longer than Twilio allows."""
    if exp <= issued:
        raise TokenError(f"{name} must be in the future: the token would be refused at once.")
    if exp - issued > MAX_TTL:
        raise TokenError(
            f"{name} is {exp - issued} s from now; Twilio refuses tokens that live longer than 24 hours "
            f"({MAX_TTL} s): make a new token when it expires."
        )


def _now(now: Optional[Moment]) -> int:
    return int(time.time()) if now is None else _epoch(now, "now")


def _encode(claims: Dict[str, Any], secret: str, headers: Optional[Dict[str, Any]] = None) -> str:
    import jwt  # PyJWT; imported on first use to keep `import flask_twilio_rb` fast

    return jwt.encode(claims, secret, algorithm="HS256", headers=headers)


class CapabilityToken:
    """A Twilio Client capability token: which client may receive calls and which app it may call.

    .. code-block:: python

        token = CapabilityToken.create(allow_incoming="alice",
                                       allow_outgoing=("AP...", {"plan": "gold"}),
                                       expires=timedelta(minutes=30))

    :param allow_incoming: the client name that may receive calls.
    :param allow_outgoing: the TwiML application SID the client may call, or ``(sid, params)``
        to pass parameters to that application.
    :param expires: when the token expires: an aware datetime, a
        :class:`~datetime.timedelta` or a number of seconds from now; at most 24 hours
        from now, as Twilio allows. Default: one hour.
    :param account_sid: the issuer; default the app's ``TWILIO_ACCOUNT_SID``.
    :param auth_token: the signing key; default the app's ``TWILIO_AUTH_TOKEN``.
    """

    def __init__(
        self,
        *,
        allow_incoming: Optional[str] = None,
        allow_outgoing: Optional[Outgoing] = None,
        expires: Optional[Expiry] = None,
        account_sid: Optional[str] = None,
        auth_token: Optional[str] = None,
    ) -> None:
        if not allow_incoming and not allow_outgoing:
            raise TokenError(
                "A capability token needs allow_incoming=<client name>, allow_outgoing=<AP... SID>, or both."
            )
        if account_sid is None or auth_token is None:
            settings = _settings()
            account_sid = account_sid or settings.account_sid
            auth_token = auth_token or settings.auth_token
        if not account_sid or not auth_token:
            raise ConfigurationError(
                "A capability token needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN: set them in the app "
                "config, Config.setup() or the environment, or pass account_sid= and auth_token=."
            )
        app_sid: Optional[str]  # None: no outgoing calls
        if isinstance(allow_outgoing, tuple):
            app_sid, app_params = allow_outgoing
        else:
            app_sid, app_params = allow_outgoing, None
        self.client_name = allow_incoming
        self.application_sid = app_sid
        self.application_params = dict(app_params or {})
        self.expires = DEFAULT_TTL if expires is None else expires
        self.account_sid = account_sid
        self._auth_token = auth_token

    @classmethod
    def create(cls, *, now: Optional[Moment] = None, **options: Any) -> str:
        """Build the token and return it as a JWT string; ``options`` are those of the constructor.

        :param now: the moment the token is made (default: the clock), for tests.
        """
        return cls(**options).to_jwt(now=now)

    @property
    def scope(self) -> str:
        """The space-separated ``scope:client:...`` URIs, encoded as twilio-python encodes them."""
        scopes = []
        if self.client_name:
            scopes.append(_scope_uri("incoming", {"clientName": self.client_name}))
        if self.application_sid:
            params = {"appSid": self.application_sid}
            if self.application_params:
                params["appParams"] = urlencode(self.application_params, doseq=True)
            if self.client_name:
                params["clientName"] = self.client_name
            scopes.append(_scope_uri("outgoing", params))
        return " ".join(scopes)

    def claims(self, now: Optional[Moment] = None) -> Dict[str, Any]:
        """The JWT claims ``iss``, ``exp`` and ``scope`` for a token made at ``now``."""
        issued = _now(now)
        expires = self.expires
        if isinstance(expires, timedelta):
            exp = issued + int(expires.total_seconds())
        elif isinstance(expires, datetime):
            exp = _epoch(expires, "expires")
        else:
            exp = issued + int(_seconds(expires, "expires", "a datetime, a timedelta or seconds"))
        _lifetime(issued, exp, "expires")
        return {"iss": self.account_sid, "exp": exp, "scope": self.scope}

    def to_jwt(self, now: Optional[Moment] = None) -> str:
        """The token as an HS256 JWT signed with the auth token."""
        return _encode(self.claims(now), self._auth_token)

    def __repr__(self) -> str:
        return f"<CapabilityToken iss={self.account_sid!r} scope={self.scope!r} auth_token={mask(self._auth_token)}>"


def _scope_uri(privilege: str, params: Mapping[str, str]) -> str:
    return f"scope:client:{privilege}?{urlencode(sorted(params.items()))}"


class Grant:
    """One permission of an :class:`AccessToken`, under its ``key`` in the ``grants`` claim.

    A grant lists its options in ``fields``; the payload holds those that are set, under
    the same names.
    """

    #: The grant's name in the token's ``grants`` claim.
    key: ClassVar[str] = ""
    #: The options copied into the payload when set.
    fields: ClassVar[Tuple[str, ...]] = ()

    def to_payload(self) -> Dict[str, Any]:
        """This grant's part of the ``grants`` claim."""
        return {name: getattr(self, name) for name in self.fields if getattr(self, name)}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.to_payload()!r}>"


class VoiceGrant(Grant):
    """Programmable Voice from a browser or mobile SDK.

    :param incoming_allow: ``True`` lets the token's identity receive calls.
    :param outgoing_application_sid: the TwiML app (``AP...``) outgoing calls go to.
    :param outgoing_application_params: parameters passed to that app.
    :param push_credential_sid: the push credential (``CR...``) for mobile notifications.
    :param endpoint_id: a stable id for this device.
    """

    key = "voice"

    def __init__(
        self,
        incoming_allow: Optional[bool] = None,
        outgoing_application_sid: Optional[str] = None,
        outgoing_application_params: Optional[Mapping[str, Any]] = None,
        push_credential_sid: Optional[str] = None,
        endpoint_id: Optional[str] = None,
    ) -> None:
        self.incoming_allow = incoming_allow
        self.outgoing_application_sid = outgoing_application_sid
        self.outgoing_application_params = outgoing_application_params
        self.push_credential_sid = push_credential_sid
        self.endpoint_id = endpoint_id

    def to_payload(self) -> Dict[str, Any]:
        """``incoming``/``outgoing`` objects as Twilio's Voice SDKs expect them."""
        grant: Dict[str, Any] = {}
        if self.incoming_allow is True:
            grant["incoming"] = {"allow": True}
        if self.outgoing_application_sid:
            grant["outgoing"] = {"application_sid": self.outgoing_application_sid}
            if self.outgoing_application_params:
                grant["outgoing"]["params"] = dict(self.outgoing_application_params)
        if self.push_credential_sid:
            grant["push_credential_sid"] = self.push_credential_sid
        if self.endpoint_id:
            grant["endpoint_id"] = self.endpoint_id
        return grant


class VideoGrant(Grant):
    """Programmable Video.

    :param room: the room name or SID the token may join; any room when unset.
    """

    key = "video"
    fields = ("room",)

    def __init__(self, room: Optional[str] = None) -> None:
        self.room = room


class ChatGrant(Grant):
    """Conversations / Chat.

    :param service_sid: the Conversations or Chat service (``IS...``).
    :param endpoint_id: a stable id for this device.
    :param deployment_role_sid: the role given to the user.
    :param push_credential_sid: the push credential (``CR...``).
    """

    key = "chat"
    fields = ("service_sid", "endpoint_id", "deployment_role_sid", "push_credential_sid")

    def __init__(
        self,
        service_sid: Optional[str] = None,
        endpoint_id: Optional[str] = None,
        deployment_role_sid: Optional[str] = None,
        push_credential_sid: Optional[str] = None,
    ) -> None:
        self.service_sid = service_sid
        self.endpoint_id = endpoint_id
        self.deployment_role_sid = deployment_role_sid
        self.push_credential_sid = push_credential_sid


class SyncGrant(Grant):
    """Sync.

    :param service_sid: the Sync service (``IS...``).
    :param endpoint_id: a stable id for this device.
    """

    key = "data_sync"
    fields = ("service_sid", "endpoint_id")

    def __init__(self, service_sid: Optional[str] = None, endpoint_id: Optional[str] = None) -> None:
        self.service_sid = service_sid
        self.endpoint_id = endpoint_id


class TaskRouterGrant(Grant):
    """TaskRouter.

    :param workspace_sid: the workspace (``WS...``).
    :param worker_sid: the worker (``WK...``).
    :param role: the role, e.g. ``"worker"`` or ``"supervisor"``.
    """

    key = "task_router"
    fields = ("workspace_sid", "worker_sid", "role")

    def __init__(
        self, workspace_sid: Optional[str] = None, worker_sid: Optional[str] = None, role: Optional[str] = None
    ) -> None:
        self.workspace_sid = workspace_sid
        self.worker_sid = worker_sid
        self.role = role


class PlaybackGrant(Grant):
    """Twilio Live playback.

    :param grant: the playback grant as returned by the PlayerStreamer PlaybackGrant resource.
    """

    key = "player"

    def __init__(self, grant: Optional[Mapping[str, Any]] = None) -> None:
        self.grant = grant

    def to_payload(self) -> Dict[str, Any]:
        """The playback grant unchanged."""
        return dict(self.grant or {})


class AccessToken:
    """An access token for Twilio's SDKs (Voice, Video, Conversations, Sync, TaskRouter, Live).

    .. code-block:: python

        token = AccessToken(identity="alice", grants=[VoiceGrant(outgoing_application_sid="AP...",
                                                                 incoming_allow=True)])
        jwt = token.to_jwt()

    :param account_sid: the subject; default ``TWILIO_ACCOUNT_SID``.
    :param api_key_sid: the issuer and signing key (``SK...``); default ``TWILIO_API_KEY``.
    :param api_key_secret: its secret; default ``TWILIO_API_SECRET``.
    :param identity: the user the token speaks for.
    :param ttl: seconds the token stays valid (default one hour, at most 24 hours).
    :param region: the Twilio region (``twr`` header), e.g. ``"ie1"``.
    :param grants: grants to start with; :meth:`add_grant` adds more.
    :param nbf: a moment before which the token is not valid (no ``nbf`` claim when unset).
    :param valid_until: a moment the token expires at, instead of ``ttl`` from now (in the
        future, at most 24 hours from when the token is made; ``nbf`` must come before it).
    """

    def __init__(
        self,
        account_sid: Optional[str] = None,
        api_key_sid: Optional[str] = None,
        api_key_secret: Optional[str] = None,
        identity: Optional[str] = None,
        ttl: int = DEFAULT_TTL,
        region: Optional[str] = None,
        *,
        grants: Iterable[Grant] = (),
        nbf: Optional[Moment] = None,
        valid_until: Optional[Moment] = None,
    ) -> None:
        if not (account_sid and api_key_sid and api_key_secret):
            settings = _settings()
            account_sid = account_sid or settings.account_sid
            api_key_sid = api_key_sid or settings.api_key
            api_key_secret = api_key_secret or settings.api_secret
        missing = [name for name, value in (("TWILIO_ACCOUNT_SID", account_sid), ("TWILIO_API_KEY", api_key_sid),
                                            ("TWILIO_API_SECRET", api_key_secret)) if not value]
        if missing:
            raise ConfigurationError(
                f"An access token needs {' and '.join(missing)}: set them in the app config, Config.setup() "
                "or the environment, or pass account_sid=, api_key_sid= and api_key_secret=. Create an API "
                "key in the Twilio Console."
            )
        if isinstance(ttl, bool) or not isinstance(ttl, int) or not 0 < ttl <= MAX_TTL:
            raise TokenError(f"ttl must be a whole number of seconds from 1 to {MAX_TTL} (24 hours, Twilio's"
                             f" longest), not {ttl!r}.")
        self.account_sid: str = account_sid  # type: ignore[assignment]
        self.api_key_sid: str = api_key_sid  # type: ignore[assignment]
        self._secret: str = api_key_secret  # type: ignore[assignment]
        self.identity = identity
        self.ttl = ttl
        self.region = region
        self.nbf = None if nbf is None else _epoch(nbf, "nbf")
        self.valid_until = None if valid_until is None else _epoch(valid_until, "valid_until")
        self.grants: List[Grant] = []
        for grant in grants:
            self.add_grant(grant)

    def add_grant(self, grant: Grant) -> "AccessToken":
        """Add a grant (one per kind: a second grant of a kind replaces the first) and return the token."""
        if not isinstance(grant, Grant):
            raise TokenError(f"Grants are VoiceGrant, VideoGrant, ChatGrant, ... objects, not {type(grant).__name__}.")
        self.grants.append(grant)
        return self

    @property
    def headers(self) -> Dict[str, Any]:
        """The extra JWT header fields: ``cty`` and, with a region, ``twr``."""
        headers = {"cty": "twilio-fpa;v=1"}
        if self.region:
            headers["twr"] = self.region
        return headers

    def claims(self, now: Optional[Moment] = None) -> Dict[str, Any]:
        """The JWT claims for a token made at ``now`` (default: the clock)."""
        issued = _now(now)
        grants: Dict[str, Any] = {grant.key: grant.to_payload() for grant in self.grants}
        if self.identity:
            grants["identity"] = self.identity
        exp = issued + self.ttl if self.valid_until is None else self.valid_until
        _lifetime(issued, exp, "valid_until" if self.valid_until is not None else "ttl")
        if self.nbf is not None and self.nbf >= exp:
            raise TokenError("nbf must come before the token expires (valid_until, or ttl from now).")
        claims: Dict[str, Any] = {
            "jti": f"{self.api_key_sid}-{issued}",
            "grants": grants,
            "iss": self.api_key_sid,
            "sub": self.account_sid,
            "exp": exp,
        }
        if self.nbf is not None:
            claims["nbf"] = self.nbf
        return claims

    def to_jwt(self, now: Optional[Moment] = None) -> str:
        """The token as an HS256 JWT signed with the API key secret."""
        return _encode(self.claims(now), self._secret, self.headers)

    def __repr__(self) -> str:
        kinds = [grant.key for grant in self.grants]
        return (f"<AccessToken sub={self.account_sid!r} iss={self.api_key_sid!r} identity={self.identity!r} "
                f"grants={kinds!r} secret={mask(self._secret)}>")
