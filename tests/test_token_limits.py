"""Token edge cases of the security review (L10): naive moments, Twilio's 24 h limit, expiry, non-finite values."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from flask_twilio_rb import AccessToken, CapabilityToken, TokenError

ACCOUNT_SID = "AC" + "1" * 32
AUTH_TOKEN = "limit-auth-token-0123456789abcdef"
KEY, SECRET = "SK" + "1" * 32, "s" * 32
NOW = 1_800_000_000


def capability(**options):
    return CapabilityToken.create(allow_incoming="a", account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN, now=NOW,
                                  **options)


def access(**options):
    return AccessToken(ACCOUNT_SID, KEY, SECRET, identity="a", **options).claims(now=NOW)


def test_a_naive_datetime_is_refused_everywhere():
    naive = datetime.now() + timedelta(hours=1)
    for make in (lambda: capability(expires=naive),
                 lambda: AccessToken(ACCOUNT_SID, KEY, SECRET, valid_until=naive),
                 lambda: AccessToken(ACCOUNT_SID, KEY, SECRET, nbf=naive),
                 lambda: CapabilityToken(allow_incoming="a", account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN).claims(now=naive)):
        with pytest.raises(TokenError, match="naive datetime"):
            make()


@pytest.mark.parametrize("expires", [timedelta(hours=24, seconds=1), 24 * 3600 + 1, 10 * 365 * 86400, 10 ** 15,
                                     datetime.fromtimestamp(NOW + 86401, timezone.utc)])
def test_a_capability_token_lives_at_most_24_hours(expires):
    with pytest.raises(TokenError, match="longer than 24 hours"):
        capability(expires=expires)


def test_exactly_24_hours_is_fine():
    assert capability(expires=timedelta(hours=24))
    assert access(ttl=24 * 3600)["exp"] == NOW + 24 * 3600
    assert access(valid_until=NOW + 24 * 3600)["exp"] == NOW + 24 * 3600


@pytest.mark.parametrize("ttl", [24 * 3600 + 1, 10 * 365 * 86400, 0, -5, 1.5, True])
def test_an_access_token_ttl_is_1_s_to_24_hours(ttl):
    with pytest.raises(TokenError, match="from 1 to 86400"):
        AccessToken(ACCOUNT_SID, KEY, SECRET, ttl=ttl)


@pytest.mark.parametrize("valid_until", [NOW - 3600, NOW, 0])
def test_an_access_token_already_expired_is_refused(valid_until):
    with pytest.raises(TokenError, match="valid_until must be in the future"):
        access(valid_until=valid_until)


def test_valid_until_far_ahead_and_nbf_after_expiry_are_refused():
    with pytest.raises(TokenError, match="longer than 24 hours"):
        access(valid_until=NOW + 2 * 86400)
    with pytest.raises(TokenError, match="nbf must come before"):
        access(nbf=NOW + 7200, ttl=3600)
    assert access(nbf=NOW + 60, ttl=3600)["nbf"] == NOW + 60


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan")])
def test_non_finite_moments_and_lifetimes_are_token_errors(value):
    with pytest.raises(TokenError, match="finite number of seconds"):
        capability(expires=value)
    for name in ("valid_until", "nbf"):
        with pytest.raises(TokenError, match="finite number of seconds"):
            AccessToken(ACCOUNT_SID, KEY, SECRET, **{name: value})


def test_the_clock_default_still_works():
    token = AccessToken(ACCOUNT_SID, KEY, SECRET, identity="a", ttl=60)
    assert 0 < token.claims()["exp"] - time.time() <= 61
