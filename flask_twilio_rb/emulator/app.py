"""The emulator's Flask app: one route for every description, Basic auth, Twilio's JSON errors."""
from __future__ import annotations

import logging
import uuid
from typing import Any, Optional, Tuple
from urllib.parse import quote, urlsplit

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from .backend import NO_BODY, Backend
from .errors import TwilioAPIError, invalid_parameter, not_found

log = logging.getLogger("flask_twilio_rb.emulator")


def create_app(backend: Backend) -> Flask:
    """A WSGI app serving ``/2010-04-01/...`` and every other product (``/verify/v2/...``) from ``backend``.

    Usable in-process (``app.test_client()``, the suppressed mode) or behind a server.
    """
    app = Flask("flask_twilio_rb.emulator")

    @app.route("/<path:_>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    def api(_: str) -> Response:
        status, answer = backend.handle(request.method, _raw_path(), request.args.items(multi=True),
                                        request.form.items(multi=True), _credentials(), body=_json_body(),
                                        origin=_origin())
        response = jsonify(answer) if answer is not None else Response(status=status)
        response.status_code = status
        return _with_request_id(response)

    @app.errorhandler(TwilioAPIError)
    def twilio_error(error: TwilioAPIError) -> Response:
        response = jsonify(error.body())
        response.status_code = error.status
        if error.retry_after is not None:
            response.headers["Retry-After"] = str(error.retry_after)
        return _with_request_id(response)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        # Paths outside the API (and methods it never takes) answer as Twilio does, in JSON.
        if error.code == 405:
            return twilio_error(TwilioAPIError(405, 20004, f"Method not allowed: {request.method} {request.path}"))
        return twilio_error(not_found(request.path))

    @app.errorhandler(Exception)
    def emulator_bug(error: Exception) -> Response:
        # A fault of the emulator itself: logged with its traceback, answered as Twilio's 20500.
        log.exception("TwilioEmulator failed on %s %s", request.method, request.path)
        return twilio_error(TwilioAPIError(500, 20500, f"Internal Server Error ({type(error).__name__})"))

    return app


def _credentials() -> Optional[Tuple[str, str]]:
    auth = request.authorization
    if auth is None or auth.type != "basic":
        return None
    return auth.username or "", auth.password or ""


def _json_body() -> Any:
    """The decoded JSON body, or :data:`NO_BODY` for a request that sent none (a form, nothing)."""
    if not request.is_json or not request.get_data():
        return NO_BODY
    body = request.get_json(silent=True)
    if body is None:
        raise invalid_parameter("The request body is not valid JSON: send a JSON object with "
                                "Content-Type: application/json.")
    return body


def _raw_path() -> str:
    """The request's path as sent, still percent-encoded: an id holding ``/`` (``%2F``) stays one segment."""
    sent = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    if not sent:  # a server that keeps no raw URI: the decoded path, encoded again
        return quote(request.path)
    path = urlsplit(sent).path
    script = request.environ.get("SCRIPT_NAME", "")
    return path[len(script):] if script and path.startswith(script) else path


def _origin() -> str:
    """Where the request was sent: the absolute request target's origin when it has one (a proxy's
    form, and an in-process client's), else the Host's; the newer APIs' URLs are built on it."""
    sent = urlsplit(request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or "")
    if sent.scheme and sent.netloc:
        return f"{sent.scheme}://{sent.netloc}"
    return request.host_url.rstrip("/")


def _with_request_id(response: Response) -> Response:
    response.headers["Twilio-Request-Id"] = "RQ" + uuid.uuid4().hex
    return response
