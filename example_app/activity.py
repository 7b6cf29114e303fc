"""What the status callbacks told us, kept in memory (a real app would use its database)."""
from __future__ import annotations

import threading
from typing import Dict, List, Optional, Tuple

from flask import current_app


class Activity:
    """Delivery and call statuses by SID, in the order Twilio reported them, and voicemails; safe across threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._history: Dict[str, List[Tuple[str, Optional[str]]]] = {}
        self._voicemails: List[Tuple[str, str, int]] = []

    def keep_voicemail(self, call_sid: str, recording_sid: str, seconds: int) -> None:
        """Store a message left on the IVR: its call, its recording, how long it is."""
        with self._lock:
            self._voicemails.append((call_sid, recording_sid, seconds))

    def voicemails(self) -> List[Tuple[str, str, int]]:
        """Every message left, oldest first: ``(call SID, recording SID, seconds)``."""
        with self._lock:
            return list(self._voicemails)

    def report(self, sid: str, status: str, error_code: Optional[str] = None) -> None:
        """Store one status callback."""
        with self._lock:
            self._history.setdefault(sid, []).append((status, error_code))

    def history(self, sid: str) -> List[Tuple[str, Optional[str]]]:
        """Every (status, error code) reported for ``sid``, oldest first."""
        with self._lock:
            return list(self._history.get(sid, ()))

    def latest(self, sid: str) -> Optional[str]:
        """The last status reported for ``sid``, or ``None`` before any callback."""
        history = self.history(sid)
        return history[-1][0] if history else None


def activity() -> Activity:
    """The current app's activity store."""
    store: Activity = current_app.extensions["example_activity"]
    return store
