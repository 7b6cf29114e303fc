"""Trace mode: in debug and testing, each TwiML element's template line travels in ``X-TwiML-Sources``."""
from __future__ import annotations

import pytest
from flask import Flask, render_template, render_template_string
from jinja2 import DictLoader

from flask_twilio_rb import TwilioRB, render_voice
from flask_twilio_rb.twiml.jinja import split_sources
from flask_twilio_rb.wire import TWIML_SOURCES_HEADER, decode_sources, encode_sources

TEMPLATES = {
    "menu.voice": ('{% say %}Hello{% endsay %}\n'
                   '{% gather num_digits=1 %}\n'
                   '  {% say %}Press 1{% endsay %}\n'
                   '{% endgather %}\n'
                   '{% include "part.voice" %}\n'),
    "part.voice": "\n{% hangup %}",
    "my menu.voice": "{% say %}Spaces{% endsay %}",
    "page.html": "<p>{{ 1 + 1 }}</p>",
}


def make_app(**config):
    app = Flask(__name__)
    app.config.update(TWILIO_ACCOUNT_SID="AC" + "1" * 32, TWILIO_AUTH_TOKEN="t" * 32, **config)
    TwilioRB(app)
    app.jinja_env.loader = DictLoader(TEMPLATES)

    @app.route("/menu", methods=["POST"])
    def menu():
        return render_voice("menu.voice")

    @app.route("/raw", methods=["POST"])
    def raw():  # a string of TwiML returned as is, typed by the view
        return render_template("menu.voice"), 200, {"Content-Type": "text/xml"}

    @app.route("/page")
    def page():
        render_template("menu.voice")  # rendered, but the answer is a page
        return render_template("page.html")

    @app.route("/own", methods=["POST"])
    def own():
        response = render_voice("menu.voice")
        response.headers[TWIML_SOURCES_HEADER] = "0=kept.voice:9"
        return response

    return app


@pytest.mark.parametrize("config", [{"TESTING": True}, {"DEBUG": True}])
def test_each_element_names_its_template_line_in_debug_and_testing(config):
    response = make_app(**config).test_client().post("/menu")
    assert decode_sources(response.headers[TWIML_SOURCES_HEADER]) == {
        1: "menu.voice:1", 2: "menu.voice:2", 3: "menu.voice:3", 4: "part.voice:2"}  # the include names its own
    assert response.get_data(as_text=True) == (
        '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hello</Say><Gather numDigits="1"><Say>Press 1</Say>'
        '</Gather><Hangup/></Response>')


def test_rendered_text_never_carries_the_markers():
    app = make_app(TESTING=True)
    with app.test_request_context():
        assert "twiml-source" not in render_template("menu.voice")
        assert "twiml-source" not in render_template_string("{% response %}{% say %}x{% endsay %}{% endresponse %}")


def test_a_string_view_gets_the_header_and_a_page_does_not():
    client = make_app(TESTING=True).test_client()
    raw = client.post("/raw")
    assert decode_sources(raw.headers[TWIML_SOURCES_HEADER])[1] == "menu.voice:1"
    assert TWIML_SOURCES_HEADER not in client.get("/page").headers


def test_a_header_the_view_set_itself_is_kept():
    assert make_app(TESTING=True).test_client().post("/own").headers[TWIML_SOURCES_HEADER] == "0=kept.voice:9"


def test_in_production_nothing_is_added():
    app = make_app()
    response = app.test_client().post("/menu")
    assert TWIML_SOURCES_HEADER not in response.headers
    assert app.jinja_env.template_class.__name__ == "Template"


def test_a_template_without_a_name_and_one_with_spaces():
    app = make_app(TESTING=True)
    with app.test_request_context():
        render_template_string("{% response %}{% say %}x{% endsay %}{% endresponse %}")
        response = render_voice("my menu.voice")
    assert response.headers[TWIML_SOURCES_HEADER] == "1=my%20menu.voice:1"
    assert decode_sources(response.headers[TWIML_SOURCES_HEADER]) == {1: "my menu.voice:1"}


def test_split_sources_counts_elements_as_sent():
    text = '<Response><?twiml-source a.voice:3?><Say>1 &lt; 2</Say><!-- x --><?twiml-source b.voice:7?><Hangup/></Response>'
    assert split_sources(text) == ('<Response><Say>1 &lt; 2</Say><!-- x --><Hangup/></Response>', "1=a.voice:3 2=b.voice:7")
    assert split_sources("<Response/>") == ("<Response/>", "")


def test_the_header_format_round_trips_and_skips_what_it_cannot_read():
    value = encode_sources([(1, "menu.voice", 3), (12, "dir/odd name=:x.voice", 40)])
    assert decode_sources(value) == {1: "menu.voice:3", 12: "dir/odd name=:x.voice:40"}
    assert decode_sources("x=a.voice:1 2=:3 3=a.voice 4=a.voice:b 5=ok.voice:6") == {5: "ok.voice:6"}
