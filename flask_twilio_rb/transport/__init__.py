"""How requests travel: the interface, the HTTP transports, retries, and the factory that picks them.

* :mod:`.base`: :class:`Transport` and :class:`RawResponse`, one attempt at one request;
* :mod:`.shared`: what both HTTP transports share (headers, the time budget, errors);
* :mod:`.http_requests` (the default) and :mod:`.http_urllib3`: the HTTP transports;
* :mod:`.wsgi`: an in-process WSGI app (suppressed sending);
* :mod:`.retrying`: retries as a wrapper around any transport;
* :mod:`.factory`: the one place that picks among them from the settings.
"""
from __future__ import annotations

from .base import RawResponse, ResponseHeaders, Transport

__all__ = ["RawResponse", "ResponseHeaders", "Transport"]
