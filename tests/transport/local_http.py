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


@contextmanager
def serve(handler: Type[KeepAlive]) -> Iterator[str]:
    """Serve ``handler`` in a thread; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
