"""serving(app) and the emulator's server: keep-alive connections, and the cases that close them."""
from __future__ import annotations

import http.client
import logging
import socket
import sys
from typing import Iterator, Tuple

import pytest
from flask import Flask, Response, request, stream_with_context

from flask_twilio_rb.serving import serving


@pytest.fixture(scope="module")
def server() -> Iterator[Tuple[str, int]]:
    app = Flask("served")
    app.config["PROPAGATE_EXCEPTIONS"] = True  # (as in testing) an error reaches the server

    @app.post("/echo")
    def echo():
        return request.get_data()

    @app.post("/ignore")
    def ignore():  # never reads its body: the server must, before the next request
        return "ignored"

    @app.get("/stream")
    def stream():
        return Response(stream_with_context(iter(["one ", "two"])))  # no Content-Length

    @app.get("/fail")
    def fail():
        raise RuntimeError("boom")

    @app.get("/empty")
    def empty():
        return "", 204

    with serving(app) as base:
        host, port = base.rsplit("//", 1)[1].split(":")
        yield host, int(port)


def connect(server: Tuple[str, int]) -> http.client.HTTPConnection:
    conn = http.client.HTTPConnection(*server, timeout=10)
    conn.connect()
    return conn


def ask(conn: http.client.HTTPConnection, method: str, path: str, body: bytes = b"", **headers: str):
    conn.request(method, path, body=body or None, headers=headers)
    response = conn.getresponse()
    return response, response.read()


def test_requests_share_one_connection_even_when_the_app_leaves_the_body_unread(server):
    conn = connect(server)
    first = conn.sock
    response, body = ask(conn, "POST", "/ignore", b"x" * 70_000)
    assert (response.status, body) == (200, b"ignored")
    response, body = ask(conn, "POST", "/echo", b"second request")
    assert (response.status, body, response.getheader("Connection")) == (200, b"second request", None)
    response, body = ask(conn, "GET", "/empty")
    assert response.status == 204
    response, body = ask(conn, "POST", "/echo", b"")
    assert (response.status, body) == (200, b"")
    assert conn.sock is first  # http.client reconnects silently: the same socket proves the reuse
    conn.close()


def test_a_response_of_unknown_length_ends_with_the_connection(server):
    conn = connect(server)
    response, body = ask(conn, "GET", "/stream")
    assert (response.status, body, response.getheader("Connection")) == (200, b"one two", "close")
    assert response.will_close


def test_a_chunked_request_is_answered_the_werkzeug_way_and_closes(server):
    conn = connect(server)
    conn.putrequest("POST", "/echo")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    conn.send(b"5\r\nhello\r\n0\r\n\r\n")
    response = conn.getresponse()
    assert (response.status, response.read(), response.getheader("Connection")) == (200, b"hello", "close")


def test_a_client_asking_to_close_gets_its_answer_then_the_end(server):
    conn = connect(server)
    response, body = ask(conn, "POST", "/echo", b"bye", Connection="close")
    assert (body, response.getheader("Connection")) == (b"bye", "close")


def test_a_bad_content_length_falls_back_to_werkzeug(server):
    raw = socket.create_connection(server, timeout=10)
    raw.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: -3\r\n\r\n")
    answer = raw.recv(65536)
    raw.close()
    assert answer.startswith(b"HTTP/1.1 ") and b"Connection: close" in answer


def test_an_error_in_the_app_answers_500_logs_it_and_closes(server, caplog):
    conn = connect(server)
    with caplog.at_level(logging.ERROR, logger="werkzeug"):
        response, body = ask(conn, "GET", "/fail")
    assert response.status == 500 and b"Internal Server Error" in body
    assert response.getheader("Connection") == "close"
    assert any("boom" in record.getMessage() for record in caplog.records)


def test_a_client_that_goes_away_mid_request_ends_only_its_connection(server):
    raw = socket.create_connection(server, timeout=10)
    raw.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly part")
    raw.shutdown(socket.SHUT_WR)  # the body never completes
    answer = b""
    for _ in range(100):
        chunk = raw.recv(65536)
        if not chunk:
            break  # and the server closed the connection
        answer += chunk
    raw.close()
    assert answer.startswith(b"HTTP/1.1 400 ")  # Werkzeug's answer to a short body; then the end
    conn = connect(server)
    assert ask(conn, "POST", "/echo", b"still serving")[1] == b"still serving"


def raw_wsgi(environ, start_response):
    """A WSGI app without Flask: a list for an answer, or an error after the answer began."""
    if environ["PATH_INFO"] == "/plain":
        start_response("200 OK", [("Content-Length", "5")])
        return [b"plain"]
    return late_failure(start_response)


def late_failure(start_response):
    start_response("200 OK", [("Content-Length", "10")])
    yield b"part"
    try:
        raise ValueError("late")
    except ValueError:
        start_response("500 Internal Server Error", [], sys.exc_info())  # re-raises: the headers went out


def test_a_plain_wsgi_app_keeps_the_connection_and_a_late_error_ends_it(caplog):
    with serving(raw_wsgi) as base:
        host, port = base.rsplit("//", 1)[1].split(":")
        conn = connect((host, int(port)))
        first = conn.sock
        assert ask(conn, "GET", "/plain")[1] == b"plain"
        assert ask(conn, "GET", "/plain")[1] == b"plain" and conn.sock is first
        with caplog.at_level(logging.ERROR, logger="werkzeug"):
            conn.request("GET", "/late")
            response = conn.getresponse()
            with pytest.raises(http.client.IncompleteRead):
                response.read()  # 4 of the 10 bytes promised, then the end of the connection
        assert any("late" in record.getMessage() for record in caplog.records)


def test_a_connection_left_idle_is_closed_without_a_log_line(monkeypatch, caplog):
    from flask_twilio_rb.serving import QuietRequestHandler

    monkeypatch.setattr(QuietRequestHandler, "timeout", 0.2)
    with caplog.at_level(logging.INFO, logger="werkzeug"), serving(raw_wsgi) as base:
        host, port = base.rsplit("//", 1)[1].split(":")
        conn = connect((host, int(port)))
        assert ask(conn, "GET", "/plain")[1] == b"plain"
        conn.sock.settimeout(10)
        assert conn.sock.recv(1) == b""  # closed by the server after 0.2 s of waiting
    assert not [record for record in caplog.records if record.name == "werkzeug"]
