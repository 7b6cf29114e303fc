"""The voice tests' app: it answers each path with the TwiML a test gives it and keeps every request, signed.

Every view validates Twilio's signature (``validate_twilio_request``), so a request the emulator
signs wrongly gets a 403 and the call hears an application error: each test that reaches its
TwiML proves the signatures right. The emulator reaches the app in this process (attached).
"""
from __future__ import annotations

from typing import Any, Callable, Dict, Iterator, List, Union

import pytest
from flask import Flask, Response, request
from werkzeug.wrappers import Response as BaseResponse

from flask_twilio_rb import TwilioRB, validate_twilio_request
from flask_twilio_rb.testing import running_emulator
from flask_twilio_rb.testing.emulator import TwilioEmulator

NUMBER = "+15005550006"
CALLER = "+15551234567"
BASE = "http://localhost"
Page = Union[str, Callable[[Dict[str, str]], Any]]


class TwimlApp:
    """A Flask app whose pages are TwiML strings (or functions of the request's values)."""

    def __init__(self) -> None:
        self.pages: Dict[str, Page] = {}
        self.received: List[Dict[str, Any]] = []
        app = self.app = Flask(__name__)
        app.config.update(TESTING=True, TWILIO_ACCOUNT_SID="AC" + "5" * 32, TWILIO_AUTH_TOKEN="voice-token-" + "9" * 20)
        TwilioRB(app)

        @app.route("/<path:path>", methods=["GET", "POST"])
        @validate_twilio_request
        def page(path: str) -> Any:
            self.received.append({"path": "/" + path, "method": request.method, "values": request.values.to_dict(),
                                  "url": request.url})
            answer = self.pages.get("/" + path, "<Response/>")
            if callable(answer) and not isinstance(answer, BaseResponse):  # (a response is a WSGI callable too)
                answer = answer(request.values.to_dict())
            return Response(answer, mimetype="text/xml") if isinstance(answer, str) else answer

    def __setitem__(self, path: str, page: Page) -> None:
        self.pages[path] = page

    def paths(self) -> List[str]:
        """The paths requested so far, in order."""
        return [r["path"] for r in self.received]

    def last(self, path: str) -> Dict[str, str]:
        """The values of the last request to ``path``."""
        return [r for r in self.received if r["path"] == path][-1]["values"]


def doc(*verbs: str) -> str:
    """A TwiML document of ``verbs``."""
    return '<?xml version="1.0" encoding="UTF-8"?><Response>' + "".join(verbs) + "</Response>"


@pytest.fixture
def twiml_app() -> TwimlApp:
    return TwimlApp()


@pytest.fixture
def emulator(twiml_app: TwimlApp) -> Iterator[TwilioEmulator]:
    """A running emulator with the app attached, and the number NUMBER calling /voice (and texting /sms)."""
    with running_emulator(twiml_app.app) as emu:
        emu.seed("IncomingPhoneNumber", phone_number=NUMBER, voice_url=BASE + "/voice", sms_url=BASE + "/sms")
        yield emu
