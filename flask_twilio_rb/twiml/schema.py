"""The TwiML element table: every Voice and Messaging verb and noun, its attributes and children.

The table is a declaration; :func:`child_of` and :func:`check_attributes` are the mechanism
that strict mode (``TwiML.build(..., strict=True)``) runs against it. The default, permissive
mode never looks at the table except to spell element names, so new Twilio elements and
attributes work before this table learns them.

An entry is keyed by its tag, except where one tag means two things: ``<Sip>`` inside
``<Refer>`` takes only a URI (key ``"Refer.Sip"``), ``<Sip>`` inside ``<Dial>`` takes many
attributes (key ``"Sip"``). Attribute names are the XML spelling (``maxLength``, ``xml:lang``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, FrozenSet, Tuple

from ..errors import TwiMLError


@dataclass(frozen=True)
class Element:
    """One entry of the table.

    :param key: the entry's key in :data:`ELEMENTS` (the tag, or ``Parent.Tag`` for a tag whose
        meaning depends on its parent).
    :param tag: the XML tag, e.g. ``"Say"``, ``"say-as"``.
    :param method: the builder method and template tag that emit it, e.g. ``"say_as"``.
    :param attributes: the attribute names it accepts, in XML spelling.
    :param children: the keys of the elements it may contain.
    :param text: whether it may contain text.
    :param void: whether templates write it as a single tag (``{% hangup %}``) with no end tag.
    """

    key: str
    tag: str
    method: str
    attributes: FrozenSet[str]
    children: Tuple[str, ...]
    text: bool
    void: bool


ELEMENTS: Dict[str, Element] = {}


def _declare(
    key: str, *, tag: str = "", method: str = "", attributes: str = "", children: str = "",
    text: bool = False, void: bool = False,
) -> None:
    tag = tag or key.rsplit(".", 1)[-1]
    ELEMENTS[key] = Element(key, tag, method or _snake(tag), frozenset(attributes.split()),
                            tuple(children.split()), text, void)


def _snake(tag: str) -> str:
    out = [tag[0].lower()]
    for char in tag[1:]:
        out.append("_" + char.lower() if char.isupper() else char)
    return "".join(out)


_SSML_ALL = "break emphasis lang p phoneme prosody s say-as sub w"
_STATUS = "statusCallback statusCallbackEvent statusCallbackMethod"
_RECORDING = ("recordingConfigurationId recordingStatusCallback recordingStatusCallbackEvent"
              " recordingStatusCallbackMethod")
_AMD = ("amdStatusCallback amdStatusCallbackMethod machineDetection machineDetectionSilenceTimeout"
        " machineDetectionSpeechEndThreshold machineDetectionSpeechThreshold machineDetectionTimeout")

# The root. Voice and Messaging share it: Twilio tells them apart by the webhook, not the XML.
_declare("Response", children=(
    "Connect Dial Echo Enqueue Gather Hangup Leave Pause Play Queue Record Redirect Reject Say Sms"
    " Pay Prompt Start Stop Refer Message"))

# Voice verbs.
_declare("Say", text=True, attributes="voice loop language", children=_SSML_ALL)
_declare("Play", text=True, attributes="loop digits")
_declare("Pause", attributes="length", void=True)
_declare("Gather", children="Say Pause Play", attributes=(
    "input action method timeout speechTimeout maxSpeechTime profanityFilter finishOnKey numDigits"
    " partialResultCallback partialResultCallbackMethod language hints bargeIn debug"
    " actionOnEmptyResult speechModel enhanced"))
_declare("Dial", text=True, children="Number Client Sip Conference Queue Sim Application WhatsApp",
         attributes=("action method timeout hangupOnStar timeLimit callerId record trim"
                     f" {_RECORDING} answerOnBridge ringTone recordingTrack sequential referUrl"
                     " referMethod events passports"))
_declare("Record", void=True, attributes=(
    f"action method timeout finishOnKey maxLength playBeep trim {_RECORDING} transcribe"
    " transcribeCallback"))
_declare("Redirect", text=True, attributes="method")
_declare("Reject", attributes="reason", children="Parameter", void=True)
_declare("Hangup", children="Parameter", void=True)
_declare("Leave", void=True)
_declare("Echo", void=True)
_declare("Enqueue", text=True, children="Task",
         attributes="action maxQueueSize method waitUrl waitUrlMethod workflowSid")
_declare("Connect", attributes="action method", children=(
    "Room Autopilot Stream VirtualAgent Conversation ConversationRelay AiSession"
    " ConversationRelaySession"))
_declare("Start", attributes="action method", children="Stream Siprec Transcription Recording")
_declare("Stop", children="Stream Siprec Transcription")
_declare("Pay", children="Prompt Parameter", attributes=(
    "input action bankAccountType statusCallback statusCallbackMethod timeout maxAttempts"
    " securityCode postalCode minPostalCodeLength paymentConnector paymentMethod tokenType"
    " chargeAmount currency description validCardTypes language"))
_declare("Prompt", children="Say Play Pause",
         attributes="for errorType cardType attempt requireMatchingInputs")
_declare("Refer", attributes="action method", children="Refer.Sip")
_declare("Sms", text=True, attributes="to from action method statusCallback")

# Nouns of <Dial>.
_declare("Number", text=True, attributes=f"sendDigits url method {_STATUS} byoc {_AMD}")
_declare("Client", text=True, children="Identity Parameter", attributes=f"url method {_STATUS}")
_declare("Identity", text=True)
_declare("Sip", text=True, children="Uri Headers",
         attributes=f"username password url method {_STATUS} {_AMD}")
_declare("Uri", text=True, attributes="username password priority weight")
_declare("Headers", children="Header")
_declare("Header", attributes="name value", void=True)
_declare("Conference", text=True, attributes=(
    f"muted beep startConferenceOnEnter endConferenceOnExit waitUrl waitMethod maxParticipants"
    f" record region coach trim {_STATUS} {_RECORDING} eventCallbackUrl jitterBufferSize"
    " participantLabel"))
_declare("Queue", text=True, attributes="url method reservationSid postWorkActivitySid")
_declare("Sim", text=True)
_declare("Application", text=True, children="ApplicationSid Parameter",
         attributes=f"url method {_STATUS} customerId copyParentTo")
_declare("ApplicationSid", text=True)
_declare("WhatsApp", method="whatsapp", text=True, attributes=f"url method {_STATUS}")

# Nouns of <Enqueue>, <Refer>, <Connect>, <Start> and <Stop>.
_declare("Task", text=True, attributes="priority timeout")
_declare("Refer.Sip", text=True)
_declare("Room", text=True, attributes="participantIdentity")
_declare("Autopilot", text=True)
_declare("Stream", children="Parameter", attributes=(
    "name connectorName url track statusCallback statusCallbackMethod audioFormat sampleRate"))
_declare("Siprec", children="Parameter",
         attributes="name connectorName track statusCallback statusCallbackMethod")
_declare("Transcription", children="Config Parameter", attributes=(
    "name track statusCallbackUrl statusCallbackMethod inboundTrackLabel outboundTrackLabel"
    " partialResults languageCode transcriptionEngine profanityFilter speechModel hints"
    " enableAutomaticPunctuation intelligenceService"))
_declare("Recording", void=True,
         attributes=f"{_RECORDING} trim track channels")
_declare("VirtualAgent", children="Config Parameter", attributes=(
    "connectorName language sentimentAnalysis statusCallback statusCallbackMethod"))
_declare("Conversation", void=True, attributes=(
    f"serviceInstanceSid inboundAutocreation routingAssignmentTimeout inboundTimeout url method"
    f" record trim recordingStatusCallback recordingStatusCallbackMethod"
    f" recordingStatusCallbackEvent {_STATUS}"))
_declare("ConversationRelay", children="Language Parameter", attributes=(
    "url language ttsLanguage transcriptionLanguage ttsProvider voice transcriptionProvider"
    " speechModel profanityFilter dtmfDetection welcomeGreeting partialPrompts"
    " welcomeGreetingInterruptible interruptible interruptSensitivity preemptible hints"
    " intelligenceService reportInputDuringAgentSpeech elevenlabsTextNormalization"
    " elevenlabsLanguageTextNormalization ttsTextNormalization ttsLanguageTextNormalization"
    " asrSmartFormat deepgramSmartFormat events ignoreBackchannel backgroundNoiseReduction"
    " turnDetection eagerEotThreshold echoPromptFiltering speechTimeout customerName"
    " applicationReconnect debug partialPromptOnHangup includeInPrompt"))
_declare("Language", void=True, attributes=(
    "code ttsProvider voice transcriptionProvider speechModel hints asrSmartFormat"
    " ttsTextNormalization ttsLanguageTextNormalization"))
_declare("AiSession", void=True, attributes="aiConnector aiSessionConfiguration")
_declare("ConversationRelaySession", void=True, attributes="connector sessionConfiguration")
_declare("Parameter", attributes="name value", void=True)
_declare("Config", attributes="name value", void=True)

# SSML inside <Say>: lower-case tags, spelled as SSML spells them.
_declare("break", method="break_", attributes="strength time", void=True)
_declare("emphasis", text=True, attributes="level",
         children="break emphasis lang phoneme prosody say-as sub w")
_declare("lang", text=True, attributes="xml:lang", children=_SSML_ALL)
_declare("p", text=True, children="break emphasis lang phoneme prosody s say-as sub w")
_declare("phoneme", text=True, attributes="alphabet ph")
_declare("prosody", text=True, attributes="volume rate pitch", children=_SSML_ALL)
_declare("s", text=True, children="break emphasis lang phoneme prosody say-as sub w")
_declare("say-as", method="say_as", text=True, attributes="interpret-as format")
_declare("sub", text=True, attributes="alias")
_declare("w", text=True, attributes="role", children="break emphasis phoneme prosody say-as sub w")

# Messaging.
_declare("Message", text=True, attributes="to from action method statusCallback",
         children="Body Media")
_declare("Body", text=True)
_declare("Media", text=True)

#: Builder method / template tag -> XML tag, for every element of the table.
#: ``whats_app`` (twilio-python's spelling) is accepted next to ``whatsapp``.
METHOD_TAGS: Dict[str, str] = {e.method: e.tag for e in ELEMENTS.values()}
METHOD_TAGS["whats_app"] = "WhatsApp"

# parent key -> {child tag: child key}; how strict mode finds a child's entry.
_CHILDREN: Dict[str, Dict[str, str]] = {
    key: {ELEMENTS[child].tag: child for child in element.children}
    for key, element in ELEMENTS.items()
}

#: The root entry.
RESPONSE = ELEMENTS["Response"]


def child_of(parent: Element, tag: str) -> Element:
    """The entry of a ``<tag>`` inside ``parent``, or :class:`TwiMLError` naming what is allowed."""
    key = _CHILDREN[parent.key].get(tag)
    if key is None:
        allowed = ", ".join(f"<{ELEMENTS[child].tag}>" for child in parent.children) or "no elements"
        raise TwiMLError(f"<{parent.tag}> cannot contain <{tag}> (strict mode); it may contain {allowed}.")
    return ELEMENTS[key]


def check_attributes(element: Element, names: Tuple[str, ...]) -> None:
    """Raise :class:`TwiMLError` for the first name (XML spelling) ``element`` does not accept."""
    for name in names:
        if name not in element.attributes:
            import difflib  # only on the error path

            hint = difflib.get_close_matches(name, element.attributes, n=1)
            fix = f"did you mean {hint[0]!r}?" if hint else (
                f"it accepts {', '.join(sorted(element.attributes))}." if element.attributes
                else "it takes no attributes.")
            raise TwiMLError(f"<{element.tag}> has no attribute {name!r} (strict mode); {fix}")


def check_text(element: Element) -> None:
    """Raise :class:`TwiMLError` if ``element`` may not contain text."""
    if not element.text:
        raise TwiMLError(f"<{element.tag}> cannot contain text (strict mode); "
                         "give its content as child elements or attributes.")

