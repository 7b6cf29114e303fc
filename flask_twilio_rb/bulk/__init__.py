"""Bulk sending: texts to many people, at each sender's pace, nobody twice, delivery tracked.

.. code-block:: python

    from flask_twilio_rb.bulk import send_messages

    job = send_messages(["+15558675310", "+15558675311"], body="Hi!", from_="+15017122661")
    job.wait(60)
    job.progress()        # Progress(total=2, queued=0, sent=2, delivered=0, failed=0, skipped=0, ...)

``TWILIO_BULK_BACKEND = "threads"`` (the default) sends from threads of this process;
``"celery"`` hands the work to Celery workers on any number of machines, with the ledger and
the rate limits in Redis (``TWILIO_BULK_REDIS_URL``; ``pip install flask-twilio-rb[celery]``).
"""
from __future__ import annotations

from typing import Any

from .api import send_messages
from .job import BulkJob
from .ledger import Failure, Progress
from .segments import segments

__all__ = ["BulkJob", "Failure", "Progress", "celery_init_app", "register_tasks", "segments", "send_messages",
           "status_blueprint"]


def __getattr__(name: str) -> Any:
    # Celery and the view's Blueprint load only for the apps that use them.
    if name in ("celery_init_app", "register_tasks"):
        from . import celery_backend

        return getattr(celery_backend, name)
    if name == "status_blueprint":
        from .views import status_blueprint

        return status_blueprint
    raise AttributeError(f"module 'flask_twilio_rb.bulk' has no attribute {name!r}")
