"""Strict templates: attributes, nesting and text checked against the element table as a template compiles."""
from __future__ import annotations

import pytest
from flask import Flask
from jinja2 import DictLoader, Environment, TemplateSyntaxError

from flask_twilio_rb import TwilioRB
from flask_twilio_rb.twiml import TwiMLExtension


def compile_(source: str, name: str = "t.voice", strict: bool = True):
    env = Environment(loader=DictLoader({name: source}), extensions=[TwiMLExtension])
    env.twiml_strict = strict
    return env.get_template(name)


@pytest.mark.parametrize("source, message, line", [
    ('{% say voise="alice" %}Hi{% endsay %}',
     "<Say> has no attribute 'voise' (strict mode); did you mean 'voice'?", 1),
    ('{% hangup %}\n{% gather num_digit=1 %}{% endgather %}',
     "<Gather> has no attribute 'numDigit' (strict mode); did you mean 'numDigits'?", 2),
    ("{% gather %}{% dial %}+15005550006{% enddial %}{% endgather %}",
     "<Gather> cannot contain <Dial> (strict mode); it may contain <Say>, <Pause>, <Play>", 1),
    ("{% response %}{% number %}+1{% endnumber %}{% endresponse %}", "<Response> cannot contain <Number>", 1),
    ("{% gather %}Press 1{% endgather %}",
     "{% gather %} holds text, but <Gather> cannot contain text (strict mode); put it in an element", 1),
    ("{% gather %}{{ prompt }}{% endgather %}", "<Gather> cannot contain text", 1),
    ("{% gather %}{{ prompt|upper }}{% endgather %}", "<Gather> cannot contain text", 1),
    ("{% gather %}{% if x %}Press 1{% endif %}{% endgather %}", "<Gather> cannot contain text", 1),
    ('{% say foo="1" %}Hi{% endsay %}', "<Say> has no attribute 'foo'", 1),  # a fragment, outside a document
])
def test_strict_templates_refuse_what_twilio_would_not_take(source, message, line):
    name = "fragment.txt" if "fragment" in message or "foo" in source else "t.voice"
    with pytest.raises(TemplateSyntaxError) as info:
        compile_(source, name)
    assert message in info.value.message and info.value.lineno == line


def test_strict_templates_accept_valid_documents():
    template = compile_(
        '{% gather action="/choice", num_digits=1, timeout=5 %}\n'
        '  {% if menu %}{% say voice="alice" %}{{ menu }}{% endsay %}{% endif %}\n'
        '  {% for p in pauses %}{% pause length=p %}{% endfor %}\n'
        '{% endgather %}\n'
        '{% dial caller_id=caller %}{% number send_digits="1" %}+15005550006{% endnumber %}{% enddial %}')
    xml = template.render(menu="Press 1", pauses=[1], caller="+15005550001")
    assert '<Gather action="/choice" numDigits="1" timeout="5"><Say voice="alice">Press 1</Say><Pause length="1"/>' \
        in xml
    assert '<Number sendDigits="1">+15005550006</Number>' in xml


def test_without_strict_mode_anything_goes():
    assert 'voise="alice"' in compile_('{% say voise="alice" %}Hi{% endsay %}', strict=False).render()
    assert "<Gather>Press 1</Gather>" in compile_("{% gather %}Press 1{% endgather %}", strict=False).render()


def test_a_bare_environment_is_permissive():
    env = Environment(loader=DictLoader({"t.voice": "{% gather %}Hi{% endgather %}"}), extensions=[TwiMLExtension])
    assert env.twiml_strict is False and "<Gather>Hi</Gather>" in env.get_template("t.voice").render()


@pytest.mark.parametrize("config, strict", [
    ({"TESTING": True}, True), ({"DEBUG": True}, True), ({}, False),
    ({"TESTING": True, "TWILIO_TWIML_STRICT": False}, False), ({"TWILIO_TWIML_STRICT": "true"}, True),
])
def test_apps_are_strict_while_developing_and_testing_unless_told(config, strict):
    app = Flask(__name__)
    app.config.update(TWILIO_ACCOUNT_SID="AC" + "0" * 32, TWILIO_AUTH_TOKEN="x" * 32, **config)
    TwilioRB(app)
    assert app.jinja_env.twiml_strict is strict


@pytest.mark.parametrize("source, meant, line", [
    ("{% sya %}Hi{% endsay %}", "say", 1),
    ("{% say %}Hi{% endsya %}", "endsay", 1),
    ("{% hangup %}\n{% gahter %}{% endgather %}", "gather", 2),
    ("{% sayy %}Hi{% endsay %}", "say", 1),
    ("{% iff x %}{% endif %}", "if", 1),
    ("{% diall %}+1{% enddial %}", "dial", 1),
])
def test_a_mistyped_tag_suggests_the_one_it_meant(source, meant, line):
    with pytest.raises(TemplateSyntaxError) as info:
        compile_(source)
    assert info.value.message.endswith(f"did you mean {{% {meant} %}}? (strict mode)")
    assert info.value.lineno == line and info.value.name == "t.voice"


def test_a_tag_close_to_none_is_left_to_jinja():
    with pytest.raises(TemplateSyntaxError) as info:
        compile_("{% qqqqqqqq %}")
    assert "did you mean" not in info.value.message and "unknown tag 'qqqqqqqq'" in info.value.message
    with pytest.raises(TemplateSyntaxError) as info:
        compile_("{% sya %}Hi{% endsay %}", strict=False)
    assert "did you mean" not in info.value.message


def test_every_known_tag_passes_the_typo_check():
    # Jinja's statements, their inner words, the loop controls and every TwiML tag compile in strict mode.
    env = Environment(loader=DictLoader({
        "base.html": "{% block b %}{% endblock %}",
        "t.html": '{% extends "base.html" %}{% block b %}{% for i in [1] %}{% if i %}{% continue %}{% elif i %}'
                  "{% else %}{% break %}{% endif %}{% endfor %}{% set x = 1 %}{% set y %}a{% endset %}"
                  "{% macro m() %}{{ caller() }}{% endmacro %}{% call m() %}{% endcall %}{% filter upper %}{% endfilter %}"
                  "{% with a = 1 %}{% endwith %}{% autoescape true %}{% endautoescape %}{% raw %}{% x %}{% endraw %}"
                  "{% response %}{% say %}Hi{% endsay %}{% hangup %}{% endresponse %}{% endblock %}"}),
        extensions=[TwiMLExtension, "jinja2.ext.loopcontrols"])
    env.twiml_strict = True
    assert "<Response><Say>Hi</Say><Hangup/></Response>" in env.get_template("t.html").render()


@pytest.mark.parametrize("source", [
    "{% say %}Hello {{ name }}!{% endsay %}",
    "{% say %}Hello {{ user.name }}!{% endsay %}",
    "{% say voice=voice %}Hi{% endsay %}",
])
def test_an_undefined_variable_is_an_error_in_strict_mode(source):
    from jinja2 import UndefinedError

    template = compile_(source)
    with pytest.raises(UndefinedError, match="is undefined|has no attribute"):
        template.render(user={})
    lenient = compile_(source, strict=False).render(user={})
    assert "Hello !" in lenient or 'voice=""' in lenient  # what it used to render


def test_defined_values_and_tests_for_undefined_still_work_in_strict_mode():
    template = compile_("{% if name is defined %}{% say %}Hello {{ name }}!{% endsay %}{% endif %}"
                        "{% say %}{{ missing|default('friend') }}{% endsay %}")
    assert template.render(name="Bob").endswith("<Say>Hello Bob!</Say><Say>friend</Say></Response>")
    assert template.render().endswith("<Response><Say>friend</Say></Response>")
