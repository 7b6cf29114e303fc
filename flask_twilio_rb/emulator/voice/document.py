"""TwiML documents as the emulator reads them: parsed with expat, bounded, never a DTD or an entity.

The emulator cannot use the library's builder or element table (it is a leaf), so it keeps the
little grammar it needs here: which elements it knows where, and the attributes of the ones it
runs. Anything else is a 12200 "Schema validation warning", as on Twilio: the element or the
attribute is skipped, the call goes on. What cannot be read at all is a 12100 "Document parse
failure"; a body over 64 kB is a 11750.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, FrozenSet, List, Mapping, Optional, Tuple, Union
from xml.parsers import expat

#: Twilio's limit on a TwiML response (error 11750 above it).
MAX_DOCUMENT = 64 * 1024
#: Elements nested deeper than this, or more elements than that, make a 12100.
MAX_DEPTH = 32
MAX_ELEMENTS = 5000

#: Verbs of a voice <Response>, with their attributes (the ones Twilio documents).
VOICE_VERBS: Dict[str, FrozenSet[str]] = {name: frozenset(attributes.split()) for name, attributes in {
    "Say": "voice language loop",
    "Play": "loop digits",
    "Pause": "length",
    "Gather": "action method timeout finishOnKey numDigits input speechTimeout actionOnEmptyResult hints language "
              "partialResultCallback partialResultCallbackMethod profanityFilter speechModel enhanced bargeIn debug "
              "maxSpeechTime dtmfDetection",
    "Record": "action method timeout finishOnKey maxLength playBeep trim recordingStatusCallback "
              "recordingStatusCallbackMethod recordingStatusCallbackEvent storageUrl storageUrlMethod transcribe "
              "transcribeCallback",
    "Dial": "action method timeout timeLimit callerId hangupOnStar record recordingStatusCallback "
            "recordingStatusCallbackMethod recordingStatusCallbackEvent recordingTrack trim answerOnBridge ringTone "
            "sequential referUrl referMethod events",
    "Redirect": "method",
    "Hangup": "",
    "Reject": "reason",
    "Enqueue": "action method waitUrl waitUrlMethod workflowSid maxQueueSize",
    "Leave": "",
    "Sms": "to from action method statusCallback",
    "Message": "to from action method statusCallback",
}.items()}
#: Voice verbs Twilio runs and the emulator does not: each becomes a "not simulated" step.
NOT_SIMULATED = frozenset({"Pay", "Connect", "Start", "Stop", "Refer", "Echo"})
#: What may stand inside each element the emulator runs (``None``: any SSML inside <Say>).
CHILDREN: Dict[str, Optional[FrozenSet[str]]] = {
    "Gather": frozenset({"Say", "Play", "Pause"}),
    "Dial": frozenset({"Number", "Client", "Sip", "Conference", "Queue", "Sim", "Application", "WhatsApp"}),
    "Client": frozenset({"Identity", "Parameter"}),
    "Enqueue": frozenset({"Task"}),
    "Message": frozenset({"Body", "Media"}),
    "Say": None,
}
#: Attributes of the nouns of <Dial>.
NOUNS: Dict[str, FrozenSet[str]] = {name: frozenset(attributes.split()) for name, attributes in {
    "Number": "sendDigits url method statusCallbackEvent statusCallback statusCallbackMethod byoc machineDetection "
              "machineDetectionTimeout amdStatusCallback amdStatusCallbackMethod",
    "Client": "url method statusCallbackEvent statusCallback statusCallbackMethod",
    "Sip": "username password url method statusCallbackEvent statusCallback statusCallbackMethod machineDetection",
    "Conference": "muted beep startConferenceOnEnter endConferenceOnExit waitUrl waitMethod maxParticipants record "
                  "region trim coach statusCallbackEvent statusCallback statusCallbackMethod recordingStatusCallback "
                  "recordingStatusCallbackMethod recordingStatusCallbackEvent eventCallbackUrl jitterBufferSize "
                  "participantLabel",
    "Queue": "url method reservationSid postWorkActivitySid",
}.items()}


class DocumentError(Exception):
    """A document Twilio cannot run: ``code`` is Twilio's (11750, 12100)."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Node:
    """One element: its tag, attributes, content in order (text and child elements) and where it came from.

    ``index`` numbers the elements in document order (``<Response>`` is 0); ``source`` is the
    template line that produced it when the app named one (``X-TwiML-Sources``).
    """

    tag: str
    attributes: Dict[str, str]
    line: int
    index: int
    source: Optional[str] = None
    content: List[Union[str, "Node"]] = field(default_factory=list)

    @property
    def children(self) -> List["Node"]:
        """The child elements."""
        return [part for part in self.content if isinstance(part, Node)]

    @property
    def text(self) -> str:
        """The element's own text, trimmed (a number in <Dial>, a URL in <Play>)."""
        return "".join(part for part in self.content if isinstance(part, str)).strip()

    def spoken(self) -> str:
        """What a <Say> speaks: its text and its SSML's, ``<sub alias>`` read as the alias, spaces collapsed."""
        return " ".join(_spoken(self).split())

    def get(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """An attribute's value, or ``default``."""
        return self.attributes.get(name, default)


def _spoken(node: Node) -> str:
    parts = []
    for part in node.content:
        if isinstance(part, str):
            parts.append(part)
        elif part.tag == "sub" and "alias" in part.attributes:
            parts.append(part.attributes["alias"])
        elif part.tag == "break":
            parts.append(" ")
        else:
            parts.append(_spoken(part))
    return "".join(parts)


def parse(body: Union[str, bytes], sources: Optional[Mapping[int, str]] = None) -> Node:
    """The ``<Response>`` of ``body``; raises :class:`DocumentError` (11750 too large, 12100 unreadable).

    No DTD, entity declaration or external entity is read: any of them is a 12100.
    """
    data = body.encode("utf-8") if isinstance(body, str) else body
    if len(data) > MAX_DOCUMENT:
        raise DocumentError(11750, f"TwiML response body too large: Twilio reads at most {MAX_DOCUMENT:,} bytes.")
    if not data.strip():
        raise DocumentError(12100, "Document parse failure: the response is empty; answer with a <Response>.")
    sources = sources or {}
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: List[Node] = []
    found: List[Node] = []

    def start(tag: str, attributes: Dict[str, str]) -> None:
        if len(stack) >= MAX_DEPTH or len(found) >= MAX_ELEMENTS:
            raise DocumentError(12100, f"Document parse failure: more than {MAX_ELEMENTS} elements or deeper than "
                                       f"{MAX_DEPTH} levels.")
        node = Node(tag, dict(attributes), parser.CurrentLineNumber, len(found), sources.get(len(found)))
        found.append(node)
        if stack:
            stack[-1].content.append(node)
        stack.append(node)

    def text(data: str) -> None:  # (expat reports no text outside the root element)
        stack[-1].content.append(data)

    def refuse(*_: Any) -> Any:
        raise DocumentError(12100, "Document parse failure: TwiML has no DTD or entity declarations; remove them.")

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: stack.pop()
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise DocumentError(12100, f"Document parse failure: {expat.ErrorString(error.code)} at line "
                                   f"{error.lineno}, column {error.offset}.") from None
    root = found[0]  # an XML document has a root element
    if root.tag != "Response":
        raise DocumentError(12100, f"Document parse failure: the root element is <{root.tag}>; TwiML's is <Response>.")
    return root


#: The verbs of a messaging <Response> (an arriving text's answer), with their attributes.
MESSAGING_VERBS: Dict[str, FrozenSet[str]] = {"Message": VOICE_VERBS["Message"], "Redirect": VOICE_VERBS["Redirect"]}


def warnings(node: Node, parent: str = "Response", verbs: Mapping[str, FrozenSet[str]] = VOICE_VERBS
             ) -> List[Tuple[Node, str]]:
    """The 12200 schema warnings of ``node``'s children: ``(element, what is wrong)``, in document order.

    An element where it may not stand is skipped when the call runs; an unknown attribute is
    ignored. ``verbs`` are those of the document's kind (:data:`MESSAGING_VERBS` for a text's).
    """
    found: List[Tuple[Node, str]] = []
    allowed = (frozenset(verbs) | (NOT_SIMULATED if verbs is VOICE_VERBS else frozenset())
               if parent == "Response" else CHILDREN.get(parent, frozenset()))
    for child in node.children:
        if allowed is None:  # SSML inside <Say>: read for its text, never checked
            continue
        if child.tag not in allowed:
            found.append((child, f"<{child.tag}> is not allowed in <{parent}> (TwiML is case-sensitive)"
                                 + (f"; it may contain {', '.join(sorted(allowed))}" if allowed else "")))
            continue
        known = verbs.get(child.tag) if parent in ("Response", "Gather") else NOUNS.get(child.tag)
        for name in sorted(child.attributes):
            if known is not None and name not in known:
                found.append((child, f"<{child.tag}> has no attribute {name!r}"))
        if child.tag not in NOT_SIMULATED:  # what the emulator does not run, it does not check either
            found += warnings(child, child.tag, verbs)
    return found
