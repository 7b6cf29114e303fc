"""Misbehaving servers on 127.0.0.1 for the fault-injection tests.

:class:`ScriptedApp` is a Werkzeug app answering from a script (HTML error pages, 429s,
JSON); :class:`RawServer` speaks HTTP/1.1 over raw sockets for what Werkzeug cannot do on
purpose: reset a connection mid-body, never send headers, truncate or trickle a body. Both
count every request they receive, so a test can tell how often a POST was sent.
"""
from __future__ import annotations

import json
import os
import socket
import ssl
import struct
import threading
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

JSON_BODY = json.dumps({"sid": "SM" + "1" * 32, "status": "queued"}).encode()
HTML_BODY = b"<html><body><h1>%d</h1><p>The gateway had a bad day.</p></body></html>"


class Recorded:
    """What a server received: one entry per request."""

    def __init__(self) -> None:
        self.requests: List[Tuple[str, str]] = []
        self.lock = threading.Lock()

    def add(self, method: str, target: str) -> None:
        with self.lock:
            self.requests.append((method, target))

    def count(self, method: Optional[str] = None) -> int:
        return sum(1 for m, _ in self.requests if method is None or m == method)


class ScriptedApp(Recorded):
    """A Werkzeug server answering each request with the next scripted ``(status, body, headers)``.

    The last entry of the script answers every request after it.
    """

    def __init__(self, *script: Tuple[int, bytes, Dict[str, str]]) -> None:
        super().__init__()
        self.script = list(script)
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @Request.application
    def app(self, request: Request) -> Response:
        self.add(request.method, request.full_path)
        with self.lock:
            status, body, headers = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        content_type = "application/json" if body.startswith(b"{") else "text/html"
        return Response(body, status=status, headers=headers, content_type=content_type)

    def __enter__(self) -> "ScriptedApp":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


# -- raw sockets --------------------------------------------------------------------------------------

Action = Callable[["RawServer", socket.socket], bool]  # True: keep the connection for the next request


def _head(status: int, length: int) -> bytes:
    return (f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n"
            "Twilio-Request-Id: RQ1\r\n\r\n").encode()


def ok(server: "RawServer", conn: socket.socket) -> bool:
    """A complete JSON answer; the connection stays open."""
    conn.sendall(_head(201, len(JSON_BODY)) + JSON_BODY)
    return True


def reset_mid_body(server: "RawServer", conn: socket.socket) -> bool:
    """Headers and part of the body, then a TCP reset (RST, not FIN)."""
    conn.sendall(_head(200, len(JSON_BODY)) + JSON_BODY[:10])
    time.sleep(0.02)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    return False


def close_without_answer(server: "RawServer", conn: socket.socket) -> bool:
    """The request is read, then the connection closes: no status line at all."""
    return False


def silent(server: "RawServer", conn: socket.socket) -> bool:
    """Headers never sent: the request is read and nothing answers until the client gives up."""
    conn.settimeout(5)
    try:
        while conn.recv(1024):
            pass
    except OSError:
        pass
    return False


def truncated(server: "RawServer", conn: socket.socket) -> bool:
    """Half of the JSON the Content-Length promises, then the connection closes."""
    conn.sendall(_head(200, len(JSON_BODY)) + JSON_BODY[: len(JSON_BODY) // 2])
    return False


def slow_body(server: "RawServer", conn: socket.socket) -> bool:
    """Every byte arrives well within a read timeout, but the whole body would take seconds."""
    try:
        conn.sendall(_head(200, len(JSON_BODY)))
        for byte in JSON_BODY:
            if server.stopping.wait(0.05):
                break
            conn.sendall(bytes([byte]))
    except OSError:  # the client gave up and closed
        pass
    return False


def redirect(server: "RawServer", conn: socket.socket) -> bool:
    """``301 Moved Permanently`` to Twilio's https URL, with an empty body (an http:// base URL behind a proxy)."""
    conn.sendall(b"HTTP/1.1 301 Moved Permanently\r\nLocation: https://api.twilio.com/2010-04-01\r\n"
                 b"Content-Length: 0\r\n\r\n")
    return True


def tls_alert(server: "RawServer", conn: socket.socket) -> bool:
    """The whole request arrived; then a raw TLS alert record instead of an answer (a middlebox, a load balancer)."""
    os.write(conn.fileno(), b"\x15\x03\x03\x00\x02\x02\x14")
    return False


def tls_bad_record(server: "RawServer", conn: socket.socket) -> bool:
    """The whole request arrived; then an application-data record that does not decrypt (bad_record_mac)."""
    os.write(conn.fileno(), b"\x17\x03\x03\x00\x20" + bytes(32))
    return False


def trickle(prefix: bytes, filler: bytes = b"a") -> Action:
    """``prefix`` at once, then one ``filler`` byte every 50 ms (for at most 10 s): each read gets a byte in time."""

    def action(server: "RawServer", conn: socket.socket) -> bool:
        try:
            conn.sendall(prefix)
            for _ in range(200):
                if server.stopping.wait(0.05):
                    break
                conn.sendall(filler)
        except OSError:  # the client gave up and closed
            pass
        return False

    return action


#: The status line, a header and a chunk-size line, each trickled.
trickle_status = trickle(b"HTTP/1.1 200 ")
trickle_header = trickle(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Slow: ")
trickle_chunk_size = trickle(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             b"Transfer-Encoding: chunked\r\n\r\n", b"0")


class RawServer(Recorded):
    """An HTTP/1.1 server on raw sockets; each request gets the next scripted action (the last repeats).

    With ``tls`` (a server ``SSLContext``) it speaks HTTPS; the actions write to the TLS socket.
    """

    def __init__(self, *actions: Action, tls: Optional[ssl.SSLContext] = None) -> None:
        super().__init__()
        self.actions = list(actions)
        self.tls = tls
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.base_url = f"{'https' if tls else 'http'}://127.0.0.1:{self.listener.getsockname()[1]}"
        self.stopping = threading.Event()
        self.threads: List[threading.Thread] = []
        self.conns: List[socket.socket] = []
        self.peers: List[int] = []

    def __enter__(self) -> "RawServer":
        thread = threading.Thread(target=self._accept, daemon=True)
        thread.start()
        self.threads.append(thread)
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stopping.set()
        for conn in self.conns:  # wakes the threads waiting for a next request
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for thread in self.threads:
            thread.join(5)

    def _accept(self) -> None:
        self.listener.settimeout(0.02)  # closing a socket does not wake accept(): look at stopping often
        with self.listener:
            while not self.stopping.is_set():
                try:
                    conn, peer = self.listener.accept()
                except OSError:
                    continue
                self._start(conn, peer)

    def _start(self, conn: socket.socket, peer: Tuple[str, int]) -> None:
        conn.settimeout(None)
        self.conns.append(conn)
        self.peers.append(peer[1])
        thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
        thread.start()
        self.threads.append(thread)

    def _serve(self, conn: socket.socket) -> None:
        if self.tls is not None:
            conn.settimeout(5)
            try:
                conn = self.tls.wrap_socket(conn, server_side=True)
            except (OSError, ssl.SSLError):  # the client refused the certificate
                conn.close()
                return
            self.conns.append(conn)  # the plain socket was detached: __exit__ shuts this one down
        with conn:
            buffer = b""
            while True:
                request, buffer = _read_request(conn, buffer)
                if request is None:
                    return
                self.add(*request)
                with self.lock:
                    action = self.actions.pop(0) if len(self.actions) > 1 else self.actions[0]
                if not action(self, conn):
                    return


def _read_request(conn: socket.socket, buffer: bytes) -> Tuple[Optional[Tuple[str, str]], bytes]:
    conn.settimeout(5)
    try:
        while b"\r\n\r\n" not in buffer:
            chunk = conn.recv(65536)
            if not chunk:
                return None, b""
            buffer += chunk
        head, _, buffer = buffer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        length = next((int(line.split(":", 1)[1]) for line in lines[1:]
                       if line.lower().startswith("content-length:")), 0)
        while len(buffer) < length:
            chunk = conn.recv(65536)
            if not chunk:
                return None, b""
            buffer += chunk
    except OSError:
        return None, b""
    method, target, _ = lines[0].split(" ", 2)
    return (method, target), buffer[length:]


def refused_url() -> str:
    """A base URL where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def body_of(payload: bytes, *headers: str) -> Action:
    """A 200 answer carrying ``payload`` (with extra header lines such as ``Content-Encoding: gzip``)."""

    def action(server: "RawServer", conn: socket.socket) -> bool:
        extra = "".join(f"{line}\r\n" for line in headers)
        try:
            conn.sendall((f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{extra}"
                          f"Content-Length: {len(payload)}\r\n\r\n").encode() + payload)
        except OSError:  # the client stopped reading
            pass
        return False

    return action


def ok_then_idle_close(server: "RawServer", conn: socket.socket) -> bool:
    """A complete answer on a keep-alive connection, which the server then closes while it is idle."""
    ok(server, conn)
    server.stopping.wait(0.05)
    return False
