"""The per-sender bucket: reservations at the rate, segments cost more, pushback slows and pauses it."""
from __future__ import annotations

import pytest

from flask_twilio_rb.bulk.ratelimit import MIN_FACTOR, RECOVERY, RateLimiter


class Clock:
    def __init__(self, store, start=1000.0):
        self.now = start
        store.now = lambda: self.now  # the memory store's clock
        self.store = store


@pytest.fixture
def limiter(any_store, monkeypatch):
    limiter = RateLimiter(any_store)
    return limiter


def test_reservations_are_spaced_at_the_rate(limiter):
    waits = [limiter.reserve("+15017122661", rate=10) for _ in range(5)]
    # The first ones fit in the burst (a tenth of a second); then one every 0.1 s.
    assert waits[0] == 0.0
    gaps = [b - a for a, b in zip(waits[1:], waits[2:])]
    assert all(gap == pytest.approx(0.1, abs=0.02) for gap in gaps)


def test_a_long_text_reserves_one_share_per_segment(limiter):
    limiter.reserve("+15017122661", rate=1, cost=1)
    assert limiter.reserve("+15017122661", rate=1, cost=3) == pytest.approx(1.0, abs=0.05)
    assert limiter.reserve("+15017122661", rate=1) == pytest.approx(4.0, abs=0.05)


def test_each_sender_has_its_own_bucket(limiter):
    limiter.reserve("+15017122661", rate=1)
    limiter.reserve("+15017122661", rate=1)
    assert limiter.reserve("+15017122662", rate=1) == 0.0


def test_pushback_pauses_every_sender_of_the_bucket_and_halves_its_rate(limiter):
    assert limiter.slow_down("+15017122661", pause=2.0) == 0.5
    wait = limiter.reserve("+15017122661", rate=10)
    assert 2.0 <= wait <= 2.2  # not before the pause is over
    assert limiter.reserve("+15017122661", rate=10) - wait == pytest.approx(0.2, abs=0.03)  # half the rate
    for _ in range(10):
        limiter.slow_down("+15017122661", pause=0)
    assert limiter.slow_down("+15017122661", pause=0) == MIN_FACTOR


def test_a_slowed_bucket_grows_back_to_its_full_rate():
    from flask_twilio_rb.bulk.store import MemoryStore

    store = MemoryStore()
    clock = Clock(store)
    limiter = RateLimiter(store)
    limiter.slow_down("+1", pause=0)
    clock.now += RECOVERY / 2
    limiter.reserve("+1", rate=10)
    first = limiter.reserve("+1", rate=10)
    second = limiter.reserve("+1", rate=10)
    assert second - first == pytest.approx(0.1 / 0.75, abs=0.01)  # three quarters of the way back
    clock.now += RECOVERY * 2
    third, fourth = limiter.reserve("+1", rate=10), limiter.reserve("+1", rate=10)
    assert fourth - third == pytest.approx(0.1)
