"""The local Twilio emulator the example app runs on when it has no account, shared by all its processes.

One emulator answers at ``http://127.0.0.1:4010`` (``EXAMPLE_EMULATOR_HOST`` /
``EXAMPLE_EMULATOR_PORT``; 4010 is the port of ``flask twilio emulator`` too) for one local
account, so every process of the app uses the same one: the server that ``flask run`` starts
and ``flask --app example_app.wsgi twilio sms list`` see the same texts and calls. The first
process that sends a request and finds nothing listening there serves it, from a thread,
until it exits; the others talk to it over HTTP. It is started on first use rather than when
the app is made, so the watching process of ``flask run --debug`` (which never serves a
request) leaves it to the process that does.
"""
from __future__ import annotations

import atexit
import socket
import threading
from typing import Any, Optional

from flask import current_app

from flask_twilio_rb.testing import TwilioEmulator

#: The local account every process of the app uses on the emulator. It exists only there: the
#: emulator is a stand-in on this machine, and these credentials open nothing else.
ACCOUNT_SID = "AC" + "0e" * 16
AUTH_TOKEN = "example-app-local-emulator-token"


class LocalTwilio:
    """The emulator at ``host:port``: served by this process (:attr:`emulator`) or by another one."""

    def __init__(self, host: str, port: int, step: Optional[float]) -> None:
        self.host = host
        self.port = port
        #: Seconds between status steps when this process serves it (``None``: only ``advance()``).
        self.step = step
        #: The emulator, when this process serves it; ``None`` while another process does (or none yet).
        self.emulator: Optional[TwilioEmulator] = None
        self._lock = threading.Lock()

    @property
    def base_url(self) -> str:
        """Where the emulator answers: the app's ``TWILIO_API_BASE_URL``."""
        return f"http://{self.host}:{self.port}"

    def ensure_running(self, *_: Any, **__: Any) -> None:
        """Make sure an emulator answers at :attr:`base_url`, serving one here if none does.

        Connected to the client's ``request_sent`` signal, so it runs before every request
        the app sends (a local connect, when another process serves it).
        """
        with self._lock:
            if self.emulator is not None or self._listening():
                return
            emulator = TwilioEmulator(ACCOUNT_SID, AUTH_TOKEN, host=self.host, port=self.port,
                                      auto_advance=self.step)
            emulator.start()
            atexit.register(emulator.stop)
            self.emulator = emulator

    def stop(self) -> None:
        """Stop the emulator this process serves (tests; otherwise it stops when the process exits)."""
        if self.emulator is not None:
            self.emulator.stop()

    def _listening(self) -> bool:
        try:
            with socket.create_connection((self.host, self.port), timeout=1):
                return True
        except OSError:
            return False


def local_twilio() -> Optional[LocalTwilio]:
    """The current app's local emulator, or ``None`` when the app uses a Twilio account."""
    return current_app.extensions.get("example_local")
