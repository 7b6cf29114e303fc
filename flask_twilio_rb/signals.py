"""Signals the extension sends, in one :class:`blinker.Namespace`.

Connect a receiver to watch what happens without changing views:

.. code-block:: python

    from flask_twilio_rb import webhook_rejected

    @webhook_rejected.connect
    def count_rejection(app, reason, url, **extra):
        metrics.increment("twilio.webhook.rejected", tags={"reason": reason})
"""
from __future__ import annotations

from blinker import Namespace

#: The namespace of every flask-twilio-rb signal.
signals = Namespace()

#: Sent with the app as sender when a webhook request fails signature validation and is
#: answered ``403``. Keyword arguments: ``reason`` (a short phrase such as
#: ``"signature does not match"``), ``url`` (the URL the signature was checked against,
#: without its query string) and ``request`` (the rejected :class:`flask.Request`).
webhook_rejected = signals.signal("webhook-rejected")

#: Sent by a :class:`~flask_twilio_rb.Client` (the sender) just before each API request goes to
#: its transport. Keyword arguments: ``method``, ``host`` (the description's, ``api.twilio.com`` or
#: ``verify.twilio.com``...), ``path`` (``/2010-04-01/...``, ``/v2/Services``), ``params`` and
#: ``data`` (the query and form pairs, Twilio's names), ``json`` (the JSON body of the operations
#: that take one, else ``None``) and ``operation`` (a :class:`~flask_twilio_rb.wire.Operation`:
#: resource, action and operationId; ``None`` for a request made without a resource).
#: :meth:`Client.record` outboxes subscribe to it; take ``**extra`` in a receiver.
request_sent = signals.signal("request-sent")
