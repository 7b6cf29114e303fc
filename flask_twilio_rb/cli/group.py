"""The ``twilio`` command group and how it reports failures."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator, NoReturn

import click
from flask.cli import AppGroup

from ..errors import APIError, AuthenticationError, ConfigurationError, TwilioError

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
        except AuthenticationError as exc:
            with app_context(ctx):  # the command's own context has ended with it
                hint = credentials_hint()
            fail(ctx, describe_api_error(exc) + "\n" + hint, EXIT_FAILURE)
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


@contextmanager
def app_context(ctx: click.Context) -> Iterator[bool]:
    """The context of the app ``flask`` finds (``--app``, ``FLASK_APP``, ``app.py``...) for a ``with``
    block; yields whether there is an app (``False``: no app to be found)."""
    from flask.cli import NoAppException, ScriptInfo

    try:
        app = ctx.ensure_object(ScriptInfo).load_app()
    except NoAppException:
        yield False
        return
    with app.app_context():
        yield True


def credentials_hint() -> str:
    """What to check when Twilio refused the credentials: the settings in use and where each came from."""
    from ..client import get_client
    from ..config import Config
    from ..current import app_state

    state = app_state()
    sources = state.sources if state is not None else Config.sources()
    settings = get_client().settings
    names = ("TWILIO_API_KEY", "TWILIO_API_SECRET") if settings.api_key else ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN")
    where = ", ".join(f"{name} from {_SOURCE_NAMES.get(sources.get(name, ''), 'the settings')}" for name in names)
    return (f"Twilio refused the credentials: check {names[1]} (and {names[0]}); this command used {where}. "
            "Copy them from the Twilio Console.")


#: How each source of a setting is named in messages.
_SOURCE_NAMES = {"app config": "the app config", "Config.setup": "Config.setup()",
                 "environment": "the environment", "default": "the defaults"}


def fail(ctx: click.Context, message: str, status: int = EXIT_FAILURE) -> NoReturn:
    """Print ``message`` on stderr and end the command with ``status``."""
    click.echo(message, err=True)
    ctx.exit(status)


twilio_cli = TwilioGroup(
    "twilio",
    help="Work with Twilio from the command line, with the app's Twilio settings.",
)
