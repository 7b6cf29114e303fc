"""Working with no Twilio account: ``TWILIO_SUPPRESS_SEND`` and ``TWILIO_EMULATOR``.

* ``TWILIO_SUPPRESS_SEND = True``: nothing leaves the process. Requests are answered by an
  in-process :class:`~flask_twilio_rb.testing.TwilioEmulator` called as a WSGI app (no socket,
  no thread), so ``Message.create`` still returns a ``Message`` with a SID. Pair it with
  ``app.twilio.record()`` to assert what would have been sent.
* ``TWILIO_EMULATOR = True``: an emulator starts on an ephemeral 127.0.0.1 port in a
  background thread and the client is pointed at it. Unlike suppressed sending it makes real
  HTTP requests, posts signed status callbacks to your app and fetches your TwiML, which is
  what local development wants.

In both modes the account SID and auth token are the app's when it sets them (so its webhook
validation accepts the emulator's signatures), else generated ones.
"""
from __future__ import annotations

import atexit
import base64
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Optional, Tuple
from urllib.parse import urlencode

from .config import Settings
from .transport import Params, RawResponse, Transport

if TYPE_CHECKING:
    from .testing.emulator import TwilioEmulator

#: The base URL a client with suppressed sending shows; it is never resolved or connected to.
SUPPRESSED_BASE_URL = "http://suppressed.twilio.localhost"


class WSGITransport(Transport):
    """A transport that calls a WSGI app in this process: no socket, no network, no thread."""

    def __init__(self, wsgi_app: Any) -> None:
        from werkzeug.test import Client as WSGIClient  # Werkzeug comes with Flask

        self._client = WSGIClient(wsgi_app, use_cookies=False)

    def send(self, method: str, url: str, *, params: Optional[Params] = None, data: Optional[Params] = None,
             auth: Tuple[str, str], timeout: float) -> RawResponse:
        """Call the app with the request Twilio would receive and return its answer."""
        credentials = base64.b64encode(":".join(auth).encode()).decode()
        response = self._client.open(
            url, method=method, query_string=urlencode(params or ()),
            data=urlencode(data) if data else None,
            content_type="application/x-www-form-urlencoded" if data else None,
            headers={"Authorization": f"Basic {credentials}"},
        )
        return RawResponse(response.status_code, response.headers, response.get_data())


def go_local(settings: Settings) -> Tuple[Settings, Transport, "TwilioEmulator"]:
    """The settings, transport and emulator of a client in suppressed-sending or emulator mode."""
    from .testing.emulator import TwilioEmulator  # only clients that ask for it load the emulator

    if settings.suppress_send:
        emulator = TwilioEmulator(settings.account_sid, settings.auth_token, callbacks=False)
        return _pointed(settings, emulator, SUPPRESSED_BASE_URL), WSGITransport(emulator.app), emulator
    emulator = TwilioEmulator(settings.account_sid, settings.auth_token, auto_advance=settings.emulator_step).start()
    atexit.register(emulator.stop)
    from .client import make_transport

    local = _pointed(settings, emulator, emulator.base_url)
    return local, make_transport(local), emulator


def _pointed(settings: Settings, emulator: "TwilioEmulator", base_url: str) -> Settings:
    # API keys are Twilio's, not the emulator's: the emulator's own account credentials are used.
    return replace(settings, account_sid=emulator.account_sid, auth_token=emulator.auth_token,
                   api_key=None, api_secret=None, api_base_url=base_url)
