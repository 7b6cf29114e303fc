"""Answers are bounded in size (``TWILIO_MAX_RESPONSE_BYTES``), compressed ones counted as inflated."""
from __future__ import annotations

import gzip
import json
from typing import Any

import pytest
from tests.transport.fault_servers import RawServer, body_of

from flask_twilio_rb import Call, Config, ConfigurationError, TwilioConnectionError, TwilioRB, get_client
from flask_twilio_rb.transport.http_requests import RequestsTransport
from flask_twilio_rb.transport.http_urllib3 import Urllib3Transport

AUTH = ("AC" + "e" * 32, "limit-token-" + "7" * 20)
RECORD = json.dumps({"sid": "CA" + "d" * 32, "padding": "x" * 2000}).encode()


@pytest.mark.parametrize("make", [RequestsTransport, Urllib3Transport], ids=["requests", "urllib3"])
def test_an_answer_longer_than_the_limit_is_an_error_and_the_limit_is_exact(make):
    with RawServer(body_of(RECORD)) as server:
        fits = make(max_response_bytes=len(RECORD))
        assert fits.send("GET", server.base_url + "/x.json", auth=AUTH, timeout=5).body == RECORD
        fits.close()
        short = make(max_response_bytes=len(RECORD) - 1)
        with pytest.raises(TwilioConnectionError, match="TWILIO_MAX_RESPONSE_BYTES") as info:
            short.send("GET", server.base_url + "/x.json", auth=AUTH, timeout=5)
        short.close()
    assert info.value.sent is True and f"more than {len(RECORD) - 1:,} bytes" in str(info.value)


def test_a_gzip_bomb_is_stopped_while_it_inflates():
    # 16 MiB of zeros in about 16 KiB: the requests transport asks for gzip, so it inflates answers.
    bomb = gzip.compress(bytes(16 << 20), 9)
    assert len(bomb) < 64 << 10
    with RawServer(body_of(bomb, "Content-Encoding: gzip")) as server:
        transport = RequestsTransport(max_response_bytes=1 << 20)
        with pytest.raises(TwilioConnectionError, match="more than 1,048,576 bytes"):
            transport.send("GET", server.base_url + "/x.json", auth=AUTH, timeout=5)
        transport.close()


def test_the_setting_reaches_the_transport_and_the_default_is_generous():
    Config.setup(account_sid=AUTH[0], auth_token=AUTH[1], max_response_bytes="1000")
    assert get_client().transport.max_response_bytes == 1000
    Config.setup(max_response_bytes=None, transport="urllib3")
    assert get_client().transport.max_response_bytes == 64 << 20


@pytest.mark.parametrize("value", [0, -1, "lots", 1.5, True])
def test_a_bad_limit_is_refused_at_init_app(value):
    from flask import Flask

    app = Flask(__name__)
    app.config.update(TWILIO_ACCOUNT_SID=AUTH[0], TWILIO_AUTH_TOKEN=AUTH[1], TWILIO_MAX_RESPONSE_BYTES=value)
    with pytest.raises(ConfigurationError, match="TWILIO_MAX_RESPONSE_BYTES is"):
        TwilioRB(app)


def test_a_client_call_over_the_limit_names_the_setting(monkeypatch: Any):
    with RawServer(body_of(RECORD)) as server:
        Config.setup(account_sid=AUTH[0], auth_token=AUTH[1], api_base_url=server.base_url, max_retries=0,
                     max_response_bytes=100)
        with pytest.raises(TwilioConnectionError, match="Raise TWILIO_MAX_RESPONSE_BYTES"):
            Call.find("CA" + "d" * 32)
        get_client().close()
