"""The Celery backend: tasks on the app's Celery, the ledger and rate limit in Redis.

Flask's documentation keeps the Celery app in ``app.extensions["celery"]`` and runs each task
in the app's context (its ``celery_init_app`` pattern); :func:`celery_init_app` here is that
pattern with the broker defaulting to ``TWILIO_BULK_REDIS_URL`` and the bulk tasks registered.

Recipients travel in chunks of :data:`CHUNK`. A chunk task acknowledges its message only when
it ends (``acks_late``), so the chunk of a worker that was killed goes to another worker once
the broker's visibility timeout passes; the ledger makes what the killed worker finished a no-op
there, and reconciles the one recipient it may have been sending.
"""
from __future__ import annotations

import logging
from typing import Any, Iterator, List, Optional

from flask import Flask, current_app, has_app_context

from ..current import current_settings
from ..errors import ConfigurationError
from ..state import get_state
from .ledger import Item, Ledger
from .ratelimit import RateLimiter
from .store import open_store

log = logging.getLogger("flask_twilio_rb.bulk")

SEND_TASK = "flask_twilio_rb.bulk.send_chunk"
RECONCILE_TASK = "flask_twilio_rb.bulk.reconcile"
#: Recipients per task.
CHUNK = 50
#: Seconds the broker waits for a task's acknowledgement before another worker gets it.
VISIBILITY_TIMEOUT = 600
#: Seconds between two looks for the chunks of workers that died.
RESTORE_INTERVAL = 10


def celery_init_app(app: Flask) -> Any:
    """A Celery app for ``app``, as Flask's documentation builds one, with the bulk tasks registered.

    Its configuration is ``app.config["CELERY"]`` (a dict of Celery's lower-case settings) over
    these defaults: the broker at ``TWILIO_BULK_REDIS_URL``, late acknowledgement, one task
    prefetched per worker thread. It is stored in ``app.extensions["celery"]``.
    """
    from celery import Celery, Task

    class FlaskTask(Task):  # type: ignore[misc]  # Celery ships no types
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                return self.run(*args, **kwargs)

    url = get_state(app).settings.bulk_redis_url
    config = {"broker_url": url, "task_ignore_result": True, "task_acks_late": True,
              "task_reject_on_worker_lost": True, "worker_prefetch_multiplier": 1,
              "broker_connection_retry_on_startup": True,
              # A dead worker's chunks are looked for every RESTORE_INTERVAL s (kombu: every 100 s).
              "broker_transport_options": {"visibility_timeout": VISIBILITY_TIMEOUT,
                                           "unacked_restore_interval": RESTORE_INTERVAL,
                                           "unacked_restore_throttle": 1}}
    config.update(app.config.get("CELERY") or {})
    if not config.get("broker_url"):
        raise ConfigurationError("celery_init_app needs a broker: set TWILIO_BULK_REDIS_URL (or CELERY's broker_url).")
    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.conf.update(config)
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    register_tasks(celery_app)
    return celery_app


def register_tasks(celery_app: Any) -> None:
    """Add the bulk tasks to an existing Celery app (one whose tasks run in the Flask app's context)."""
    if SEND_TASK in celery_app.tasks:
        return

    @celery_app.task(name=SEND_TASK, acks_late=True, reject_on_worker_lost=True, acks_on_failure_or_timeout=False,
                     ignore_result=True)
    def send_chunk(job_id: str, chunk: List[List[Any]]) -> int:
        return run_chunk(job_id, chunk)

    @celery_app.task(name=RECONCILE_TASK, ignore_result=True)
    def reconcile(job_id: str, limit: Optional[int] = None) -> int:
        from .job import BulkJob

        return BulkJob.find(job_id).reconcile(limit)


def run_chunk(job_id: str, chunk: List[List[Any]]) -> int:
    """Deliver a chunk of ``[seq, to, variables]`` recipients; returns how many there were."""
    from .sending import deliver_one

    settings = current_settings()
    store = open_store(settings)
    ledger = Ledger(store, job_id)
    spec = ledger.spec()
    if spec is None:
        log.error("bulk job %s is not in the store (expired, or another TWILIO_BULK_REDIS_URL); chunk dropped", job_id)
        return 0
    limiter = RateLimiter(store)
    for seq, to, variables in chunk:
        deliver_one(ledger, spec, Item(seq, to, variables), limiter, settings)
    return len(chunk)


def current_celery() -> Any:
    """The current Flask app's Celery (``app.extensions["celery"]``), its bulk tasks registered."""
    celery_app = current_app.extensions.get("celery") if has_app_context() else None
    if celery_app is None:
        raise ConfigurationError(
            "TWILIO_BULK_BACKEND is \"celery\" but the app has no Celery: call"
            " flask_twilio_rb.bulk.celery_init_app(app) (or keep yours in app.extensions[\"celery\"])."
        )
    register_tasks(celery_app)
    return celery_app


def start(ledger: Ledger, spec: dict, items: Iterator[Item], settings: Any) -> None:
    """Enqueue ``items`` in chunks, in this process; returns when all are enqueued (or the job is canceled)."""
    task = current_celery().tasks[SEND_TASK]
    chunk: List[Item] = []
    try:
        for item in items:
            chunk.append(item)
            if len(chunk) == CHUNK:
                if not _publish(ledger, task, chunk):
                    break
                chunk = []
        else:
            _publish(ledger, task, chunk)
    except Exception as exc:
        ledger.enqueued_all(f"Enqueueing stopped: {type(exc).__name__}: {exc}")
        raise
    ledger.enqueued_all()


def _publish(ledger: Ledger, task: Any, chunk: List[Item]) -> bool:
    if ledger.canceled():
        return False
    if chunk:
        task.apply_async((ledger.job_id, [list(item) for item in chunk]))
        ledger.enqueued(len(chunk), chunk[-1].seq + 1)
    return True
