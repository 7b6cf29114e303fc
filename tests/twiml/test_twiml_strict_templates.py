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
