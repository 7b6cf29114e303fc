"""The Python builder: ``TwiML.build`` and ``TwiML.response``."""
from __future__ import annotations

import copy
from typing import Any

import pytest

from flask_twilio_rb import TwiMLError
from flask_twilio_rb.twiml import Document, TwiML

HEAD = '<?xml version="1.0" encoding="UTF-8"?>'


def build(fn: Any, **options: Any) -> str:
    return TwiML.build(fn, **options)


def body(fn: Any, **options: Any) -> str:
    """The document without its declaration and <Response> wrapper."""
    xml = build(fn, **options)
    assert xml.startswith(HEAD + "<Response>") and xml.endswith("</Response>")
    return xml[len(HEAD + "<Response>"):-len("</Response>")]


def test_build_returns_the_document_with_its_declaration() -> None:
    assert build(lambda res: res.say("Hi", voice="man")) == \
        HEAD + '<Response><Say voice="man">Hi</Say></Response>'


def test_an_empty_response_is_an_empty_element() -> None:
    assert build(lambda res: None) == HEAD + "<Response/>"


def test_response_is_a_context_manager_whose_str_is_the_xml() -> None:
    with TwiML.response() as res:
        res.hangup()
    assert isinstance(res, Document)
    assert str(res) == HEAD + "<Response><Hangup/></Response>"


def test_method_calls_emit_elements() -> None:
    assert body(lambda res: (res.hangup(), res.virtual_agent(connector_name="x"))) == \
        '<Hangup/><VirtualAgent connectorName="x"/>'


def test_children_nest_inside_with_blocks() -> None:
    def fn(res: Any) -> None:
        with res.gather(action="/g", num_digits=1) as g:
            g.say("Press 1")
            g.pause(length=1)

    assert body(fn) == '<Gather action="/g" numDigits="1"><Say>Press 1</Say><Pause length="1"/></Gather>'


def test_an_element_holds_text_and_children_in_order() -> None:
    def fn(res: Any) -> None:
        with res.say("Hello") as s:
            s.break_(time="1s")
            s.text("world")

    assert body(fn) == '<Say>Hello<break time="1s"/>world</Say>'


def test_text_returns_the_element_for_chaining() -> None:
    def fn(res: Any) -> None:
        res.say("a").text("b").text("c")

    assert body(fn) == "<Say>abc</Say>"


def test_ssml_keeps_its_own_spelling() -> None:
    def fn(res: Any) -> None:
        with res.say() as s:
            s.say_as("123", interpret_as="digits")
            s.break_(strength="weak")
            s.lang("Bonjour", xml_lang="fr-FR")
            for name in ("prosody", "emphasis", "p", "s", "w", "phoneme", "sub"):
                getattr(s, name)(name)

    assert body(fn) == (
        '<Say><say-as interpret-as="digits">123</say-as><break strength="weak"/>'
        '<lang xml:lang="fr-FR">Bonjour</lang><prosody>prosody</prosody><emphasis>emphasis</emphasis>'
        "<p>p</p><s>s</s><w>w</w><phoneme>phoneme</phoneme><sub>sub</sub></Say>"
    )


def test_attribute_names_follow_the_naming_rules() -> None:
    assert body(lambda res: res.record(max_length=20, finish_on_key="*", statusCallback="/s")) == \
        '<Record maxLength="20" finishOnKey="*" statusCallback="/s"/>'
    assert body(lambda res: res.message("Hi", from_="+1", to="+2")) == '<Message from="+1" to="+2">Hi</Message>'
    assert body(lambda res: res.prompt(for_="payment-card-number")) == '<Prompt for="payment-card-number"/>'


def test_values_are_formatted() -> None:
    xml = body(lambda res: res.dial(record=True, answer_on_bridge=False, timeout=20, ring_tone=None,
                                    recording_status_callback_event=["in-progress", "completed"],
                                    time_limit=1.5))
    assert xml == ('<Dial record="true" answerOnBridge="false" timeout="20" '
                   'recordingStatusCallbackEvent="in-progress completed" timeLimit="1.5"/>')


def test_text_zero_and_empty_text_are_kept() -> None:
    assert body(lambda res: (res.say(0), res.say(""), res.say())) == "<Say>0</Say><Say></Say><Say/>"


def test_a_dict_text_is_written_as_json() -> None:
    assert body(lambda res: res.enqueue(workflow_sid="WW1").task({"lang": "es"})) == \
        '<Enqueue workflowSid="WW1"><Task>{"lang": "es"}</Task></Enqueue>'


def test_text_and_attributes_are_escaped() -> None:
    assert body(lambda res: res.say('Tom & "Jerry" <3', voice='a"b&c')) == \
        '<Say voice="a&quot;b&amp;c">Tom &amp; "Jerry" &lt;3</Say>'


def test_a_control_character_raises_naming_the_element() -> None:
    with pytest.raises(TwiMLError, match=r"The text of <Say> contains the character U\+0007"):
        build(lambda res: res.say("bell\x07"))
    with pytest.raises(TwiMLError, match=r"Attribute 'action' of <Gather>"):
        build(lambda res: res.gather(action="/g\x00"))
    with pytest.raises(TwiMLError, match=r"<say-as>"):
        build(lambda res: res.say().say_as("\x1b"))


def test_pretty_output_indents_by_two_spaces_and_keeps_text_on_one_line() -> None:
    def fn(res: Any) -> None:
        with res.gather(action="/g") as g:
            with g.say("Hello ", voice="man") as s:
                s.break_(time="1s")
                s.text(" world")
            g.pause()
        res.hangup()

    assert build(fn, pretty=True) == "\n".join([
        HEAD,
        "<Response>",
        '  <Gather action="/g">',
        '    <Say voice="man">Hello <break time="1s"/> world</Say>',
        "    <Pause/>",
        "  </Gather>",
        "  <Hangup/>",
        "</Response>",
    ])


def test_pretty_output_of_an_empty_response() -> None:
    assert build(lambda res: None, pretty=True) == HEAD + "\n<Response/>"


def test_permissive_mode_accepts_any_element_and_attribute() -> None:
    assert body(lambda res: res.brand_new_verb("x", anything_goes=1)) == '<BrandNewVerb anythingGoes="1">x</BrandNewVerb>'
    assert body(lambda res: res.gather().dial("+1")) == "<Gather><Dial>+1</Dial></Gather>"


def test_unknown_names_are_methods_too() -> None:
    res = TwiML.response()
    add = res.brand_new
    assert add.__name__ == "brand_new"
    add()
    assert str(res).endswith("<BrandNew/></Response>")


def test_private_names_are_not_elements() -> None:
    res = TwiML.response()
    with pytest.raises(AttributeError):
        res._secret  # noqa: B018
    assert str(copy.deepcopy(res)) == str(res)


def test_hangup_and_reject_take_parameters_in_the_builder() -> None:
    def fn(res: Any) -> None:
        with res.hangup() as h:
            h.parameter(name="reason", value="done")

    assert build(fn, strict=True).endswith('<Hangup><Parameter name="reason" value="done"/></Hangup></Response>')


def test_str_of_an_element_is_its_fragment_and_repr_names_it() -> None:
    res = TwiML.response()
    say = res.say("Hi", voice="man")
    assert str(say) == '<Say voice="man">Hi</Say>'
    assert repr(say) == '<TwiML <Say voice="man"> with 1 item(s)>'


def test_table_methods_are_documented() -> None:
    assert "<VirtualAgent>" in (Document.virtual_agent.__doc__ or "")


# -- strict mode ----------------------------------------------------------------------------

def test_strict_mode_accepts_a_valid_document() -> None:
    def fn(res: Any) -> None:
        with res.dial(caller_id="+1") as d:
            d.number("+2", send_digits="1")
        with res.refer() as r:
            r.sip("sip:a@example.com")

    assert build(fn, strict=True) == build(fn)


def test_strict_mode_rejects_a_misplaced_child() -> None:
    with pytest.raises(TwiMLError, match=r"<Gather> cannot contain <Dial> \(strict mode\); it may contain "
                                         r"<Say>, <Pause>, <Play>\."):
        build(lambda res: res.gather().dial("+1"), strict=True)


def test_strict_mode_rejects_an_unknown_element() -> None:
    with pytest.raises(TwiMLError, match="<Response> cannot contain <Sya>"):
        build(lambda res: res.sya("Hi"), strict=True)


def test_strict_mode_rejects_children_of_an_element_without_any() -> None:
    with pytest.raises(TwiMLError, match="<Play> cannot contain <Say> .*it may contain no elements"):
        build(lambda res: res.play("a.mp3").say("x"), strict=True)


def test_strict_mode_rejects_an_unknown_attribute_with_a_suggestion() -> None:
    with pytest.raises(TwiMLError, match=r"<Say> has no attribute 'vocie' \(strict mode\); did you mean 'voice'\?"):
        build(lambda res: res.say("Hi", vocie="man"), strict=True)


def test_strict_mode_lists_the_attributes_when_nothing_is_close() -> None:
    with pytest.raises(TwiMLError, match="it accepts length"):
        build(lambda res: res.pause(zzz=1), strict=True)
    with pytest.raises(TwiMLError, match="it takes no attributes"):
        build(lambda res: res.hangup(reason="x"), strict=True)


def test_strict_mode_knows_the_meaning_of_a_tag_depends_on_its_parent() -> None:
    with pytest.raises(TwiMLError, match="<Sip> has no attribute 'username'"):
        build(lambda res: res.refer().sip("sip:a@b", username="u"), strict=True)
    build(lambda res: res.dial().sip("sip:a@b", username="u"), strict=True)


def test_strict_mode_rejects_text_where_none_belongs() -> None:
    with pytest.raises(TwiMLError, match=r"<Gather> cannot contain text \(strict mode\)"):
        build(lambda res: res.gather("Press 1"), strict=True)
    with pytest.raises(TwiMLError, match="<Hangup> cannot contain text"):
        build(lambda res: res.hangup().text("bye"), strict=True)


def test_strict_mode_checks_names_after_conversion() -> None:
    assert body(lambda res: res.record(maxLength=5, finish_on_key="#"), strict=True) == \
        '<Record maxLength="5" finishOnKey="#"/>'


def test_a_document_is_a_wsgi_application_answering_text_xml() -> None:
    from werkzeug.test import Client

    res = TwiML.response()
    res.hangup()
    response = Client(res).get("/")
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert response.get_data(as_text=True) == HEAD + "<Response><Hangup/></Response>"
