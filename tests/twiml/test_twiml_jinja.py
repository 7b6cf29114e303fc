"""The TwiML Jinja tags."""
from __future__ import annotations

from typing import Any, Callable

import pytest
from flask import Flask, render_template
from jinja2 import DictLoader, Environment, TemplateSyntaxError, select_autoescape
from markupsafe import Markup

from flask_twilio_rb import TwiMLError
from flask_twilio_rb.twiml import TwiMLExtension
from flask_twilio_rb.twiml.schema import ELEMENTS

HEAD = '<?xml version="1.0" encoding="UTF-8"?>'
Render = Callable[..., str]


def doc(inner: str) -> str:
    return f"{HEAD}<Response>{inner}</Response>"


def test_a_voice_template_is_a_whole_document(render: Render) -> None:
    assert render('{% say voice="man" %}Hey {{ name }}!{% endsay %}\n{% hangup %}\n', name="Bob") == \
        doc('<Say voice="man">Hey Bob!</Say><Hangup/>')


def test_an_empty_voice_template_is_an_empty_response(render: Render) -> None:
    assert render("") == doc("")


def test_other_templates_write_only_the_elements(render: Render) -> None:
    assert render("{% play %}a.mp3{% endplay %}", template="t.txt") == "<Play>a.mp3</Play>"


def test_response_tag_makes_a_document_anywhere(render: Render) -> None:
    assert render("{% response %}{% hangup %}{% endresponse %}", template="t.txt") == doc("<Hangup/>")


def test_void_elements_are_single_tags_and_blocks_may_be_empty(render: Render) -> None:
    assert render('{% pause length=2 %}{% say %}{% endsay %}{% record max_length=20 %}') == \
        doc('<Pause length="2"/><Say/><Record maxLength="20"/>')


def test_every_element_of_the_table_has_a_tag(render: Render) -> None:
    for element in ELEMENTS.values():
        if element.key in ("Response", "Refer.Sip"):
            continue
        name = element.method
        source = f"{{% {name} %}}" if element.void else f"{{% {name} %}}x{{% end{name} %}}"
        expected = f"<{element.tag}/>" if element.void else f"<{element.tag}>x</{element.tag}>"
        assert render(source, template="t.txt") == expected, name


def test_the_twilio_python_spelling_of_whatsapp_works_too(render: Render) -> None:
    assert render("{% whats_app %}+1{% endwhats_app %}", template="t.txt") == "<WhatsApp>+1</WhatsApp>"


# -- attributes -----------------------------------------------------------------------------

def test_attributes_may_be_separated_by_commas_or_spaces(render: Render) -> None:
    expected = doc('<Gather action="/g" method="GET" numDigits="1"/>')
    assert render('{% gather action="/g", method="GET", num_digits=1 %}{% endgather %}') == expected
    assert render('{% gather action="/g" method="GET" num_digits=1 %}{% endgather %}') == expected
    assert render('{% gather action="/g", method="GET" num_digits=1, %}{% endgather %}') == expected


def test_attribute_names_follow_the_builder_rules(render: Render) -> None:
    source = ('{% message from="+1" to_="+2" status_callback="/s" %}Hi{% endmessage %}'
              '{% say %}{% lang xml_lang="fr-FR" %}Oui{% endlang %}{% say_as interpret_as="digits" %}1{% endsay_as %}'
              '{% endsay %}{% prompt for="x" errorType="timeout" %}{% endprompt %}')
    assert render(source) == doc(
        '<Message from="+1" to="+2" statusCallback="/s">Hi</Message><Say><lang xml:lang="fr-FR">Oui</lang>'
        '<say-as interpret-as="digits">1</say-as></Say><Prompt for="x" errorType="timeout"/>')


def test_attribute_values_are_expressions(render: Render) -> None:
    source = ('{% dial record=true answer_on_bridge=false timeout=10 * 2 caller_id=number ring_tone=none '
              'recording_status_callback_event=events time_limit=limit %}{% enddial %}')
    assert render(source, number="+1 & 2", events=["a", "b"], limit=None) == \
        doc('<Dial record="true" answerOnBridge="false" timeout="20" callerId="+1 &amp; 2" '
            'recordingStatusCallbackEvent="a b"/>')


def test_an_attribute_known_at_compile_time_is_written_into_the_code() -> None:
    environment = Environment(extensions=[TwiMLExtension])
    code = environment.compile('{% say voice="man" loop=2 %}Hi{% endsay %}', raw=True)
    assert """'<Say voice="man" loop="2">Hi</Say>'""" in code


def test_dynamic_attribute_values_are_escaped_and_checked(render: Render) -> None:
    assert render('{% play digits=d %}{% endplay %}', d='1"2<') == doc('<Play digits="1&quot;2&lt;"/>')
    with pytest.raises(TwiMLError, match="Attribute 'digits' of <Play>"):
        render('{% play digits=d %}{% endplay %}', d="\x00")


# -- text -----------------------------------------------------------------------------------

def test_text_and_output_are_escaped_even_without_autoescape(render: Render) -> None:
    assert render('{% say %}Tom & Jerry <3 {{ who }}{% endsay %}', template="t.txt", who="<b>&") == \
        "<Say>Tom &amp; Jerry &lt;3 &lt;b&gt;&amp;</Say>"


def test_markup_is_trusted(render: Render) -> None:
    assert render("{% say %}{{ x }}{{ y|safe }}{% endsay %}", x=Markup("<break/>"), y="<w>a</w>") == \
        doc("<Say><break/><w>a</w></Say>")


def test_output_of_a_control_character_raises_naming_the_element(render: Render) -> None:
    with pytest.raises(TwiMLError, match="The text of <Say>"):
        render("{% say %}{{ x }}{% endsay %}", x="bell\x07")


def test_a_control_character_in_template_text_is_a_syntax_error_at_its_line(render: Render) -> None:
    with pytest.raises(TemplateSyntaxError, match="The text of <Say>") as error:
        render("{% say %}\n\nbell\x07{% endsay %}")
    assert error.value.lineno == 1  # the text starts on the line of {% say %}
    with pytest.raises(TemplateSyntaxError, match="Attribute 'voice' of <Say>") as error:
        render('\n{% say voice="\x01" %}{% endsay %}')
    assert error.value.lineno == 2


def test_whitespace_between_tags_does_not_reach_the_xml(render: Render) -> None:
    source = """
    {% gather %}
      {% for word in words %}
        {% say %}
          {{ word }}
        {% endsay %}
      {% endfor %}
    {% endgather %}
    """
    assert render(source, words=["a", "b"]) == doc("<Gather><Say>a</Say><Say>b</Say></Gather>")


def test_spaces_on_one_line_are_kept(render: Render) -> None:
    source = '{% say %}Hello {{ name }}{% if dear %} dear{% endif %} friend, {% break_ %} bye{% endsay %}'
    assert render(source, name="Bob", dear=True) == doc("<Say>Hello Bob dear friend, <break/> bye</Say>")


def test_a_space_between_two_tags_is_written_as_an_expression(render: Render) -> None:
    source = "{% say %}{% w %}a{% endw %} {% w %}b{% endw %}{% endsay %}{% say %}{% w %}a{% endw %}{{ ' ' }}{% w %}b{% endw %}{% endsay %}"
    assert render(source) == doc("<Say><w>a</w><w>b</w></Say><Say><w>a</w> <w>b</w></Say>")


def test_jinja_whitespace_control_still_works(render: Render) -> None:
    assert render("{% say %}Hello   {%- break_ %}{% endsay %}") == doc("<Say>Hello<break/></Say>")


# -- documents: include, extends, macros ----------------------------------------------------

def test_an_included_voice_partial_adds_only_its_elements(env: Environment) -> None:
    assert env.get_template("page.html").render(title="News", topic="sales").replace("\n", "") == \
        "<h1>News</h1>" + doc("<Say>News</Say><Say>Press 1 for sales.</Say>")


def test_a_partial_rendered_alone_is_a_document(env: Environment) -> None:
    assert env.get_template("partials/menu.voice").render(topic="sales") == doc("<Say>Press 1 for sales.</Say>")


def test_a_voice_template_may_extend_another(env: Environment) -> None:
    assert env.get_template("child.voice").render(company="ACME", news="sunny", topic="sales") == doc(
        "<Say>Welcome to ACME.</Say><Say>Today: sunny</Say><Say>Press 1 for sales.</Say><Hangup/>")


def test_macros_return_twiml_that_is_not_escaped_again(env: Environment) -> None:
    assert env.get_template("macros.voice").render() == doc(
        '<Gather numDigits="1"><Say>Press 1 for sales &amp; support.</Say></Gather>')


def test_nested_response_tags_write_one_document(render: Render) -> None:
    assert render("{% response %}{% hangup %}{% endresponse %}") == doc("<Hangup/>")


# -- syntax errors --------------------------------------------------------------------------

@pytest.mark.parametrize("source, line, message", [
    ('\n{% say voice %}Hi{% endsay %}', 2, 'Attribute \'voice\' of {% say %} has no value: write voice="..."'),
    ('{% say "Hi" %}{% endsay %}', 1, '{% say %} takes attributes as name=value pairs, e.g. {% say language="..." %}; '
                                     "its content goes between {% say %} and {% endsay %}."),
    ('{% p "x" %}{% endp %}', 1, "{% p %} takes no attributes; its content goes between {% p %} and {% endp %}."),
    ('{% hangup "x" %}', 1, "{% hangup %} takes no attributes."),
    ('{% pause 2 %}', 1, '{% pause %} takes attributes as name=value pairs, e.g. {% pause length="..." %}.'),
    ('{% say voice="a" voice="b" %}{% endsay %}', 1, "{% say %} sets 'voice' twice; keep one."),
    ('{% say , voice="a" %}{% endsay %}', 1, "{% say %} takes attributes as name=value pairs"),
    ('\n\n{% hangup %}{% endhangup %}', 3, "<Hangup> never has content: write {% hangup %} alone, without {% endhangup %}."),
    ('{% response x=1 %}{% endresponse %}', 1, "{% response %} takes no attributes"),
])
def test_syntax_errors_name_the_fix_at_the_line(render: Render, source: str, line: int, message: str) -> None:
    with pytest.raises(TemplateSyntaxError) as error:
        render(source)
    assert message in error.value.message  # type: ignore[operator]
    assert error.value.lineno == line


def test_an_unclosed_tag_in_a_voice_template_gets_jinjas_own_message(render: Render) -> None:
    with pytest.raises(TemplateSyntaxError) as error:
        render("{% gather %}\n{% say %}Hi\n")
    assert error.value.message == ("Unexpected end of template. Jinja was looking for the following tags: "
                                   "'endsay'. The innermost block that needs to be closed is 'say'.")


def test_a_stray_end_tag_in_a_voice_template_does_not_mention_the_hidden_wrapper(render: Render) -> None:
    with pytest.raises(TemplateSyntaxError) as error:
        render("{% hangup %}\n{% endfor %}")
    assert error.value.message == "Encountered unknown tag 'endfor'."
    assert error.value.lineno == 2


# -- autoescape -------------------------------------------------------------------------------

def test_the_extension_autoescapes_voice_templates_only() -> None:
    plain = Environment(extensions=[TwiMLExtension])
    assert plain.autoescape("x.voice") is True
    assert plain.autoescape("x.txt") is False
    assert plain.autoescape(None) is False
    chosen = Environment(autoescape=select_autoescape(["html"]), extensions=[TwiMLExtension])
    assert chosen.autoescape("x.html") is True
    assert chosen.autoescape("x.voice") is True
    assert chosen.autoescape("x.txt") is False


def test_flask_autoescapes_voice_templates(app: Flask) -> None:
    assert "flask_twilio_rb.twiml.jinja.TwiMLExtension" in app.jinja_env.extensions
    assert app.jinja_env.autoescape("menu.voice") is True
    assert app.jinja_env.autoescape("page.html") is True
    assert app.jinja_env.autoescape("notes.txt") is False


def test_blocks_of_voice_templates_are_autoescaped_in_flask(app: Flask) -> None:
    app.jinja_env.loader = DictLoader({"b.voice": "{% block x %}{% set y %}<{{ v }}>{% endset %}{% say %}{{ y }}{% endsay %}{% endblock %}"})
    with app.app_context():
        assert render_template("b.voice", v="&") == doc("<Say>&lt;&amp;&gt;</Say>")


def test_flask_renders_the_corpus_seed(app: Flask) -> None:
    with app.app_context():
        xml = render_template("corpus/seed.voice", name="Bob")
    assert xml.startswith(doc('<Say voice="man">Hey Bob! Listen to this!</Say>')[:-len("</Response>")])


def test_extension_configures_any_environment(render: Render) -> None:
    environment: Any = Environment(extensions=[TwiMLExtension])
    assert "_twiml_text" in environment.filters
