"""Twilio's error answers: ``{"code", "message", "more_info", "status"}`` and the codes the emulator uses."""
from __future__ import annotations

from typing import Any, Dict, Optional

#: The documentation page Twilio links from every error body.
MORE_INFO = "https://www.twilio.com/docs/errors/{code}"


class TwilioAPIError(Exception):
    """An error the emulator answers with, as Twilio would: HTTP ``status`` and Twilio ``code``."""

    def __init__(self, status: int, code: int, message: str, *, retry_after: Optional[int] = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        #: Whole seconds sent as ``Retry-After`` with the answer (a throttled request), or ``None``.
        self.retry_after = retry_after

    def body(self) -> Dict[str, Any]:
        """The JSON body Twilio sends with this error."""
        return {"code": self.code, "message": self.message, "more_info": MORE_INFO.format(code=self.code),
                "status": self.status}


def not_found(path: str) -> TwilioAPIError:
    """20404: nothing lives at ``path`` (or the credentials may not see it)."""
    return TwilioAPIError(404, 20404, f"The requested resource {path} was not found")


def invalid_parameter(message: str, code: int = 20001) -> TwilioAPIError:
    """A 400 for a parameter Twilio refuses (20001 unless a more precise code applies)."""
    return TwilioAPIError(400, code, message)


def authenticate() -> TwilioAPIError:
    """20003: the credentials are missing, unknown or wrong."""
    return TwilioAPIError(401, 20003, "Authenticate")
