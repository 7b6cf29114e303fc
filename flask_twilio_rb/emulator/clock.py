"""The ``auto_advance`` clock: a daemon thread that moves every call and message on at an interval."""
from __future__ import annotations

import logging
import threading
from typing import Any, Callable

log = logging.getLogger("flask_twilio_rb.emulator")


class Clock:
    """Calls ``tick`` every ``interval`` seconds from a daemon thread until :meth:`stop`."""

    def __init__(self, interval: float, tick: Callable[[], Any]) -> None:
        self.interval = interval
        self.tick = tick
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="twilio-emulator-clock", daemon=True)

    def start(self) -> None:
        """Start ticking."""
        self._thread.start()

    def stop(self) -> None:
        """Stop ticking and wait for the current tick to end."""
        self._stopped.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stopped.wait(self.interval):
            try:
                self.tick()
            except Exception:  # one failing tick must not stop time for the rest of the test run
                log.exception("TwilioEmulator: advancing on the clock failed")
