"""The Flask guard of webhooks: views answer only requests Twilio signed.

:func:`validate_twilio_request` decorates a view; :func:`reject_invalid_request` is the check
itself, for views that decide on their own. The URL Twilio called is rebuilt from the request
(or ``TWILIO_WEBHOOK_BASE_URL``), the signature checked by :mod:`flask_twilio_rb.signature`.
"""
from __future__ import annotations

import logging
import threading
from functools import wraps
from inspect import iscoroutinefunction
from time import monotonic
from typing import Any, Callable, Mapping, Optional, TypeVar, cast
from urllib.parse import quote

from flask import Flask, Request, current_app, request
from flask.wrappers import Response

from .config import Settings
from .errors import ConfigurationError, SignatureError
from .signals import webhook_rejected
from .signature import (
    SIGNATURE_HEADER,
    SIGNATURE_SETTINGS_HEADER,
    Params,
    algorithm_of,
    compute_signature,
    is_valid_signature,
    signature_problem,
)
from .state import get_state

__all__ = ["SignatureError", "compute_signature", "is_valid_signature", "reject_invalid_request",
           "validate_twilio_request", "signed_params", "webhook_url"]

log = logging.getLogger("flask_twilio_rb.webhooks")

F = TypeVar("F", bound=Callable[..., Any])

# The characters Werkzeug leaves unquoted when it rebuilds a request URL.
_PATH_SAFE = "!$&'()*+,/:;=@%"
_QUERY_SAFE = "!$&'()*+,/:;=?@%"
# Where WSGI puts the two headers (the keys request.headers reads them from).
_SIGNATURE_KEY = "HTTP_" + SIGNATURE_HEADER.upper().replace("-", "_")
_SETTINGS_KEY = "HTTP_" + SIGNATURE_SETTINGS_HEADER.upper().replace("-", "_")


def validate_twilio_request(view: F) -> F:
    """Guard a view so it only answers requests Twilio signed.

    .. code-block:: python

        @app.post("/sms")
        @validate_twilio_request
        def sms():
            ...

    A request with a missing or wrong ``X-Twilio-Signature`` gets ``403`` with an empty
    body, one warning in the ``flask_twilio_rb.webhooks`` log and the
    :data:`~flask_twilio_rb.signals.webhook_rejected` signal; see
    :func:`reject_invalid_request` for how the URL is found. The check is skipped only
    when ``TWILIO_VALIDATE_WEBHOOKS`` is ``False``, never because of debug or testing mode.
    An ``async def`` view runs through the app's ``ensure_sync``, as Flask runs its views.
    """
    is_async = iscoroutinefunction(view)  # decided once: Flask's ensure_sync returns a plain view as is

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        rejection = reject_invalid_request()
        if rejection is not None:
            return rejection
        if is_async:
            return current_app.ensure_sync(view)(*args, **kwargs)
        return view(*args, **kwargs)

    return cast(F, guarded)


def reject_invalid_request() -> Optional[Response]:
    """The ``403`` response for the current request when it fails validation, else ``None``.

    Returns ``None`` at once when ``TWILIO_VALIDATE_WEBHOOKS`` is off. The signature is
    checked against the URL Twilio called: ``TWILIO_WEBHOOK_BASE_URL`` (e.g. an ngrok
    origin) followed by the request's path and query string when that is set, otherwise the
    request's own URL. Behind a proxy, wrap the app in Werkzeug's ``ProxyFix`` so that URL
    reflects ``X-Forwarded-Proto``/``X-Forwarded-Host``; those headers are not trusted
    otherwise. Form bodies are the signed parameters (query-string parameters stay part of
    the URL); any other body must match the URL's ``bodySHA256``.

    :raises ConfigurationError: when validation is on and ``TWILIO_AUTH_TOKEN`` is not set.
    """
    # Each request to a webhook passes here: the app and request are looked up once (a context
    # proxy costs as much as an HMAC), the headers read where request.headers would read them.
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    settings = get_state(app).settings
    if not settings.validate_webhooks:
        return None
    if not settings.auth_token:
        raise ConfigurationError(
            "TWILIO_AUTH_TOKEN is not set, so webhook signatures cannot be checked. Set it, or set "
            "TWILIO_VALIDATE_WEBHOOKS = False to accept unsigned requests."
        )
    req = request._get_current_object()  # type: ignore[attr-defined]
    url = webhook_url(req, settings.webhook_base_url)
    signature = req.environ.get(_SIGNATURE_KEY)
    rule = req.environ.get(_SETTINGS_KEY)
    if not signature:  # refused before the body is read: an unsigned request costs nothing more
        reason: Optional[str] = "missing signature"
    else:
        # A Webhook Rule's requests say so in their settings header, and are signed with its shared key.
        key = settings.webhook_signing_key if rule is not None and settings.webhook_signing_key else settings.auth_token
        try:
            reason = signature_problem(url, signed_params(req), signature, key, algorithm_of(rule))
        except (TypeError, ValueError, AttributeError):
            reason = "malformed signature"
    if reason is None:
        return None
    hint = "If Twilio called another URL than this one, set TWILIO_WEBHOOK_BASE_URL or wrap the app in ProxyFix."
    if rule is not None and not settings.webhook_signing_key:
        hint += " A Webhook Rule signs with its shared key: set TWILIO_WEBHOOK_SIGNING_KEY to it."
    shown = url.partition("?")[0]  # query strings sometimes carry secrets of their own
    if rejections_logged.allow():  # anyone can send unsigned requests: they must not flood the log
        log.warning("Rejected a Twilio webhook with 403 (%s): %s %s. %s", reason, req.method, shown, hint)
    webhook_rejected.send(app, reason=reason, url=shown, request=req)
    return app.response_class(status=403)


class LogBudget:
    """At most ``limit`` log lines per ``period`` seconds; the lines left out are counted and reported once."""

    def __init__(self, limit: int = 600, period: float = 60.0) -> None:
        self.limit = limit
        self.period = period
        self._lock = threading.Lock()
        self._start = -period
        self._used = 0
        self._skipped = 0

    def allow(self) -> bool:
        """Whether one more line may be logged now (a new period first reports what the last one left out)."""
        now = monotonic()
        with self._lock:
            if now - self._start >= self.period:
                if self._skipped:
                    log.warning("%d more rejected Twilio webhooks were not logged (at most %d a minute).",
                                self._skipped, self.limit)
                self._start, self._used, self._skipped = now, 0, 0
            if self._used < self.limit:
                self._used += 1
                return True
            self._skipped += 1
            return False


#: The budget of the rejection warnings, 600 a minute per process (the webhook_rejected signal is
#: sent for every rejection: count them there).
rejections_logged = LogBudget()


def webhook_url(req: Request, base_url: Optional[str]) -> str:
    """The URL as Twilio signed it: ``base_url`` (or scheme and host) + the request target as sent.

    The target is the raw one the server received (``RAW_URI`` from Werkzeug and gunicorn,
    ``REQUEST_URI`` from uWSGI and mod_wsgi), so percent-escapes stay as Twilio wrote them
    (``%2F``, ``%7E``, lower-case ``%c3%a9``); under a root path the server did not see
    (``ProxyFix``'s prefix) the root path comes first. Without it the URL is rebuilt from
    Werkzeug's decoded path with Werkzeug's quoting.
    """
    origin = base_url.rstrip("/") if base_url else f"{req.scheme}://{req.host}"
    root = quote(req.root_path.rstrip("/"), safe=_PATH_SAFE)
    raw = _raw_target(req.environ)
    if raw is not None:
        if root and not (raw == root or raw.startswith((root + "/", root + "?"))):
            raw = root + raw
        return origin + raw
    url = f"{origin}{root}/{quote(req.path.lstrip('/'), safe=_PATH_SAFE)}"
    if req.query_string:
        url += "?" + quote(req.query_string, safe=_QUERY_SAFE)
    return url


def _raw_target(environ: Mapping[str, Any]) -> Optional[str]:
    """The request target exactly as the client sent it (origin form, ``/path?query``), when the server kept it."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if not isinstance(raw, str) or not raw.startswith("/"):  # absent, or the absolute form of a proxy request
        return None
    try:
        return raw.encode("latin-1").decode("utf-8")  # WSGI strings carry the bytes as latin-1
    except UnicodeError:
        return None


def signed_params(req: Request) -> Params:
    """What Twilio signed of the request: its form, or else its raw body (covered by ``bodySHA256``)."""
    if req.mimetype == "application/x-www-form-urlencoded":
        return req.form
    return req.get_data(cache=True)  # cached, so the view can still read the body


def register(app: Flask, settings: Settings) -> None:
    """Called by :class:`~flask_twilio_rb.TwilioRB` for each app: warn once when validation is off."""
    if not settings.validate_webhooks:
        log.warning(
            "TWILIO_VALIDATE_WEBHOOKS is off for app %r: webhook signatures are not checked, so anyone "
            "can call its Twilio endpoints. Turn it back on outside local experiments.",
            app.name,
        )
