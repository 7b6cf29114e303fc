"""Serving a WSGI app on a local socket from a thread: the emulator's server, and ``serving(app)`` for tests.

Pure Werkzeug, no import of the rest of the library: the emulator uses it as well as the
testing helpers (``serving(app)`` puts your app where the emulator's callbacks can reach it).
"""
from __future__ import annotations

import socket
import threading
import traceback
from contextlib import contextmanager
from typing import IO, Any, Iterator, List, Optional, cast

from werkzeug.exceptions import ClientDisconnected, InternalServerError
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wsgi import LimitedStream


class QuietRequestHandler(WSGIRequestHandler):
    """Werkzeug's request handler without a log line per request, keeping connections open.

    Tests and load tests send thousands of requests. Werkzeug's development server closes the
    connection after each response (then waits 10 ms for stray input), so each request costs
    the client a TCP connect and the server a new thread. Here a request with a known body
    length (``Content-Length``, or no body) on a keep-alive connection gets its response on
    the same connection when the app says how long that response is: the request body is read
    to its end first, whatever the app read of it, so the next request starts where it should.
    Other requests (a chunked body, ``Expect: 100-continue``) go the Werkzeug way, and a
    response of unknown length closes the connection after it. A connection idle for
    :attr:`timeout` seconds is closed.
    """

    #: Seconds a connection may wait for its next request (or for the rest of a request).
    timeout = 60

    def setup(self) -> None:
        """Send each write at once: on a kept connection, Nagle's algorithm would hold a response's
        body until the client acknowledged its headers (a delayed ACK: 40 ms)."""
        super().setup()
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:  # pragma: no cover - not a TCP socket
            pass

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        """Log nothing."""

    def log_error(self, format: str, *args: Any) -> None:
        """Log errors, but not the end of a connection left idle (``http.server`` calls that one an error)."""
        if not format.startswith("Request timed out"):
            super().log_error(format, *args)

    def run_wsgi(self) -> None:
        """Answer one request; keep the connection open when both sides' lengths are known."""
        length = self.headers.get("Content-Length") or "0"
        if (self.close_connection or self.headers.get("Transfer-Encoding") or self.headers.get("Expect")
                or not length.isdigit()):
            self.close_connection = True
            super().run_wsgi()
            return
        environ = self.make_environ()
        body = LimitedStream(cast(IO[bytes], self.rfile), int(length))  # (a buffered socket file)
        environ["wsgi.input"] = body
        started: List[Any] = []  # [status, headers] once start_response is called
        sent = False

        def write(data: bytes) -> None:
            nonlocal sent
            if not sent:
                status, headers = started
                code, _, message = status.partition(" ")
                self.send_response(int(code), message)
                for name, value in headers:
                    self.send_header(name, value)
                bodiless = int(code) in (204, 304) or int(code) < 200 or self.command == "HEAD"
                if not (bodiless or any(name.lower() == "content-length" for name, _ in headers)):
                    self.close_connection = True  # the end of the body is the end of the connection
                if self.close_connection:
                    self.send_header("Connection", "close")
                self.end_headers()
                sent = True
            self.wfile.write(data)

        def start_response(status: str, headers: Any, exc_info: Optional[Any] = None) -> Any:
            if exc_info is not None and sent:
                raise exc_info[1].with_traceback(exc_info[2])
            started[:] = [status, headers]
            return write

        def execute(app: Any) -> None:
            iterable = app(environ, start_response)
            try:
                for data in iterable:
                    write(data)
                if not sent:
                    write(b"")
            finally:
                if hasattr(iterable, "close"):
                    iterable.close()

        try:
            execute(self.server.app)
            body.exhaust()  # what the app left unread of this request's body
        except (ConnectionError, socket.timeout, ClientDisconnected) as error:  # (the body never came in full)
            self.close_connection = True
            self.connection_dropped(error, environ)
        except Exception:
            self.close_connection = True
            self.log_error("Error on request:\n%s", traceback.format_exc())  # (logged before the client hears)
            if not sent:
                started.clear()
                execute(InternalServerError())


@contextmanager
def serving(app: Any, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve a WSGI ``app`` from a daemon thread for the block; yields its base URL.

    .. code-block:: python

        with serving(app) as base_url:   # e.g. "http://127.0.0.1:53211"
            requests.post(base_url + "/messages", data={"to": "+15005550006", "body": "Hi"})
    """
    server = make_server(host, port, app, threaded=True, request_handler=QuietRequestHandler)
    # A short poll interval: shutdown() waits up to one interval, and tests stop many servers.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name=f"serving-{server.server_port}", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
