"""What reaches a waiting call, what it waits for, and the calls a <Dial> places: plain values."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, FrozenSet, NamedTuple, Optional, Tuple


class Event(NamedTuple):
    """What reaches a call: ``kind`` is key, speech, timeout, hangup, redirect, leg, room, queue or bridge."""

    kind: str
    value: Any = None


@dataclass(frozen=True)
class Wait:
    """Where a call stands still: what for, until when (virtual seconds), and the events it listens to.

    A hang-up and a redirect always reach it; a timeout only at its deadline.
    """

    what: str
    deadline: Optional[float] = None
    listens: FrozenSet[str] = frozenset()


@dataclass
class Leg:
    """A call a <Dial> placed: its parent, the noun that named it, and whether it was answered."""

    sid: str
    parent: str
    whisper: Optional[Tuple[str, str]] = None  # the noun's url and method, run on the callee first
    answered: bool = False
