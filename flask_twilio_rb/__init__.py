"""flask-twilio-rb: Twilio for Flask, with ActiveRecord-style resources and TwiML templates.

Public names load on first use (PEP 562): ``from flask_twilio_rb import Call`` does not import
Flask, Jinja or the webhook and token code, which keeps scripts and worker start-up fast."""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any, List

__version__ = "0.1.0"

#: Each public name and the module that defines it.
_EXPORTS = {
    "APIError": "errors",
    "AccessToken": "tokens",
    "AuthenticationError": "errors",
    "Account": "resources",
    "Address": "resources",
    "Application": "resources",
    "AuthorizedConnectApp": "resources",
    "AvailablePhoneNumber": "resources",
    "AvailablePhoneNumberCountry": "resources",
    "Balance": "resources",
    "Call": "resources",
    "CallEvent": "resources",
    "CallNotification": "resources",
    "CallRecording": "resources",
    "CapabilityToken": "tokens",
    "ChatGrant": "tokens",
    "Client": "client",
    "Conference": "resources",
    "ConferenceRecording": "resources",
    "Config": "config",
    "ConfigurationError": "errors",
    "ConnectApp": "resources",
    "DependentPhoneNumber": "resources",
    "Grant": "tokens",
    "IncomingPhoneNumber": "resources",
    "IncomingPhoneNumberAssignedAddOn": "resources",
    "IncomingPhoneNumberAssignedAddOnExtension": "resources",
    "InvalidStateError": "errors",
    "Key": "resources",
    "Media": "resources",
    "Member": "resources",
    "Message": "resources",
    "MessageFeedback": "resources",
    "NewKey": "resources",
    "NewSigningKey": "resources",
    "NotFoundError": "errors",
    "Notification": "resources",
    "OutgoingCallerId": "resources",
    "Participant": "resources",
    "Payment": "resources",
    "PlaybackGrant": "tokens",
    "Queue": "resources",
    "RateLimitError": "errors",
    "RealtimeTranscription": "resources",
    "Recording": "resources",
    "RecordingAddOnResult": "resources",
    "RecordingAddOnResultPayload": "resources",
    "RecordingAddOnResultPayloadData": "resources",
    "RecordingTranscription": "resources",
    "RetiredOperationError": "errors",
    "SMS": "resources",
    "Sandbox": "resources",
    "Settings": "config",
    "ShortCode": "resources",
    "SignatureError": "errors",
    "SigningKey": "resources",
    "SipAuthCallsCredentialListMapping": "resources",
    "SipAuthCallsIpAccessControlListMapping": "resources",
    "SipAuthRegistrationsCredentialListMapping": "resources",
    "SipCredential": "resources",
    "SipCredentialList": "resources",
    "SipCredentialListMapping": "resources",
    "SipDomain": "resources",
    "SipIpAccessControlList": "resources",
    "SipIpAccessControlListMapping": "resources",
    "SipIpAddress": "resources",
    "Siprec": "resources",
    "Stream": "resources",
    "SyncGrant": "tokens",
    "TaskRouterGrant": "tokens",
    "Token": "resources",
    "TokenError": "errors",
    "Transcription": "resources",
    "TwiML": "twiml",
    "TwiMLError": "errors",
    "TwiMLExtension": "twiml",
    "TwilioConnectionError": "errors",
    "TwilioError": "errors",
    "TwilioRB": "extension",
    "TwilioTimeout": "errors",
    "UsageRecord": "resources",
    "UsageTrigger": "resources",
    "UserDefinedMessage": "resources",
    "UserDefinedMessageSubscription": "resources",
    "ValidationRequest": "resources",
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
    from .resources import (
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
