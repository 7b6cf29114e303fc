"""Fixtures of the bulk tests: a clean memory store, no real waiting for backoffs, an emulator, stores to run on."""
from __future__ import annotations

import pytest

from flask_twilio_rb.bulk import sending, store

from tests.emulator.emulator_helpers import running


@pytest.fixture(autouse=True)
def clean_memory():
    """Every test starts with no job and no bucket in the threads backend's store."""
    store.MEMORY.clear()
    yield
    store.MEMORY.clear()


@pytest.fixture
def no_backoff(monkeypatch):
    """Backoffs and rate waits are recorded instead of slept."""
    waits = []
    monkeypatch.setattr(sending, "sleep", waits.append)
    return waits


@pytest.fixture
def emu():
    """An emulator the script configuration points at (threads backend)."""
    with running(callbacks=False) as emulator:
        yield emulator


@pytest.fixture
def fake_redis():
    import fakeredis

    return fakeredis.FakeRedis(decode_responses=True)


@pytest.fixture(params=["memory", "redis"])
def any_store(request, fake_redis):
    """The ledger and the rate limiter behave the same over both stores."""
    return store.MemoryStore() if request.param == "memory" else store.RedisStore(fake_redis)
