"""Many client threads at once: every request answered, every SID unique, every record kept."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from flask_twilio_rb import Call, Message

from tests.emulator.emulator_helpers import FROM, TO

THREADS = 8
PER_THREAD = 40


def test_parallel_creates_lists_and_advances(emulator):
    start = threading.Barrier(THREADS)

    def work(n: int) -> list:
        start.wait()
        sids = []
        for i in range(PER_THREAD):
            sids.append(Message.create(to=TO, from_=FROM, body=f"{n}-{i}").sid)
            if i % 10 == 0:
                sids.append(Call.create(to=TO, from_=FROM, url="https://example.com/voice").sid)
                Message.all(page_size=5)
                emulator.advance()
        return sids

    with ThreadPoolExecutor(THREADS) as pool:
        created = [sid for sids in pool.map(work, range(THREADS)) for sid in sids]
    assert len(created) == len(set(created)) == THREADS * (PER_THREAD + PER_THREAD // 10)
    assert Message.count() == THREADS * PER_THREAD
    stored = {m["sid"] for m in emulator.records("Message")} | {c["sid"] for c in emulator.records("Call")}
    assert stored == set(created)
    emulator.finish()
    assert {m["status"] for m in emulator.records("Message")} == {"delivered"}
    assert {c["status"] for c in emulator.records("Call")} == {"completed"}
