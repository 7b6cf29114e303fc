"""Fixtures and records for the ``flask twilio`` tests: a configured app, its CLI runner, Twilio mocked.

Not a conftest.py: ``tests/`` is not a package, so a second ``conftest`` module would shadow the top one.
"""
from __future__ import annotations

from typing import Any, Dict, Optional

import pytest
import responses
from click.testing import Result
from flask import Flask

from flask_twilio_rb import TwilioRB

ACCOUNT_SID = "AC" + "a" * 32
AUTH_TOKEN = "secret-token-" + "9" * 19
API_KEY = "SK" + "b" * 32
API_SECRET = "api-secret-" + "7" * 21
APP_SID = "AP" + "c" * 32
API = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}"
PAGE = f"/2010-04-01/Accounts/{ACCOUNT_SID}"


def sid(prefix: str, n: int) -> str:
    """A valid SID: the prefix and 32 hex digits ending in ``n``."""
    return prefix + f"{n:032x}"


def message(n: int = 1, **fields: Any) -> Dict[str, Any]:
    """A message record as Twilio sends it."""
    record = {"sid": sid("SM", n), "account_sid": ACCOUNT_SID, "from": "+15005550006", "to": "+15558675310",
              "body": f"Hello {n}", "status": "delivered", "direction": "outbound-api",
              "date_created": "Fri, 27 Nov 2026 08:00:00 +0000", "date_sent": f"Fri, 27 Nov 2026 08:0{n % 10}:05 +0000",
              "num_media": "0", "price": None, "uri": f"{PAGE}/Messages/{sid('SM', n)}.json"}
    record.update(fields)
    return record


def call(n: int = 1, **fields: Any) -> Dict[str, Any]:
    """A call record as Twilio sends it."""
    record = {"sid": sid("CA", n), "account_sid": ACCOUNT_SID, "from": "+15005550006", "to": "+15558675310",
              "status": "completed", "direction": "outbound-api", "duration": str(10 * n),
              "date_created": "Fri, 27 Nov 2026 09:00:00 +0000", "start_time": "Fri, 27 Nov 2026 09:00:01 +0000",
              "end_time": "Fri, 27 Nov 2026 09:01:00 +0000", "uri": f"{PAGE}/Calls/{sid('CA', n)}.json"}
    record.update(fields)
    return record


def number(n: int = 1, **fields: Any) -> Dict[str, Any]:
    """An incoming phone number record."""
    record = {"sid": sid("PN", n), "account_sid": ACCOUNT_SID, "phone_number": f"+1500555000{n}",
              "friendly_name": f"(500) 555-000{n}", "voice_url": "https://example.com/voice",
              "sms_url": "https://example.com/sms", "capabilities": {"voice": True, "sms": True, "mms": False}}
    record.update(fields)
    return record


def available(n: int = 1, **fields: Any) -> Dict[str, Any]:
    """An available phone number record."""
    record = {"phone_number": f"+1917555777{n}", "friendly_name": f"(917) 555-777{n}", "locality": "New York",
              "region": "NY", "iso_country": "US",
              "capabilities": {"voice": True, "SMS": True, "MMS": False, "fax": False}}
    record.update(fields)
    return record


def page(key: str, records: list, next_page_uri: Optional[str] = None) -> Dict[str, Any]:
    """One list page of ``records`` under ``key``."""
    return {key: records, "next_page_uri": next_page_uri, "page": 0, "page_size": len(records)}


def output_of(result: Result) -> str:
    """Everything the command wrote, stdout and stderr."""
    return result.stdout + result.stderr


def make_app(template_folder: str = "templates", **config: Any) -> Flask:
    """An app with the extension, the credentials above and ``config``."""
    app = Flask(__name__, template_folder=template_folder)
    app.config.update(TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN, TESTING=True)
    app.config.update(config)
    TwilioRB(app)
    return app


@pytest.fixture
def app() -> Flask:
    """An app with the extension and the credentials above."""
    return make_app()


@pytest.fixture
def api():
    """Twilio's API, mocked with ``responses``."""
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def twilio(runner, *args: str, **kwargs: Any) -> Result:
    """Run ``flask twilio ARGS...``; the auth token must never show up in its output."""
    result = runner.invoke(args=["twilio", *args], **kwargs)
    assert AUTH_TOKEN not in output_of(result) and API_SECRET not in output_of(result)
    return result
