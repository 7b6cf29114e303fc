"""Load: 16 threads share the clients of two apps with different accounts, against local emulators.

The emulators run in their own processes, so the client threads here and the servers use
both CPUs instead of taking turns on one interpreter lock.

Each thread makes 500 mixed calls (create, fetch, list), alternating between the two apps'
contexts, so each app's one client is shared by all 16 threads. Zero errors are allowed, and
every answer must belong to the app that asked: a request sent with the other app's
credentials or to the other app's emulator would come back 401/404 or with the other account.
Run with ``-s`` to see the numbers.
"""
from __future__ import annotations

import multiprocessing
import threading
import time
from collections import Counter
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any, Dict, Iterator, List, Tuple

import pytest
from flask import Flask

from flask_twilio_rb import Message, TwilioRB

emulator = pytest.importorskip("flask_twilio_rb.testing.emulator")

THREADS = 16
CALLS = 500
NUMBER = "+15005550006"


def _serve(pipe: Any) -> None:
    with emulator.TwilioEmulator(callbacks=False) as emu:
        pipe.send((emu.base_url, emu.account_sid, emu.auth_token))
        pipe.recv()  # until the test is done


@contextmanager
def emulator_process() -> Iterator[Any]:
    """A TwilioEmulator in a child process: its ``base_url``, ``account_sid`` and ``auth_token``."""
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    parent, child = context.Pipe()
    process = context.Process(target=_serve, args=(child,), daemon=True)
    process.start()
    try:
        assert parent.poll(30), "the emulator did not start"
        base_url, account_sid, auth_token = parent.recv()
        yield SimpleNamespace(base_url=base_url, account_sid=account_sid, auth_token=auth_token)
    finally:
        parent.send("stop")
        process.join(10)


def make_app(name: str, emu: Any, transport: str) -> Flask:
    app = Flask(name)
    app.config.update(TWILIO_ACCOUNT_SID=emu.account_sid, TWILIO_AUTH_TOKEN=emu.auth_token,
                      TWILIO_API_BASE_URL=emu.base_url, TWILIO_TRANSPORT=transport, TWILIO_MAX_RETRIES=0,
                      TWILIO_TIMEOUT=10)
    TwilioRB(app)
    return app


def work(index: int, apps: List[Tuple[Flask, str, str]], errors: List[str], counts: Counter,
         start: threading.Barrier) -> None:
    """500 calls: create, fetch what was created, list a page, in turn, switching apps every call."""
    created: Dict[str, str] = {}
    start.wait()
    for n in range(CALLS):
        app, account_sid, name = apps[(index + n) % 2]
        with app.app_context():
            try:
                kind = (n // 2) % 3
                if kind == 0 or name not in created:
                    message = Message.create(to=NUMBER, from_=NUMBER, body=f"{name} {index} {n}")
                    created[name] = message.sid
                    seen = [message]
                elif kind == 1:
                    seen = [Message.find(created[name])]
                    assert seen[0] is not None, f"{name} lost {created[name]}"
                else:
                    seen = Message.all(page_size=3)
                wrong = [m.sid for m in seen if m.account_sid != account_sid or not m.body.startswith(name)]
                if wrong:
                    errors.append(f"cross-talk: {name} got {wrong}")
                counts[name] += 1
            except Exception as exc:  # noqa: BLE001 - every failure is counted, none may happen
                errors.append(f"{name}: {type(exc).__name__}: {exc}")


@pytest.mark.no_contract  # thousands of requests: the spec check is exercised elsewhere
def test_sixteen_threads_two_apps_no_errors_no_cross_talk(capsys):
    with emulator_process() as first, emulator_process() as second:
        apps = [(make_app("first", first, "requests"), first.account_sid, "first"),
                (make_app("second", second, "urllib3"), second.account_sid, "second")]
        errors: List[str] = []
        counts: Counter = Counter()
        start = threading.Barrier(THREADS + 1)
        threads = [threading.Thread(target=work, args=(i, apps, errors, counts, start)) for i in range(THREADS)]
        for thread in threads:
            thread.start()
        start.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join(120)
        elapsed = time.perf_counter() - began
        for app, _, _ in apps:
            app.twilio.close()
    total = sum(counts.values())
    with capsys.disabled():
        print(f"\nload: {THREADS} threads x {CALLS} calls = {total} calls in {elapsed:.1f} s "
              f"({total / elapsed:,.0f} calls/s), {len(errors)} errors, per app {dict(counts)}")
    assert errors == []
    assert total == THREADS * CALLS and counts["first"] == counts["second"] == THREADS * CALLS // 2
