"""Spelling and escaping rules shared by the builder and the templates."""
from __future__ import annotations

from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from flask_twilio_rb import TwiMLError
from flask_twilio_rb.twiml import TwiML
from flask_twilio_rb.twiml.markup import attribute_name, attribute_value, attributes, element_tag, text


@pytest.mark.parametrize("python, xml", [
    ("max_length", "maxLength"),
    ("finish_on_key", "finishOnKey"),
    ("status_callback_event", "statusCallbackEvent"),
    ("from_", "from"),
    ("for_", "for"),
    ("xml_lang", "xml:lang"),
    ("interpret_as", "interpret-as"),
    ("statusCallback", "statusCallback"),
    ("voice", "voice"),
    ("foO_Bar_baz", "fooBarBaz"),
    ("Max_LENGTH", "maxLength"),
    ("status_callback_", "statusCallback"),
])
def test_attribute_names(python: str, xml: str) -> None:
    assert attribute_name(python) == xml


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[A-Za-z][A-Za-z_]{0,20}", fullmatch=True))
def test_attribute_names_are_spelled_as_twilio_python_spells_them(name: str) -> None:
    from twilio.twiml import lower_camel

    if name in ("xml_lang", "interpret_as"):  # the two names TwiML spells with ':' and '-'
        return
    assert attribute_name(name) == lower_camel(name)


@pytest.mark.parametrize("python, xml", [
    ("say", "Say"),
    ("virtual_agent", "VirtualAgent"),
    ("conversation_relay_session", "ConversationRelaySession"),
    ("say_as", "say-as"),
    ("break_", "break"),
    ("whatsapp", "WhatsApp"),
    ("whats_app", "WhatsApp"),
    ("application_sid", "ApplicationSid"),
    ("new_verb", "NewVerb"),
    ("Say", "Say"),
    ("brand_new_", "BrandNew"),
])
def test_element_tags(python: str, xml: str) -> None:
    assert element_tag(python) == xml


@pytest.mark.parametrize("value, written", [
    (True, "true"),
    (False, "false"),
    (0, "0"),
    (20, "20"),
    (1.5, "1.5"),
    (["initiated", "ringing"], "initiated ringing"),
    (("a", 1, True), "a 1 true"),
    ([False], "false"),
    ("", ""),
    ('say "hi" & <bye>', "say &quot;hi&quot; &amp; &lt;bye&gt;"),
    ("a\tb\nc\rd", "a&#9;b&#10;c&#13;d"),
    (Markup("&amp; already"), "&amp; already"),
])
def test_attribute_values(value: object, written: str) -> None:
    assert attribute_value(value, "name", "Say") == written


def test_other_values_are_written_with_str() -> None:
    class Event:
        def __str__(self) -> str:
            return "completed"

    assert attribute_value(Event(), "statusCallbackEvent", "Dial") == "completed"


def test_none_leaves_the_attribute_out() -> None:
    assert attributes({"voice": None, "loop": 0}, "Say") == ' loop="0"'


@pytest.mark.parametrize("value, written", [
    ("a < b & c > d", "a &lt; b &amp; c &gt; d"),
    ('quotes " stay', 'quotes " stay'),
    ("line\r\nbreak", "line&#13;\nbreak"),
    (0, "0"),
    ({"a": 1}, '{"a": 1}'),
    (Markup("<b>trusted</b>"), "<b>trusted</b>"),
])
def test_text_values(value: object, written: str) -> None:
    assert text(value, "Say") == written


@pytest.mark.parametrize("bad", ["\x00", "\x08", "\x0b", "\x0c", "\x1f", "\ud800", "\ufffe", "\uffff"])
def test_characters_xml_cannot_carry_raise_naming_the_element(bad: str) -> None:
    with pytest.raises(TwiMLError, match=r"text of <Say>.*U\+"):
        text(f"a{bad}b", "Say")
    with pytest.raises(TwiMLError, match=r"Attribute 'voice' of <Say>"):
        attribute_value(f"a{bad}b", "voice", "Say")


def test_markup_is_checked_for_characters_xml_cannot_carry_too() -> None:
    with pytest.raises(TwiMLError, match="<Play>"):
        text(Markup("\x01"), "Play")
    with pytest.raises(TwiMLError, match="'url' of <Stream>"):
        attribute_value(Markup("\x01"), "url", "Stream")


xml_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff"
                                 + "".join(map(chr, range(1, 32)))) | st.sampled_from("\t\n\r"))


@given(xml_text, xml_text)
def test_any_xml_text_survives_a_round_trip(words: str, voice: str) -> None:
    document = ElementTree.fromstring(TwiML.build(lambda res: res.say(words, voice=voice)).encode("utf-8"))
    say = document.find("Say")
    assert say is not None
    assert (say.text or "") == words
    assert say.get("voice") == voice


@pytest.mark.parametrize("name", ["a b", 'x="1" onload', "a>b", "1st", "", "_", "é"])
def test_attribute_names_that_would_break_the_markup_are_refused(name):
    from flask_twilio_rb import TwiML, TwiMLError

    with pytest.raises(TwiMLError, match="cannot be a TwiML attribute name"):
        TwiML.response().say("hi", **{name: "v"})


@pytest.mark.parametrize("name", ["a b", "x><script", "9lives"])
def test_element_names_that_would_break_the_markup_are_refused(name):
    from flask_twilio_rb import TwiML, TwiMLError

    with pytest.raises(TwiMLError, match="cannot be a TwiML element name"):
        getattr(TwiML.response(), name)("hi")
