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
