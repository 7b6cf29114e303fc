"""``send_messages``: the one call that starts a bulk send, whichever backend runs it."""
from __future__ import annotations

import re
import uuid
from typing import Any, Dict, Iterable, Iterator, Mapping, Optional, Union

import jinja2

from ..current import current_settings
from ..errors import ConfigurationError
from .job import BulkJob
from .ledger import Item, Ledger
from .sending import template
from .store import open_store

#: A job id: letters, digits, ``-``, ``_`` and ``.``, at most 64 (it is part of Redis keys).
JOB_ID = re.compile(r"[A-Za-z0-9_.-]{1,64}\Z")
#: What a job remembers of its call; the same ``job_id`` again must repeat them.
SPEC_FIELDS = ("body", "content_sid", "from_", "messaging_service_sid", "rate", "status_callback")

Recipient = Union[str, Mapping[str, Any]]


def send_messages(recipients: Iterable[Recipient], *, body: Optional[str] = None, content_sid: Optional[str] = None,
                  from_: Optional[str] = None, messaging_service_sid: Optional[str] = None,
                  rate: Optional[float] = None, status_callback: Optional[str] = None,
                  job_id: Optional[str] = None) -> BulkJob:
    """Send a text to each recipient, at most once each, at the sender's pace; returns the :class:`BulkJob`.

    :param recipients: any iterable, read as a stream (a list, a generator, a ``csv.DictReader``):
        numbers (``"+15558675310"``), or dicts with a ``"to"`` number and the template variables
        of that recipient (``{"to": "+1555...", "name": "Ada"}``). A number given twice is sent once.
    :param body: the text, a Jinja template rendered with the recipient's variables (and ``to``).
    :param content_sid: a Content API template (``HX...``) instead of ``body``; the variables go as
        ``ContentVariables``.
    :param from_: the sending number (or short code, sender ID); or :param messaging_service_sid: (``MG...``).
    :param rate: segments per second for this job's sender (default ``TWILIO_BULK_RATE``, else the
        sender type's: long code 1, toll-free 3, short code 100, messaging service 10).
    :param status_callback: the URL Twilio reports each message's status to; the ready-made view
        (:data:`~flask_twilio_rb.bulk.status_blueprint`) updates the job from it.
    :param job_id: the job's name (default: a new one). The same ``job_id`` with the same
        parameters goes on where an interrupted call stopped, sending nobody twice.

    With ``TWILIO_BULK_BACKEND = "threads"`` the sending runs in this process's threads and this
    returns at once; with ``"celery"`` this returns once every recipient is enqueued for the workers.
    """
    if isinstance(recipients, (str, bytes, Mapping)):
        raise TypeError(f"recipients must be an iterable of numbers or dicts (a list, a generator, a csv.DictReader),"
                        f" not a single {type(recipients).__name__}; wrap one recipient in a list.")
    spec = _spec(body=body, content_sid=content_sid, from_=from_, messaging_service_sid=messaging_service_sid,
                 rate=rate, status_callback=status_callback)
    settings = current_settings()
    store = open_store(settings)
    job_id = _job_id(job_id)
    ledger = Ledger(store, job_id)
    known = ledger.spec()
    if known is None:
        ledger.create(spec)
        known = ledger.spec()
    elif {k: known.get(k) for k in SPEC_FIELDS} != spec:
        raise ConfigurationError(f"Bulk job {job_id!r} was started with other parameters; give this send another"
                                 f" job_id, or repeat the first call's to go on with it.")
    if settings.bulk_backend == "celery":
        from . import celery_backend as backend
    else:
        from . import threads as backend  # type: ignore[no-redef]
    backend.start(ledger, known, _items(recipients, ledger.resume_at()), settings)  # type: ignore[arg-type]
    return BulkJob(job_id, store)


def _spec(**spec: Any) -> Dict[str, Any]:
    if (spec["body"] is None) == (spec["content_sid"] is None):
        raise ValueError("send_messages() needs body= (the text, a Jinja template) or content_sid= (HX...), one of them.")
    if (spec["from_"] is None) == (spec["messaging_service_sid"] is None):
        raise ValueError("send_messages() needs from_= (your number) or messaging_service_sid= (MG...), one of them.")
    if spec["body"] is not None:
        try:
            template(spec["body"])
        except jinja2.TemplateSyntaxError as exc:
            raise ValueError(f"body is not a valid Jinja template: {exc.message} (line {exc.lineno}).") from None
    rate = spec["rate"]
    if rate is not None and (isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 < rate < float("inf")):
        raise ValueError(f"rate={rate!r}: give the segments per second, a number above 0 (or None for the sender's own).")
    callback = spec["status_callback"]
    if callback is not None and not re.match(r"https?://[^/\s]+", str(callback)):
        raise ValueError(f"status_callback={callback!r}: give the full http(s) URL Twilio should post statuses to.")
    return spec


def _job_id(job_id: Optional[str]) -> str:
    if job_id is None:
        return uuid.uuid4().hex
    if not isinstance(job_id, str) or not JOB_ID.match(job_id):
        raise ValueError(f"job_id={job_id!r}: use up to 64 letters, digits, '-', '_' or '.'.")
    return job_id


def _items(recipients: Iterable[Recipient], start: int) -> Iterator[Item]:
    for seq, recipient in enumerate(recipients):
        if seq < start:
            continue  # enqueued by an earlier call with this job_id
        if isinstance(recipient, str):
            yield Item(seq, recipient.strip(), {})
            continue
        if not isinstance(recipient, Mapping):
            raise TypeError(f"recipient #{seq} is a {type(recipient).__name__}; give a number or a dict with 'to'.")
        to = recipient.get("to")
        if not isinstance(to, str) or not to.strip():
            raise ValueError(f"recipient #{seq} has no 'to' number; give every dict a 'to' (its other keys are"
                             f" the template's variables).")
        yield Item(seq, to.strip(), {k: v for k, v in recipient.items() if k != "to"})
