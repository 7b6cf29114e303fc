"""The webhook path end to end: a signed POST through Flask's WSGI stack to a ``.voice`` answer.

Run ``python -m benchmarks.webhook_path`` (``--quick`` for a short run). Twilio calls ``POST
/voice`` with the ~25 parameters of an inbound call and ``X-Twilio-Signature``; the view is
``@validate_twilio_request`` then ``render_voice("menu.voice", caller=request.form["From"])``.
Each request is one WSGI call, as a server makes it: the environ a server would parse (built
once), a fresh body stream, the response iterated and closed. The contenders answer the same
bytes:

* ``flask_twilio_rb``: the view above.
* ``twilio-python``: the same view written with its ``RequestValidator`` and ``VoiceResponse``.
* ``bare Flask``: a route returning the bytes: the floor the issue measures against.
* ``+ request.form``: the bare route reading the form, which every validating webhook must
  parse (the signature covers each parameter).
* ``+ form + HMAC``: that, plus the smallest complete check written inline with the standard
  library (the URL and the sorted parameters, one HMAC-SHA1, a constant-time comparison).

:func:`run` measures CPU µs per request (interleaved rounds) and, under callgrind,
instructions per request (see :mod:`benchmarks.measure`).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import io
import sys
from typing import Any, Callable, Dict, List, Optional

from flask import Flask, Response, render_template, request, url_for
from jinja2 import DictLoader
from werkzeug.test import EnvironBuilder

from . import measure
from .webhooks import CALL, TOKEN

BASE = "https://abc123.ngrok.io"
PATH = "/voice"
MENU = """\
{% say voice="alice" %}Hello {{ caller }}, thanks for calling.{% endsay %}
{% gather action=url_for("choice"), method="POST", num_digits=1 %}
  {% say %}Press 1 for sales, 2 for support, 3 to leave a message.{% endsay %}
{% endgather %}
{% redirect %}{{ url_for("menu") }}{% endredirect %}
"""
PROMPT = "Press 1 for sales, 2 for support, 3 to leave a message."
OURS = "flask_twilio_rb: @validate_twilio_request + render_voice"
BUILDER = "flask_twilio_rb: @validate_twilio_request + TwiML builder"
THEIRS = "twilio-python: RequestValidator + VoiceResponse"
BARE = "bare Flask route returning the bytes (the floor)"
FORM = "floor + reading request.form"
HMAC = "floor + form + inline HMAC-SHA1 check"
TEMPLATE = "floor + form + HMAC + render_template"
#: The floors, each doing more of the work every validating webhook does.
FLOORS = [BARE, FORM, HMAC, TEMPLATE]
#: In the order the child runs them.
NAMES = [OURS, BUILDER, THEIRS, *FLOORS]


def ours_app(builder: bool = False) -> Flask:
    """The webhook as this library's README writes it (production settings: no debug, no testing).

    With ``builder`` the view builds the document in Python (``TwiML.response()``), as the
    twilio-python version does, instead of rendering ``menu.voice``.
    """
    from flask_twilio_rb import TwilioRB, TwiML, render_voice, validate_twilio_request

    app = Flask("ours")
    app.config.update(TWILIO_ACCOUNT_SID="AC" + "0" * 32, TWILIO_AUTH_TOKEN=TOKEN)
    app.jinja_loader = DictLoader({"menu.voice": MENU})  # type: ignore[assignment]
    TwilioRB(app)

    @app.post(PATH)
    @validate_twilio_request
    def menu() -> Any:
        if not builder:
            return render_voice("menu.voice", caller=request.form["From"])
        answer = TwiML.response()
        answer.say(f"Hello {request.form['From']}, thanks for calling.", voice="alice")
        with answer.gather(action=url_for("choice"), method="POST", num_digits=1) as gather:
            gather.say(PROMPT)
        answer.redirect(url_for("menu"))
        return answer

    _choice_route(app)
    return app


def theirs_app() -> Flask:
    """The same webhook with twilio-python's ``RequestValidator`` and ``VoiceResponse``."""
    from twilio.request_validator import RequestValidator
    from twilio.twiml.voice_response import VoiceResponse

    app = Flask("theirs")
    validator = RequestValidator(TOKEN)

    @app.post(PATH)
    def menu() -> Any:
        if not validator.validate(request.url, request.form, request.headers.get("X-Twilio-Signature", "")):
            return Response(status=403)
        answer = VoiceResponse()
        answer.say(f"Hello {request.form['From']}, thanks for calling.", voice="alice")
        gather = answer.gather(action=url_for("choice"), method="POST", num_digits=1)
        gather.say(PROMPT)
        answer.redirect(url_for("menu"))
        return Response(str(answer), mimetype="text/xml")

    _choice_route(app)
    return app


def floor_app(body: bytes, work: str) -> Flask:
    """A bare route answering ``body``, after the ``work`` of :data:`FLOORS` (see the module's doc)."""
    app = Flask(f"floor-{work}")
    key = TOKEN.encode()
    # The same document as a plain Jinja template (Flask autoescapes .xml templates).
    app.jinja_loader = DictLoader({"menu.xml": body.decode().replace(  # type: ignore[assignment]
        "+15551234567", "{{ caller }}").replace('"/choice"', '"{{ url_for(\'choice\') }}"').replace(
        f">{PATH}<", ">{{ url_for('menu') }}<")})

    @app.post(PATH)
    def menu() -> Any:
        if work == BARE:
            return Response(body, mimetype="text/xml")
        form = request.form
        if work != FORM:
            data = request.url + "".join(name + value for name, value in sorted(form.items()))
            digest = base64.b64encode(hmac.new(key, data.encode(), hashlib.sha1).digest()).decode()
            if not hmac.compare_digest(digest, request.headers.get("X-Twilio-Signature", "")):
                return Response(status=403)
        if work == TEMPLATE:
            return Response(render_template("menu.xml", caller=form["From"]), mimetype="text/xml")
        return Response(body, mimetype="text/xml")

    _choice_route(app)
    return app


def _choice_route(app: Flask) -> None:
    @app.post("/choice")
    def choice() -> Any:  # pragma: no cover - only url_for() reaches it
        return ""


def signed_environ() -> Dict[str, Any]:
    """The WSGI environ of Twilio's signed POST (its body read into ``"body"``)."""
    from flask_twilio_rb import compute_signature

    signature = compute_signature(BASE + PATH, CALL, TOKEN)
    environ = EnvironBuilder(path=PATH, base_url=BASE, method="POST", data=CALL,
                             headers={"X-Twilio-Signature": signature}).get_environ()
    return dict(environ, body=environ["wsgi.input"].read())


def requester(app: Flask, environ: Dict[str, Any]) -> Callable[[], bytes]:
    """One request to ``app`` per call, as a WSGI server makes it; returns the body (and checks the status)."""
    body = environ["body"]
    status: List[str] = []

    def start_response(line: str, headers: Any, exc_info: Any = None) -> None:
        status.append(line)

    def one() -> bytes:
        request_environ = dict(environ)
        request_environ["wsgi.input"] = io.BytesIO(body)
        status.clear()
        iterable = app(request_environ, start_response)
        try:
            answer = b"".join(iterable)
        finally:
            getattr(iterable, "close", lambda: None)()
        if status != ["200 OK"]:
            raise AssertionError(f"the webhook answered {status}")
        return answer

    return one


def contenders() -> Dict[str, Callable[[], bytes]]:
    """Each contender's request, in :data:`NAMES` order, all checked to answer the same bytes."""
    environ = signed_environ()
    ours = requester(ours_app(), environ)
    expected = ours()
    built = {OURS: ours, BUILDER: requester(ours_app(builder=True), environ), THEIRS: requester(theirs_app(), environ)}
    for name in FLOORS:
        built[name] = requester(floor_app(expected, name), environ)
    for name, call in built.items():
        assert call() == expected, f"{name} answers other bytes"
    return {name: built[name] for name in NAMES}


def run(quick: bool) -> Dict[str, Any]:
    """CPU µs and instructions per request of each contender (instructions: ``None`` without valgrind)."""
    rounds, batch = (2, 5) if quick else (21, 300)
    cpu = measure.cpu_per_call(contenders(), rounds, batch)
    if quick:  # callgrind's start-up alone takes half a minute
        return {"cpu": cpu, "instructions": None, "why_no_instructions": "a quick run does not count them"}
    return {"cpu": cpu, "instructions": measure.instructions_per_call("benchmarks.webhook_path", NAMES, 200),
            "why_no_instructions": measure.valgrind_missing()}


def report(results: Dict[str, Any]) -> "tuple[List[str], List[tuple[str, float, bool]]]":
    """The report's section, and its targets as ``(name, value, met)``.

    The targets are read from instructions when callgrind counted them (the load does not
    move them), else from CPU time; the section says which.
    """
    cpu, counted = results["cpu"], results["instructions"]
    basis = counted or cpu
    unit = "instructions" if counted else "CPU µs"
    bare, theirs = basis[BARE], basis[THEIRS]
    lines = [
        "## The webhook path end to end: a signed POST with 25 parameters through Flask's WSGI stack",
        "",
        "`@validate_twilio_request` + `render_voice(\"menu.voice\", ...)` (see benchmarks/webhook_path.py); "
        "every contender answers the same bytes.",
        "",
        "| contender | µs CPU/request | instructions/request | over the bare route | twilio-python's cost over this |",
        "|---|---:|---:|---:|---:|",
    ]
    for name in NAMES:
        count = f"{counted[name]:,.0f}" if counted else "not counted"
        lines.append(f"| {name} | {cpu[name]:,.0f} | {count} | {basis[name] / bare:.2f}x | {theirs / basis[name]:.2f}x |")
    if not counted:
        lines += ["", f"Instructions not counted: {results['why_no_instructions'] or 'callgrind gave no counts'}."]
    lines += [
        "",
        f"Ratios from {unit}. The floors add, one at a time, the work every validating webhook does: "
        f"reading the form costs {basis[FORM] / bare:.2f}x the bare route by itself (Werkzeug's parser), so no",
        "validating webhook can add only 25% to it; the floor of the whole job is the same work written inline",
        f"(form + HMAC + `render_template`), and twilio-python's version costs {theirs / basis[TEMPLATE]:.2f}x that floor.",
        "",
    ]
    targets = [
        ("webhook: our layer over the same work inline (form + HMAC + render_template) <= 1.25x",
         basis[OURS] / basis[TEMPLATE], basis[OURS] <= 1.25 * basis[TEMPLATE]),
        ("webhook: render_voice >= 2x cheaper than twilio-python", theirs / basis[OURS], theirs >= 2 * basis[OURS]),
        ("webhook: TwiML builder >= 2x cheaper than twilio-python", theirs / basis[BUILDER],
         theirs >= 2 * basis[BUILDER]),
    ]
    return lines, targets


def main(argv: List[str]) -> Optional[Dict[str, Any]]:
    if argv[:1] == ["--child"]:  # under callgrind (see benchmarks.measure)
        measure.run_marked(contenders(), int(argv[1]))
        return None
    results = run("--quick" in argv)
    measure.print_section(*report(results))
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
