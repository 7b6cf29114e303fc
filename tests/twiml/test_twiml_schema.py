"""The element table against twilio-python 9.x, which is generated from Twilio's own spec."""
from __future__ import annotations

import inspect
import re
from typing import Any, Dict, Iterator, Set, Tuple

import pytest
from twilio.twiml import TwiML as TwilioTwiML
from twilio.twiml import lower_camel
from twilio.twiml import messaging_response, voice_response

from flask_twilio_rb.twiml.schema import ELEMENTS, METHOD_TAGS, RESPONSE, Element, check_attributes, child_of

_NEST = re.compile(r"self\.nest\(\s*(\w+)\(")


def _own_params(function: Any) -> Tuple[str, ...]:
    return tuple(p for p in inspect.signature(function).parameters if p not in ("self", "kwargs"))


def _walk(module: Any, cls: Any, spec: Element, seen: Set[Tuple[str, str]]) -> Iterator[Tuple[str, Element, Any, Tuple[str, ...]]]:
    """(method, our entry, twilio class, attribute params) for every child twilio-python can nest."""
    for method, function in vars(cls).items():
        if method.startswith("_") or not callable(function):
            continue
        child_cls = getattr(module, _NEST.search(inspect.getsource(function)).group(1))  # type: ignore[union-attr]
        child = child_of(spec, child_cls(**{p: "x" for p in _own_params(child_cls.__init__)}).name)
        text_params = _own_params(child_cls.__init__)
        yield method, child, child_cls, tuple(p for p in _own_params(function) if p not in text_params)
        if (spec.key, child.key) not in seen:
            seen.add((spec.key, child.key))
            yield from _walk(module, child_cls, child, seen)


def _twilio_elements() -> Dict[str, Tuple[str, Element, Any, Tuple[str, ...]]]:
    found = {}
    seen: Set[Tuple[str, str]] = set()
    for module, root in ((voice_response, voice_response.VoiceResponse),
                         (messaging_response, messaging_response.MessagingResponse)):
        for method, spec, cls, params in _walk(module, root, RESPONSE, seen):
            found[f"{spec.key}:{method}"] = (method, spec, cls, params)
    return found


TWILIO = _twilio_elements()


def test_the_table_has_exactly_the_elements_twilio_python_has() -> None:
    assert {spec.key for _, spec, _, _ in TWILIO.values()} | {"Response"} == set(ELEMENTS)


@pytest.mark.parametrize("key", sorted(TWILIO))
def test_each_element_accepts_the_attributes_and_text_twilio_python_gives_it(key: str) -> None:
    method, spec, cls, params = TWILIO[key]
    xml_names = {lower_camel(TwilioTwiML.MAP.get(p, p)) for p in params}
    check_attributes(spec, tuple(xml_names))
    assert spec.text == bool(_own_params(cls.__init__))
    assert METHOD_TAGS.get(method) == spec.tag


def test_the_table_has_no_attribute_twilio_python_lacks() -> None:
    known: Dict[str, Set[str]] = {}
    for _, spec, _, params in TWILIO.values():
        known.setdefault(spec.key, set()).update(lower_camel(TwilioTwiML.MAP.get(p, p)) for p in params)
    extra = {key: sorted(e.attributes - known.get(key, set())) for key, e in ELEMENTS.items()}
    assert {key: names for key, names in extra.items() if names} == {}


def test_void_elements_are_those_without_text_or_children_plus_hangup_and_reject() -> None:
    void = {e.key for e in ELEMENTS.values() if e.void}
    empty = {e.key for e in ELEMENTS.values() if not e.text and not e.children and e.key != "Response"}
    assert void == empty | {"Hangup", "Reject"}
    assert {"Hangup", "Leave", "Pause", "Echo", "Record", "Reject", "Parameter", "Config", "Header", "break"} <= void

