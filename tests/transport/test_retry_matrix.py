"""The retry matrix of the security review, re-run: every way an answer can fail, both transports.

Each fault happens after the server has read the whole request (so Twilio would have acted
on it). A POST must reach the server exactly once, its error must say ``sent=True``; a GET
is retried to the end. Plain HTTP and TLS (a certificate made for this run); the TLS faults
are the ones behind finding H1: an alert or a record that does not decrypt where the answer
should be, which urllib3 raises as ``SSLError`` like a refused certificate.
"""
from __future__ import annotations

from pathlib import Path
from time import monotonic
from typing import Any, List, Optional

import pytest
from tests.transport.fault_servers import (
    RawServer,
    close_without_answer,
    ok,
    reset_mid_body,
    silent,
    slow_body,
    tls_alert,
    tls_bad_record,
    trickle_chunk_size,
    trickle_header,
    trickle_status,
    truncated,
)

from flask_twilio_rb import Call, Config, Message, TwilioConnectionError, TwilioTimeout, get_client
from flask_twilio_rb.transport import retrying
from flask_twilio_rb.transport.http_urllib3 import Urllib3Transport

SID = "AC" + "c" * 32
TOKEN = "matrix-token-" + "6" * 19
RETRIES = 3
TIMEOUT = 0.5
TLS_TIMEOUT = 1.0  # a handshake on a loaded machine must fit in it
#: A loaded 2-CPU machine: the bound is a correctness property, not a benchmark.
SLACK = 1.5

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

#: (name, action, uses TLS, ends in a timeout)
FAULTS = [
    ("reset mid-body", reset_mid_body, False, False),
    ("closed without an answer", close_without_answer, False, False),
    ("truncated body", truncated, False, False),
    ("no answer", silent, False, True),
    ("slow body", slow_body, False, True),
    ("trickled status line", trickle_status, False, True),
    ("trickled header", trickle_header, False, True),
    ("trickled chunk size", trickle_chunk_size, False, True),
    ("TLS alert instead of an answer", tls_alert, True, False),
    ("TLS record that does not decrypt", tls_bad_record, True, False),
    ("TLS closed without an answer", close_without_answer, True, False),
    ("TLS trickled header", trickle_header, True, True),
]


@pytest.fixture(autouse=True)
def no_waits(monkeypatch: Any) -> List[float]:
    waits: List[float] = []
    monkeypatch.setattr(retrying, "sleep", waits.append)
    return waits


def configure(base_url: str, transport: str, certificate: Optional[Path]) -> None:
    Config.setup(account_sid=SID, auth_token=TOKEN, api_base_url=base_url,
                 timeout=TIMEOUT if certificate is None else TLS_TIMEOUT,
                 max_retries=RETRIES, transport=transport)
    if certificate is None:
        return
    cert = str(certificate / "cert.pem")
    client = get_client()
    if transport == "urllib3":
        client.transport = Urllib3Transport(ca_certs=cert)
    else:
        client.transport.session.verify = cert


@pytest.mark.parametrize("transport", ["requests", "urllib3"])
@pytest.mark.parametrize("name, action, tls, times_out", FAULTS, ids=[f[0] for f in FAULTS])
def test_a_post_is_sent_once_and_says_so(request, transport, name, action, tls, times_out, no_waits):
    certificate = request.getfixturevalue("certificate") if tls else None
    context = request.getfixturevalue("tls_context") if tls else None
    with RawServer(action, tls=context) as server:
        configure(server.base_url, transport, certificate)
        start = monotonic()
        with pytest.raises(TwilioConnectionError) as info:
            Message.create(to="+15005550006", from_="+15005550001", body="Your code is 1234")
        elapsed = monotonic() - start
        get_client().close()
    assert server.count("POST") == 1, f"{name}: the text was sent {server.count('POST')} times"
    error = info.value
    assert error.sent is True and error.attempts == 1 and no_waits == []
    assert isinstance(error, TwilioTimeout) is times_out
    assert "to see whether it was created before sending it again" in str(error)
    assert elapsed < (TLS_TIMEOUT if tls else TIMEOUT) + SLACK  # one attempt, within its budget


GET_FAULTS = [f for f in FAULTS if f[0] in ("reset mid-body", "trickled header", "TLS alert instead of an answer")]


@pytest.mark.parametrize("transport", ["requests", "urllib3"])
@pytest.mark.parametrize("name, action, tls, times_out", GET_FAULTS, ids=[f[0] for f in GET_FAULTS])
def test_a_get_is_retried_and_then_succeeds(request, transport, name, action, tls, times_out, no_waits):
    certificate = request.getfixturevalue("certificate") if tls else None
    context = request.getfixturevalue("tls_context") if tls else None
    with RawServer(action, ok, tls=context) as server:
        configure(server.base_url, transport, certificate)
        call = Call.find("CA" + "d" * 32)
        get_client().close()
    assert call is not None and server.count("GET") == 2 and len(no_waits) == 1


@pytest.mark.parametrize("transport", ["requests", "urllib3"])
def test_a_refused_certificate_is_not_sent_and_a_post_is_retried(transport, tls_context, no_waits):
    with RawServer(ok, tls=tls_context) as server:
        configure(server.base_url, transport, None)  # the test certificate is not trusted
        with pytest.raises(TwilioConnectionError) as info:
            Message.create(to="+15005550006", from_="+15005550001", body="hi")
        get_client().close()
    assert info.value.sent is False and info.value.attempts == RETRIES + 1
    assert server.count() == 0 and "SSLCertVerificationError" in str(info.value)


@pytest.mark.parametrize("transport", ["requests", "urllib3"])
def test_posts_on_connections_the_server_closed_while_idle_all_go_through_once(transport, no_waits):
    import time

    from tests.transport.fault_servers import ok_then_idle_close

    with RawServer(ok_then_idle_close) as server:
        configure(server.base_url, transport, None)
        for n in range(5):
            assert Message.create(to="+15005550006", from_="+15005550001", body=f"text {n}").sid
            time.sleep(0.15)  # the server has closed the pooled connection by now
        get_client().close()
    assert server.count("POST") == 5 and no_waits == []
