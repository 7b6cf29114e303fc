"""Reconciliation: asking Twilio what happened when the ledger cannot know.

* :func:`find_sent`: a send whose POST may have reached Twilio (the connection broke after it
  was written, Twilio answered 5xx, or the worker died mid-send) is looked up before it is sent
  again: the sender's messages to that number since the job began, newest first, with the
  same body.
* :func:`reconcile_deliveries`: messages whose status callback never came have their status
  fetched and recorded, as a callback would have.
"""
from __future__ import annotations

import logging
from email.utils import parsedate_to_datetime
from typing import Any, Dict, Optional, Tuple

from ..api.v2010 import Message
from .ledger import Ledger, find_message

log = logging.getLogger("flask_twilio_rb.bulk")

#: At most this many of a number's recent messages are read to find one.
SCAN_LIMIT = 200
#: Seconds before the job's start still searched: Twilio's clock and ours may differ a little.
CLOCK_SLACK = 300.0


def find_sent(spec: Dict[str, Any], to: str, body: Optional[str]) -> Optional[Tuple[str, str]]:
    """``(sid, status)`` of the message this job already sent to ``to``, or ``None``."""
    filters: Dict[str, Any] = {"to": to, "page_size": 50}
    if spec.get("from_"):
        filters["from_"] = spec["from_"]
    since = spec["started"] - CLOCK_SLACK
    for message in Message.each(limit=SCAN_LIMIT, **filters):
        data = message.to_dict()
        created = data.get("date_created")
        if created and parsedate_to_datetime(created).timestamp() < since:
            break  # newest first: everything further is older than the job
        if spec.get("messaging_service_sid") and data.get("messaging_service_sid") != spec["messaging_service_sid"]:
            continue
        if body is not None and data.get("body") != body:
            continue
        return data["sid"], data.get("status") or "queued"
    return None


def reconcile_deliveries(ledger: Ledger, limit: Optional[int] = None) -> int:
    """Fetch the status of the job's messages that have none final yet; returns how many changed."""
    changed = 0
    for count, sid in enumerate(ledger.pending()):
        if limit is not None and count >= limit:
            break
        message = Message.find(sid)
        if message is None:
            continue
        data = message.to_dict()
        code = data.get("error_code")
        found = find_message(ledger.store, sid)
        to = found[1] if found is not None else data.get("to") or ""
        if ledger.record_status(to, sid, data.get("status") or "", int(code) if code else None):
            changed += 1
    log.info("bulk job %s: reconciled %d message statuses", ledger.job_id, changed)
    return changed

