"""The voice response type: render_voice, voice_response, respond_to and the .voice routes."""
from __future__ import annotations

import logging
import mimetypes
import os
from typing import Any, Dict, Iterator, Optional

import pytest
from flask import Blueprint, Flask, g, request
from flask.testing import FlaskClient
from twilio.request_validator import RequestValidator
from werkzeug.wrappers import Response

from flask_twilio_rb import TwiML, TwiMLError, TwilioRB, render_voice, respond_to, voice_response

TOKEN = "x" * 32
HEAD = '<?xml version="1.0" encoding="UTF-8"?>'
TEMPLATES = os.path.join(os.path.dirname(__file__), "twiml", "templates")
XML = "text/xml; charset=utf-8"
HANGUP = HEAD + "<Response><Hangup/></Response>"


def hangup() -> Any:
    res = TwiML.response()
    res.hangup()
    return res


@pytest.fixture
def app() -> Iterator[Flask]:
    app = Flask(__name__, template_folder=TEMPLATES)
    app.config.update(TESTING=True, TWILIO_ACCOUNT_SID="AC" + "0" * 32, TWILIO_AUTH_TOKEN=TOKEN)
    TwilioRB(app)

    @app.route("/menu", methods=["GET", "POST"])
    def menu() -> Any:
        return respond_to(html=lambda: "<h1>Menu</h1>", voice=lambda: render_voice("corpus/seed.voice", name="Bob"))

    @app.route("/plain")
    def plain() -> Any:
        return "plain"

    @app.route("/document")
    def document() -> Any:
        return hangup()

    yield app


def signed(path: str, data: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    """Headers Twilio would send with a request to ``path`` carrying ``data``."""
    return {"X-Twilio-Signature": RequestValidator(TOKEN).compute_signature(f"http://localhost{path}", data or {})}


# -- render_voice, voice_response -------------------------------------------------------------

def test_render_voice_answers_text_xml(app: Flask) -> None:
    with app.test_request_context():
        response = render_voice("corpus/seed.voice", name="Bob & Alice")
    assert response.headers["Content-Type"] == XML
    assert response.get_data(as_text=True).startswith(
        HEAD + '<Response><Say voice="man">Hey Bob &amp; Alice! Listen to this!</Say>')


def test_voice_response_takes_a_builder_or_a_string(app: Flask) -> None:
    with app.test_request_context():
        from_builder = voice_response(hangup())
        from_string = voice_response(HANGUP)
    for response in (from_builder, from_string):
        assert response.headers["Content-Type"] == XML
        assert response.get_data(as_text=True) == HANGUP


def test_voice_response_refuses_anything_else(app: Flask) -> None:
    with app.test_request_context(), pytest.raises(TwiMLError, match=r"TwiML document \(TwiML.response\(\)\) or an XML string, not dict"):
        voice_response({"Say": "Hi"})  # type: ignore[arg-type]


def test_a_view_may_return_a_builder(client: FlaskClient) -> None:
    response = client.get("/document")
    assert response.headers["Content-Type"] == XML
    assert response.get_data(as_text=True) == HANGUP


def test_a_builder_answers_as_a_wsgi_app_with_its_length_and_no_body_for_head(app: Flask) -> None:
    @app.route("/accents", methods=["GET", "HEAD"])
    def accents() -> Any:
        res = TwiML.response()
        res.say("Café")
        return res

    client = app.test_client()
    response = client.get("/accents")
    body = response.get_data()
    assert body.decode("utf-8") == HEAD + "<Response><Say>Café</Say></Response>"
    assert response.headers["Content-Length"] == str(len(body)) == str(len(body.decode("utf-8")) + 1)  # bytes, not characters
    head = client.head("/accents")
    assert head.get_data() == b"" and head.headers["Content-Length"] == str(len(body))
    assert head.headers["Content-Type"] == XML


def test_voice_files_are_text_xml() -> None:
    assert mimetypes.guess_type("menu.voice")[0] == "text/xml"


# -- respond_to: choosing the branch ---------------------------------------------------------

def test_browsers_get_the_html_branch(client: FlaskClient) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for headers in ({"Accept": accept}, {"Accept": "*/*"}, {}):
        response = client.get("/menu", headers=headers)
        assert response.get_data(as_text=True) == "<h1>Menu</h1>"
        assert response.headers["Content-Type"].startswith("text/html")
        assert response.headers["Vary"] == "Accept"


@pytest.mark.parametrize("path, headers", [
    ("/menu.voice", {}),
    ("/menu?format=voice", {}),
    ("/menu", {"Accept": "text/xml"}),
    ("/menu", {"Accept": "application/xml"}),
    ("/menu", {"Accept": "text/html;q=0.5, text/xml"}),
])
def test_the_voice_branch_is_chosen_by_suffix_format_or_accept(client: FlaskClient, path: str, headers: Dict[str, str]) -> None:
    response = client.get(path, headers={**headers, **signed(path)})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == XML
    assert response.get_data(as_text=True).startswith(HEAD + '<Response><Say voice="man">Hey Bob!')
    assert response.headers["Vary"] == "Accept"


def test_a_twilio_signature_header_chooses_the_voice_branch(client: FlaskClient) -> None:
    data = {"CallSid": "CA" + "1" * 32, "From": "+15551234567"}
    response = client.post("/menu", data=data, headers={"Accept": "text/html", **signed("/menu", data)})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == XML


def test_the_voice_branch_rejects_unsigned_requests(client: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="flask_twilio_rb.webhooks")
    for path in ("/menu.voice", "/menu?format=voice"):
        assert client.get(path).status_code == 403
    wrong = {"X-Twilio-Signature": RequestValidator(TOKEN).compute_signature("http://localhost/menu", {})}
    assert client.get("/menu.voice", headers=wrong).status_code == 403


def test_the_voice_branch_accepts_unsigned_requests_when_validation_is_off(app: Flask,
                                                                           caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="flask_twilio_rb.webhooks")
    other = Flask(__name__, template_folder=TEMPLATES)
    other.config.update(TWILIO_ACCOUNT_SID="AC" + "0" * 32, TWILIO_AUTH_TOKEN=TOKEN, TWILIO_VALIDATE_WEBHOOKS=False)
    TwilioRB(other)
    other.add_url_rule("/menu", view_func=app.view_functions["menu"])
    assert other.test_client().get("/menu?format=voice").status_code == 200


# -- respond_to: branches ---------------------------------------------------------------------

@pytest.mark.parametrize("voice", [
    lambda: HANGUP,
    lambda: hangup(),
    hangup(),
    HANGUP,
])
def test_a_voice_branch_may_be_a_callable_or_a_value_giving_twiml(app: Flask, voice: Any) -> None:
    with app.test_request_context("/x?format=voice", headers=signed("/x?format=voice")):
        response = respond_to(voice=voice)
    assert response.headers["Content-Type"] == XML
    assert response.get_data(as_text=True) == HANGUP


def test_a_branch_may_be_a_ready_response_or_any_view_return_value(app: Flask) -> None:
    with app.test_request_context("/x?format=voice", headers=signed("/x?format=voice")):
        ready = respond_to(voice=Response("<Response/>", mimetype="application/xml"))
        assert ready.headers["Content-Type"] == "application/xml; charset=utf-8"
        created = respond_to(voice=lambda: (HANGUP, 201, {"Content-Type": XML}))
        assert created.status_code == 201
    with app.test_request_context("/x"):
        page = respond_to(html=("<p>created</p>", 201))
        assert page.status_code == 201


def test_only_the_chosen_branch_runs(app: Flask) -> None:
    calls = []
    with app.test_request_context("/x"):
        respond_to(html=lambda: calls.append("html") or "ok", voice=lambda: calls.append("voice") or HANGUP)
    assert calls == ["html"]


def test_a_missing_branch_is_not_acceptable(client: FlaskClient, app: Flask) -> None:
    app.add_url_rule("/twiml-only", "twiml_only", lambda: respond_to(voice=HANGUP))
    app.add_url_rule("/page-only", "page_only", lambda: respond_to(html="page"))
    assert client.get("/twiml-only").status_code == 406
    assert client.get("/page-only?format=voice", headers=signed("/page-only?format=voice")).status_code == 406


# -- /path.voice ------------------------------------------------------------------------------

def test_a_route_answers_its_voice_variant_with_the_views_arguments_and_hooks(app: Flask, client: FlaskClient) -> None:
    calls = []
    shop = Blueprint("shop", __name__, url_prefix="/shop")

    @shop.before_request
    def remember() -> None:
        g.hook = request.endpoint

    @shop.route("/item/<int:number>", methods=["GET", "POST"])
    def item(number: int) -> Any:
        calls.append(number)
        return respond_to(html=lambda: f"item {number}", voice=lambda: TwiML.build(
            lambda res: res.say(f"Item {number} ({g.hook})")))

    app.register_blueprint(shop)
    data = {"Digits": "1"}
    response = client.post("/shop/item/7.voice", data=data, headers=signed("/shop/item/7.voice", data))
    assert response.status_code == 200
    assert response.get_data(as_text=True) == HEAD + "<Response><Say>Item 7 (shop.item)</Say></Response>"
    assert client.get("/shop/item/7").get_data(as_text=True) == "item 7"
    assert calls == [7, 7]


def test_a_view_without_respond_to_has_no_voice_variant(app: Flask, client: FlaskClient) -> None:
    @app.errorhandler(404)
    def not_found(error: Exception) -> Any:
        return "nothing here", 404

    response = client.get("/plain.voice")
    assert response.status_code == 404
    assert response.get_data(as_text=True) == "nothing here"
    assert client.get("/plain").get_data(as_text=True) == "plain"


def test_a_voice_path_with_no_route_stays_not_found(client: FlaskClient) -> None:
    assert client.get("/nowhere.voice").status_code == 404
    assert client.get("/nowhere").status_code == 404


def test_a_voice_path_with_the_wrong_method_stays_not_found(client: FlaskClient) -> None:
    assert client.delete("/menu.voice").status_code == 404


def test_an_explicit_voice_route_wins(app: Flask, client: FlaskClient) -> None:
    app.add_url_rule("/menu.voice", "menu_voice", lambda: "explicit")
    assert client.get("/menu.voice").get_data(as_text=True) == "explicit"
