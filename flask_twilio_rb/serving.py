"""Serving a WSGI app on a local socket from a thread: the emulator's server, and ``serving(app)`` for tests.

Pure Werkzeug, no import of the rest of the library: the emulator uses it as well as the
testing helpers (``serving(app)`` puts your app where the emulator's callbacks can reach it).
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Any, Iterator

from werkzeug.serving import WSGIRequestHandler, make_server


class QuietRequestHandler(WSGIRequestHandler):
    """Werkzeug's request handler without a log line per request (tests and load tests send thousands)."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        """Log nothing."""


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
