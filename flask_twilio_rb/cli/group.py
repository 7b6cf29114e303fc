"""The ``twilio`` command group and how it reports failures."""
from __future__ import annotations

from typing import Any, NoReturn

import click
from flask.cli import AppGroup

from ..errors import APIError, ConfigurationError, TwilioError

#: Exit status of a command that failed at Twilio (or on the way there).
EXIT_FAILURE = 1
#: Exit status of a usage or configuration mistake, as click uses it for usage errors.
EXIT_USAGE = 2


class TwilioGroup(AppGroup):
    """An :class:`~flask.cli.AppGroup` that turns library errors into messages and exit codes.

    Every subcommand runs inside this group's :meth:`invoke`, so one handler serves them
    all: a :class:`~flask_twilio_rb.ConfigurationError` says what to set and exits 2, any
    other :class:`~flask_twilio_rb.TwilioError` (Twilio's error code, message and link for
    an :class:`~flask_twilio_rb.APIError`) exits 1. Messages go to stderr; no traceback.
    """

    def invoke(self, ctx: click.Context) -> Any:
        """Run the subcommand; report a Twilio error on stderr and exit with its status."""
        try:
            return super().invoke(ctx)
        except ConfigurationError as exc:
            fail(ctx, f"Error: {exc}", EXIT_USAGE)
        except APIError as exc:
            fail(ctx, describe_api_error(exc), EXIT_FAILURE)
        except TwilioError as exc:
            fail(ctx, f"Error: {exc}", EXIT_FAILURE)


def describe_api_error(exc: APIError) -> str:
    """Twilio's code and message, then the documentation link and request id when Twilio gave them."""
    lines = [f"Error: {exc.message}" if exc.code is None else f"Error {exc.code}: {exc.message}",
             f"HTTP {exc.status}, {exc.method} {exc.url}"]
    if exc.more_info:
        lines.append(f"More info: {exc.more_info}")
    if exc.request_id:
        lines.append(f"Request id: {exc.request_id}")
    return "\n".join(lines)


def fail(ctx: click.Context, message: str, status: int = EXIT_FAILURE) -> NoReturn:
    """Print ``message`` on stderr and end the command with ``status``."""
    click.echo(message, err=True)
    ctx.exit(status)


twilio_cli = TwilioGroup(
    "twilio",
    help="Work with Twilio from the command line, with the app's Twilio settings.",
)
