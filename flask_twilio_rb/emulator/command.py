"""The emulator on the command line: ``python -m flask_twilio_rb.emulator`` (and, with an app's
account, ``flask twilio emulator``): the shared options, the banner, serving until Ctrl+C."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Optional, TypeVar

import click

from ..wire import is_sid

if TYPE_CHECKING:
    from .server import TwilioEmulator

F = TypeVar("F", bound=Callable[..., Any])

#: The port both commands serve on unless told otherwise.
DEFAULT_PORT = 4010


class AccountSidParam(click.ParamType):
    """An account SID: ``AC`` and 32 hexadecimal digits."""

    name = "AC..."

    def convert(self, value: Any, param: Optional[click.Parameter], ctx: Optional[click.Context]) -> str:
        """``value`` when it is an account SID; a usage error (exit 2) otherwise."""
        if not is_sid(value, "AC"):
            self.fail(f"{value!r} is not an account SID: AC followed by 32 hexadecimal digits "
                      "(or leave it out for a generated one).", param, ctx)
        return str(value)


def options(command: F) -> F:
    """The options of both emulator commands: where to listen, the account, the status pace."""
    for option in reversed((
        click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on."),
        click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True,
                     help="The port to listen on (0: any free port)."),
        click.option("--account-sid", type=AccountSidParam(), metavar="AC...",
                     help="The account SID to serve (default: the app's, else a generated one)."),
        click.option("--auth-token", metavar="TOKEN",
                     help="The auth token requests must carry (default: the app's, else a generated one, printed)."),
        click.option("--step", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS", default=1.0,
                     show_default=True, help="Seconds between the status steps of calls and messages."),
    )):
        command = option(command)
    return command


def serve(emulator: "TwilioEmulator", origin: str) -> None:
    """Print where ``emulator`` answers and the settings that use it, then serve until Ctrl+C.

    :param origin: where its credentials come from: ``"generated"``, ``"given"`` or ``"app"``.
    """
    # Reading base_url takes the port; when it cannot, Werkzeug says why and exits 1.
    click.echo(banner(emulator, origin))
    emulator.serve_forever()  # until Ctrl+C (or stop() from another thread); it frees the port
    click.echo("Stopped.", err=True)


def banner(emulator: "TwilioEmulator", origin: str) -> str:
    """What the command prints first: the URL, the account and the settings that point an app at it."""
    # A generated token exists only in this local emulator, and the app needs it to talk to it
    # (and to check the callbacks it signs): it is the one secret these commands ever print.
    if origin == "generated":
        shown, settings = f"{emulator.auth_token} (generated: it works only here)", (
            f"  TWILIO_ACCOUNT_SID={emulator.account_sid}\n  TWILIO_AUTH_TOKEN={emulator.auth_token}\n")
    elif origin == "given":
        shown, settings = _mask(emulator.auth_token), (
            f"  TWILIO_ACCOUNT_SID={emulator.account_sid}\n  TWILIO_AUTH_TOKEN=<the auth token you gave>\n")
    else:
        shown, settings = f"{_mask(emulator.auth_token)} (the app's)", "  (the app's own account SID and auth token)\n"
    return (f"Twilio emulator at {emulator.base_url}\n"
            f"Account SID  {emulator.account_sid}\n"
            f"Auth token   {shown}\n\n"
            "Point an app at it with these settings:\n"
            f"  TWILIO_API_BASE_URL={emulator.base_url}\n"
            f"{settings}\n"
            "Press Ctrl+C to stop.")


def _mask(secret: str) -> str:
    # As the library's config.mask shows secrets (the emulator cannot import it: it is a leaf).
    return "*" * 8 + secret[-4:] if len(secret) >= 16 else "*" * 8


@click.command("emulator")
@options
def main(host: str, port: int, account_sid: Optional[str], auth_token: Optional[str], step: float) -> None:
    """Serve the local Twilio emulator (python -m flask_twilio_rb.emulator).

    Prints its URL and the settings that point an app at it, then serves until Ctrl+C.
    Calls and messages move on by themselves, one status step every --step seconds.
    """
    from .server import TwilioEmulator  # the emulator's app and table load only to serve

    emulator = TwilioEmulator(account_sid, auth_token, host=host, port=port, auto_advance=step)
    serve(emulator, "given" if auth_token else "generated")
