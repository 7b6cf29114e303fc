"""The ready-made status-callback view: Twilio's signed status reports update the bulk job.

.. code-block:: python

    from flask_twilio_rb.bulk import send_messages, status_blueprint

    app.register_blueprint(status_blueprint)     # POST /twilio/bulk/status
    send_messages(numbers, body="Hi", from_=NUMBER,
                  status_callback=url_for("twilio_bulk.status", _external=True))

Requests without a valid ``X-Twilio-Signature`` get 403 (see
:func:`~flask_twilio_rb.validate_twilio_request`). A report is recorded once: the same status
again, or one behind what the job knows (``sent`` after ``delivered``), changes nothing. Twilio
gets 204 for every signed report, also for a message no job sent, so it never retries them.
"""
from __future__ import annotations

import logging

from flask import Blueprint, Response, request

from ..current import current_settings
from ..webhooks import validate_twilio_request
from .ledger import find_message
from .store import open_store

log = logging.getLogger("flask_twilio_rb.bulk")

#: The blueprint of the view, ``twilio_bulk.status`` at ``/twilio/bulk/status``.
status_blueprint = Blueprint("twilio_bulk", __name__, url_prefix="/twilio/bulk")


@status_blueprint.post("/status")
@validate_twilio_request
def status() -> Response:
    """Record a message's status in its job."""
    sid = request.form.get("MessageSid", "")
    status_name = request.form.get("MessageStatus", "")
    code = request.form.get("ErrorCode", "")
    found = find_message(open_store(current_settings()), sid)
    if found is None:
        log.info("status callback for %s, which no bulk job sent; ignored", sid or "no MessageSid")
    else:
        ledger, to = found
        ledger.record_status(to, sid, status_name, int(code) if code.isdigit() else None)
    return Response(status=204)
