"""The corpus: builder, ``.voice`` template and twilio-python agree on every document."""
from __future__ import annotations

import os
from typing import Any, Set
from xml.etree import ElementTree

import pytest
from tests.twiml.twiml_helpers import TEMPLATES, canonical
from tests.twiml.twiml_corpus import CASES, CONTEXT

from flask_twilio_rb.twiml import TwiML
from flask_twilio_rb.twiml.schema import ELEMENTS, RESPONSE, Element, child_of

IDS = [name for name, _, _ in CASES]


@pytest.mark.parametrize("name, ours, theirs", CASES, ids=IDS)
def test_builder_matches_twilio_python(name: str, ours: Any, theirs: Any) -> None:
    assert canonical(TwiML.build(ours)) == canonical(theirs().to_xml())


@pytest.mark.parametrize("name, ours, theirs", CASES, ids=IDS)
def test_template_matches_builder(env: Any, name: str, ours: Any, theirs: Any) -> None:
    rendered = env.get_template(f"corpus/{name}.voice").render(**CONTEXT)
    assert rendered.startswith('<?xml version="1.0" encoding="UTF-8"?><Response')
    assert canonical(rendered) == canonical(TwiML.build(ours))


@pytest.mark.parametrize("name, ours, theirs", CASES, ids=IDS)
def test_corpus_is_valid_in_strict_mode(name: str, ours: Any, theirs: Any) -> None:
    assert TwiML.build(ours, strict=True) == TwiML.build(ours)


def _keys(element: ElementTree.Element, spec: Element, into: Set[str]) -> None:
    into.add(spec.key)
    for child in element:
        child_spec = child_of(spec, child.tag)
        _keys(child, child_spec, into)


def test_corpus_uses_every_element_of_the_table() -> None:
    used: Set[str] = set()
    for _, ours, _ in CASES:
        _keys(ElementTree.fromstring(TwiML.build(ours).encode()), RESPONSE, used)
    assert set(ELEMENTS) - used == set()


def test_corpus_is_large_and_has_a_template_per_document() -> None:
    templates = {f[: -len(".voice")] for f in os.listdir(os.path.join(TEMPLATES, "corpus"))}
    assert len(CASES) >= 40
    assert templates == set(IDS)
