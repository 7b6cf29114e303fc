"""The threads backend: a pool of threads in this process, the memory store, nothing to install.

A producer thread reads the recipients into a small queue (so a stream of a million is never
held in memory) and ``TWILIO_POOL_SIZE`` threads send from it, in the current app's context.
"""
from __future__ import annotations

import logging
import queue
import threading
from contextlib import nullcontext
from typing import Any, ContextManager, Iterator, Optional

from flask import current_app, has_app_context

from .ledger import Item, Ledger
from .ratelimit import RateLimiter
from .sending import deliver_one

log = logging.getLogger("flask_twilio_rb.bulk")

#: Items waiting per sending thread: enough to keep them busy, little enough to stay small.
QUEUE_PER_THREAD = 4
#: Seconds a blocked producer waits before looking whether the job was canceled.
PUT_TIMEOUT = 0.2


def start(ledger: Ledger, spec: dict, items: Iterator[Item], settings: Any) -> None:
    """Send ``items`` from threads; returns at once."""
    app = current_app._get_current_object() if has_app_context() else None  # type: ignore[attr-defined]
    threads = settings.pool_size
    work: "queue.Queue[Optional[Item]]" = queue.Queue(maxsize=threads * QUEUE_PER_THREAD)
    limiter = RateLimiter(ledger.store)

    def context() -> ContextManager[Any]:
        return app.app_context() if app is not None else nullcontext()

    def produce() -> None:
        error = None
        try:
            for item in items:
                if ledger.canceled():
                    break  # what is not read yet is not part of the job
                ledger.enqueued(1, item.seq + 1)
                while not _put(work, item):
                    if ledger.canceled():
                        ledger.claim(item, 0.0)  # a canceled job's claim records the item skipped
                        break
        except Exception as exc:  # a recipient stream that breaks ends the enqueueing, not the job
            log.exception("bulk job %s: reading the recipients failed", ledger.job_id)
            error = f"Reading the recipients failed: {type(exc).__name__}: {exc}"
        finally:
            ledger.enqueued_all(error)
            for _ in range(threads):
                work.put(None)

    def consume() -> None:
        with context():
            while True:
                item = work.get()
                if item is None:
                    return
                deliver_one(ledger, spec, item, limiter, settings)

    threading.Thread(target=produce, name=f"twilio-bulk-{ledger.job_id}-reader", daemon=True).start()
    for n in range(threads):
        threading.Thread(target=consume, name=f"twilio-bulk-{ledger.job_id}-{n}", daemon=True).start()


def _put(work: "queue.Queue[Optional[Item]]", item: Item) -> bool:
    try:
        work.put(item, timeout=PUT_TIMEOUT)
    except queue.Full:
        return False
    return True
