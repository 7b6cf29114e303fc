"""What Jinja writes without escaping is text inside TwiML (M3), and the builder's markup stays well-formed (L11)."""
from __future__ import annotations

from xml.dom.minidom import parseString

import pytest
from flask import Flask, render_template
from jinja2 import DictLoader, Environment
from markupsafe import Markup

from flask_twilio_rb import TwiML, TwiMLError, TwilioRB
from flask_twilio_rb.twiml.jinja import TwiMLExtension

EVIL = "</Say><Dial>+19005550100</Dial><Say>"
TEMPLATES = {
    "confirm.txt": "Thanks {{ name }}, your order is on its way.",
    "item.txt": "{{ i }}: {{ name }}",
    "macros.txt": "{% macro hi(n) %}Hello {{ n }}{% endmacro %}",
    "macros.voice": "{% macro hi(n) %}Hello {{ n }}{% endmacro %}{% macro play(u) %}{% play %}{{ u }}{% endplay %}{% endmacro %}",
    "partial.voice": "{% say %}Hi {{ name }}{% endsay %}",
    "sms.voice": '{% message %}{% include "confirm.txt" %}{% endmessage %}',
    "top.voice": '{% include "confirm.txt" %}',
    "loop.voice": '{% for i in [1, 2] %}{% say %}{% include "item.txt" %}{% endsay %}{% endfor %}',
    "with.voice": '{% say %}{% with %}{% include "confirm.txt" %}{% endwith %}{% endsay %}',
    "missing.voice": '{% say %}{% include "nowhere.txt" ignore missing %}ok{% endsay %}',
    "call.voice": '{% import "macros.txt" as m %}{% say %}{{ m.hi(name) }}{% endsay %}',
    "filtered_macro.voice": '{% import "macros.txt" as m %}{% say %}{{ m.hi(name)|upper }}{% endsay %}',
    "set_macro.voice": '{% import "macros.txt" as m %}{% set x = m.hi(name) %}{% say %}{{ x }}{% endsay %}',
    "voice_macros.voice": '{% import "macros.voice" as m %}{% say %}{{ m.hi(name) }}{% endsay %}{{ m.play(name) }}',
    "partials.voice": '{% gather %}{% include "partial.voice" %}{% endgather %}',
    "filter.voice": "{% say %}{% filter upper %}Tom & {{ name }}{% endfilter %}{% endsay %}",
    "set_filter.voice": "{% set x | upper %}Tom & {{ name }}{% endset %}{% say %}{{ x }}{% endsay %}",
    "set_block.voice": "{% say %}{% set x %}Tom & {{ name }}{% endset %}{{ x }}{% endsay %}",
    "missing_strict.voice": '{% say %}{% include "nowhere.txt" %}{% endsay %}',
    "call_block.voice": '{% import "macros.voice" as m %}{% macro wrap() %}[{{ caller() }}]{% endmacro %}'
                        '{% say %}{% call wrap() %}{{ name }}{% endcall %}{% endsay %}',
    "filter_if.voice": "{% say %}{% filter upper %}{% if name %}{{ name }}{% endif %}{% endfilter %}{% endsay %}",
    "filter_elements.voice": "{% gather %}{% filter trim %} {% say %}x{% endsay %} {% endfilter %}{% endgather %}",
}


@pytest.fixture
def render():
    app = Flask(__name__)
    app.config.update(TWILIO_ACCOUNT_SID="AC" + "0" * 32, TWILIO_AUTH_TOKEN="x" * 32)
    TwilioRB(app)
    app.jinja_loader = DictLoader(TEMPLATES)

    def render(template, **context):
        with app.test_request_context():
            xml = render_template(template, **context)
        parseString(xml)  # well-formed, whatever the values
        return xml.split("?>", 1)[1]

    return render


@pytest.mark.parametrize("name, expected", [
    ("sms.voice", "<Message>Thanks &lt;/Say&gt;&lt;Dial&gt;+19005550100&lt;/Dial&gt;&lt;Say&gt;, your order is on its way.</Message>"),
    ("top.voice", "Thanks &lt;/Say&gt;&lt;Dial&gt;+19005550100&lt;/Dial&gt;&lt;Say&gt;, your order is on its way."),
    ("with.voice", "<Say>Thanks &lt;/Say&gt;&lt;Dial&gt;+19005550100&lt;/Dial&gt;&lt;Say&gt;, your order is on its way.</Say>"),
    ("call.voice", "<Say>Hello &lt;/Say&gt;&lt;Dial&gt;+19005550100&lt;/Dial&gt;&lt;Say&gt;</Say>"),
    ("filtered_macro.voice", "<Say>HELLO &lt;/SAY&gt;&lt;DIAL&gt;+19005550100&lt;/DIAL&gt;&lt;SAY&gt;</Say>"),
    ("set_macro.voice", "<Say>Hello &lt;/Say&gt;&lt;Dial&gt;+19005550100&lt;/Dial&gt;&lt;Say&gt;</Say>"),
    ("voice_macros.voice", "<Say>Hello &lt;/Say&gt;&lt;Dial&gt;+19005550100&lt;/Dial&gt;&lt;Say&gt;</Say>"
                           "<Play>&lt;/Say&gt;&lt;Dial&gt;+19005550100&lt;/Dial&gt;&lt;Say&gt;</Play>"),
    ("partials.voice", "<Gather><Say>Hi &lt;/Say&gt;&lt;Dial&gt;+19005550100&lt;/Dial&gt;&lt;Say&gt;</Say></Gather>"),
])
def test_text_jinja_writes_raw_comes_out_as_text(render, name, expected):
    assert render(name, name=EVIL) == f"<Response>{expected}</Response>"


def test_an_include_in_a_loop_sees_the_loop_and_is_escaped(render):
    assert render("loop.voice", name="<b>&") == \
        "<Response><Say>1: &lt;b&gt;&amp;</Say><Say>2: &lt;b&gt;&amp;</Say></Response>"


def test_a_missing_include_that_may_be_missing_writes_nothing(render):
    assert render("missing.voice") == "<Response><Say>ok</Say></Response>"


@pytest.mark.parametrize("name", ["filter.voice", "set_filter.voice"])
def test_filters_run_on_the_text_and_it_is_escaped_once(render, name):
    assert render(name, name="<Jerry>") == "<Response><Say>TOM &amp; &lt;JERRY&gt;</Say></Response>"


def test_a_missing_include_is_still_an_error(render):
    from jinja2 import TemplateNotFound

    with pytest.raises(TemplateNotFound):
        render("missing_strict.voice")


def test_call_blocks_and_statements_in_filter_blocks(render):
    assert render("call_block.voice", name="<x>") == "<Response><Say>[&lt;x&gt;]</Say></Response>"
    assert render("filter_if.voice", name="a<b") == "<Response><Say>A&lt;B</Say></Response>"


def test_set_blocks_and_filter_blocks_around_elements_keep_their_markup(render):
    assert render("set_block.voice", name="<x>") == "<Response><Say>Tom &amp; &lt;x&gt;</Say></Response>"
    assert render("filter_elements.voice") == "<Response><Gather><Say>x</Say></Gather></Response>"


def test_the_same_holds_on_a_bare_environment():
    env = Environment(loader=DictLoader(TEMPLATES), extensions=[TwiMLExtension])
    xml = env.get_template("sms.voice").render(name=EVIL)
    assert "<Dial>" not in xml and "&lt;Dial&gt;" in xml
    assert env.get_template("confirm.txt").render(name="<b>") == "Thanks <b>, your order is on its way."  # untouched


# -- L11: the builder ------------------------------------------------------------------------------

@pytest.mark.parametrize("build", [
    lambda r: r.record(max_length=5, maxLength=10),
    lambda r: r.say("x", voice="man", voice_="woman"),
    lambda r: r.new_verb(a_b=1, aB=2),
])
def test_one_attribute_spelled_twice_is_refused(build):
    with pytest.raises(TwiMLError, match="twice"):
        TwiML.build(build)


def test_an_attribute_given_once_and_none_once_is_fine():
    assert TwiML.build(lambda r: r.say("x", voice="man", voice_=None)).endswith('<Say voice="man">x</Say></Response>')


def test_markup_text_is_written_once_escaped():
    assert TwiML.build(lambda r: r.say(Markup("Tom &amp; Jerry"))).endswith("<Say>Tom &amp; Jerry</Say></Response>")
    with TwiML.response() as res:
        res.say("a").text(Markup("<break/>"))
        res.play(Markup("x"), loop=2).text(" y")
    assert str(res).endswith('<Say>a<break/></Say><Play loop="2">x y</Play></Response>')
    assert TwiML.build(lambda r: r.say(Markup("x")), pretty=True).endswith("<Say>x</Say>\n</Response>")
