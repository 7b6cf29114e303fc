"""A mocked Twilio (the ``api`` fixture), constants and readers of what was sent, for the resource tests.

Not a conftest.py: ``tests/`` is not a package, so a second ``conftest`` module would shadow the top one.
"""
from __future__ import annotations

import base64
from urllib.parse import parse_qsl, urlsplit

import pytest
import responses


ACCOUNT_SID = "AC" + "a" * 32
SUB_SID = "AC" + "b" * 32
BASE = "https://api.twilio.com/2010-04-01"
API = f"{BASE}/Accounts/{ACCOUNT_SID}"
CALL_SID = "CA" + "1" * 32
CALL_SID2 = "CA" + "2" * 32


def sid(prefix: str, digit: str = "1") -> str:
    return prefix + digit * 32


def form(call):
    body = call.request.body or ""
    if isinstance(body, bytes):
        body = body.decode()
    return parse_qsl(body, keep_blank_values=True)


def query(call):
    return parse_qsl(urlsplit(call.request.url).query, keep_blank_values=True)


def path(call):
    return urlsplit(call.request.url).path


def user(call):
    scheme, _, encoded = call.request.headers["Authorization"].partition(" ")
    assert scheme == "Basic"
    return base64.b64decode(encoded).decode().split(":", 1)[0]


@pytest.fixture
def api(configured):
    """Twilio mocked with ``responses``; depends on the script configuration."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock
