"""The requests transport (flask_twilio_rb.transport): headers, errors, sessions, real sockets."""
from __future__ import annotations

import os
import platform
import socket
import threading
import time
from urllib.parse import parse_qsl

import pytest
import requests
import responses

from flask_twilio_rb import TwilioConnectionError, TwilioError, TwilioTimeout, __version__
from flask_twilio_rb.transport import shared as transport_module
from flask_twilio_rb.transport import RawResponse, Transport
from flask_twilio_rb.transport.http_requests import RequestsTransport
from flask_twilio_rb.transport.shared import Attempt, sent_by
from flask_twilio_rb.transport.shared import origin as _origin, root_cause as _root

URL = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json"
AUTH = ("AC1", "secret-token-99999999")


def free_port() -> int:
    """A port on 127.0.0.1 with nothing listening on it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A one-shot socket server: ``close`` closes connections at once, else they never get an answer."""

    def __init__(self, close: bool) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.sock.settimeout(5)
        self.port = self.sock.getsockname()[1]
        self.close_at_once = close
        self.received = b""
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(2)
            try:
                self.received = conn.recv(65536)
            except OSError:
                pass
            if not self.close_at_once:
                self.done.wait(3)

    def stop(self) -> None:
        self.done.set()
        self.thread.join(5)
        self.sock.close()


@pytest.fixture
def server_factory():
    servers = []

    def make(close: bool) -> Server:
        servers.append(Server(close))
        return servers[-1]

    yield make
    for server in servers:
        server.stop()


def test_user_agent_format():
    major, minor = platform.python_version_tuple()[:2]
    assert transport_module.USER_AGENT == f"flask-twilio-rb/{__version__} (Python {major}.{minor})"


def test_base_transport_is_an_interface():
    t = Transport()
    with pytest.raises(NotImplementedError):
        t.send("GET", URL, auth=AUTH, timeout=1)
    assert t.close() is None


@responses.activate
def test_send_headers_form_body_auth_timeout():
    responses.add(responses.POST, URL, json={"sid": "SM1"}, status=201, headers={"Twilio-Request-Id": "RQ1"})
    t = RequestsTransport()
    raw = t.send("POST", URL, data=[("To", "+15005550006"), ("Body", "hé & ok")], auth=AUTH, timeout=4.5)
    assert isinstance(raw, RawResponse)
    assert raw.status == 201 and raw.body == b'{"sid": "SM1"}' and raw.headers["Twilio-Request-Id"] == "RQ1"
    req = responses.calls[0].request
    assert req.headers["User-Agent"] == transport_module.USER_AGENT
    assert req.headers["Accept"] == "application/json"
    assert req.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qsl(req.body) == [("To", "+15005550006"), ("Body", "hé & ok")]
    assert req.headers["Authorization"] == requests.auth._basic_auth_str(*AUTH)
    assert req.req_kwargs["timeout"] == 4.5


@responses.activate
def test_send_query_params():
    responses.add(responses.GET, URL, body=b"")
    RequestsTransport().send("GET", URL, params=[("PageSize", "2")], auth=AUTH, timeout=1)
    assert responses.calls[0].request.url == URL + "?PageSize=2"


def test_trust_env_false_by_default_and_configurable():
    assert RequestsTransport().session.trust_env is False
    assert RequestsTransport(trust_env=True).session.trust_env is True


def test_session_reused_recreated_after_fork_and_closed():
    t = RequestsTransport(pool_size=5)
    first = t.session
    assert t.session is first and t._pid == os.getpid()
    adapter = first.get_adapter("https://api.twilio.com")
    assert adapter._pool_maxsize == 5
    assert first.get_adapter("http://127.0.0.1") is adapter
    t._pid = -1  # as seen by a forked child
    second = t.session
    assert second is not first and t._pid == os.getpid()
    t.close()
    assert t._session is None
    t.close()  # closing twice is harmless
    assert t.session is not second


@responses.activate
def test_connect_timeout_maps_to_timeout_not_sent():
    responses.add(responses.POST, URL, body=requests.exceptions.ConnectTimeout("slow"))
    with pytest.raises(TwilioTimeout) as err:
        RequestsTransport().send("POST", URL, auth=AUTH, timeout=0.5)
    e = err.value
    assert e.sent is False and e.method == "POST" and e.url == URL
    assert str(e) == "Could not connect to https://api.twilio.com within 0.5 s."
    assert isinstance(e, TimeoutError) and isinstance(e, ConnectionError) and isinstance(e, TwilioError)
    assert AUTH[1] not in str(e)


def test_connection_refused(server_factory):
    port = free_port()
    url = f"http://127.0.0.1:{port}/2010-04-01/Accounts.json"
    with pytest.raises(TwilioConnectionError) as err:
        RequestsTransport().send("POST", url, data=[("a", "b")], auth=AUTH, timeout=2)
    e = err.value
    assert not isinstance(e, TwilioTimeout)
    assert isinstance(e, ConnectionError)
    assert e.sent is False and e.method == "POST" and e.url == url
    assert str(e) == f"Could not connect to http://127.0.0.1:{port}: ConnectionRefusedError."
    assert AUTH[1] not in str(e)


def test_read_timeout_is_sent(server_factory):
    server = server_factory(close=False)
    url = f"http://127.0.0.1:{server.port}/x"
    with pytest.raises(TwilioTimeout) as err:
        RequestsTransport().send("POST", url, data=[("a", "b")], auth=AUTH, timeout=0.3)
    e = err.value
    assert isinstance(e, TimeoutError)
    assert e.sent is True
    assert str(e) == (f"http://127.0.0.1:{server.port} did not answer within 0.3 s; "
                      "the request was sent, so its outcome is unknown.")


def test_connection_closed_after_send(server_factory):
    server = server_factory(close=True)
    url = f"http://127.0.0.1:{server.port}/x"
    with pytest.raises(TwilioConnectionError) as err:
        RequestsTransport().send("POST", url, data=[("a", "b")], auth=AUTH, timeout=2)
    e = err.value
    assert not isinstance(e, TwilioTimeout)
    assert e.sent is True
    assert str(e).startswith(f"The connection broke after the request was sent to http://127.0.0.1:{server.port}: ")
    server.thread.join(2)
    assert server.received.startswith(b"POST /x HTTP/1.1")


def test_origin():
    assert _origin("https://api.twilio.com/2010-04-01/x") == "https://api.twilio.com"
    assert _origin("http://127.0.0.1:8080") == "http://127.0.0.1:8080"


def test_root_follows_chain_reason_and_wrapped_arguments():
    inner = ConnectionRefusedError("no")
    try:
        try:
            raise inner
        except OSError as exc:
            raise RuntimeError("wrapped") from exc
    except RuntimeError as outer:
        assert _root(outer) is inner

    class WithReason(Exception):
        def __init__(self, reason):
            super().__init__("x")
            self.reason = reason

    cause = OSError("reason")
    assert _root(requests.exceptions.ConnectionError(WithReason(cause))) is cause
    text_reason = WithReason("text")
    assert _root(requests.exceptions.ConnectionError(text_reason)) is text_reason
    assert type(_root(requests.exceptions.ConnectionError("plain"))) is requests.exceptions.ConnectionError


def test_root_stops_on_a_cycle():
    exc = ValueError("loop")
    exc.__cause__ = exc
    assert _root(exc) is exc


def _never_left(exc):
    return not sent_by(Attempt(0.0), exc)  # no connection reported a phase: a mocked adapter


def test_without_a_phase_only_errors_raised_while_connecting_count_as_not_sent():
    import ssl

    from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError, SSLError

    refused = NewConnectionError(None, "Failed to establish a new connection")
    assert _never_left(requests.exceptions.ConnectionError(MaxRetryError(None, "/x", refused))) is True
    assert _never_left(requests.exceptions.ConnectionError(refused)) is True
    # The words alone prove nothing: a reset after sending can carry any text.
    assert _never_left(requests.exceptions.ConnectionError("Failed to establish a new connection")) is False
    assert _never_left(requests.exceptions.ConnectionError(ProtocolError("Connection aborted.", OSError()))) is False
    # urllib3 raises SSLError at any step: only a refused certificate proves nothing left.
    alert = SSLError(ssl.SSLError(1, "[SSL: TLSV1_ALERT_INTERNAL_ERROR] alert"))
    assert _never_left(requests.exceptions.SSLError(MaxRetryError(None, "/x", alert))) is False
    refused_cert = SSLError(ssl.SSLCertVerificationError(1, "certificate verify failed"))
    assert _never_left(requests.exceptions.SSLError(MaxRetryError(None, "/x", refused_cert))) is True


def test_a_reported_phase_decides_whatever_the_exception():
    attempt = Attempt(0.0)
    attempt.reported = True
    refused = requests.exceptions.ConnectionError("x")
    assert sent_by(attempt, refused) is False
    attempt.written = True
    assert sent_by(attempt, refused) is True


@responses.activate
def test_trusting_the_environment_takes_requests_whole_path(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "*")
    responses.add(responses.POST, URL, json={"sid": "SM1"}, status=201)
    raw = RequestsTransport(trust_env=True).send("POST", URL, data=[("Body", "hi")], params=[("A", "1")],
                                                 auth=AUTH, timeout=2)
    assert raw.status == 201 and raw.body == b'{"sid": "SM1"}'
    request = responses.calls[0].request
    assert request.url == URL + "?A=1" and request.body == "Body=hi"
    assert request.headers["Authorization"] == requests.auth._basic_auth_str(*AUTH)
    assert request.req_kwargs["allow_redirects"] is False if "allow_redirects" in request.req_kwargs else True


@responses.activate
def test_redirects_are_not_followed():
    responses.add(responses.GET, URL, status=302, headers={"Location": "https://elsewhere.example/x"}, body=b"")
    raw = RequestsTransport().send("GET", URL, auth=AUTH, timeout=1)
    assert raw.status == 302 and len(responses.calls) == 1


def test_auth_header_cache_is_bounded():
    t = RequestsTransport()
    for n in range(64):
        t._headers_for((f"AC{n}", "t"))
    assert len(t._headers) == 64
    plain, with_form, with_json = t._headers_for(("ACnew", "t"))
    assert list(t._headers) == [("ACnew", "t")]
    assert "Content-Type" not in plain and with_form["Content-Type"] == "application/x-www-form-urlencoded"
    assert with_json["Content-Type"] == "application/json"


class Trickling:
    """A streamed urllib3 response whose body keeps coming, one byte per read."""

    length_remaining = 10
    connection = None

    def __init__(self):
        self.closed = self.released = False

    def read1(self, amt, decode_content):
        return b"x"

    def close(self):
        self.closed = True

    def release_conn(self):
        self.released = True


def test_a_body_still_arriving_at_the_deadline_times_out_and_is_discarded():
    import time

    from flask_twilio_rb.transport.shared import read_body

    raw = Trickling()
    with pytest.raises(TwilioTimeout) as info:
        read_body(raw, time.monotonic() - 1, "GET", URL, 0.2)
    assert info.value.sent is True and "did not answer within 0.2 s" in str(info.value)
    assert raw.closed and raw.released


@responses.activate
def test_the_sessions_tls_settings_still_apply():
    responses.add(responses.GET, URL, json={})
    t = RequestsTransport()
    t.session.verify = "/etc/ssl/custom-ca.pem"
    t.session.cert = ("client.pem", "client.key")
    t.send("GET", URL, auth=AUTH, timeout=1)
    kwargs = responses.calls[0].request.req_kwargs
    assert kwargs["verify"] == "/etc/ssl/custom-ca.pem" and kwargs["cert"] == ("client.pem", "client.key")


def test_through_a_proxy_the_connections_stay_quiet_and_keep_the_deadline(monkeypatch, capsys):
    # TWILIO_TRUST_ENV with http_proxy: requests builds a proxy manager of its own, which must
    # use the library's connections too (http.client's debug output would print Basic auth).
    import base64
    import http.client

    from tests.transport.fault_servers import RawServer, ok, trickle_header

    auth = ("AC" + "1" * 32, "s3cret-token-0123456789abcdef")
    with RawServer(ok, trickle_header) as proxy:
        monkeypatch.setenv("http_proxy", proxy.base_url)
        monkeypatch.setenv("no_proxy", "")
        monkeypatch.setattr(http.client.HTTPConnection, "debuglevel", 1)
        transport = RequestsTransport(trust_env=True)
        raw = transport.send("GET", "http://api.example.invalid/2010-04-01/x.json", auth=auth, timeout=5)
        assert raw.status == 201
        started = time.monotonic()
        with pytest.raises(TwilioTimeout):
            transport.send("GET", "http://api.example.invalid/2010-04-01/x.json", auth=auth, timeout=0.3)
        assert time.monotonic() - started < 2
        transport.close()
    assert proxy.requests[0] == ("GET", "http://api.example.invalid/2010-04-01/x.json")  # it went through the proxy
    printed = capsys.readouterr()
    assert base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode() not in printed.out + printed.err


def test_socks_proxy_managers_keep_their_own_connection_classes(monkeypatch):
    from flask_twilio_rb.transport.http_requests import adapter_class

    class SocksManager:  # what requests returns for socks5:// (urllib3's SOCKSProxyManager is no ProxyManager)
        pool_classes_by_scheme = {"http": "socks-http"}

    manager = SocksManager()
    monkeypatch.setattr(requests.adapters.HTTPAdapter, "proxy_manager_for", lambda self, proxy, **kw: manager)
    assert adapter_class()().proxy_manager_for("socks5://127.0.0.1:1080") is manager
    assert manager.pool_classes_by_scheme == {"http": "socks-http"}
