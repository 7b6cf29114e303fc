"""``BulkJob``: a handle on a job, in any process that shares its store."""
from __future__ import annotations

import time
from typing import List, Optional

from ..current import current_settings
from ..errors import ConfigurationError
from .ledger import Failure, Ledger, Progress
from .reconcile import reconcile_deliveries
from .store import Store, open_store

#: Seconds between two looks at the counts while waiting.
POLL = 0.05


class BulkJob:
    """A bulk send: its ``id``, its :meth:`progress`, :meth:`failures`, :meth:`wait` and :meth:`cancel`.

    Returned by :func:`~flask_twilio_rb.bulk.send_messages`; :meth:`find` gets one by id from
    another process (a worker, ``flask twilio bulk status``) when the job's state is in Redis.
    """

    def __init__(self, job_id: str, store: Store) -> None:
        self.id = job_id
        self.ledger = Ledger(store, job_id)

    def __repr__(self) -> str:
        p = self.progress()
        return (f"<BulkJob {self.id} total={p.total} queued={p.queued} sent={p.sent} delivered={p.delivered}"
                f" failed={p.failed} skipped={p.skipped}{' canceled' if p.canceled else ''}>")

    @classmethod
    def find(cls, job_id: str) -> "BulkJob":
        """The job ``job_id`` in the current settings' store; :class:`ConfigurationError` when it is unknown."""
        job = cls(job_id, open_store(current_settings()))
        if job.ledger.spec() is None:
            where = ("the Redis of TWILIO_BULK_REDIS_URL" if current_settings().bulk_backend == "celery" else
                     "this process (TWILIO_BULK_BACKEND = \"threads\" keeps a job in the process that sends it;"
                     " use \"celery\" to see jobs from elsewhere)")
            raise ConfigurationError(f"No bulk job {job_id!r} in {where}.")
        return job

    def progress(self) -> Progress:
        """The counts now: queued, sent, delivered, failed, skipped (and whether it is done)."""
        return self.ledger.progress()

    def failures(self, limit: Optional[int] = None) -> List[Failure]:
        """Each recipient that failed: ``number``, Twilio's ``code`` and its ``message``, oldest first."""
        return self.ledger.failures(limit)

    def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for every recipient to be sent (or failed, or skipped); ``True`` if it was.

        Delivery is not waited for: statuses arrive later, through the status callback or :meth:`reconcile`.
        """
        deadline = time.monotonic() + timeout
        while not self.progress().done:
            if time.monotonic() >= deadline:
                return False
            time.sleep(POLL)
        return True

    def cancel(self) -> None:
        """Send nothing more: what has not been sent yet ends ``skipped``. What was sent stays sent."""
        self.ledger.cancel()

    def reconcile(self, limit: Optional[int] = None) -> int:
        """Fetch from Twilio the status of sent messages whose callback has not come (at most ``limit``).

        :returns: how many of them had news.
        """
        return reconcile_deliveries(self.ledger, limit)
