"""Commands that call Twilio's REST API: ``config``, ``sms``, ``call`` and ``numbers``.

Each command is a few lines over the resource classes, which use the current app's client
(the group runs every command in the app context). Resources are imported inside the
commands because Flask imports this module for every ``flask`` command line.
"""
from __future__ import annotations

from typing import Any, Dict, Iterator, Literal, Optional, Tuple

import click

from ..client import get_client
from ..config import mask, mask_url
from .group import fail, twilio_cli
from .options import PathChoiceParam, SidParam, list_options, output_options
from .output import Column, capabilities, field, moment, write, write_one

_SID = Column("sid", field("sid"), 34)
_FROM_TO_STATUS = (Column("from", field("from"), 16), Column("to", field("to"), 16),
                   Column("status", field("status"), 11))

MESSAGE_COLUMNS = (_SID, Column("date_sent", moment("date_sent", "date_created"), 19), *_FROM_TO_STATUS,
                   Column("body", field("body"), 40))
CALL_COLUMNS = (_SID, Column("start_time", moment("start_time", "date_created"), 19), *_FROM_TO_STATUS,
                Column("duration", field("duration"), 8))
NUMBER_COLUMNS = (
    _SID,
    Column("phone_number", field("phone_number"), 16),
    Column("friendly_name", field("friendly_name"), 20),
    Column("voice_url", field("voice_url"), 36),
    Column("sms_url", field("sms_url"), 36),
)
AVAILABLE_COLUMNS = (
    Column("phone_number", field("phone_number"), 16),
    Column("friendly_name", field("friendly_name"), 16),
    Column("locality", field("locality"), 16),
    Column("region", field("region"), 6),
    Column("capabilities", capabilities, 20),
)
CALL_STATUSES = ("queued", "ringing", "in-progress", "completed", "busy", "failed", "no-answer", "canceled")


def _list(resource: Any, columns: Tuple[Column, ...], fmt: str, limit: int, **filters: Any) -> None:
    """Page lazily through ``resource`` (at most ``limit`` records, 0 for all) and write them."""
    written = 0

    def counted() -> Iterator[Any]:
        nonlocal written
        for record in resource.each(limit=limit or None, **filters):
            written += 1
            yield record

    write(counted(), columns, fmt, expected=limit or None)
    if limit and written == limit:  # on stderr: the output itself stays clean JSON or CSV
        click.echo(f"Stopped at --limit {limit}; --limit 0 lists them all.", err=True)


# -- config ----------------------------------------------------------------------------------

@twilio_cli.command("config")
@click.option("--check", is_flag=True,
              help="Also check the credentials with one API call (fetching the account).")
def config_command(check: bool) -> None:
    """Show the Twilio settings the app uses; secrets are masked."""
    client = get_client()
    s = client.settings
    rows = (
        ("Account SID", s.account_sid or mask(None), "ACCOUNT_SID"),
        ("Auth token", mask(s.auth_token), "AUTH_TOKEN"),
        ("API key", s.api_key or mask(None), "API_KEY"),
        ("API secret", mask(s.api_secret), "API_SECRET"),
        ("API base URL", s.api_base_url, "API_BASE_URL"),
        ("Region, edge", f"{s.region or mask(None)}, {s.edge or mask(None)}"
                         f" (Verify at {client.origin('verify.twilio.com')})", "REGION"),
        ("Timeout", f"{s.timeout:g} s", "TIMEOUT"),
        ("Max retries", str(s.max_retries), "MAX_RETRIES"),
        ("Transport", f"{s.transport}, {s.pool_size} connections", "TRANSPORT"),
        ("Sending", _sending(client), "EMULATOR" if s.emulator else "SUPPRESS_SEND"),
        ("Validate webhooks", "on" if s.validate_webhooks else "OFF", "VALIDATE_WEBHOOKS"),
        ("Webhook base URL", s.webhook_base_url or mask(None), "WEBHOOK_BASE_URL"),
        ("Bulk backend", s.bulk_backend + (f", Redis at {mask_url(s.bulk_redis_url)}" if s.bulk_redis_url else ""),
         "BULK_BACKEND"),
    )
    sources = _sources(client)
    for name, value, setting in rows:
        click.echo(f"{name:<18} {value}  ({sources[f'TWILIO_{setting}']})")
    if check:
        _check_credentials()


def _sources(client: Any) -> Dict[str, str]:
    """Where each value shown comes from: the app config, ``Config.setup``, the environment, a default,
    or the app's emulator (which serves with its own account, at its own URL)."""
    from ..config import Config
    from ..current import app_state

    state = app_state()
    sources = dict(state.sources if state is not None else Config.sources())
    if client.emulator is not None:
        mode = "TWILIO_EMULATOR" if client.settings.emulator else "TWILIO_SUPPRESS_SEND"
        for name in ("ACCOUNT_SID", "AUTH_TOKEN", "API_KEY", "API_SECRET", "API_BASE_URL"):
            sources[f"TWILIO_{name}"] = f"the emulator of {mode}"
    return sources


def _sending(client: Any) -> str:
    """Where requests go: Twilio (or the base URL), nowhere (suppressed), or an emulator of the app's."""
    if client.settings.suppress_send:
        return "suppressed (TWILIO_SUPPRESS_SEND: answered in-process, nothing sent)"
    if client.emulator is not None:
        step = client.settings.emulator_step
        pace = f"statuses step every {step:g} s" if step else "statuses step on emulator.advance()"
        return f"to the app's emulator (TWILIO_EMULATOR; {pace})"
    return "to the API base URL"


def _check_credentials() -> None:
    from ..resources import Account

    sid = get_client().account_sid  # ConfigurationError (exit 2) when credentials are missing
    account = Account.find(sid)
    if account is None:
        fail(click.get_current_context(), f"Error: Twilio knows no account {sid}.")
    click.echo(f"Credentials OK: {account.friendly_name} ({account.status}).")


# -- sms -------------------------------------------------------------------------------------

@twilio_cli.group("sms")
def sms_group() -> None:
    """Send and list SMS and MMS messages."""


@sms_group.command("send")
@click.option("--to", required=True, metavar="NUMBER", help="The recipient, e.g. +15558675310.")
@click.option("--from", "from_", required=True, metavar="NUMBER", help="One of your Twilio numbers.")
@click.option("--body", help="The text of the message.")
@click.option("--media-url", multiple=True, metavar="URL", help="A picture or file to send (MMS); repeatable.")
@click.option("--status-callback", metavar="URL", help="A URL Twilio calls as the message's status changes.")
@output_options
def sms_send_command(to: str, from_: str, body: Optional[str], media_url: Tuple[str, ...],
                     status_callback: Optional[str], fmt: str) -> None:
    """Send a message; prints the message Twilio created."""
    from ..resources import Message

    if not body and not media_url:
        raise click.UsageError("Give --body, --media-url or both.")
    message = Message.create(to=to, from_=from_, body=body, media_url=list(media_url),
                             status_callback=status_callback)
    write_one(message, MESSAGE_COLUMNS, fmt)


@sms_group.command("list")
@list_options("sent")
def sms_list_command(fmt: str, limit: int, **filters: Any) -> None:
    """List messages, newest first."""
    from ..resources import Message

    _list(Message, MESSAGE_COLUMNS, fmt, limit, **filters)


# -- call ------------------------------------------------------------------------------------

@twilio_cli.group("call")
def call_group() -> None:
    """Make, list and end calls."""


@call_group.command("create")
@click.option("--to", required=True, metavar="NUMBER", help="The number (or client:NAME, sip:...) to call.")
@click.option("--from", "from_", required=True, metavar="NUMBER", help="One of your Twilio numbers.")
@click.option("--url", metavar="URL", help="The URL of the TwiML that runs the call.")
@click.option("--twiml", metavar="XML", help="The TwiML that runs the call, e.g. '<Response><Say>Hi</Say></Response>'.")
@output_options
def call_create_command(to: str, from_: str, url: Optional[str], twiml: Optional[str], fmt: str) -> None:
    """Start a call; give exactly one of --url and --twiml."""
    from ..resources import Call

    if (url is None) == (twiml is None):
        raise click.UsageError("Give exactly one of --url (Twilio fetches the TwiML) or --twiml (the TwiML itself).")
    write_one(Call.create(to=to, from_=from_, url=url, twiml=twiml), CALL_COLUMNS, fmt)


@call_group.command("list")
@click.option("--status", type=click.Choice(CALL_STATUSES), help="Only calls with this status.")
@list_options("started")
def call_list_command(fmt: str, limit: int, **filters: Any) -> None:
    """List calls, newest first."""
    from ..resources import Call

    _list(Call, CALL_COLUMNS, fmt, limit, **filters)


@call_group.command("cancel")
@click.argument("sid", type=SidParam("Call"))
@output_options
def call_cancel_command(sid: str, fmt: str) -> None:
    """Cancel a queued or ringing call."""
    _end_call(sid, "canceled", fmt)


@call_group.command("complete")
@click.argument("sid", type=SidParam("Call"))
@output_options
def call_complete_command(sid: str, fmt: str) -> None:
    """Hang up a call in progress."""
    _end_call(sid, "completed", fmt)


def _end_call(sid: str, status: Literal["canceled", "completed"], fmt: str) -> None:
    from ..errors import APIError
    from ..resources import Call

    ctx = click.get_current_context()
    # Call.update sends the one POST that call.cancel() would, without fetching the call first.
    try:
        call = Call.update(sid, status=status)
    except APIError as exc:
        if exc.code != CALL_NOT_IN_PROGRESS:
            raise
        # Twilio's text ("Cannot redirect") is about redirects; say what it means here.
        fail(ctx, f"Error: call {sid} has already ended: there is nothing to {ctx.info_name}.")
    if status == "canceled" and call.status == "in-progress":  # cancel leaves an answered call alone
        fail(ctx, f"Error: call {sid} was answered (in progress): cancel ends only queued or ringing calls. "
                  f"Hang it up with: flask twilio call complete {sid}")
    write_one(call, CALL_COLUMNS, fmt)


#: Twilio's error for a change to a call that has ended ("Call is not in-progress. Cannot redirect.").
CALL_NOT_IN_PROGRESS = 21220


# -- numbers ---------------------------------------------------------------------------------

@twilio_cli.group("numbers")
def numbers_group() -> None:
    """Search, buy and list phone numbers."""


@numbers_group.command("search")
@click.option("--area-code", metavar="CODE", help="Only numbers in this area code, e.g. 917.")
@click.option("--contains", metavar="PATTERN",
              help="Only numbers containing these digits or letters (* for any digit).")
@click.option("--country", default="US", show_default=True, metavar="CODE", help="The ISO country code.")
@click.option("--type", "type_", type=PathChoiceParam("AvailablePhoneNumber", "type"), default="local",
              show_default=True, help="The kind of number (as in Python: AvailablePhoneNumber.all(type=...)).")
@list_options("", filters=())
def numbers_search_command(fmt: str, limit: int, type_: str, **filters: Any) -> None:
    """Find phone numbers you can buy."""
    from ..resources import AvailablePhoneNumber

    _list(AvailablePhoneNumber, AVAILABLE_COLUMNS, fmt, limit, type=type_, **filters)


@numbers_group.command("buy")
@click.argument("number")
@click.option("--voice-url", metavar="URL", help="The URL Twilio calls when the number gets a call.")
@click.option("--sms-url", metavar="URL", help="The URL Twilio calls when the number gets a message.")
@output_options
def numbers_buy_command(number: str, voice_url: Optional[str], sms_url: Optional[str], fmt: str) -> None:
    """Buy NUMBER (e.g. +15005550006) for the account."""
    from ..resources import IncomingPhoneNumber

    bought = IncomingPhoneNumber.create(phone_number=number, voice_url=voice_url, sms_url=sms_url)
    write_one(bought, NUMBER_COLUMNS, fmt)


@numbers_group.command("list")
@click.option("--phone-number", metavar="DIGITS", help="Only numbers containing these digits.")
@click.option("--friendly-name", metavar="NAME", help="Only numbers with this friendly name.")
@list_options("", filters=())
def numbers_list_command(fmt: str, limit: int, **filters: Any) -> None:
    """List the account's phone numbers."""
    from ..resources import IncomingPhoneNumber

    _list(IncomingPhoneNumber, NUMBER_COLUMNS, fmt, limit, **filters)
