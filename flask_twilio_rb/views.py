"""The voice response type: TwiML answers from Flask views.

* :func:`render_voice` renders a ``.voice`` template into a ``text/xml`` response.
* :func:`voice_response` does the same for a builder or an XML string; a view may also return
  a :class:`~flask_twilio_rb.twiml.Document` as is.
* :func:`respond_to` serves one URL to browsers (HTML) and to Twilio (TwiML). Requests it
  answers with TwiML must carry a valid Twilio signature.

With :class:`~flask_twilio_rb.TwilioRB` on the app, a route ``/menu`` also answers
``/menu.voice`` when its view uses :func:`respond_to` (see :func:`register`).
"""
from __future__ import annotations

import inspect
import mimetypes
from typing import Any, Union

from flask import Flask, Response, after_this_request, current_app, has_request_context, render_template, request
from jinja2 import Template
from flask.signals import request_started
from werkzeug.exceptions import HTTPException, NotAcceptable, NotFound
from werkzeug.wrappers import Response as WSGIResponse

from .errors import TwiMLError
from .twiml.builder import Document
from .twiml.jinja import split_sources
from .wire import TWIML_SOURCES_HEADER
from .webhooks import reject_invalid_request

#: The response type of TwiML documents.
VOICE_MIMETYPE = "text/xml"
VOICE_SUFFIX = ".voice"

# A request environ key: the view used respond_to(). The environ is the one per-request store
# every hook below sees.
_RESPONDED = "flask_twilio_rb.respond_to"
# ... and the X-TwiML-Sources value of the last template rendered in trace mode.
_SOURCES = "flask_twilio_rb.twiml_sources"

_XML_TYPES = ("application/xml", VOICE_MIMETYPE)


def voice_response(twiml: Union[Document, str]) -> Response:
    """A response carrying ``twiml`` (a builder document or an XML string) as ``text/xml; charset=utf-8``.

    :raises TwiMLError: for anything else, so a mistake does not go out as a broken document.
    """
    if isinstance(twiml, Document):
        twiml = str(twiml)
    elif not isinstance(twiml, str):
        raise TwiMLError(
            f"voice_response() takes a TwiML document (TwiML.response()) or an XML string, "
            f"not {type(twiml).__name__}."
        )
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    response = app.response_class(twiml, mimetype=VOICE_MIMETYPE)
    # Only traced templates (debug and testing) leave sources to send.
    return _with_sources(response) if getattr(app.jinja_env, "twiml_trace", False) else response


def render_voice(template_name: str, **context: Any) -> Response:
    """Render the template ``template_name`` (e.g. ``"menu.voice"``) into a TwiML response.

    A ``.voice`` template is a whole ``<Response>`` document; see
    :mod:`flask_twilio_rb.twiml.jinja` for its tags.
    """
    return voice_response(render_template(template_name, **context))


def wants_voice() -> bool:
    """Whether the current request asks for TwiML rather than HTML.

    It does when the URL path ends in ``.voice``, when the query says ``format=voice``, when
    the request carries ``X-Twilio-Signature``, or when its ``Accept`` header prefers
    ``text/xml`` or ``application/xml`` to ``text/html``.
    """
    if request.path.endswith(VOICE_SUFFIX) or request.args.get("format") == "voice":
        return True
    if "X-Twilio-Signature" in request.headers:
        return True
    return request.accept_mimetypes.best_match(("text/html",) + _XML_TYPES) in _XML_TYPES


def respond_to(*, html: Any = None, voice: Any = None) -> Response:
    """Answer the current request with its ``voice`` branch or its ``html`` branch.

    .. code-block:: python

        @app.route("/menu", methods=["GET", "POST"])
        def menu():
            return respond_to(
                html=lambda: render_template("menu.html"),
                voice=lambda: render_voice("menu.voice"),
            )

    A branch is a callable taking no arguments (only the chosen one is called) or a ready
    value; either way its result is anything a view may return. In the voice branch a
    document or a string is TwiML (:func:`voice_response`). The branch is chosen by
    :func:`wants_voice`. A voice answer first checks the request's Twilio signature and
    answers 403 when it is missing or wrong (see :mod:`flask_twilio_rb.webhooks`); a
    request for a branch the view does not have gets 406. The response varies on ``Accept``.
    """
    request.environ[_RESPONDED] = True
    if wants_voice():
        if voice is None:
            raise NotAcceptable("This URL has no TwiML (voice) version.")
        rejection = reject_invalid_request()
        if rejection is not None:
            return rejection
        value = _value(voice)
        response = voice_response(value) if isinstance(value, (Document, str)) else current_app.make_response(value)
    else:
        if html is None:
            raise NotAcceptable("This URL only answers TwiML: ask for text/xml or add ?format=voice.")
        response = current_app.make_response(_value(html))
    response.vary.add("Accept")
    return response


def _value(branch: Any) -> Any:
    # Responses and documents are WSGI callables too: only other callables are branches to run.
    if callable(branch) and not isinstance(branch, (WSGIResponse, Document)):
        return branch()
    return branch


def register(app: Flask) -> None:
    """Install the voice response type on ``app`` (called by :meth:`TwilioRB.init_app`).

    * ``.voice`` files are ``text/xml`` (:mod:`mimetypes`, e.g. for ``send_file``).
    * A URL ``/path.voice`` that no rule matches is routed to the rule of ``/path``, with the
      view, its blueprint hooks and its arguments as usual; the view must answer through
      :func:`respond_to` (which serves TwiML there), anything else is a 404. Twilio signs
      the URL it called, so the signature is checked against ``/path.voice``.
    * With the Jinja environment's ``twiml_trace`` on (debug and testing), templates render
      through :class:`TracedTemplate`, and a TwiML response carries the template line of each
      of its elements in the ``X-TwiML-Sources`` header.
    """
    mimetypes.add_type(VOICE_MIMETYPE, VOICE_SUFFIX)
    request_started.connect(_route_voice_suffix, app)
    if getattr(app.jinja_env, "twiml_trace", False):
        app.jinja_env.template_class = TracedTemplate
        app.after_request(_with_sources)


def _route_voice_suffix(app: Flask, **extra: Any) -> None:
    # request_started comes after routing and before any before_request hook, so the hooks
    # of the view's blueprint see the real endpoint.
    if not isinstance(request.routing_exception, NotFound) or not request.path.endswith(VOICE_SUFFIX):
        return
    adapter = app.create_url_adapter(request)
    try:
        rule, arguments = adapter.match(  # type: ignore[union-attr]
            request.path[: -len(VOICE_SUFFIX)], method=request.method, return_rule=True)
    except HTTPException:
        return
    if not answers_voice(app.view_functions.get(rule.endpoint)):
        return  # decided before the view runs: /path.voice never runs a view that has no TwiML
    # Werkzeug promises a Mapping, Flask's view_args is a dict (url_value_preprocessors pop from it).
    request.url_rule, request.view_args = rule, dict(arguments)
    request.routing_exception = None
    after_this_request(_require_respond_to)  # only these requests pay for the check


def answers_voice(view: Any) -> bool:
    """Whether ``view`` answers through :func:`respond_to`: its code (or its class's methods) call it.

    Read from the code, before the view runs, so ``/path.voice`` never runs a view that has
    no voice branch; decorators that keep ``__wrapped__`` (``functools.wraps``) are seen
    through. A view that reaches ``respond_to`` only through a helper of its own is not
    found: it still answers ``?format=voice`` and ``Accept: text/xml``.
    """
    view_class = getattr(view, "view_class", None)  # Flask's View.as_view(): the methods do the work
    functions = [getattr(view_class, name) for name in dir(view_class)] if view_class is not None else [view]
    for function in functions:
        code = getattr(inspect.unwrap(function), "__code__", None) if callable(function) else None
        if code is not None and "respond_to" in code.co_names:
            return True
    return False


class TracedTemplate(Template):
    """A template that renders without the source markers of trace mode, keeping what they said.

    The sources of the last template rendered in a request go out with a TwiML response of
    that request, in the ``X-TwiML-Sources`` header (:mod:`flask_twilio_rb.twiml.jinja`).
    """

    def render(self, *args: Any, **kwargs: Any) -> str:
        """Render as Jinja does, then move the source markers out of the text."""
        text, sources = split_sources(super().render(*args, **kwargs))
        if sources and has_request_context():
            request.environ[_SOURCES] = sources
        return text


def _with_sources(response: Any) -> Any:
    sources = request.environ.get(_SOURCES) if has_request_context() else None
    if sources and response.mimetype in _XML_TYPES and TWIML_SOURCES_HEADER not in response.headers:
        response.headers[TWIML_SOURCES_HEADER] = sources
    return response


def _require_respond_to(response: Any) -> Any:
    if not request.environ.get(_RESPONDED):
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        return app.make_response(app.handle_user_exception(NotFound()))
    return response

