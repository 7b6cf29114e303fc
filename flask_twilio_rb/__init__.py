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

# The real types for mypy and IDEs (``X as X``: re-exported, as mypy --strict wants); at run time each
# name loads on first use (below).
if TYPE_CHECKING:
    from .apimap import api_map as api_map
    from .client import Client as Client, get_client as get_client
    from .config import Config as Config, Settings as Settings
    from .errors import (
        APIError as APIError, AuthenticationError as AuthenticationError,
        ConfigurationError as ConfigurationError, InvalidStateError as InvalidStateError,
        NotFoundError as NotFoundError, RateLimitError as RateLimitError,
        RetiredOperationError as RetiredOperationError, SignatureError as SignatureError,
        TokenError as TokenError, TwiMLError as TwiMLError, TwilioConnectionError as TwilioConnectionError,
        TwilioError as TwilioError, TwilioTimeout as TwilioTimeout,
    )
    from .extension import TwilioRB as TwilioRB
    from .api.v2010 import (
        Account as Account, Address as Address, Application as Application,
        AuthorizedConnectApp as AuthorizedConnectApp, AvailablePhoneNumber as AvailablePhoneNumber,
        AvailablePhoneNumberCountry as AvailablePhoneNumberCountry, Balance as Balance, Call as Call,
        CallEvent as CallEvent, CallNotification as CallNotification, CallRecording as CallRecording,
        Conference as Conference, ConferenceRecording as ConferenceRecording, ConnectApp as ConnectApp,
        DependentPhoneNumber as DependentPhoneNumber, IncomingPhoneNumber as IncomingPhoneNumber,
        IncomingPhoneNumberAssignedAddOn as IncomingPhoneNumberAssignedAddOn,
        IncomingPhoneNumberAssignedAddOnExtension as IncomingPhoneNumberAssignedAddOnExtension, Key as Key,
        Media as Media, Member as Member, Message as Message, MessageFeedback as MessageFeedback,
        NewKey as NewKey, NewSigningKey as NewSigningKey, Notification as Notification,
        OutgoingCallerId as OutgoingCallerId, Participant as Participant, Payment as Payment, Queue as Queue,
        RealtimeTranscription as RealtimeTranscription, Recording as Recording,
        RecordingAddOnResult as RecordingAddOnResult,
        RecordingAddOnResultPayload as RecordingAddOnResultPayload,
        RecordingAddOnResultPayloadData as RecordingAddOnResultPayloadData,
        RecordingTranscription as RecordingTranscription, SMS as SMS, Sandbox as Sandbox,
        ShortCode as ShortCode, SigningKey as SigningKey,
        SipAuthCallsCredentialListMapping as SipAuthCallsCredentialListMapping,
        SipAuthCallsIpAccessControlListMapping as SipAuthCallsIpAccessControlListMapping,
        SipAuthRegistrationsCredentialListMapping as SipAuthRegistrationsCredentialListMapping,
        SipCredential as SipCredential, SipCredentialList as SipCredentialList,
        SipCredentialListMapping as SipCredentialListMapping, SipDomain as SipDomain,
        SipIpAccessControlList as SipIpAccessControlList,
        SipIpAccessControlListMapping as SipIpAccessControlListMapping, SipIpAddress as SipIpAddress,
        Siprec as Siprec, Stream as Stream, Token as Token, Transcription as Transcription,
        UsageRecord as UsageRecord, UsageTrigger as UsageTrigger, UserDefinedMessage as UserDefinedMessage,
        UserDefinedMessageSubscription as UserDefinedMessageSubscription,
        ValidationRequest as ValidationRequest,
    )
    from .signals import request_sent as request_sent, webhook_rejected as webhook_rejected
    from .signature import compute_signature as compute_signature, is_valid_signature as is_valid_signature
    from .state import client_for as client_for
    from .tokens import (
        AccessToken as AccessToken, CapabilityToken as CapabilityToken, ChatGrant as ChatGrant,
        Grant as Grant, PlaybackGrant as PlaybackGrant, SyncGrant as SyncGrant,
        TaskRouterGrant as TaskRouterGrant, VideoGrant as VideoGrant, VoiceGrant as VoiceGrant,
    )
    from .twiml import TwiML as TwiML, TwiMLExtension as TwiMLExtension
    from .views import (
        render_voice as render_voice, respond_to as respond_to, voice_response as voice_response,
    )
    from .webhooks import (
        reject_invalid_request as reject_invalid_request, validate_twilio_request as validate_twilio_request,
    )

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
