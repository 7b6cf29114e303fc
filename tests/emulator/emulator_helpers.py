"""What the emulator tests share: numbers, raw HTTP against the emulator, a webhook app on a real socket."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Any, Dict, Iterator, List, Optional

import requests
from flask import Flask, Response, request
from werkzeug.serving import make_server

from flask_twilio_rb import Config, TwilioRB
from flask_twilio_rb.testing.emulator import TwilioEmulator
from flask_twilio_rb.webhooks import validate_twilio_request

TO = "+15558675310"
FROM = "+15005550006"  # Twilio's magic "valid sender"
TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hello from the test app</Say></Response>'


@contextmanager
def running(**options: Any) -> Iterator[TwilioEmulator]:
    """A running emulator the library's script configuration points at."""
    with TwilioEmulator(**options) as emu:
        Config.setup(account_sid=emu.account_sid, auth_token=emu.auth_token, api_base_url=emu.base_url)
        yield emu


def messaging_service(emu: TwilioEmulator, *numbers: str, **settings: str) -> str:
    """A Messaging Service of the main account, ``numbers`` bought and put in its pool (over raw HTTP); its SID.

    :param settings: the service's parameters by Twilio's names (``StickySender="false"``).
    """
    with requests.Session() as http:
        http.auth = (emu.account_sid, emu.auth_token)
        made = http.post(f"{emu.base_url}/messaging/v1/Services", data={"FriendlyName": "pool", **settings}, timeout=5)
        assert made.status_code == 201, made.text
        service = made.json()["sid"]
        for number in numbers:
            bought = http.post(f"{emu.base_url}/2010-04-01/Accounts/{emu.account_sid}/IncomingPhoneNumbers.json",
                               data={"PhoneNumber": number}, timeout=5)
            assert bought.status_code == 201, bought.text
            added = http.post(f"{emu.base_url}/messaging/v1/Services/{service}/PhoneNumbers",
                              data={"PhoneNumberSid": bought.json()["sid"]}, timeout=5)
            assert added.status_code == 201, added.text
        return service


def content_template(emu: TwilioEmulator, body: str, variables: Any = None, **types: Any) -> str:
    """A ``twilio/text`` template of the main account (and any other ``types``, by ``twilio_media=``...); its SID."""
    kinds = {"twilio/text": {"body": body}, **{name.replace("_", "/", 1): value for name, value in types.items()}}
    made = requests.post(f"{emu.base_url}/content/v1/Content", auth=(emu.account_sid, emu.auth_token), timeout=5,
                         json={"friendly_name": "template", "language": "en", "variables": variables or {},
                               "types": kinds})
    assert made.status_code == 201, made.text
    return str(made.json()["sid"])


class Api:
    """Raw HTTP against the emulator's newer APIs (``/verify/v2/...``), with the main account's credentials."""

    def __init__(self, emu: Any, auth: Optional[tuple] = None) -> None:
        self.emu = emu
        self.session = requests.Session()
        self.session.auth = auth or (emu.account_sid, emu.auth_token)

    def __call__(self, method: str, path: str, expect: Optional[int] = None, **kwargs: Any) -> Any:
        answer = self.session.request(method, self.emu.base_url + path, timeout=10, **kwargs)
        if expect is not None:
            assert answer.status_code == expect, answer.text
        return answer.json() if answer.content else None

    def error(self, method: str, path: str, status: int, **kwargs: Any) -> Dict[str, Any]:
        """The error body of a request that must fail with ``status`` (Twilio's shape checked)."""
        answer = self.session.request(method, self.emu.base_url + path, timeout=10, **kwargs)
        assert answer.status_code == status, answer.text
        body = answer.json()
        assert body["status"] == status and body["more_info"].endswith(str(body["code"]))
        return body


class Raw:
    """``requests`` against the emulator, for what the library never sends (bad auth, unknown parameters)."""

    def __init__(self, emu: TwilioEmulator) -> None:
        self.emu = emu
        self.session = requests.Session()
        self.session.auth = (emu.account_sid, emu.auth_token)

    def url(self, path: str) -> str:
        return f"{self.emu.base_url}/2010-04-01/Accounts/{self.emu.account_sid}{path}"

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.get(self.url(path), timeout=5, **kwargs)

    def post(self, path: str, data: Any = None, **kwargs: Any) -> requests.Response:
        return self.session.post(self.url(path), data=data, timeout=5, **kwargs)


class WebhookApp:
    """A small Flask app on a real socket that validates Twilio's signature on everything it receives."""

    def __init__(self, account_sid: str, auth_token: str) -> None:
        self.received: List[Dict[str, Any]] = []
        self.arrived = threading.Condition()
        app = Flask(__name__)
        app.config.update(TWILIO_ACCOUNT_SID=account_sid, TWILIO_AUTH_TOKEN=auth_token)
        TwilioRB(app)

        @app.route("/status", methods=["GET", "POST"])
        @validate_twilio_request
        def status() -> Response:
            return self._record("status", 204)

        @app.route("/twiml", methods=["GET", "POST"])
        @validate_twilio_request
        def twiml() -> Response:
            return self._record("twiml", 200, TWIML)

        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def _record(self, view: str, status: int, body: str = "") -> Response:
        with self.arrived:
            self.received.append({"view": view, "method": request.method, "values": request.values.to_dict(),
                                  "idempotency": request.headers.get("I-Twilio-Idempotency-Token")})
            self.arrived.notify_all()
        return Response(body, status=status, mimetype="text/xml")

    def wait_for(self, count: int, timeout: float = 5.0) -> List[Dict[str, Any]]:
        """Block until ``count`` requests have arrived (fails after ``timeout`` seconds)."""
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.received) >= count, timeout), self.received
            return list(self.received)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)
