"""``flask twilio phone``: an offline phone in the terminal that calls the app through the emulator."""
from __future__ import annotations

import sys
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any, Optional, TextIO, Tuple

import click
from flask import current_app

from ..client import get_client
from ..errors import ConfigurationError
from .group import twilio_cli

if TYPE_CHECKING:
    from ..emulator.voice import PhoneCall
    from ..local import TwilioEmulator

#: What the phone understands, shown by ``help``.
HELP = """Keys: digits, * and # (e.g. 12#) press them.
  say: WORDS   the caller speaks (a speech <Gather> hears it, a <Record> records it)
  wait N       N seconds pass (timeouts, <Pause>, a recording's length)
  answer       the party a <Dial> rings picks up
  hangup       hang up (so does an empty line at the end of the input, or Ctrl+D)"""
#: A bound on the lines one call reads (a script piped in never loops forever).
MAX_LINES = 10_000


@twilio_cli.command("phone")
@click.argument("number")
@click.option("--from", "from_", default="+15551234567", show_default=True, metavar="NUMBER",
              help="The caller's number.")
@click.option("--url", metavar="URL", help="The voice URL the number calls: a path of this app (/ivr/welcome) "
              "or a running server's URL (http://127.0.0.1:5000/ivr/welcome). Default: the number's voice_url "
              "in the app's emulator (TWILIO_EMULATOR).")
def phone_command(number: str, from_: str, url: Optional[str]) -> None:
    """Call NUMBER from an offline phone: hear the app's TwiML, answer with keys or words.

    The call runs in the emulator, as Twilio would run it: every request is signed with the
    app's auth token, the app answers in this process (or the server at --url), and each step
    shows the template line that wrote it when the app runs in debug or testing mode. Type
    `help` during the call for the keys.
    """
    stdin = sys.stdin  # (the CLI runner swaps it for the test's input)
    with ExitStack() as stack:
        emulator, number = _line(stack, number, url)
        call = emulator.dial(number, from_)
        shown = _show(call, 0)
        for _ in range(MAX_LINES):
            if call.waiting_for is None:
                break
            click.echo(f"({call.waiting_for}) > ", nl=False)
            shown = _show(call, _do(emulator, call, stdin), shown)
        else:  # pragma: no cover - a bound, never reached by a person
            call.hang_up()
        click.echo(f"Call ended: {call.status}.")


def _line(stack: ExitStack, number: str, url: Optional[str]) -> Tuple["TwilioEmulator", str]:
    """The emulator the call goes through, and the number to call on it."""
    from ..local import TwilioEmulator
    from ..testing.fixtures import app_base_url

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    base = app_base_url(app)
    client = get_client()
    shared = client.emulator
    if url is None:
        if shared is None:
            raise click.UsageError("Give --url (a path of the app such as /ivr/welcome): without TWILIO_EMULATOR "
                                   "the app has no emulator whose numbers the phone could call.")
        shared.attach(app, base)
        return shared, number
    settings = client.settings
    if not settings.auth_token:
        raise ConfigurationError("flask twilio phone signs the app's webhooks with TWILIO_AUTH_TOKEN: set it.")
    emulator = stack.enter_context(TwilioEmulator(settings.account_sid, settings.auth_token))
    emulator.attach(app, base)
    emulator.seed("IncomingPhoneNumber", phone_number=number, voice_url=url if "://" in url else base + "/" +
                  url.lstrip("/"))
    return emulator, number


def _do(emulator: "TwilioEmulator", call: "PhoneCall", stdin: TextIO) -> Any:
    """Read one line and do it; what to print first (``None``: nothing)."""
    line = stdin.readline()
    if not line:  # the end of the input: the phone hangs up
        click.echo("hangup")
        call.hang_up()
        return None
    command = line.strip()
    words = command.split(None, 1)
    try:
        if not command:
            return None
        if command.startswith("say:") or words[0] == "say":
            call.speak(command[4:].strip() if command.startswith("say:") else words[1] if len(words) > 1 else "")
        elif words[0] == "wait":
            call.wait(float(words[1]) if len(words) > 1 else 1.0)
        elif words[0] in ("hangup", "hang", "quit", "q"):
            call.hang_up()
        elif words[0] == "answer":
            ringing = [s for s in call.transcript if s.note and s.note.startswith("ringing: call ")]
            if not ringing:
                return "Nothing is ringing."
            emulator.answer(ringing[-1].note.split()[-1])  # type: ignore[union-attr]
        elif words[0] == "help":
            return HELP
        else:
            call.press(command)
    except ValueError as error:
        return f"{error}\n{HELP}" if "press()" in str(error) else str(error)
    return None


def _show(call: "PhoneCall", message: Any, shown: int = 0) -> int:
    """Print ``message`` and the steps not shown yet; how many are shown now."""
    from ..emulator.voice import describe

    if message:
        click.echo(message)
    steps = call.transcript
    for step in steps[shown:]:
        click.echo("  " * step.depth + describe(step))
    return len(steps)
