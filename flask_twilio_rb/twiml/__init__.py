"""TwiML: the Python builder (:class:`TwiML`), the Jinja tags (:class:`TwiMLExtension`) and the
element table they share (:mod:`flask_twilio_rb.twiml.schema`)."""
from __future__ import annotations

from .builder import Document, Element, TwiML
from .jinja import TwiMLExtension

__all__ = ["Document", "Element", "TwiML", "TwiMLExtension"]
