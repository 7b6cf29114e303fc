"""Constants of the emulator tests, importable by name (``from conftest import`` is ambiguous: several conftests)."""
from __future__ import annotations

TO = "+15558675310"
FROM = "+15005550006"  # Twilio's magic "valid sender"
TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hello from the test app</Say></Response>'
