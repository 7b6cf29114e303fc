"""The made-up account of the suite, importable from any test (``conftest`` modules are not: there are several)."""
from __future__ import annotations

ACCOUNT_SID = "AC" + "a" * 32
AUTH_TOKEN = "secret-token-" + "9" * 19
