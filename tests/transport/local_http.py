"""A keep-alive HTTP/1.1 server on 127.0.0.1 for transport tests (Werkzeug's closes every connection)."""
from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator, Type


class KeepAlive(BaseHTTPRequestHandler):
    """Subclasses answer with :meth:`answer`; connections stay open between requests."""

    protocol_version = "HTTP/1.1"

    def answer(self, status: int, payload: Any) -> None:
        """Write ``payload`` as JSON in one write (no delayed-ACK stall between headers and body)."""
        body = json.dumps(payload).encode()
        head = f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        self.wfile.write(head.encode() + body)

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass


class LocalServer(ThreadingHTTPServer):
    """A threaded server whose handlers are daemons and whose clients may drop a kept-alive connection.

    A client (a pool being closed, a forked child exiting) that resets an idle connection is not an
    error of the code under test: it is not printed as a traceback in the middle of the suite.
    """

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(handler: Type[KeepAlive]) -> Iterator[str]:
    """Serve ``handler`` in a thread; yields the base URL."""
    server = LocalServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
