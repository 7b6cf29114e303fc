"""Settings and where they come from.

For every API call the client is resolved in this order: the current Flask app (inside an
app context where :class:`~flask_twilio_rb.TwilioRB` was initialised), else the values given
to :meth:`Config.setup`, else the environment variables ``TWILIO_ACCOUNT_SID`` /
``TWILIO_AUTH_TOKEN`` (and the other ``TWILIO_*`` names of :data:`DEFAULTS`).
"""
from __future__ import annotations

import itertools
import os
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields
from typing import Any, Dict, Iterator, Mapping, Optional, Tuple

from . import checks
from .errors import ConfigurationError
from .hosts import EDGES, REGIONS, twilio_routing

_SECRETS = frozenset({"auth_token", "api_secret", "webhook_signing_key"})
#: Settings that are URLs which may carry a password.
_URLS = frozenset({"bulk_redis_url"})


def _attr(key: str) -> str:
    return key[len("TWILIO_"):].lower()


@dataclass(frozen=True)
class Settings:
    """The resolved settings of one client. Its repr masks the auth token and API secret."""

    account_sid: Optional[str] = None
    auth_token: Optional[str] = None
    api_key: Optional[str] = None
    api_secret: Optional[str] = None
    api_base_url: str = "https://api.twilio.com"
    region: Optional[str] = None
    edge: Optional[str] = None
    timeout: float = 15.0
    max_retries: int = 3
    transport: str = "requests"
    pool_size: int = 16
    max_response_bytes: int = 64 << 20
    trust_env: bool = False
    validate_webhooks: bool = True
    webhook_base_url: Optional[str] = None
    webhook_signing_key: Optional[str] = None
    twiml_strict: Optional[bool] = None
    suppress_send: bool = False
    emulator: bool = False
    emulator_step: Optional[float] = None
    bulk_backend: str = "threads"
    bulk_redis_url: Optional[str] = None
    bulk_rate: Optional[float] = None

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{f.name}={_shown(f.name, getattr(self, f.name))!r}"
            for f in fields(self)
        )
        return f"Settings({shown})"

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], source: str = "from the app config or the environment") -> "Settings":
        """Build settings from a mapping keyed by ``TWILIO_*`` names, each value checked by its kind (:data:`CHECKS`).

        ``None`` leaves a setting at its default; any other value the setting does not take
        raises :class:`ConfigurationError` naming that setting, what it takes and ``source``.
        A region or an edge needs Twilio's own hosts: with another base URL (an emulator, a
        proxy) it could not apply, and is refused.
        """
        settings = cls(**{_attr(k): check(k, values[k], source) for k in DEFAULTS if values.get(k) is not None})
        regional = [f"TWILIO_{name.upper()}" for name in ("region", "edge") if getattr(settings, name)]
        if regional and twilio_routing(settings.api_base_url) is None:
            raise ConfigurationError(
                f"{' and '.join(regional)} route{'' if len(regional) > 1 else 's'} requests to Twilio's regional"
                " hosts, but TWILIO_API_BASE_URL"
                f" sends them to {settings.api_base_url!r} (a proxy or an emulator; {source}): unset one of them."
            )
        return settings

    def require_credentials(self, source: str) -> None:
        """Raise :class:`ConfigurationError` naming what is missing, before anything is sent."""
        # With an API key and secret the auth token is not needed; the account SID always is.
        token = self.auth_token or (self.api_key and self.api_secret)
        missing = [name for name, value in (("TWILIO_ACCOUNT_SID", self.account_sid),
                                            ("TWILIO_AUTH_TOKEN", token)) if not value]
        if self.api_key and not self.api_secret:
            missing.append("TWILIO_API_SECRET")
        if missing:
            raise ConfigurationError(
                f"{' and '.join(missing)} not set ({source}). Set it in the Flask config "
                f"(app.config[{missing[0]!r}]), with Config.setup({_attr(missing[0])}=...), "
                f"or in the environment variable {missing[0]}."
            )


#: Every setting, under its Flask config / environment variable name, with its default
#: (read off :class:`Settings`, so a setting and its default are declared once).
DEFAULTS: Dict[str, Any] = {f"TWILIO_{f.name.upper()}": f.default for f in fields(Settings)}

#: The values ``TWILIO_TRANSPORT`` takes.
TRANSPORTS = ("requests", "urllib3")
#: The values of ``TWILIO_BULK_BACKEND``: where :func:`flask_twilio_rb.bulk.send_messages` does its work.
BULK_BACKENDS = ("threads", "celery")

#: How each setting's value is checked: one checker per kind (:mod:`flask_twilio_rb.checks`).
#: A new setting is a field of :class:`Settings` and one line here.
CHECKS: Dict[str, checks.Checker] = {
    "account_sid": checks.sid("AC", "the Account SID on your Twilio Console's dashboard"),
    "auth_token": checks.text,
    "api_key": checks.sid("SK", "an API key's SID, from the Twilio Console's API keys page"),
    "api_secret": checks.text,
    "api_base_url": checks.url,
    "region": checks.choice(*REGIONS),
    "edge": checks.choice(*EDGES),
    "timeout": checks.seconds("the time one attempt may take, e.g. 15: a request is never unbounded"),
    "max_retries": checks.whole(0, "how often a request that is safe to repeat is retried"),
    "transport": checks.choice(*TRANSPORTS),
    "pool_size": checks.whole(1, "the connections kept open: about the number of threads that send at once"),
    "max_response_bytes": checks.whole(1, "the most bytes an answer may have (the default, 64 MiB, is far above"
                                          " Twilio's largest page)"),
    "trust_env": checks.flag,
    "validate_webhooks": checks.flag,
    "webhook_base_url": checks.url,
    "webhook_signing_key": checks.text,
    "twiml_strict": checks.flag,
    "suppress_send": checks.flag,
    "emulator": checks.flag,
    "emulator_step": checks.seconds("the seconds between status steps, e.g. 1.0; or leave it unset to move"
                                    " statuses only with emulator.advance()"),
    "bulk_backend": checks.choice(*BULK_BACKENDS),
    "bulk_redis_url": checks.redis_url,
    "bulk_rate": checks.positive("the message segments per second each sender may send, e.g. 1 for a long code;"
                                 " or leave it unset for the sender type's own rate"),
}


def check(key: str, value: Any, source: str) -> Any:
    """The value of setting ``key`` (``"TWILIO_TIMEOUT"``) for a raw ``value`` from ``source``.

    :raises ConfigurationError: naming the setting, what it takes and ``source``; a secret's
        value is never shown.
    """
    name = _attr(key)
    try:
        return CHECKS[name](value)
    except checks.Invalid as invalid:
        shown = "not a string" if name in _SECRETS else _shorten(_shown(name, value))
        raise ConfigurationError(f"{key} is {shown} ({source}); set it to {invalid}.") from None


def _shorten(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _shown(name: str, value: Any) -> Any:
    """A setting as its repr may show it: secrets masked, and the password of a URL."""
    if name in _SECRETS:
        return mask(value)
    return mask_url(value) if name in _URLS and isinstance(value, str) and value else value


def mask_url(url: str) -> str:
    """``url`` with its password hidden (``redis://:********@host:6379/0``): it may carry one."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:  # not even a URL: it may still hold a password
        return "********"
    if password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:********@{host}"))


def mask(secret: Optional[str]) -> str:
    """Show that a secret is set without showing it: ``'********cdef'`` or ``'<not set>'``."""
    if not secret:
        return "<not set>"
    return "*" * 8 + secret[-4:] if len(secret) >= 16 else "*" * 8


class Config:
    """Settings for scripts that run without a Flask app.

    >>> Config.setup(account_sid="AC...", auth_token="...")

    A later call overrides the values it names and keeps the others; passing ``None``
    clears a value. Values not set here come from the ``TWILIO_*`` environment variables.
    :meth:`overridden` changes them for one block of one thread (or asyncio task) only.
    """

    _values: Dict[str, Any] = {}
    _generation = 0
    #: Numbers for generations: one counter, so a block's values never share a number with others.
    _numbers = itertools.count(1)
    #: The values of the innermost :meth:`overridden` block of this thread or task, and their generation.
    _block: "ContextVar[Optional[Tuple[Dict[str, Any], int]]]" = ContextVar("flask_twilio_rb_config_block",
                                                                            default=None)

    @classmethod
    def setup(cls, **values: Any) -> None:
        """Set (or with ``None`` clear) settings by their lower-case names, e.g. ``auth_token=``.

        Each value is checked as it is given: a name or a value the settings do not take raises
        :class:`ConfigurationError` naming it, and nothing is changed. Inside an
        :meth:`overridden` block it changes that block's values only.
        """
        known = {_attr(k) for k in DEFAULTS}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ConfigurationError(
                f"Config.setup() does not know {', '.join(unknown)}; use one of {', '.join(sorted(known))}."
            )
        checked = {name: check(f"TWILIO_{name.upper()}", value, f"from Config.setup({name}=...)")
                   for name, value in values.items() if value is not None}
        merged = dict(cls._current())
        merged.update(checked)
        cls._store({k: v for k, v in merged.items() if values.get(k, v) is not None})

    @classmethod
    @contextmanager
    def overridden(cls, **values: Any) -> Iterator[None]:
        """Apply :meth:`setup` for the length of a ``with`` block, then restore the previous values.

        The block is the current thread's (or asyncio task's) alone: other threads keep their
        own values meanwhile, and nothing of it is left afterwards. A thread started inside the
        block does not see it (``contextvars.copy_context().run`` hands it over).
        """
        token = cls._block.set((dict(cls._current()), next(cls._numbers)))
        try:
            cls.setup(**values)
            yield
        finally:
            cls._block.reset(token)

    @classmethod
    def generation(cls) -> int:
        """A number that changes whenever the values change: clients built from older values are stale.

        Each :meth:`overridden` block has numbers of its own.
        """
        block = cls._block.get()
        return cls._generation if block is None else block[1]

    @classmethod
    def in_block(cls) -> bool:
        """Whether the current thread or task is inside an :meth:`overridden` block."""
        return cls._block.get() is not None

    @classmethod
    def reset(cls) -> None:
        """Forget every value given to :meth:`setup` (handy between tests); in a block, the block's."""
        cls._store({})

    @classmethod
    def settings(cls, environ: Optional[Mapping[str, str]] = None) -> Settings:
        """The settings of scripts: :meth:`setup` values over ``TWILIO_*`` environment variables."""
        environ = os.environ if environ is None else environ
        values = cls._current()
        merged: Dict[str, Any] = {k: check(k, environ[k], f"from the environment variable {k}")
                                  for k in DEFAULTS if environ.get(k) and _attr(k) not in values}
        merged.update({f"TWILIO_{k.upper()}": v for k, v in values.items()})
        return Settings.from_mapping(merged)

    @classmethod
    def sources(cls, environ: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
        """Where each setting of :meth:`settings` comes from: ``SETUP``, ``ENVIRONMENT`` or ``DEFAULT``."""
        environ = os.environ if environ is None else environ
        values = cls._current()
        return {k: SETUP if _attr(k) in values else ENVIRONMENT if environ.get(k) else DEFAULT
                for k in DEFAULTS}

    @classmethod
    def _current(cls) -> Dict[str, Any]:
        block = cls._block.get()
        return cls._values if block is None else block[0]

    @classmethod
    def _store(cls, values: Dict[str, Any]) -> None:
        if cls._block.get() is None:
            cls._values, cls._generation = values, next(cls._numbers)
        else:
            cls._block.set((values, next(cls._numbers)))


#: Where a setting's value comes from, as ``flask twilio config`` shows it.
APP_CONFIG, SETUP, ENVIRONMENT, DEFAULT = "app config", "Config.setup", "environment", "default"


def resolve(app_config: Mapping[str, Any]) -> Tuple[Settings, Dict[str, str]]:
    """An app's settings and where each came from: what ``app_config`` sets, else :meth:`Config.settings`.

    Every value is checked (:data:`CHECKS`); a wrong one raises :class:`ConfigurationError`
    naming the setting and its source.
    """
    fallback = Config.settings()
    sources = Config.sources()
    values: Dict[str, Any] = {}
    for key in DEFAULTS:
        if app_config.get(key) is None:
            values[key] = getattr(fallback, _attr(key))
        else:
            values[key] = check(key, app_config[key], f"from the app config, app.config[{key!r}]")
            sources[key] = APP_CONFIG
    return Settings.from_mapping(values), sources
