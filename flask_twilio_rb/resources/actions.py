"""Hand-written behaviour that the seed library gave some resources, on top of the spec's operations."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from ..client import get_client
from ..registry import lookup
from .base import Resource
from .mixins import Deletable, Updatable
from .paths import instance_path

if TYPE_CHECKING:  # (the classes these actions give; at run time they are looked up by name)
    from ..api.v2010 import IncomingPhoneNumber, ValidationRequest

U = TypeVar("U", bound=Updatable)


class CallActions(Updatable):
    """``call.cancel()`` and ``call.complete()``."""

    __slots__ = ()

    def cancel(self: U) -> U:
        """Cancel a queued or ringing call (status ``canceled``)."""
        return self.update_attributes(status="canceled")

    def complete(self: U) -> U:
        """Hang up a call in progress (status ``completed``)."""
        return self.update_attributes(status="completed")


class ParticipantActions(Updatable, Deletable):
    """``participant.mute()`` / ``unmute()`` / ``toggle_mute()``; ``participant.kick()`` removes them."""

    __slots__ = ()

    def mute(self: U) -> U:
        """Mute the participant (whatever they were) and return them."""
        return self.update_attributes(muted=True)

    def unmute(self: U) -> U:
        """Let the participant speak again and return them."""
        return self.update_attributes(muted=False)

    def toggle_mute(self: U) -> U:
        """Mute a participant who can speak, unmute one who is muted; returns them."""
        return self.update_attributes(muted=not self._data.get("muted", False))

    def kick(self) -> bool:
        """Remove the participant from the conference (an alias of ``destroy``)."""
        return self.destroy()


class RecordingMedia(Resource):
    """``recording.mp3`` and ``recording.wav``: the media URLs of a recording."""

    __slots__ = ()

    def _media(self, extension: str) -> str:
        uri = self._data.get("uri") or instance_path(type(self), self._scope, self.id)
        return f"{get_client().settings.api_base_url}{uri[:-len('.json')]}.{extension}"

    @property
    def mp3(self) -> str:
        """The URL of the recording as MP3."""
        return self._media("mp3")

    @property
    def wav(self) -> str:
        """The URL of the recording as WAV."""
        return self._media("wav")


class Purchasable(Resource):
    """``number.purchase(**params)`` buys an available number for the account it was listed for."""

    __slots__ = ()

    def purchase(self, **params: Any) -> IncomingPhoneNumber:
        """Buy this number; returns the :class:`IncomingPhoneNumber` created for it."""
        scope = {k: v for k, v in self._scope.items() if k in ("account_sid", "connect")}
        number: IncomingPhoneNumber = lookup("IncomingPhoneNumber").create(  # type: ignore[attr-defined]
            phone_number=self._data["phone_number"], **scope, **params)
        return number


class CallerIdVerification(Resource):
    """``OutgoingCallerId.create(phone_number=...)`` starts a verification, as in the seed."""

    __slots__ = ()

    @classmethod
    def create(cls, **params: Any) -> ValidationRequest:
        """Start verifying a caller ID; returns the :class:`ValidationRequest` (with its code)."""
        request: ValidationRequest = lookup("ValidationRequest").create(**params)  # type: ignore[attr-defined]
        return request
