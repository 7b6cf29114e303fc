"""Every resource of the Twilio 2010-04-01 API, as a class (see :func:`flask_twilio_rb.api_map`)."""
from __future__ import annotations

from .accounts import (  # noqa: F401
    Account,
    Application,
    AuthorizedConnectApp,
    Balance,
    ConnectApp,
    Notification,
    ShortCode,
)
from .base import REGISTRY, Resource  # noqa: F401
from .calls import (  # noqa: F401
    Call,
    CallEvent,
    CallNotification,
    CallRecording,
    Payment,
    RealtimeTranscription,
    Siprec,
    Stream,
    UserDefinedMessage,
    UserDefinedMessageSubscription,
)
from .conferences import Conference, ConferenceRecording, Participant  # noqa: F401
from .keys import Key, NewKey, NewSigningKey, SigningKey, Token  # noqa: F401
from .legacy import SMS, Sandbox  # noqa: F401
from .messages import Media, Message, MessageFeedback  # noqa: F401
from .numbers import (  # noqa: F401
    Address,
    AvailablePhoneNumber,
    AvailablePhoneNumberCountry,
    DependentPhoneNumber,
    IncomingPhoneNumber,
    IncomingPhoneNumberAssignedAddOn,
    IncomingPhoneNumberAssignedAddOnExtension,
    OutgoingCallerId,
    ValidationRequest,
)
from .queues import Member, Queue  # noqa: F401
from .recordings import (  # noqa: F401
    Recording,
    RecordingAddOnResult,
    RecordingAddOnResultPayload,
    RecordingAddOnResultPayloadData,
    RecordingTranscription,
    Transcription,
)
from .sip import (  # noqa: F401
    SipAuthCallsCredentialListMapping,
    SipAuthCallsIpAccessControlListMapping,
    SipAuthRegistrationsCredentialListMapping,
    SipCredential,
    SipCredentialList,
    SipCredentialListMapping,
    SipDomain,
    SipIpAccessControlList,
    SipIpAccessControlListMapping,
    SipIpAddress,
)
from .usage import UsageRecord, UsageTrigger  # noqa: F401
