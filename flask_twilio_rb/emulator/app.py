"""The emulator's Flask app: one route for the whole API, Basic auth, Twilio's JSON errors."""
from __future__ import annotations

import logging
import uuid
from typing import Any, Optional, Tuple

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from ..wire import API_VERSION
from .backend import Backend
from .errors import TwilioAPIError, not_found

log = logging.getLogger("flask_twilio_rb.emulator")


def create_app(backend: Backend) -> Flask:
    """A WSGI app serving ``/2010-04-01/...`` from ``backend``; usable in-process or behind a server."""
    app = Flask("flask_twilio_rb.emulator")

    @app.route(f"{API_VERSION}/<path:_>", methods=["GET", "POST", "DELETE"])
    def api(_: str) -> Response:
        status, body = backend.handle(request.method, request.path, request.args.items(multi=True),
                                      request.form.items(multi=True), _credentials())
        response = jsonify(body) if body is not None else Response(status=status)
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


def _with_request_id(response: Response) -> Response:
    response.headers["Twilio-Request-Id"] = "RQ" + uuid.uuid4().hex
    return response
