"""flask-twilio-rb: Twilio for Flask, with ActiveRecord-style resources and TwiML templates."""
from __future__ import annotations

__version__ = "0.1.0"

from .client import Client, get_client
from .config import Config, Settings
from .errors import (
    APIError,
    ConfigurationError,
    InvalidStateError,
    RetiredOperationError,
    TwilioConnectionError,
    TwilioError,
    TwilioTimeout,
    TwiMLError,
)
from .extension import TwilioRB

__all__ = [
    "APIError",
    "Client",
    "Config",
    "ConfigurationError",
    "InvalidStateError",
    "RetiredOperationError",
    "Settings",
    "TwiMLError",
    "TwilioConnectionError",
    "TwilioError",
    "TwilioRB",
    "TwilioTimeout",
    "get_client",
]
