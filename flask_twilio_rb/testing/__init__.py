"""Helpers for testing apps that use flask-twilio-rb."""
from __future__ import annotations

from .signing import post_as_twilio, sign_request, signed_headers, with_body_hash

__all__ = ["post_as_twilio", "sign_request", "signed_headers", "with_body_hash"]
