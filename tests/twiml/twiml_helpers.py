"""Helpers of the TwiML tests (not in conftest.py: several conftest modules share that name)."""
from __future__ import annotations

import os
from xml.etree.ElementTree import canonicalize

TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")


def canonical(xml: str) -> str:
    """``xml`` after C14N: attribute order and whitespace-only text no longer matter."""
    return canonicalize(xml_data=xml, strip_text=True)
