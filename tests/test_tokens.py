"""Client tokens, compared claim for claim with twilio-python's for the same inputs and clock."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, Iterator

import jwt
import pytest
from flask import Flask, current_app
from twilio.jwt.access_token import AccessToken as TwilioAccessToken
from twilio.jwt.access_token import grants as twilio_grants
from twilio.jwt.client import ClientCapabilityToken

from flask_twilio_rb import (
    AccessToken,
    CapabilityToken,
    ChatGrant,
    Config,
    ConfigurationError,
    PlaybackGrant,
    SyncGrant,
    TaskRouterGrant,
    TokenError,
    TwilioError,
    TwilioRB,
    VideoGrant,
    VoiceGrant,
)

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "f3c1a9d27b6e4058a1c2d3e4f5a6b7c8"
API_KEY = "SK" + "5" * 32
API_SECRET = "s3cr3t-api-key-secret-0123456789"
APP_SID = "AP" + "7" * 32
NOW = 1_800_000_000  # a frozen clock, in 2027
UNVERIFIED_TIMES = {"verify_exp": False, "verify_nbf": False}


@pytest.fixture(autouse=True)
def clean_config(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY", "TWILIO_API_SECRET"):
        monkeypatch.delenv(name, raising=False)
    Config.reset()
    yield
    Config.reset()


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> int:
    """Freeze ``time.time`` for twilio-python, which reads the clock itself."""
    monkeypatch.setattr(time, "time", lambda: NOW + 0.75)
    return NOW


@pytest.fixture
def app() -> Flask:
    app = Flask(__name__)
    app.config.update(TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN,
                      TWILIO_API_KEY=API_KEY, TWILIO_API_SECRET=API_SECRET)
    TwilioRB(app)
    return app


def decode(token: str, key: str = AUTH_TOKEN, **options: Any) -> Dict[str, Any]:
    return jwt.decode(token, key, algorithms=["HS256"], options=dict(UNVERIFIED_TIMES, **options))


def twilio_capability(incoming: Any = None, outgoing: Any = None, **params: Any) -> Dict[str, Any]:
    token = ClientCapabilityToken(ACCOUNT_SID, AUTH_TOKEN, nbf=None)
    if incoming:
        token.allow_client_incoming(incoming)
    if outgoing:
        token.allow_client_outgoing(outgoing, **params)
    return decode(token.to_jwt())


# -- CapabilityToken ---------------------------------------------------------------------------


def test_incoming_capability_matches_twilio_python(frozen_clock: int) -> None:
    token = CapabilityToken.create(allow_incoming="alice", account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN)
    claims = decode(token)
    assert claims == twilio_capability(incoming="alice")
    assert claims == {"iss": ACCOUNT_SID, "exp": NOW + 3600, "scope": "scope:client:incoming?clientName=alice"}


def test_outgoing_with_parameters_and_incoming_match_twilio_python(frozen_clock: int) -> None:
    token = CapabilityToken.create(allow_incoming="alice", allow_outgoing=(APP_SID, {"foo": "bar", "n": "1 2"}),
                                   account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN)
    claims = decode(token)
    assert claims == twilio_capability("alice", APP_SID, foo="bar", n="1 2")
    assert claims["scope"] == ("scope:client:incoming?clientName=alice "
                               f"scope:client:outgoing?appParams=foo%3Dbar%26n%3D1%2B2&appSid={APP_SID}"
                               "&clientName=alice")


def test_outgoing_alone_has_no_client_name(frozen_clock: int) -> None:
    token = CapabilityToken.create(allow_outgoing=APP_SID, account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN)
    assert decode(token) == twilio_capability(outgoing=APP_SID)
    assert decode(token)["scope"] == f"scope:client:outgoing?appSid={APP_SID}"


def test_multi_valued_application_parameters_match_twilio_python(frozen_clock: int) -> None:
    token = CapabilityToken.create(allow_outgoing=(APP_SID, {"tag": ["a", "b"]}),
                                   account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN)
    assert decode(token) == twilio_capability(outgoing=APP_SID, tag=["a", "b"])


def test_capability_token_is_hs256_signed_with_the_auth_token() -> None:
    token = CapabilityToken.create(allow_incoming="alice", account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN)
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT"}
    assert jwt.decode(token, AUTH_TOKEN, algorithms=["HS256"])["iss"] == ACCOUNT_SID  # exp checked too
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, "another-auth-token-0123456789abcd", algorithms=["HS256"])


@pytest.mark.parametrize(
    "expires, exp",
    [
        (timedelta(minutes=5), NOW + 300),
        (600, NOW + 600),
        (90.9, NOW + 90),
        (datetime.fromtimestamp(NOW + 120, timezone.utc), NOW + 120),
        (datetime.fromtimestamp(NOW + 120, timezone(timedelta(hours=-5))), NOW + 120),
    ],
)
def test_expires_takes_a_moment_or_a_lifetime(expires: Any, exp: int) -> None:
    token = CapabilityToken.create(allow_incoming="alice", expires=expires, now=NOW,
                                   account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN)
    assert decode(token)["exp"] == exp


def test_now_may_be_a_datetime() -> None:
    token = CapabilityToken(allow_incoming="alice", account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN)
    assert token.claims(now=datetime.fromtimestamp(NOW, timezone.utc))["exp"] == NOW + 3600


@pytest.mark.parametrize("expires", [timedelta(0), -5, datetime.fromtimestamp(NOW - 1, timezone.utc)])
def test_expiry_in_the_past_is_refused(expires: Any) -> None:
    token = CapabilityToken(allow_incoming="alice", expires=expires, account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN)
    with pytest.raises(TokenError, match="future"):
        token.to_jwt(now=NOW)


@pytest.mark.parametrize("expires", ["3600", True])
def test_expiry_of_another_type_is_refused(expires: Any) -> None:
    token = CapabilityToken(allow_incoming="alice", expires=expires, account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN)
    with pytest.raises(TokenError, match="expires must be"):
        token.to_jwt()


def test_now_of_another_type_is_refused() -> None:
    with pytest.raises(TokenError, match="now must be"):
        CapabilityToken.create(allow_incoming="alice", now="today", account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN)


def test_capability_token_without_any_capability_is_refused() -> None:
    with pytest.raises(TokenError, match="allow_incoming") as caught:
        CapabilityToken.create(account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN)
    assert isinstance(caught.value, TwilioError) and isinstance(caught.value, ValueError)


def test_capability_credentials_default_to_the_current_app(app: Flask) -> None:
    with app.app_context():
        token = CapabilityToken.create(allow_incoming="alice")
    assert decode(token)["iss"] == ACCOUNT_SID


def test_capability_credentials_default_to_config_outside_an_app() -> None:
    Config.setup(account_sid="AC" + "9" * 32, auth_token="config-auth-token-0123456789abcd")
    token = CapabilityToken.create(allow_incoming="alice")
    assert decode(token, "config-auth-token-0123456789abcd")["iss"] == "AC" + "9" * 32


def test_capability_without_credentials_names_the_settings() -> None:
    with pytest.raises(ConfigurationError, match="TWILIO_AUTH_TOKEN"):
        CapabilityToken.create(allow_incoming="alice", account_sid=ACCOUNT_SID)


def test_app_client_makes_capability_tokens(app: Flask) -> None:
    with app.app_context():
        token = current_app.twilio.capability_token(allow_outgoing=APP_SID, now=NOW)  # type: ignore[attr-defined]
    assert decode(token) == {"iss": ACCOUNT_SID, "exp": NOW + 3600, "scope": f"scope:client:outgoing?appSid={APP_SID}"}


def test_capability_repr_hides_the_auth_token() -> None:
    token = CapabilityToken(allow_incoming="alice", account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN)
    shown = repr(token)
    assert "scope:client:incoming?clientName=alice" in shown and ACCOUNT_SID in shown
    assert AUTH_TOKEN not in shown and AUTH_TOKEN[:-4] not in shown


# -- AccessToken -------------------------------------------------------------------------------

GRANT_PAIRS = [
    (VoiceGrant(incoming_allow=True, outgoing_application_sid=APP_SID, outgoing_application_params={"plan": "gold"},
                push_credential_sid="CR1", endpoint_id="device-1"),
     twilio_grants.VoiceGrant(incoming_allow=True, outgoing_application_sid=APP_SID,
                              outgoing_application_params={"plan": "gold"}, push_credential_sid="CR1",
                              endpoint_id="device-1")),
    (VoiceGrant(outgoing_application_sid=APP_SID), twilio_grants.VoiceGrant(outgoing_application_sid=APP_SID)),
    (VideoGrant(room="standup"), twilio_grants.VideoGrant(room="standup")),
    (ChatGrant(service_sid="IS1", endpoint_id="e", deployment_role_sid="RL1", push_credential_sid="CR2"),
     twilio_grants.ChatGrant(service_sid="IS1", endpoint_id="e", deployment_role_sid="RL1",
                             push_credential_sid="CR2")),
    (SyncGrant(service_sid="IS2", endpoint_id="e2"), twilio_grants.SyncGrant(service_sid="IS2", endpoint_id="e2")),
    (TaskRouterGrant(workspace_sid="WS1", worker_sid="WK1", role="worker"),
     twilio_grants.TaskRouterGrant(workspace_sid="WS1", worker_sid="WK1", role="worker")),
    (PlaybackGrant(grant={"requestCredentials": None, "playbackUrl": "https://x", "playerStreamerSid": "VJ1"}),
     twilio_grants.PlaybackGrant(grant={"requestCredentials": None, "playbackUrl": "https://x",
                                        "playerStreamerSid": "VJ1"})),
]


def twilio_access(grants: Any = (), **options: Any) -> str:
    options.setdefault("nbf", None)
    return TwilioAccessToken(ACCOUNT_SID, API_KEY, API_SECRET, grants=list(grants), **options).to_jwt()


@pytest.mark.parametrize("ours, theirs", GRANT_PAIRS, ids=lambda grant: type(grant).__name__)
def test_each_grant_matches_twilio_python(frozen_clock: int, ours: Any, theirs: Any) -> None:
    token = AccessToken(ACCOUNT_SID, API_KEY, API_SECRET, identity="alice", grants=[ours]).to_jwt()
    assert decode(token, API_SECRET) == decode(twilio_access([theirs], identity="alice"), API_SECRET)


def test_access_token_with_every_grant_matches_twilio_python(frozen_clock: int) -> None:
    ours = AccessToken(ACCOUNT_SID, API_KEY, API_SECRET, identity="alice", ttl=600, region="ie1",
                       grants=[pair[0] for pair in GRANT_PAIRS]).to_jwt()
    theirs = twilio_access([pair[1] for pair in GRANT_PAIRS], identity="alice", ttl=600, region="ie1")
    assert jwt.get_unverified_header(ours) == jwt.get_unverified_header(theirs)
    assert decode(ours, API_SECRET) == decode(theirs, API_SECRET)


def test_access_token_claims_and_header() -> None:
    token = AccessToken(ACCOUNT_SID, API_KEY, API_SECRET, identity="alice",
                        grants=[VoiceGrant(incoming_allow=True)]).to_jwt(now=NOW)
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT", "cty": "twilio-fpa;v=1"}
    assert decode(token, API_SECRET) == {
        "jti": f"{API_KEY}-{NOW}", "iss": API_KEY, "sub": ACCOUNT_SID, "exp": NOW + 3600,
        "grants": {"identity": "alice", "voice": {"incoming": {"allow": True}}},
    }


def test_empty_grants_are_empty_objects(frozen_clock: int) -> None:
    ours = AccessToken(ACCOUNT_SID, API_KEY, API_SECRET, grants=[VoiceGrant(), VideoGrant(), PlaybackGrant()])
    theirs = twilio_access([twilio_grants.VoiceGrant(), twilio_grants.VideoGrant()])
    assert decode(ours.to_jwt(), API_SECRET)["grants"] == dict(decode(theirs, API_SECRET)["grants"], player={})


def test_nbf_and_valid_until_when_given(frozen_clock: int) -> None:
    ours = AccessToken(ACCOUNT_SID, API_KEY, API_SECRET, identity="bob", nbf=NOW - 10,
                       valid_until=datetime.fromtimestamp(NOW + 60, timezone.utc), grants=[VideoGrant()])
    theirs = twilio_access([twilio_grants.VideoGrant()], identity="bob", nbf=NOW - 10, valid_until=NOW + 60)
    assert decode(ours.to_jwt(), API_SECRET) == decode(theirs, API_SECRET)
    assert decode(ours.to_jwt(), API_SECRET)["nbf"] == NOW - 10


def test_add_grant_chains_and_refuses_other_objects() -> None:
    token = AccessToken(ACCOUNT_SID, API_KEY, API_SECRET, identity="alice")
    assert token.add_grant(VideoGrant(room="r")).add_grant(SyncGrant()) is token
    assert [grant.key for grant in token.grants] == ["video", "data_sync"]
    with pytest.raises(TokenError, match="not VideoGrant"):
        token.add_grant(twilio_grants.VideoGrant())  # type: ignore[arg-type]


@pytest.mark.parametrize("ttl", [0, -1, 1.5, True, "3600"])
def test_ttl_must_be_positive_whole_seconds(ttl: Any) -> None:
    with pytest.raises(TokenError, match="ttl"):
        AccessToken(ACCOUNT_SID, API_KEY, API_SECRET, ttl=ttl)


def test_access_credentials_default_to_the_app(app: Flask) -> None:
    with app.app_context():
        token = AccessToken(identity="alice", grants=[VideoGrant()]).to_jwt(now=NOW)
    claims = decode(token, API_SECRET)
    assert (claims["iss"], claims["sub"]) == (API_KEY, ACCOUNT_SID)


def test_app_client_makes_access_tokens(app: Flask) -> None:
    with app.app_context():
        twilio = current_app.twilio  # type: ignore[attr-defined]
        token = twilio.access_token(identity="alice", grants=[ChatGrant(service_sid="IS1")])
    claims = decode(token.to_jwt(now=NOW), API_SECRET)
    assert claims["grants"] == {"identity": "alice", "chat": {"service_sid": "IS1"}}
    assert claims["iss"] == API_KEY


def test_access_token_without_an_api_key_names_the_settings() -> None:
    Config.setup(account_sid=ACCOUNT_SID)
    with pytest.raises(ConfigurationError, match="TWILIO_API_KEY and TWILIO_API_SECRET") as caught:
        AccessToken(identity="alice")
    assert isinstance(caught.value, TwilioError)


def test_access_token_secret_never_shows() -> None:
    token = AccessToken(ACCOUNT_SID, API_KEY, API_SECRET, identity="alice", grants=[VoiceGrant(incoming_allow=True)])
    for text in (repr(token), str(token)):
        assert API_SECRET not in text and API_SECRET[:-4] not in text
        assert API_KEY in text and "'voice'" in text
    with pytest.raises(ConfigurationError) as caught:
        AccessToken(ACCOUNT_SID, None, API_SECRET)
    assert API_SECRET not in str(caught.value)


def test_grant_repr_shows_its_payload() -> None:
    assert repr(VideoGrant(room="standup")) == "<VideoGrant {'room': 'standup'}>"
