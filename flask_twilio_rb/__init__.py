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
from .apimap import api_map
from .resources import *  # noqa: F401,F403  (every resource class)
from .resources import RESOURCE_NAMES
from .signals import webhook_rejected
from .tokens import (
    AccessToken,
    CapabilityToken,
    ChatGrant,
    Grant,
    PlaybackGrant,
    SyncGrant,
    TaskRouterGrant,
    TokenError,
    VideoGrant,
    VoiceGrant,
)
from .twiml import TwiML, TwiMLExtension
from .views import render_voice, respond_to, voice_response
from .webhooks import (
    SignatureError,
    compute_signature,
    is_valid_signature,
    reject_invalid_request,
    validate_twilio_request,
)

__all__ = RESOURCE_NAMES + [
    "api_map",
    "APIError",
    "AccessToken",
    "CapabilityToken",
    "ChatGrant",
    "Client",
    "Config",
    "ConfigurationError",
    "Grant",
    "InvalidStateError",
    "PlaybackGrant",
    "RetiredOperationError",
    "Settings",
    "SignatureError",
    "SyncGrant",
    "TaskRouterGrant",
    "TokenError",
    "TwiML",
    "TwiMLError",
    "TwiMLExtension",
    "TwilioConnectionError",
    "TwilioError",
    "TwilioRB",
    "TwilioTimeout",
    "VideoGrant",
    "VoiceGrant",
    "compute_signature",
    "get_client",
    "is_valid_signature",
    "reject_invalid_request",
    "render_voice",
    "respond_to",
    "validate_twilio_request",
    "voice_response",
    "webhook_rejected",
]
