"""flask-twilio-rb: Twilio for Flask, with ActiveRecord-style resources and TwiML templates.

Public names load on first use (PEP 562): ``from flask_twilio_rb import Call`` does not import
Flask, Jinja or the webhook and token code, which keeps scripts and worker start-up fast. The
2010-04-01 API's classes are exported here; every other domain is a package of its own
(``from flask_twilio_rb.verify import Service``), loaded only when imported."""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any, List

__version__ = "0.1.0"

#: Each public name and the module that defines it.
_EXPORTS = {
    "APIError": "errors",
    "AccessToken": "tokens",
    "AuthenticationError": "errors",
    "Account": "api.v2010",
    "Address": "api.v2010",
    "Application": "api.v2010",
    "AuthorizedConnectApp": "api.v2010",
    "AvailablePhoneNumber": "api.v2010",
    "AvailablePhoneNumberCountry": "api.v2010",
    "Balance": "api.v2010",
    "Call": "api.v2010",
    "CallEvent": "api.v2010",
    "CallNotification": "api.v2010",
    "CallRecording": "api.v2010",
    "CapabilityToken": "tokens",
    "ChatGrant": "tokens",
    "Client": "client",
    "Conference": "api.v2010",
    "ConferenceRecording": "api.v2010",
    "Config": "config",
    "ConfigurationError": "errors",
    "ConnectApp": "api.v2010",
    "DependentPhoneNumber": "api.v2010",
    "Grant": "tokens",
    "IncomingPhoneNumber": "api.v2010",
    "IncomingPhoneNumberAssignedAddOn": "api.v2010",
    "IncomingPhoneNumberAssignedAddOnExtension": "api.v2010",
    "InvalidStateError": "errors",
    "Key": "api.v2010",
    "Media": "api.v2010",
    "Member": "api.v2010",
    "Message": "api.v2010",
    "MessageFeedback": "api.v2010",
    "NewKey": "api.v2010",
    "NewSigningKey": "api.v2010",
    "NotFoundError": "errors",
    "Notification": "api.v2010",
    "OutgoingCallerId": "api.v2010",
    "Participant": "api.v2010",
    "Payment": "api.v2010",
    "PlaybackGrant": "tokens",
    "Queue": "api.v2010",
    "RateLimitError": "errors",
    "RealtimeTranscription": "api.v2010",
    "Recording": "api.v2010",
    "RecordingAddOnResult": "api.v2010",
    "RecordingAddOnResultPayload": "api.v2010",
    "RecordingAddOnResultPayloadData": "api.v2010",
    "RecordingTranscription": "api.v2010",
    "RetiredOperationError": "errors",
    "SMS": "api.v2010",
    "Sandbox": "api.v2010",
    "Settings": "config",
    "ShortCode": "api.v2010",
    "SignatureError": "errors",
    "SigningKey": "api.v2010",
    "SipAuthCallsCredentialListMapping": "api.v2010",
    "SipAuthCallsIpAccessControlListMapping": "api.v2010",
    "SipAuthRegistrationsCredentialListMapping": "api.v2010",
    "SipCredential": "api.v2010",
    "SipCredentialList": "api.v2010",
    "SipCredentialListMapping": "api.v2010",
    "SipDomain": "api.v2010",
    "SipIpAccessControlList": "api.v2010",
    "SipIpAccessControlListMapping": "api.v2010",
    "SipIpAddress": "api.v2010",
    "Siprec": "api.v2010",
    "Stream": "api.v2010",
    "SyncGrant": "tokens",
    "TaskRouterGrant": "tokens",
    "Token": "api.v2010",
    "TokenError": "errors",
    "Transcription": "api.v2010",
    "TwiML": "twiml",
    "TwiMLError": "errors",
    "TwiMLExtension": "twiml",
    "TwilioConnectionError": "errors",
    "TwilioError": "errors",
    "TwilioRB": "extension",
    "TwilioTimeout": "errors",
    "UsageRecord": "api.v2010",
    "UsageTrigger": "api.v2010",
    "UserDefinedMessage": "api.v2010",
    "UserDefinedMessageSubscription": "api.v2010",
    "ValidationRequest": "api.v2010",
    "VideoGrant": "tokens",
    "VoiceGrant": "tokens",
    "api_map": "apimap",
    "client_for": "state",
    "compute_signature": "signature",
    "get_client": "client",
    "is_valid_signature": "signature",
    "reject_invalid_request": "webhooks",
    "render_voice": "views",
    "request_sent": "signals",
    "respond_to": "views",
    "validate_twilio_request": "webhooks",
    "voice_response": "views",
    "webhook_rejected": "signals",
}

if TYPE_CHECKING:  # the real types for mypy and IDEs; at run time each name loads on first use (below)
    from .apimap import api_map
    from .client import Client, get_client
    from .config import Config, Settings
    from .errors import (
        APIError, AuthenticationError, ConfigurationError, InvalidStateError, NotFoundError, RateLimitError,
        RetiredOperationError, SignatureError, TokenError, TwiMLError, TwilioConnectionError, TwilioError,
        TwilioTimeout,
    )
    from .extension import TwilioRB
    from .api.v2010 import (
        Account, Address, Application, AuthorizedConnectApp, AvailablePhoneNumber,
        AvailablePhoneNumberCountry, Balance, Call, CallEvent, CallNotification, CallRecording, Conference,
        ConferenceRecording, ConnectApp, DependentPhoneNumber, IncomingPhoneNumber,
        IncomingPhoneNumberAssignedAddOn, IncomingPhoneNumberAssignedAddOnExtension, Key, Media, Member,
        Message, MessageFeedback, NewKey, NewSigningKey, Notification, OutgoingCallerId, Participant,
        Payment, Queue, RealtimeTranscription, Recording, RecordingAddOnResult, RecordingAddOnResultPayload,
        RecordingAddOnResultPayloadData, RecordingTranscription, SMS, Sandbox, ShortCode, SigningKey,
        SipAuthCallsCredentialListMapping, SipAuthCallsIpAccessControlListMapping,
        SipAuthRegistrationsCredentialListMapping, SipCredential, SipCredentialList,
        SipCredentialListMapping, SipDomain, SipIpAccessControlList, SipIpAccessControlListMapping,
        SipIpAddress, Siprec, Stream, Token, Transcription, UsageRecord, UsageTrigger, UserDefinedMessage,
        UserDefinedMessageSubscription, ValidationRequest,
    )
    from .signals import request_sent, webhook_rejected
    from .signature import compute_signature, is_valid_signature
    from .state import client_for
    from .tokens import (
        AccessToken, CapabilityToken, ChatGrant, Grant, PlaybackGrant, SyncGrant, TaskRouterGrant,
        VideoGrant, VoiceGrant,
    )
    from .twiml import TwiML, TwiMLExtension
    from .views import render_voice, respond_to, voice_response
    from .webhooks import reject_invalid_request, validate_twilio_request

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'flask_twilio_rb' has no attribute {name!r}") from None
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> List[str]:
    return sorted(set(globals()) | set(__all__))
