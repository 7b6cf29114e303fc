"""Both transports over TLS to a local server: verified certificates work, others never get a byte."""
from __future__ import annotations

import ssl
import threading
from pathlib import Path
from typing import Any, Iterator, List

import pytest
from tests.transport.local_http import KeepAlive, LocalServer

from flask_twilio_rb import TwilioConnectionError
from flask_twilio_rb.transport.http_requests import RequestsTransport
from flask_twilio_rb.transport.http_urllib3 import Urllib3Transport

AUTH = ("AC" + "a" * 32, "tls-token-" + "4" * 22)

class Hello(KeepAlive):
    seen: List[int] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's spelling
        self.seen.append(self.client_address[1])
        self.answer(200, {"hello": "tls"})


@pytest.fixture(scope="module")
def https_url(tls_context: ssl.SSLContext) -> Iterator[str]:
    server = LocalServer(("127.0.0.1", 0), Hello)
    server.socket = tls_context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def trusting(name: str, certificate: Path) -> Any:
    if name == "urllib3":
        return Urllib3Transport(ca_certs=str(certificate / "cert.pem"))
    transport = RequestsTransport()
    transport.session.verify = str(certificate / "cert.pem")
    return transport


@pytest.mark.parametrize("name", ["requests", "urllib3"])
def test_a_verified_server_answers_over_one_reused_connection(name, certificate, https_url):
    transport = trusting(name, certificate)
    Hello.seen.clear()
    for _ in range(3):
        raw = transport.send("GET", https_url + "/hello.json", auth=AUTH, timeout=5)
        assert raw.status == 200 and raw.body == b'{"hello": "tls"}'
    assert len(set(Hello.seen)) == 1
    transport.close()


@pytest.mark.parametrize("make", [RequestsTransport, Urllib3Transport], ids=["requests", "urllib3"])
def test_an_untrusted_certificate_fails_before_anything_is_sent(make, https_url):
    transport = make()
    Hello.seen.clear()
    with pytest.raises(TwilioConnectionError) as info:
        transport.send("POST", https_url + "/hello.json", data=[("Body", "hi")], auth=AUTH, timeout=5)
    assert info.value.sent is False and "Could not connect" in str(info.value)
    assert AUTH[1] not in str(info.value)
    assert Hello.seen == []
    transport.close()
