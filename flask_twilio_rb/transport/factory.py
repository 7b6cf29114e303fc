"""The one place that decides how a client's requests travel, from its settings.

* ``TWILIO_SUPPRESS_SEND``: an in-process emulator answers through :class:`.wsgi.WSGITransport`;
  nothing leaves the process.
* ``TWILIO_EMULATOR``: an emulator serves on an ephemeral 127.0.0.1 port from a daemon thread
  and the HTTP transport is pointed at it (it posts signed callbacks and fetches TwiML).
* otherwise: the HTTP transport named by ``TWILIO_TRANSPORT``.

The client sends through the transport wrapped in :class:`.retrying.RetryingTransport`.
"""
from __future__ import annotations

import atexit
from dataclasses import replace
from typing import TYPE_CHECKING, NamedTuple, Optional

from ..config import TRANSPORTS, Settings
from ..errors import ConfigurationError
from .base import Transport
from .http_requests import RequestsTransport

if TYPE_CHECKING:
    from ..local import TwilioEmulator

#: The base URL a client with suppressed sending shows; it is never resolved or connected to.
SUPPRESSED_BASE_URL = "http://suppressed.twilio.localhost"


class Connection(NamedTuple):
    """What a client sends through: the transport, the settings it really uses, and the emulator if any."""

    transport: Transport
    settings: Settings
    emulator: Optional["TwilioEmulator"]


def connect(settings: Settings) -> Connection:
    """The transport for ``settings``; in the local modes also the emulator and the settings pointed at it.

    In both local modes the account SID and auth token are the app's when it sets them (so its
    webhook validation accepts the emulator's signatures), else generated ones.
    """
    if not (settings.suppress_send or settings.emulator):
        return Connection(make_transport(settings), settings, None)
    from ..local import TwilioEmulator  # only clients with no account load the emulator
    from .wsgi import WSGITransport

    if settings.suppress_send:
        emulator = TwilioEmulator(settings.account_sid, settings.auth_token, callbacks=False)
        return Connection(WSGITransport(emulator.app), _pointed(settings, emulator, SUPPRESSED_BASE_URL), emulator)
    emulator = TwilioEmulator(settings.account_sid, settings.auth_token, auto_advance=settings.emulator_step).start()
    atexit.register(emulator.stop)
    local = _pointed(settings, emulator, emulator.base_url)
    return Connection(make_transport(local), local, emulator)


def make_transport(settings: Settings) -> Transport:
    """The HTTP transport named by ``TWILIO_TRANSPORT``: ``"requests"`` (the default) or ``"urllib3"``."""
    name = settings.transport
    limit = settings.max_response_bytes
    if name == "requests":
        return RequestsTransport(trust_env=settings.trust_env, pool_size=settings.pool_size, max_response_bytes=limit)
    if name == "urllib3":
        if settings.trust_env:  # silently ignoring it would send around the proxy the user asked for
            raise ConfigurationError(
                "TWILIO_TRUST_ENV takes proxies from the environment, which only the requests transport"
                " does: unset TWILIO_TRANSPORT (or set it to \"requests\"), or unset TWILIO_TRUST_ENV."
            )
        from .http_urllib3 import Urllib3Transport  # only apps that choose it import it

        return Urllib3Transport(pool_size=settings.pool_size, max_response_bytes=limit)
    raise ConfigurationError(
        f"TWILIO_TRANSPORT is {name!r}; use one of {', '.join(repr(t) for t in TRANSPORTS)}."
    )


def _pointed(settings: Settings, emulator: "TwilioEmulator", base_url: str) -> Settings:
    # API keys are Twilio's, not the emulator's: the emulator's own account credentials are used.
    return replace(settings, account_sid=emulator.account_sid, auth_token=emulator.auth_token,
                   api_key=None, api_secret=None, api_base_url=base_url)
