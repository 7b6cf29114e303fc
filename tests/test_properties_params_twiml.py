"""Properties over arbitrary input: parameter encoding round-trips, TwiML is always well-formed.

(Webhook signatures: ``tests/test_signing_properties.py`` already checks that
``is_valid_signature`` answers a bool for any input.)
"""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any, Dict, List
from urllib.parse import parse_qsl, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flask_twilio_rb import TwiMLError
from flask_twilio_rb.resources.params import encode
from flask_twilio_rb.wire import form
from flask_twilio_rb.twiml import TwiML

modest = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- parameters ---------------------------------------------------------------------------------------

# Lone surrogates cannot be UTF-8 encoded at all (see test_lone_surrogates_cannot_be_sent).
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
names = st.from_regex(r"[a-z][a-z0-9]{0,8}(_[a-z0-9]{1,6}){0,3}", fullmatch=True)
scalars = st.one_of(
    texts, st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
    st.dates(), st.datetimes(timezones=st.just(dt.timezone.utc)),
)
values = st.one_of(st.none(), scalars, st.lists(st.one_of(st.none(), scalars), max_size=4))


def expected_wire(name: str, value: Any) -> str:
    if isinstance(value, str):
        return value.upper() if name.endswith("Method") else value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@modest
@given(st.dictionaries(names, values, max_size=8))
def test_encoded_parameters_survive_the_wire(params: Dict[str, Any]) -> None:
    pairs = encode(params, {})
    for body in (form(pairs), urlencode(pairs)):
        assert parse_qsl(body, keep_blank_values=True) == pairs
    # and each pair is the value given, in order, list items repeating the name, None left out
    expected: List[Any] = []
    for key, value in params.items():
        items = value if isinstance(value, list) else [value]
        expected += [(pairs_name(key), expected_wire(pairs_name(key), item)) for item in items if item is not None]
    assert pairs == expected


def pairs_name(key: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in key.split("_"))


def test_lone_surrogates_cannot_be_sent() -> None:
    """Not UTF-8: the encoder refuses them with a ValueError before anything is sent."""
    with pytest.raises(ValueError):
        form(encode({"body": "\ud800"}, {}))


# -- TwiML --------------------------------------------------------------------------------------------

any_text = st.text(max_size=60)  # everything, control characters and lone surrogates included
huge = st.integers(0, 4).map(lambda n: ("<&>\"'\t\n\r\u2028" * 50_000)[: n * 50_000])


def well_formed_or_refused(build: Any) -> Any:
    """The XML of ``build`` parsed, or None when it raised TwiMLError (the only error allowed)."""
    try:
        xml = TwiML.build(build)
    except TwiMLError:
        return None
    return ET.fromstring(xml.encode("utf-8"))


@modest
@given(any_text, any_text, st.one_of(any_text, st.integers(), st.booleans(), st.lists(any_text, max_size=3)))
def test_any_text_and_attribute_values_give_well_formed_twiml_or_twiml_error(text: str, voice: str,
                                                                              loop: Any) -> None:
    root = well_formed_or_refused(lambda res: res.say(text, voice=voice, loop=loop))
    if root is not None:  # and what was given is what a parser reads back
        say = root.find("Say")
        assert (say.text or "") == text and say.get("voice") == voice


@modest
@given(any_text, any_text)
def test_nested_and_pretty_documents_are_well_formed_or_refused(outer: str, inner: str) -> None:
    def build(res: Any) -> None:
        with res.gather(action=outer) as gather:
            gather.say(inner)
            gather.text(outer)

    for pretty in (False, True):
        try:
            xml = TwiML.build(build, pretty=pretty)
        except TwiMLError:
            continue
        ET.fromstring(xml.encode("utf-8"))


@settings(max_examples=10, deadline=None)
@given(huge)
def test_huge_values_stay_well_formed(value: str) -> None:
    root = well_formed_or_refused(lambda res: res.say(value, voice=value))
    assert root is not None and (root.find("Say").text or "") == value


@settings(max_examples=50, deadline=None)
@given(st.text(min_size=1, max_size=12))
def test_any_attribute_name_gives_well_formed_twiml_or_twiml_error(name: str) -> None:
    well_formed_or_refused(lambda res: res.say("hi", **{name: "v"}))
