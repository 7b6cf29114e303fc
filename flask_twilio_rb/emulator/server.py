"""``TwilioEmulator``: the emulator's state and Flask app, served on a local port by a daemon thread."""
from __future__ import annotations

import secrets
import threading
import uuid
from types import TracebackType
from typing import Any, Dict, List, Optional, Sequence, Tuple, Type, TypeVar, Union

from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from ..serving import QuietRequestHandler
from .app import create_app
from .backend import Backend
from .callbacks import CallbackRecord
from .clock import Clock
from .incoming import receive
from .inspection import records, seed
from .products import content, verify
from .voice.board import Switchboard
from .voice.messaging import text
from .voice.phone import PhoneCall, answer, place

E = TypeVar("E", bound="TwilioEmulator")

#: How often (seconds) the serving loop checks for stop(): stop() waits up to this long.
POLL_INTERVAL = 0.05
#: The order a resource's operations are tried in: the one whose answer shows a record best first.
_VERBS = ("Fetch", "List", "Create", "Update", "Delete")
#: Who calls and texts in :meth:`TwilioEmulator.dial` and :meth:`TwilioEmulator.text` when the test says nothing.
CALLER = "+15551234567"


class TwilioEmulator:
    """A stateful, local emulator of Twilio's REST API: 2010-04-01 and every other description.

    .. code-block:: python

        with TwilioEmulator() as emu:
            Config.setup(account_sid=emu.account_sid, auth_token=emu.auth_token, api_base_url=emu.base_url)
            message = Message.create(to="+15005550006", from_="+15005550006", body="Hi")
            emu.finish(message.sid)          # queued -> sent -> delivered, status callbacks sent

    :param account_sid: the main account (default: a new ``AC`` SID).
    :param auth_token: its auth token (default: 32 new hex digits).
    :param host: the interface to listen on; :param port: ``0`` picks a free port.
    :param rate_limit: at most this many requests per second per account; above it, 429 (20429).
    :param concurrency_limit: at most this many requests of an account in flight at once; above it, 429 (20429).
    :param queue_limit: at most this many messages of one sender (From or MessagingServiceSid) waiting in
        ``queued``; above it a new message is refused with 400 (21611) until :meth:`advance` moves them.
    :param retry_after: whole seconds sent as ``Retry-After`` with those 429s (default: no header).
    :param auto_advance: ``None``: statuses move only through :meth:`advance`; a number of
        seconds: a background clock advances everything at that interval.
    :param callbacks: ``False`` never sends status callbacks nor fetches TwiML (so no phone calls run).
    """

    def __init__(self, account_sid: Optional[str] = None, auth_token: Optional[str] = None, *,
                 host: str = "127.0.0.1", port: int = 0, rate_limit: Optional[float] = None,
                 auto_advance: Optional[float] = None, callbacks: bool = True,
                 concurrency_limit: Optional[int] = None, queue_limit: Optional[int] = None,
                 retry_after: Optional[int] = None) -> None:
        self.account_sid: str = account_sid or "AC" + uuid.uuid4().hex
        self.auth_token: str = auth_token or secrets.token_hex(16)
        self.host = host
        self.port = port
        self.auto_advance = auto_advance
        self._backend = Backend(self.account_sid, self.auth_token, rate_limit=rate_limit, callbacks=callbacks,
                                concurrency_limit=concurrency_limit, queue_limit=queue_limit,
                                retry_after=retry_after)
        self._board: Optional[Switchboard] = None
        self._new_board()
        #: The Flask WSGI app itself: ``emu.app.test_client()`` works with no socket at all.
        self.app: Flask = create_app(self._backend)
        self._server: Optional[BaseWSGIServer] = None
        self._thread: Optional[threading.Thread] = None
        self._clock: Optional[Clock] = None
        self._serving_here = False

    def __repr__(self) -> str:
        where = self.base_url if self._server else "not started"
        return f"<TwilioEmulator account_sid={self.account_sid!r} {where}>"

    # -- lifecycle ------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>`` (the client appends ``/2010-04-01/...``, ``/verify/v2/...``).

        Reading it before :meth:`start` or :meth:`serve_forever` already takes the port, so a
        command can print where the emulator will answer before it serves.
        """
        return f"http://{self.host}:{self._bound().server_port}"

    def start(self: E) -> E:
        """Serve from a daemon thread (and start the ``auto_advance`` clock); returns the emulator."""
        if self._thread is None:
            server = self._bound()
            self._thread = threading.Thread(target=server.serve_forever, args=(POLL_INTERVAL,),
                                            name="twilio-emulator", daemon=True)
            self._thread.start()
            self._start_clock()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until Ctrl-C or :meth:`stop` from another thread."""
        server = self._bound()
        self._serving_here = True
        self._start_clock()
        try:
            server.serve_forever(POLL_INTERVAL)
        except KeyboardInterrupt:
            pass
        finally:
            self._serving_here = False  # the loop is over: stop() must not wait for it
            self.stop()

    def stop(self) -> None:
        """Stop serving and the clock, free the port; the state is kept (``start()`` serves it again)."""
        server, self._server = self._server, None
        thread, self._thread = self._thread, None
        serving, self._serving_here = thread is not None or self._serving_here, False
        if self._clock is not None:
            self._clock.stop()
            self._clock = None
        if server is not None:
            if serving:  # shutdown() waits for a serve_forever loop: only call it when one runs
                server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self: E) -> E:
        return self.start()

    def __exit__(self, kind: Optional[Type[BaseException]], error: Optional[BaseException],
                 trace: Optional[TracebackType]) -> None:
        self.stop()

    def _bound(self) -> BaseWSGIServer:
        if self._server is None:
            self._server = make_server(self.host, self.port, self.app, threaded=True, request_handler=QuietRequestHandler)
            self._backend.origin = f"http://{self.host}:{self._server.server_port}"
        return self._server

    def _start_clock(self) -> None:
        if self.auto_advance is not None and self._clock is None:
            self._clock = Clock(self.auto_advance, self.advance)
            self._clock.start()

    # -- time ---------------------------------------------------------------------------------------
    def advance(self, sid: Optional[str] = None) -> List[Tuple[str, str]]:
        """One status step for every call and message still progressing (or just ``sid``).

        Status callbacks (and the TwiML fetch of an answered call) are sent before it returns.
        :returns: ``(sid, new status)`` for each step taken.
        """
        return self._backend.advance(sid)

    def finish(self, sid: Optional[str] = None) -> List[Tuple[str, str]]:
        """Advance until every call and message (or just ``sid``) has reached its end state."""
        steps: List[Tuple[str, str]] = []
        while True:
            taken = self.advance(sid)
            if not taken:
                return steps
            steps += taken

    # -- the outside world -------------------------------------------------------------------------
    def fail(self, sid: str, status: Optional[str] = None, *, error_code: Optional[int] = None) -> Tuple[str, str]:
        """End a progressing call or message in failure instead of its next step, with its callbacks.

        Messages end ``"undelivered"`` (default, error 30003) or ``"failed"`` (30008), carrying
        ``error_code`` (also sent as ``ErrorCode``); calls not yet answered end ``"busy"``
        (default), ``"no-answer"`` or ``"failed"``. Raises ``ValueError`` for anything else.
        :returns: ``(sid, the status it ended in)``.
        """
        return self._backend.fail(sid, status, error_code)

    def receive_message(self, to: str, from_: str, body: str = "", *,
                        account_sid: Optional[str] = None) -> Optional[CallbackRecord]:
        """A text arrives at the account's number ``to``: stored, and posted (signed) to its ``sms_url``.

        :returns: what the app answered (its TwiML in ``body``), or ``None`` with ``callbacks=False``.
        :raises ValueError: ``to`` is not a number of the account, or it has no ``sms_url``.
        """
        return receive(self._backend, "Messages", account_sid or self.account_sid, to, from_, body)

    def receive_call(self, to: str, from_: str, *, account_sid: Optional[str] = None) -> Optional[CallbackRecord]:
        """A call arrives at the account's number ``to``: stored (ringing), its ``voice_url`` fetched (signed).

        It then progresses on :meth:`advance`, reporting to the number's ``status_callback``.
        :returns: what the app answered (its TwiML in ``body``), or ``None`` with ``callbacks=False``.
        """
        return receive(self._backend, "Calls", account_sid or self.account_sid, to, from_)

    # -- looking inside -----------------------------------------------------------------------------
    @property
    def callbacks(self) -> List[CallbackRecord]:
        """The requests sent so far (status callbacks, TwiML fetches), oldest first."""
        return list(self._backend.callbacks)

    def operations_for(self, resource: Any) -> Tuple[str, ...]:
        """The operationIds naming a resource in :meth:`records` and :meth:`seed`.

        Here a 2010-04-01 resource's name (``"Call"``: the operations named after it, ``FetchCall``,
        ``ListCall``...), an operationId (``"FetchCall"``; ``"verify.v2.FetchService"`` beyond
        2010-04-01) or a sequence of them; the library's emulator
        (:class:`flask_twilio_rb.testing.TwilioEmulator`) also takes resource classes and their names.
        """
        known = self._backend.operation
        if isinstance(resource, str) and known(resource) is None:  # a resource's name: its operations by name
            named = tuple(f"{verb}{resource}" for verb in _VERBS if known(f"{verb}{resource}") is not None)
            if named:
                return named
        names = (resource,) if isinstance(resource, str) else tuple(resource) if isinstance(resource, Sequence) else ()
        unknown = [name for name in names if self._backend.operation(name) is None]
        if not names or unknown:
            raise ValueError(f"The emulator knows no operation {', '.join(map(repr, unknown or [resource]))}: "
                             f"name a resource (\"Call\") through flask_twilio_rb.testing.TwilioEmulator, "
                             f"or an operationId of Twilio's descriptions (\"FetchCall\"; qualified by its "
                             f"description for the others: \"verify.v2.FetchService\").")
        return names

    def records(self, resource: Any, account_sid: Optional[str] = None) -> List[Dict[str, Any]]:
        """The stored representations of a resource (``"Message"``), newest first.

        :param resource: what :meth:`operations_for` reads: a class name such as ``"Message"``.
        :param account_sid: default: the main account.
        """
        return records(self._backend, self.operations_for(resource), _name_of(resource),
                       account_sid or self.account_sid)

    def seed(self, resource: Any, account_sid: Optional[str] = None, **fields: Any) -> Dict[str, Any]:
        """Store a record Twilio would have made itself (a conference, a recording...); returns it.

        ``fields`` are snake_case field values; parents by their path names (``call_sid=...``).
        """
        return seed(self._backend, self.operations_for(resource), _name_of(resource),
                    account_sid or self.account_sid, fields)

    def verification_code(self, to: str, service_sid: Optional[str] = None, *,
                          account_sid: Optional[str] = None) -> str:
        """The code Verify sent ``to`` (a number or an email address): that of its newest pending verification.

        What a two-factor test types in after ``Verification.create(...)``; the same code is in
        the text (or call) the emulator made to ``to``.

        :param service_sid: only a verification of that service (``VA...``); :param account_sid:
            only one of that account (default: any of the emulator's accounts).
        :raises ValueError: ``to`` has no pending verification (none started, or it was approved,
            canceled or has expired).
        """
        return verify.latest_code(self._backend, to, service_sid, account_sid)

    def review_template(self, content_sid: str, status: str = "approved", *, rejection_reason: Optional[str] = None,
                        account_sid: Optional[str] = None) -> None:
        """WhatsApp's review of a template submitted for approval: ``approved`` (default), ``rejected``, ...

        :raises ValueError: the template was never submitted (``ApprovalRequests/whatsapp``), or
            ``status`` is none of ``received``, ``pending``, ``approved``, ``rejected``, ``paused``, ``disabled``.
        """
        content.review(self._backend, account_sid or self.account_sid, content_sid, status, rejection_reason)

    def reset(self) -> None:
        """Forget all state (records, subaccounts, keys, callbacks, calls and the clock) except the main account."""
        self._backend.reset()
        self._new_board()

    # -- phone calls ------------------------------------------------------------------------------
    def _new_board(self) -> None:
        if self._backend.send_callbacks:
            self._board = Switchboard(self._backend, lambda: self.base_url)
            self._backend.voice = self._board

    @property
    def board(self) -> Switchboard:
        """The phone network running the calls' TwiML (refused with ``callbacks=False``, which fetches nothing)."""
        if self._board is None:
            raise RuntimeError("This emulator sends no webhooks (callbacks=False), so it runs no calls or texts: "
                               "create it with callbacks=True (the default).")
        return self._board

    def dial(self, to: str, from_: str = CALLER, *, account_sid: Optional[str] = None, **params: str) -> PhoneCall:
        """A phone calls ``to``, one of the account's numbers: its ``voice_url`` runs; returns the :class:`PhoneCall`.

        :param params: more parameters Twilio would send with every request of the call, by
            Twilio's name or in snake_case (``from_city="OAKLAND"`` is ``FromCity``).
        :raises ValueError: ``to`` is not a number of the account, or it has no ``voice_url``.
        """
        extra = {_camel(name): str(value) for name, value in params.items()}
        return place(self.board, to, from_, account_sid or self.account_sid, extra)

    def answer(self, call: str) -> PhoneCall:
        """The callee of a ringing call picks up: a ``Call.create(url=...)`` or a <Dial>; its :class:`PhoneCall`.

        :param call: the call's SID, or the number (``client:name``, ``sip:...``) it rings.
        :raises ValueError: no such call rings.
        """
        return answer(self.board, call)

    def phone(self, sid: str) -> PhoneCall:
        """The :class:`PhoneCall` of any call the emulator ran or runs (its transcript, its buttons)."""
        return PhoneCall(self.board, sid)

    def text(self, to: str, body: str, from_: str = CALLER, media_url: Union[str, Sequence[str], None] = None, *,
             account_sid: Optional[str] = None) -> List[str]:
        """A text arrives at the account's number ``to``: its ``sms_url`` answers; the bodies it replied with.

        Each <Message> of the answer is a real outgoing text (listed, progressing, calling back).
        """
        media = [media_url] if isinstance(media_url, str) else list(media_url or ())
        return text(self.board, account_sid or self.account_sid, to, body, from_, media)

    def wait(self, seconds: float) -> None:
        """Let ``seconds`` pass on the emulator's virtual clock: phone calls' timeouts, pauses, recordings and
        ringing fall due, verifications expire (after ten minutes)."""
        if self._board is not None:
            self.board.wait(seconds)
        elif not seconds >= 0:
            raise ValueError(f"wait() takes a number of seconds >= 0, not {seconds!r}.")
        else:
            self._backend.elapsed += seconds

    def delay(self, url: str, seconds: float) -> None:
        """The app takes ``seconds`` (virtual) to answer URLs starting with ``url``; 15 or more: Twilio's 11205 timeout."""
        if not seconds >= 0:
            raise ValueError(f"delay() takes a number of seconds >= 0, not {seconds!r}.")
        self.board.delays[url] = float(seconds)

    def attach(self, app: Any, base_url: str = "http://localhost") -> None:
        """Webhooks to URLs under ``base_url`` reach the WSGI ``app`` in this process, with no socket.

        ``http://localhost`` is what Flask's ``url_for(..., _external=True)`` gives in a test; the
        :func:`~flask_twilio_rb.testing.running_emulator` fixture attaches the app it is given.
        """
        self._backend.local.attach(app, base_url)


def _camel(name: str) -> str:
    return name if "_" not in name and name[:1].isupper() else "".join(p.capitalize() for p in name.split("_") if p)


def _name_of(resource: Any) -> str:
    return resource if isinstance(resource, str) else getattr(resource, "__name__", None) or repr(resource)
