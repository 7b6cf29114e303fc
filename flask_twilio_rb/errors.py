"""Every failure the library reports is a :class:`TwilioError`.

Like requests' exceptions, some of them also derive from the builtin they resemble,
so ``except ValueError`` or ``except ConnectionError`` keep working in user code.
"""
from __future__ import annotations

from typing import Any, Optional


class TwilioError(Exception):
    """The root of every error raised by flask-twilio-rb."""


class ConfigurationError(TwilioError, RuntimeError):
    """A setting the library needs is missing or invalid; the message names it and how to set it."""


class InvalidStateError(TwilioError, RuntimeError):
    """The object cannot do that any more, e.g. a resource that has already been destroyed."""


class RetiredOperationError(TwilioError, NotImplementedError):
    """Twilio retired this operation; the message says what replaces it."""


class TwiMLError(TwilioError, ValueError):
    """TwiML that cannot be built: a character XML cannot carry, or a strict-mode violation."""


class SignatureError(TwilioError, ValueError):
    """A signature cannot be computed: unknown algorithm, empty auth token or non-string parameters."""


class TokenError(TwilioError, ValueError):
    """A token cannot be built from these arguments; the message says which one and why."""


class TwilioConnectionError(TwilioError, ConnectionError):
    """The request did not complete: the connection failed or broke.

    :attr:`sent` tells whether the request may have reached Twilio. When it is
    ``True`` for a POST, the outcome is unknown: check the resource before retrying.
    """

    #: How many times the request was sent before this error was raised (retries included).
    attempts: int = 1

    def __init__(self, message: str, *, method: str = "", url: str = "", sent: bool = False) -> None:
        super().__init__(message)
        self.method = method
        self.url = url
        self.sent = sent


class TwilioTimeout(TwilioConnectionError, TimeoutError):
    """Twilio did not answer within the configured ``TWILIO_TIMEOUT``."""


class APIError(TwilioError):
    """Twilio answered with an error status.

    Carries the HTTP ``status``, Twilio's error ``code``, its ``message`` and
    ``more_info`` link, the ``method`` and ``url`` of the request and Twilio's
    ``request_id`` (the ``Twilio-Request-Id`` header) to quote to Twilio support.
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: Optional[int] = None,
        more_info: Optional[str] = None,
        method: str = "",
        url: str = "",
        request_id: Optional[str] = None,
        details: Any = None,
    ) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.more_info = more_info
        self.method = method
        self.url = url
        self.request_id = request_id
        self.details = details
        super().__init__(str(self))

    def __str__(self) -> str:
        prefix = f"Error #{self.code}: " if self.code is not None else ""
        return f"{prefix}{self.message} (HTTP {self.status}, {self.method} {self.url})"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} status={self.status} code={self.code} {self.method} {self.url}>"


class AuthenticationError(APIError):
    """Twilio refused the credentials (HTTP 401): check ``TWILIO_ACCOUNT_SID`` and ``TWILIO_AUTH_TOKEN``."""


class NotFoundError(APIError):
    """Nothing lives at that URL (HTTP 404, usually Twilio error 20404)."""


class RateLimitError(APIError):
    """Twilio refused the request for now (HTTP 429, error 20429): too many at once; retry later."""

    #: Seconds Twilio asked to wait (its ``Retry-After`` header), or ``None`` when it named none.
    retry_after: Optional[float] = None


#: The :class:`APIError` subclass raised for an HTTP status (any other status raises APIError itself).
API_ERRORS = {401: AuthenticationError, 404: NotFoundError, 429: RateLimitError}


def api_error(status: int, message: str, **details: Any) -> APIError:
    """The :class:`APIError` for an answer with ``status``: the subclass that names it, if any."""
    return API_ERRORS.get(status, APIError)(status, message, **details)
