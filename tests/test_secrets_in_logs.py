"""The auth token and API secret never appear in logs, printed debug output, reprs or errors.

A full scenario (create, fetch, list, a 401, a retried 503) runs on both transports with
every logger at DEBUG and ``http.client``'s debug printing on; everything captured is
searched for the secrets and for the ``Authorization`` header that carries them (base64).
"""
from __future__ import annotations

import http.client
import logging
import threading
from base64 import b64encode
from typing import Any, Iterator, List

import pytest
from tests.transport.local_http import KeepAlive, serve

from flask_twilio_rb import APIError, Call, Config, Message, get_client, retry
from flask_twilio_rb.transport import retrying

SID = "AC" + "a" * 32
TOKEN = "tok3n-never-logged-" + "8" * 13
API_KEY = "SK" + "b" * 32
API_SECRET = "s3cret-never-logged-" + "6" * 12
CALL_SID = "CA" + "c" * 32


class Twilioish(KeepAlive):
    """Answers like Twilio: Messages and Calls JSON, a 401 for one path, a 503 before every list."""

    unavailable = threading.Event()

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if "/Calls/" in self.path and "CAd" in self.path:
            status, body = 401, {"code": 20003, "message": "Authenticate", "status": 401}
        elif self.path.split("?")[0].endswith("/Calls.json") and not self.unavailable.is_set():
            self.unavailable.set()
            status, body = 503, {"code": None, "message": "Service unavailable", "status": 503}
        elif self.path.split("?")[0].endswith("/Calls.json"):
            self.unavailable.clear()
            status, body = 200, {"calls": [{"sid": CALL_SID}], "next_page_uri": None}
        elif "/Calls/" in self.path:
            status, body = 200, {"sid": CALL_SID, "status": "completed"}
        else:
            status, body = 201, {"sid": "SM" + "1" * 32, "status": "queued"}
        self.answer(status, body)

    do_GET = do_POST = _answer


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve(Twilioish) as url:
        yield url


@pytest.fixture
def everything_logged(caplog: Any, monkeypatch: Any) -> Any:
    """Every logger at DEBUG into caplog, and http.client printing each request and its headers."""
    caplog.set_level(logging.DEBUG)
    for name in ("urllib3", "requests", "flask_twilio_rb", "werkzeug"):
        caplog.set_level(logging.DEBUG, logger=name)
    monkeypatch.setattr(http.client.HTTPConnection, "debuglevel", 1)
    monkeypatch.setattr(retrying, "sleep", lambda seconds: None)
    return caplog


def forbidden(*secrets_: str) -> List[str]:
    """The secrets, and the Basic credentials that would reveal them."""
    pairs = [f"{SID}:{TOKEN}", f"{API_KEY}:{API_SECRET}", f"CA{'d' * 32}:{TOKEN}"]
    return [*secrets_, *(b64encode(pair.encode()).decode() for pair in pairs)]


def scenario() -> List[BaseException]:
    """Create, fetch, list (retried after a 503) and a 401; returns the errors raised."""
    errors: List[BaseException] = []
    message = Message.create(to="+15005550006", from_="+15005550001", body="hi")
    assert message.status == "queued"
    assert Call.find(CALL_SID).status == "completed"
    assert [c.sid for c in Call.all()] == [CALL_SID]
    try:
        Call.find("CA" + "d" * 32)
    except APIError as exc:
        errors.append(exc)
    return errors


@pytest.mark.no_contract  # a made-up server; the requests themselves are spec-valid
@pytest.mark.parametrize("transport", ["requests", "urllib3"])
@pytest.mark.parametrize("credentials", ["auth token", "API key"])
def test_no_secret_in_any_output(base_url, everything_logged, capfd, transport, credentials):
    extra = {"api_key": API_KEY, "api_secret": API_SECRET} if credentials == "API key" else {}
    Config.setup(account_sid=SID, auth_token=TOKEN, api_base_url=base_url, transport=transport, **extra)
    errors = scenario()
    client = get_client()
    assert errors and errors[0].status == 401
    retried = [r for r in everything_logged.records if r.name == "flask_twilio_rb"]
    assert len(retried) == 1 and "HTTP 503" in retried[0].getMessage()
    assert any(r.name.startswith("urllib3") for r in everything_logged.records)  # its DEBUG lines were captured
    out, err = capfd.readouterr()
    texts = [everything_logged.text, out, err, repr(client), repr(client.settings), str(client.settings),
             *(str(e) for e in errors), *(repr(e) for e in errors)]
    for text in texts:
        for secret in forbidden(TOKEN, API_SECRET):
            assert secret not in text
    client.close()


def test_the_capture_would_see_a_leak(base_url, everything_logged, capfd):
    """Control: a plain requests call with the same debug settings does print the credentials."""
    import requests

    requests.get(base_url + f"/2010-04-01/Accounts/{SID}/Calls/{CALL_SID}.json", auth=(SID, TOKEN), timeout=5)
    out, _ = capfd.readouterr()
    assert b64encode(f"{SID}:{TOKEN}".encode()).decode() in out
