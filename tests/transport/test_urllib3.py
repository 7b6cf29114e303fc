"""The urllib3 transport (flask_twilio_rb.transport_urllib3) against a real HTTP/1.1 server on 127.0.0.1."""
from __future__ import annotations

import base64
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, urlsplit

import pytest
import urllib3
from urllib3.exceptions import ConnectTimeoutError, SSLError
from tests.transport.local_http import LocalServer

from flask_twilio_rb import APIError, ConfigurationError, TwilioConnectionError, TwilioTimeout
from flask_twilio_rb.client import Client
from flask_twilio_rb.transport.factory import make_transport
from flask_twilio_rb.config import Settings
from flask_twilio_rb.transport import RawResponse
from flask_twilio_rb.transport.http_requests import RequestsTransport
from flask_twilio_rb.transport.shared import USER_AGENT
from flask_twilio_rb.transport.shared import root_cause as _root
from flask_twilio_rb.transport.http_urllib3 import Urllib3Transport

SID = "AC" + "a" * 32
TOKEN = "secret-token-0123456789abcdef"
AUTH = (SID, TOKEN)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep test output quiet
        pass

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        self.server.seen.append({
            "method": self.command, "path": parts.path, "query": parse_qsl(parts.query),
            "body": body, "headers": dict(self.headers.items()),
        })
        if parts.path.endswith("/slow.json"):
            time.sleep(1.0)
        if parts.path.endswith("/hangup.json"):
            self.close_connection = True
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if parts.path.endswith("/missing.json"):
            status, payload = 404, {"code": 20404, "message": "The requested resource was not found",
                                    "more_info": "https://www.twilio.com/docs/errors/20404", "status": 404}
        elif self.command == "DELETE":
            status, payload = 204, None
        else:
            status, payload = (201 if self.command == "POST" else 200), {"sid": "SM" + "1" * 32, "echo": parts.path}
        data = b"" if payload is None else json.dumps(payload).encode()
        head = (f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {len(data)}\r\n"
                f"Twilio-Request-Id: RQ123\r\n\r\n").encode()
        self.wfile.write(head + data)

    do_GET = do_POST = do_DELETE = _answer


@pytest.fixture(scope="module")
def server():
    httpd = LocalServer(("127.0.0.1", 0), Handler)
    httpd.seen = []
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def base(server):
    server.seen.clear()
    return f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def transport():
    t = Urllib3Transport()
    yield t
    t.close()


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_post_sends_form_body_auth_and_headers(server, base, transport):
    raw = transport.send("POST", base + "/2010-04-01/Accounts/AC1/Messages.json",
                         data=[("To", "+15551234567"), ("Body", "héllo & bye"), ("MediaUrl", "a"), ("MediaUrl", "b")],
                         auth=AUTH, timeout=5)
    assert isinstance(raw, RawResponse)
    assert raw.status == 201
    assert raw.headers.get("twilio-request-id") == "RQ123"
    assert json.loads(raw.body)["sid"].startswith("SM")
    seen = server.seen[-1]
    assert seen["method"] == "POST"
    assert seen["path"] == "/2010-04-01/Accounts/AC1/Messages.json"
    assert parse_qsl(seen["body"].decode()) == [("To", "+15551234567"), ("Body", "héllo & bye"),
                                                 ("MediaUrl", "a"), ("MediaUrl", "b")]
    headers = seen["headers"]
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert headers["Authorization"] == basic(*AUTH)
    assert headers["User-Agent"] == USER_AGENT
    assert headers["Accept"] == "application/json"


def test_get_sends_query_and_no_body(server, base, transport):
    raw = transport.send("GET", base + "/2010-04-01/Calls.json", params=[("To", "+1555"), ("PageSize", "50")],
                         auth=AUTH, timeout=5)
    assert raw.status == 200
    seen = server.seen[-1]
    assert (seen["method"], seen["path"], seen["query"]) == ("GET", "/2010-04-01/Calls.json",
                                                             [("To", "+1555"), ("PageSize", "50")])
    assert seen["body"] == b""
    assert "Content-Type" not in seen["headers"]


def test_params_are_appended_to_an_existing_query(server, base, transport):
    transport.send("GET", base + "/2010-04-01/Calls.json?Page=2", params=[("PageSize", "5")], auth=AUTH, timeout=5)
    assert server.seen[-1]["query"] == [("Page", "2"), ("PageSize", "5")]


def test_empty_params_leave_the_url_alone(server, base, transport):
    transport.send("GET", base + "/2010-04-01/Calls.json", params=[], auth=AUTH, timeout=5)
    assert server.seen[-1]["query"] == []


def test_auth_headers_are_cached_per_credential_pair_and_host(server, base, transport):
    transport.send("GET", base + "/a.json", auth=AUTH, timeout=5)
    first = transport._heads[(AUTH, base)]
    transport.send("GET", base + "/a.json", auth=AUTH, timeout=5)
    assert transport._heads[(AUTH, base)] is first
    transport.send("GET", base + "/a.json", auth=("SK1", "other"), timeout=5)
    assert server.seen[-1]["headers"]["Authorization"] == basic("SK1", "other")
    assert server.seen[-2]["headers"]["Authorization"] == basic(*AUTH)
    assert server.seen[-1]["headers"]["Host"] == base.partition("://")[2]
    assert "Content-Type" not in first[0] and "Content-Type" in first[1]


def test_auth_header_cache_is_bounded(transport):
    for n in range(64):
        transport._head_for((f"AC{n}", "t"), "https://api.twilio.com")
    assert len(transport._heads) == 64
    transport._head_for(("ACnew", "t"), "https://api.twilio.com")
    assert list(transport._heads) == [(("ACnew", "t"), "https://api.twilio.com")]


@pytest.mark.parametrize("url", ["https://api.twilio.com/a b.json", "https://api.twilio.com/a\r\nX: y",
                                 "https://api.twilio.com/caf\u00e9.json"])
def test_a_target_that_would_split_the_request_is_refused(transport, url):
    with pytest.raises(ValueError, match="space, a control or a non-ASCII character"):
        transport.send("GET", url, auth=AUTH, timeout=1)
    assert transport._pool is None  # refused before any connection


def test_a_host_that_would_split_the_request_is_refused(transport):
    with pytest.raises(ValueError, match="host"):
        transport.send("GET", "https://api.twilio.com\r\nX: y/a.json", auth=AUTH, timeout=1)


def test_a_params_query_is_encoded_like_urlencode(server, base, transport):
    from urllib.parse import urlencode

    pairs = [("To", "+1 555 & co"), ("Body", "héllo/?#%"), ("K", "")]
    transport.send("GET", base + "/q.json", params=pairs, auth=AUTH, timeout=5)
    assert server.seen[-1]["query"] == [("To", "+1 555 & co"), ("Body", "héllo/?#%")]  # parse_qsl drops blanks
    from flask_twilio_rb.wire import form

    assert form(pairs) == urlencode(pairs)


def test_connection_is_reused(server, base, transport):
    transport.send("GET", base + "/a.json", auth=AUTH, timeout=5)
    transport.send("GET", base + "/a.json", auth=AUTH, timeout=5)
    pool = transport.pool.connection_from_url(base)
    assert pool.num_connections == 1


@pytest.mark.no_contract  # transport test: synthetic paths and bodies
def test_client_decodes_json_through_urllib3(server, base):
    client = Client(Settings(account_sid=SID, auth_token=TOKEN, transport="urllib3", api_base_url=base))
    try:
        assert isinstance(client.transport, Urllib3Transport)
        body = client.request("POST", f"/2010-04-01/Accounts/{SID}/Messages.json", data=[("Body", "hi")])
        assert body["sid"].startswith("SM")
        assert body["echo"] == f"/2010-04-01/Accounts/{SID}/Messages.json"
        assert client.request("DELETE", f"/2010-04-01/Accounts/{SID}/Messages/SM1.json") is None
        assert server.seen[-1]["headers"]["Authorization"] == basic(SID, TOKEN)
    finally:
        client.close()


@pytest.mark.no_contract  # transport test: synthetic paths and bodies
def test_client_raises_api_error_for_4xx(server, base):
    client = Client(Settings(account_sid=SID, auth_token=TOKEN, transport="urllib3", api_base_url=base))
    with pytest.raises(APIError) as info:
        client.request("GET", "/2010-04-01/missing.json")
    assert info.value.status == 404
    assert info.value.code == 20404
    assert info.value.request_id == "RQ123"
    client.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_connection_refused_is_not_sent(transport):
    url = f"http://127.0.0.1:{free_port()}/2010-04-01/Calls.json"
    with pytest.raises(TwilioConnectionError) as info:
        transport.send("POST", url, data=[("To", "+1")], auth=AUTH, timeout=2)
    err = info.value
    assert not isinstance(err, TwilioTimeout)
    assert err.sent is False
    assert "Could not connect" in str(err)
    assert TOKEN not in str(err) and TOKEN not in repr(err)
    assert err.__cause__ is None


def test_read_timeout_is_sent(base, transport):
    with pytest.raises(TwilioTimeout) as info:
        transport.send("POST", base + "/2010-04-01/slow.json", data=[("To", "+1")], auth=AUTH, timeout=0.2)
    assert info.value.sent is True
    assert "did not answer within 0.2 s" in str(info.value)
    assert TOKEN not in str(info.value)


def test_connection_broken_after_sending(base, transport):
    with pytest.raises(TwilioConnectionError) as info:
        transport.send("POST", base + "/2010-04-01/hangup.json", data=[("To", "+1")], auth=AUTH, timeout=5)
    assert not isinstance(info.value, TwilioTimeout)
    assert info.value.sent is True
    assert "after the request was sent" in str(info.value)
    assert TOKEN not in str(info.value)


class Unconnectable:
    """A pooled connection that fails to connect with ``exc``; the pool records what comes back."""

    sock = None

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc
        self.closed = False

    def connect(self) -> None:
        raise self.exc

    def close(self) -> None:
        self.closed = True


class OnePool:
    def __init__(self, conn) -> None:
        self.conn = conn
        self.returned = []

    def _get_conn(self):
        return self.conn

    def _put_conn(self, conn) -> None:
        self.returned.append(conn)


def failing(transport: Urllib3Transport, exc: BaseException) -> OnePool:
    transport.pool  # loads urllib3 and the per-process tables
    pool = transport._hosts["https://api.twilio.com"] = OnePool(Unconnectable(exc))
    return pool


def test_connect_timeout_is_not_sent(transport):
    pool = failing(transport, ConnectTimeoutError(None, "timed out"))
    with pytest.raises(TwilioTimeout) as info:
        transport.send("GET", "https://api.twilio.com/x.json", auth=AUTH, timeout=3)
    assert info.value.sent is False
    assert str(info.value) == "Could not connect to https://api.twilio.com within 3 s."
    assert pool.returned == [pool.conn] and pool.conn.closed  # the pool keeps its slot


def test_tls_failure_is_not_sent(transport):
    import ssl

    failing(transport, ssl.SSLCertVerificationError(1, "certificate verify failed: secret detail"))
    with pytest.raises(TwilioConnectionError) as info:
        transport.send("GET", "https://api.twilio.com/x.json", auth=AUTH, timeout=3)
    assert info.value.sent is False
    assert str(info.value) == "Could not connect to https://api.twilio.com: SSLCertVerificationError."


def test_urllib3_tls_error_is_not_sent(transport):
    failing(transport, SSLError(ValueError("bad cert")))
    with pytest.raises(TwilioConnectionError) as info:
        transport.send("GET", "https://api.twilio.com/x.json", auth=AUTH, timeout=3)
    assert info.value.sent is False
    assert str(info.value) == "Could not connect to https://api.twilio.com: ValueError."


def test_messages_name_the_error_class_only():
    assert type(_root(SSLError(ValueError("secret")))) is ValueError
    assert type(_root(SSLError("secret text"))) is SSLError


def test_pool_is_recreated_after_fork(transport):
    first = transport.pool
    assert transport.pool is first
    transport._pid = -1  # as a forked child sees it
    second = transport.pool
    assert second is not first
    assert isinstance(second, urllib3.PoolManager)


def test_close(server, base, transport):
    transport.close()  # nothing to close yet
    transport.send("GET", base + "/a.json", auth=AUTH, timeout=5)
    first = transport.pool
    transport.close()
    assert transport._pool is None
    assert transport.pool is not first


def test_make_transport_by_name():
    assert isinstance(make_transport(Settings(transport="requests")), RequestsTransport)
    assert isinstance(make_transport(Settings(transport="urllib3")), Urllib3Transport)


def test_bad_transport_name_is_a_configuration_error():
    with pytest.raises(ConfigurationError) as info:
        Client(Settings(account_sid=SID, auth_token=TOKEN, transport="httpx"))
    assert "'httpx'" in str(info.value)
    assert "'requests'" in str(info.value) and "'urllib3'" in str(info.value)


def test_bad_transport_name_from_config_mapping():
    with pytest.raises(ConfigurationError, match="TWILIO_TRANSPORT is 'urlib3' .*one of 'requests', 'urllib3'"):
        Settings.from_mapping({"TWILIO_TRANSPORT": "urlib3"})


class FakeSocket:
    def __init__(self, data=b"abc"):
        self.timeouts = []
        self.data = data
        self._io_refs = 0

    def settimeout(self, value):
        self.timeouts.append(value)

    def recv_into(self, buffer, nbytes=0, flags=0):
        size = min(len(buffer), len(self.data))
        buffer[:size], self.data = self.data[:size], self.data[size:]
        return size

    def _decref_socketios(self):
        self._io_refs -= 1


def test_reads_stop_at_the_deadline():
    from time import monotonic

    from flask_twilio_rb.transport.shared import DeadlineSocket

    with pytest.raises(TimeoutError):
        DeadlineSocket(FakeSocket(), monotonic() - 1).recv_into(bytearray(8))


def test_each_read_gets_what_is_left_of_the_budget_and_the_socket_is_shared():
    from time import monotonic

    from flask_twilio_rb.transport.shared import DeadlineSocket

    sock = FakeSocket()
    wrapped = DeadlineSocket(sock, monotonic() + 5)
    reader = wrapped.makefile("rb")
    assert sock._io_refs == 1  # the real socket stays open while the reader is
    assert reader.read(3) == b"abc"
    assert len(sock.timeouts) >= 1 and all(4 < t <= 5 for t in sock.timeouts)
    reader.close()
    assert sock._io_refs == 0
    assert wrapped.data == b""  # anything else is the wrapped socket's


def test_a_body_longer_than_the_limit_is_refused():
    from flask_twilio_rb.transport.http_urllib3 import _read

    class Long:
        length = None

        def read1(self, n):
            return b"x" * 10

    with pytest.raises(TwilioConnectionError, match="more than 25 bytes") as info:
        _read(Long(), "GET", "https://api.twilio.com/x.json", 25)
    assert info.value.sent is True


def test_outside_an_attempt_the_connections_behave_as_urllib3s(server, base):
    from flask_twilio_rb.transport.shared import pool_classes

    pool = pool_classes()["http"]("127.0.0.1", int(base.rsplit(":", 1)[1]), retries=False)
    response = pool.urlopen("GET", "/a.json", timeout=5)  # no attempt: urllib3's own timeouts apply
    assert response.status == 200
    pool.close()


def test_a_proxy_tunnel_request_is_part_of_connecting_not_the_request():
    import socket as socket_module
    from time import monotonic

    from flask_twilio_rb.transport.shared import Attempt, begin, end, pool_classes

    near, far = socket_module.socketpair()
    conn = pool_classes()["http"].ConnectionCls("127.0.0.1", 9)
    conn.sock = near
    attempt = Attempt(monotonic() + 5)
    token = begin(attempt)
    try:
        attempt.connecting = True  # what connect() sets while it writes a proxy's CONNECT
        conn.send(b"CONNECT api.twilio.com:443 HTTP/1.0\r\n\r\n")
        assert attempt.written is False
        attempt.connecting = False
        conn.send(b"POST /x HTTP/1.1\r\n")
        assert attempt.written is True
    finally:
        end(token)
    assert far.recv(100).startswith(b"CONNECT")
    near.close()
    far.close()
