"""One token bucket per sender, shared by every worker that uses the same store.

The bucket is a GCRA (the "virtual scheduling" form of a token bucket): each send reserves
its segments' share of a second, ``cost / rate``, after the last reservation, and waits until
its turn. A reservation is one atomic change of the sender's key, so any number of threads
and machines together keep to the rate. A burst of up to a tenth of a second of sending may go at
once (at least one message), which keeps a measured rate close to the rate asked for.

When Twilio pushes back (20429, 21611) :meth:`RateLimiter.slow_down` halves the sender's rate
and keeps every worker off it for the ``Retry-After``; the rate then grows back to the full one
over :data:`RECOVERY` seconds.
"""
from __future__ import annotations

import json
from typing import Optional

from .store import Change, Store

#: Seconds of sending that may go at once.
BURST = 0.1
#: Seconds for a slowed bucket to grow back to its full rate.
RECOVERY = 30.0
#: The slowest a bucket gets, as a share of its rate.
MIN_FACTOR = 1 / 16
PREFIX = "twilio_rb:bulk:rate:"
#: A bucket nobody used for this long is forgotten.
TTL = 3600


class RateLimiter:
    """Reserve sending time for a sender over a :mod:`store <flask_twilio_rb.bulk.store>`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def reserve(self, sender: str, rate: float, cost: int = 1) -> float:
        """Reserve ``cost`` segments of ``sender`` at ``rate`` a second; returns the seconds to wait first."""

        def decide(current: Optional[str], now: float) -> Change:
            state = json.loads(current) if current else {}
            factor = _factor(state, now)
            tat = max(state.get("tat", now), state.get("paused", now), now)
            new_tat = tat + cost / (rate * factor)
            wait = max(0.0, new_tat - max(BURST, cost / rate) - now)
            state.update(tat=new_tat)
            return Change(json.dumps(state), wait)

        return self.store.atomic(PREFIX + sender, decide, TTL)

    def slow_down(self, sender: str, pause: float) -> float:
        """Halve ``sender``'s rate and hold every send of it for ``pause`` seconds; returns the new share."""

        def decide(current: Optional[str], now: float) -> Change:
            state = json.loads(current) if current else {}
            factor = max(MIN_FACTOR, _factor(state, now) / 2)
            state.update(factor=factor, slowed=now, paused=max(state.get("paused", now), now + pause))
            return Change(json.dumps(state), factor)

        return self.store.atomic(PREFIX + sender, decide, TTL)


def _factor(state: dict, now: float) -> float:
    """The share of its rate a bucket runs at: back to 1 over :data:`RECOVERY` after a slow-down."""
    factor = state.get("factor", 1.0)
    if factor >= 1.0:
        return 1.0
    return min(1.0, factor + (1.0 - factor) * (now - state.get("slowed", now)) / RECOVERY)
