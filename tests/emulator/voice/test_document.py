"""The emulator's own TwiML reader: bounded, no DTD or entities, its small grammar, the spoken text of <Say>."""
from __future__ import annotations

import pytest

from flask_twilio_rb.emulator.voice.document import MAX_DEPTH, MAX_ELEMENTS, DocumentError, parse, warnings
from flask_twilio_rb.emulator.voice.webhook import resolve


def test_elements_are_numbered_in_document_order_and_named_by_their_source():
    root = parse(b'<Response>\n<Say>a</Say>\n<Gather><Play>b</Play></Gather></Response>',
                 {1: "menu.voice:1", 3: "menu.voice:4"})
    say, gather = root.children
    assert [(n.tag, n.index, n.line, n.source) for n in (say, gather, gather.children[0])] == [
        ("Say", 1, 2, "menu.voice:1"), ("Gather", 2, 3, None), ("Play", 3, 3, "menu.voice:4")]
    assert (say.text, gather.get("numDigits", "x")) == ("a", "x")


def test_the_spoken_text_of_ssml():
    [say] = parse('<Response><Say>  Dear <emphasis level="strong">caller</emphasis>,<break/>your '
                  '<say-as interpret-as="digits">123</say-as> <sub alias="doctor">Dr.</sub> <sub>x</sub>\n'
                  '</Say></Response>').children
    assert say.spoken() == "Dear caller, your 123 doctor x"


@pytest.mark.parametrize("body", [
    "<Response>" + "<Gather>" * MAX_DEPTH + "</Gather>" * MAX_DEPTH + "</Response>",
    "<Response>" + "<Pause/>" * MAX_ELEMENTS + "</Response>",
])
def test_documents_too_deep_or_too_big_are_refused(body):
    with pytest.raises(DocumentError) as caught:
        parse(body)
    assert caught.value.code == 12100 and "more than" in caught.value.message


def test_an_external_entity_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    with pytest.raises(DocumentError, match="no DTD or entity declarations"):
        parse(f'<!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]><Response><Say>&x;</Say></Response>')


def test_the_grammar_the_emulator_checks():
    root = parse('<Response><Play><Say>x</Say></Play><Dial><Client><Identity>a</Identity><Parameter name="n"/>'
                 '</Client><Number foo="1">+1</Number><Conference muted="true">r</Conference></Dial>'
                 '<Enqueue><Task>{}</Task></Enqueue><Message><Body>b</Body><Media>m</Media></Message>'
                 '<Say><prosody rate="slow">slow</prosody></Say><Pay><Prompt for="x"/></Pay></Response>')
    assert [(node.tag, problem) for node, problem in warnings(root)] == [
        ("Say", "<Say> is not allowed in <Play> (TwiML is case-sensitive)"),
        ("Number", "<Number> has no attribute 'foo'")]


def test_resolving_action_urls():
    assert resolve("https://app.example.com/ivr/menu", "choice") == "https://app.example.com/ivr/choice"
    assert resolve("https://app.example.com/ivr/menu", "/other?x=1") == "https://app.example.com/other?x=1"
    assert resolve(None, "https://elsewhere.example.com/a") == "https://elsewhere.example.com/a"
    assert resolve(None, "/relative") is None and resolve("https://x.example", "") is None
    assert resolve("https://x.example", "ftp://files.example.com/a") is None
