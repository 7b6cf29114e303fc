"""Commands that work without calling Twilio: ``token``, ``twiml``, ``webhook`` and ``routes``
(and ``emulator``, which serves a local stand-in for Twilio's API)."""
from __future__ import annotations

from typing import Any, List, Optional, Tuple
from urllib.parse import urlencode

import click
from flask import current_app

from ..client import get_client
from ..emulator.command import options as emulator_options
from ..emulator.command import serve
from .group import EXIT_FAILURE, EXIT_USAGE, app_context, fail, twilio_cli
from .options import KEY_VALUE, SidParam

Pairs = Tuple[Tuple[str, str], ...]

_TTL = click.option("--ttl", type=click.IntRange(min=1, max=24 * 3600), default=3600, show_default=True,
                    help="Seconds the token stays valid.")


# -- token -----------------------------------------------------------------------------------

@twilio_cli.group("token")
def token_group() -> None:
    """Print client tokens (JWTs) for Twilio's browser and mobile SDKs."""


@token_group.command("client")
@click.option("--incoming", metavar="NAME", help="The client name that may receive calls.")
@click.option("--outgoing", metavar="APSID", type=SidParam("Application"),
              help="The TwiML application (AP...) the client may call.")
@_TTL
def token_client_command(incoming: Optional[str], outgoing: Optional[str], ttl: int) -> None:
    """A Twilio Client capability token, signed with the auth token."""
    if not incoming and not outgoing:
        raise click.UsageError("Give --incoming, --outgoing or both.")
    click.echo(get_client().capability_token(allow_incoming=incoming, allow_outgoing=outgoing, expires=ttl))


@token_group.command("access")
@click.option("--identity", required=True, metavar="NAME", help="The user the token speaks for.")
@click.option("--voice", metavar="APSID", type=SidParam("Application"),
              help="Voice: calls out through this TwiML application; calls in to the identity.")
@click.option("--video", metavar="ROOM", help="Video: may join this room.")
@click.option("--chat", metavar="SERVICE", help="Conversations: may use this service (IS...).")
@_TTL
def token_access_command(identity: str, voice: Optional[str], video: Optional[str], chat: Optional[str],
                         ttl: int) -> None:
    """An access token with grants, signed with TWILIO_API_KEY / TWILIO_API_SECRET."""
    from ..tokens import ChatGrant, Grant, VideoGrant, VoiceGrant

    grants: List[Grant] = []
    if voice:
        grants.append(VoiceGrant(outgoing_application_sid=voice, incoming_allow=True))
    if video:
        grants.append(VideoGrant(room=video))
    if chat:
        grants.append(ChatGrant(service_sid=chat))
    if not grants:
        raise click.UsageError("Give at least one grant: --voice, --video or --chat.")
    client = get_client()
    settings = client.settings
    missing = [name for name, value in (("TWILIO_API_KEY", settings.api_key), ("TWILIO_API_SECRET", settings.api_secret))
               if not value]
    if missing:  # the library's own message names its Python keywords, which mean nothing here
        fail(click.get_current_context(),
             f"Error: an access token is signed with an API key: set {' and '.join(missing)} in the app config or "
             "the environment (TWILIO_API_KEY is the key's SID, SK...; create one in the Twilio Console under "
             "API keys). The account comes from TWILIO_ACCOUNT_SID.", EXIT_USAGE)
    click.echo(client.access_token(identity=identity, ttl=ttl, grants=grants).to_jwt())


# -- twiml -----------------------------------------------------------------------------------

@twilio_cli.command("twiml")
@click.argument("template")
@click.option("-v", "--var", "variables", multiple=True, type=KEY_VALUE, metavar="KEY=VALUE",
              help="A template variable (a string); repeatable.")
def twiml_command(template: str, variables: Pairs) -> None:
    """Render a TwiML template to stdout.

    TEMPLATE is one of the app's templates, e.g. welcome.voice; it renders as in a request.
    """
    from flask import render_template
    from jinja2 import TemplateError, TemplateNotFound

    # A request context, as in a webhook: templates may use url_for() and request.
    with current_app.test_request_context():
        try:
            click.echo(render_template(template, **dict(variables)))
        except TemplateNotFound as exc:
            raise click.UsageError(f"No template {exc.name!r} in the app's template folders.") from None
        except TemplateError as exc:
            fail(click.get_current_context(), f"Error: {template}: {exc}")


# -- webhook ---------------------------------------------------------------------------------

@twilio_cli.command("webhook")
@click.argument("path")
@click.option("-d", "--data", "data", multiple=True, type=KEY_VALUE, metavar="KEY=VALUE",
              help="A parameter Twilio would send, e.g. -d From=+15558675310; repeatable.")
@click.option("--method", type=click.Choice(("POST", "GET"), case_sensitive=False), default="POST",
              show_default=True, help="How the webhook is configured at Twilio.")
@click.option("--url", metavar="ORIGIN", help="Send to the server running at ORIGIN (e.g. http://127.0.0.1:5000) "
              "instead of the app in this process.")
def webhook_command(path: str, data: Pairs, method: str, url: Optional[str]) -> None:
    """Call the app's PATH as Twilio would, signed.

    Signs with the app's auth token, prints the status line on stderr and the answer on
    stdout. Exits 1 when the app answers with an error status (403: it refused the signature).
    """
    method = method.upper()
    path = "/" + path.lstrip("/")
    params: List[Tuple[str, str]] = list(data)
    if method == "GET" and params:  # a GET webhook carries its parameters in the signed URL
        path += ("&" if "?" in path else "?") + urlencode(params)
        params = []
    send = _send_to_server if url else _send_to_app
    status, reason, body = send(path, method, params, url or "")
    click.echo(f"HTTP {status} {reason}", err=True)
    if status == 403:
        click.echo("The app refused the request: it checks the signature with its TWILIO_AUTH_TOKEN against "
                   "the URL it sees (see TWILIO_WEBHOOK_BASE_URL).", err=True)
    if body:
        click.echo(body)
    if status >= 400:
        click.get_current_context().exit(EXIT_FAILURE)


def _send_to_app(path: str, method: str, params: List[Tuple[str, str]], origin: str) -> Tuple[int, str, str]:
    from werkzeug.datastructures import MultiDict

    from ..testing.signing import post_as_twilio

    response = post_as_twilio(current_app.test_client(), path, data=MultiDict(params) if params else None,
                              method=method)
    return response.status_code, response.status.partition(" ")[2], response.get_data(as_text=True)


def _send_to_server(path: str, method: str, params: List[Tuple[str, str]], origin: str) -> Tuple[int, str, str]:
    import requests

    from ..testing.signing import signed_headers

    settings = get_client().settings
    # The server checks the URL Twilio would call: under TWILIO_WEBHOOK_BASE_URL when that is set.
    signed_url = (settings.webhook_base_url or origin).rstrip("/") + path
    headers = signed_headers(signed_url, params, settings.auth_token)
    try:
        response = requests.request(method, origin.rstrip("/") + path, data=params or None, headers=headers,
                                    timeout=settings.timeout, allow_redirects=False)
    except requests.RequestException as exc:
        if _refused(exc):
            fail(click.get_current_context(), f"Error: nothing is listening at {origin}: start the app there "
                                              "(e.g. flask run) or give the --url it serves at.")
        fail(click.get_current_context(), f"Error: could not reach {origin}: {exc}")
    return response.status_code, response.reason, response.text


def _refused(error: BaseException) -> bool:
    """Whether ``error`` (requests' wrapping of urllib3's) comes from a refused connection."""
    seen = 0
    current: Optional[BaseException] = error
    while current is not None and seen < 10:  # bounded: exception chains can loop
        if isinstance(current, ConnectionRefusedError):
            return True
        reason = getattr(current, "reason", None)
        wrapped = current.args[0] if current.args and isinstance(current.args[0], BaseException) else None
        current = current.__cause__ or current.__context__ or (reason if isinstance(reason, BaseException) else wrapped)
        seen += 1
    return False


# -- routes ----------------------------------------------------------------------------------

@twilio_cli.command("routes", with_appcontext=False)
def routes_command() -> None:
    """List Twilio's API operations and their Python.

    Every operation of the 2010-04-01 API, by operationId, and the call that performs it.
    """
    from ..apimap import api_map_lines

    for line in api_map_lines():
        click.echo(line)


# -- emulator --------------------------------------------------------------------------------

@twilio_cli.command("emulator", with_appcontext=False)
@emulator_options
def emulator_command(host: str, port: int, account_sid: Optional[str], auth_token: Optional[str],
                     step: float) -> None:
    """Serve the local Twilio emulator (no app needed).

    Prints its URL and the settings that point an app at it, then serves until Ctrl+C.
    Without --account-sid and --auth-token it serves the app's own account (when there is an
    app), so the app needs only TWILIO_API_BASE_URL to use it and its webhook validation
    accepts what it signs. Calls and messages move on by themselves, one status step every
    --step seconds.
    """
    from ..local import (
        TwilioEmulator,  # the emulator's modules load only for this command
    )

    origin = "given" if auth_token else "generated"
    if account_sid is None and auth_token is None:
        client = _app_client()
        if client is not None and client.emulator is None and client.settings.account_sid \
                and client.settings.auth_token:
            account_sid, auth_token, origin = client.settings.account_sid, client.settings.auth_token, "app"
    serve(TwilioEmulator(account_sid, auth_token, host=host, port=port, auto_advance=step), origin)


def _app_client() -> Optional[Any]:
    """The client of the app ``flask`` finds (``--app``, ``FLASK_APP``, ``app.py``...), or ``None`` without one."""
    with app_context(click.get_current_context()) as found:
        return get_client() if found else None
