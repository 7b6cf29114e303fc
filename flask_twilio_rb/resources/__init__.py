"""Every resource of the Twilio 2010-04-01 API, as a class (see :func:`flask_twilio_rb.api_map`)."""
from __future__ import annotations

from .accounts import Account, Application, AuthorizedConnectApp, Balance, ConnectApp, Notification, ShortCode  # noqa: F401
from .calls import Call, CallEvent, CallNotification, CallRecording, Payment, RealtimeTranscription, Siprec, Stream, UserDefinedMessage, UserDefinedMessageSubscription  # noqa: F401
from .conferences import Conference, ConferenceRecording, Participant  # noqa: F401
from .keys import Key, NewKey, NewSigningKey, SigningKey, Token  # noqa: F401
from .messages import Media, Message, MessageFeedback  # noqa: F401
from .numbers import Address, AvailablePhoneNumber, AvailablePhoneNumberCountry, DependentPhoneNumber, IncomingPhoneNumber, IncomingPhoneNumberAssignedAddOn, IncomingPhoneNumberAssignedAddOnExtension, OutgoingCallerId, ValidationRequest  # noqa: F401
from .queues import Member, Queue  # noqa: F401
from .recordings import Recording, RecordingAddOnResult, RecordingAddOnResultPayload, RecordingAddOnResultPayloadData, RecordingTranscription, Transcription  # noqa: F401
from .sip import SipAuthCallsCredentialListMapping, SipAuthCallsIpAccessControlListMapping, SipAuthRegistrationsCredentialListMapping, SipCredential, SipCredentialList, SipCredentialListMapping, SipDomain, SipIpAccessControlList, SipIpAccessControlListMapping, SipIpAddress  # noqa: F401
from .usage import UsageRecord, UsageTrigger  # noqa: F401
from .legacy import SMS, Sandbox  # noqa: F401
from .base import REGISTRY, Resource  # noqa: F401

RESOURCE_NAMES = [
    "Account",
    "Address",
    "Application",
    "AuthorizedConnectApp",
    "AvailablePhoneNumber",
    "AvailablePhoneNumberCountry",
    "Balance",
    "Call",
    "CallEvent",
    "CallNotification",
    "CallRecording",
    "Conference",
    "ConferenceRecording",
    "ConnectApp",
    "DependentPhoneNumber",
    "IncomingPhoneNumber",
    "IncomingPhoneNumberAssignedAddOn",
    "IncomingPhoneNumberAssignedAddOnExtension",
    "Key",
    "Media",
    "Member",
    "Message",
    "MessageFeedback",
    "NewKey",
    "NewSigningKey",
    "Notification",
    "OutgoingCallerId",
    "Participant",
    "Payment",
    "Queue",
    "RealtimeTranscription",
    "Recording",
    "RecordingAddOnResult",
    "RecordingAddOnResultPayload",
    "RecordingAddOnResultPayloadData",
    "RecordingTranscription",
    "SMS",
    "Sandbox",
    "ShortCode",
    "SigningKey",
    "SipAuthCallsCredentialListMapping",
    "SipAuthCallsIpAccessControlListMapping",
    "SipAuthRegistrationsCredentialListMapping",
    "SipCredential",
    "SipCredentialList",
    "SipCredentialListMapping",
    "SipDomain",
    "SipIpAccessControlList",
    "SipIpAccessControlListMapping",
    "SipIpAddress",
    "Siprec",
    "Stream",
    "Token",
    "Transcription",
    "UsageRecord",
    "UsageTrigger",
    "UserDefinedMessage",
    "UserDefinedMessageSubscription",
    "ValidationRequest",
]
