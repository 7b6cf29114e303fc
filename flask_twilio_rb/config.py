"""Settings and where they come from.

For every API call the client is resolved in this order: the current Flask app (inside an
app context where :class:`~flask_twilio_rb.TwilioRB` was initialised), else the values given
to :meth:`Config.setup`, else the environment variables ``TWILIO_ACCOUNT_SID`` /
``TWILIO_AUTH_TOKEN`` (and the other ``TWILIO_*`` names of :data:`DEFAULTS`).
"""
from __future__ import annotations

import math
import os
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from typing import Any, Dict, Iterator, Mapping, Optional, Tuple

from .errors import ConfigurationError
from .hosts import EDGES, REGIONS, twilio_routing

_SECRETS = frozenset({"auth_token", "api_secret"})


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
    trust_env: bool = False
    validate_webhooks: bool = True
    webhook_base_url: Optional[str] = None
    twiml_strict: Optional[bool] = None
    suppress_send: bool = False
    emulator: bool = False
    emulator_step: Optional[float] = None

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{f.name}={mask(getattr(self, f.name)) if f.name in _SECRETS else getattr(self, f.name)!r}"
            for f in fields(self)
        )
        return f"Settings({shown})"

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> "Settings":
        """Build settings from a mapping keyed by ``TWILIO_*`` names, checking their types."""
        kwargs = {_attr(k): values[k] for k in DEFAULTS if values.get(k) is not None}
        settings = cls(**kwargs)
        try:
            timeout = float(settings.timeout)
            retries = int(settings.max_retries)
        except (TypeError, ValueError):
            raise ConfigurationError(
                "TWILIO_TIMEOUT must be a number of seconds and TWILIO_MAX_RETRIES a whole number;"
                " fix them in the app config or the environment."
            ) from None
        if not (timeout > 0 and math.isfinite(timeout)):  # also refuses NaN and infinity
            raise ConfigurationError("TWILIO_TIMEOUT must be more than 0 seconds: requests are never unbounded.")
        if retries < 0:
            raise ConfigurationError("TWILIO_MAX_RETRIES must be 0 or more.")
        step = _seconds_or_none(settings.emulator_step)
        pool_size = settings.pool_size
        if isinstance(pool_size, str) and pool_size.strip().isdigit():  # from the environment
            pool_size = int(pool_size)
        if isinstance(pool_size, bool) or not isinstance(pool_size, int) or pool_size < 1:
            raise ConfigurationError(
                f"TWILIO_POOL_SIZE is {pool_size!r}; set it to the number of connections to keep open"
                " (at least 1; about the number of threads that send at once)."
            )
        base_url = str(settings.api_base_url).rstrip("/")
        return replace(
            settings,
            timeout=timeout,
            max_retries=retries,
            api_base_url=base_url,
            region=_one_of("TWILIO_REGION", settings.region, REGIONS, base_url),
            edge=_one_of("TWILIO_EDGE", settings.edge, EDGES, base_url),
            trust_env=_flag(settings.trust_env),
            validate_webhooks=_flag(settings.validate_webhooks),
            suppress_send=_flag(settings.suppress_send),
            emulator=_flag(settings.emulator),
            twiml_strict=None if settings.twiml_strict is None else _flag(settings.twiml_strict),
            emulator_step=step,
            pool_size=pool_size,
        )

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


def _one_of(name: str, value: Any, accepted: Tuple[str, ...], base_url: str) -> Optional[str]:
    """A region or edge Twilio knows, in lower case; ``None`` when unset. Anything else is refused."""
    if value is None or value == "":
        return None
    choice = str(value).strip().lower()
    if choice not in accepted:
        raise ConfigurationError(f"{name} is {value!r}; use one of {', '.join(accepted)} (or leave it unset).")
    if twilio_routing(base_url) is None:
        raise ConfigurationError(
            f"{name} routes requests to Twilio's regional hosts, but TWILIO_API_BASE_URL sends them to"
            f" {base_url!r} (a proxy or an emulator): unset one of them."
        )
    return choice


def _seconds_or_none(value: Any) -> Optional[float]:
    if value is None:
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = math.nan
    if not (seconds > 0 and math.isfinite(seconds)):
        raise ConfigurationError(
            f"TWILIO_EMULATOR_STEP is {value!r}; set it to the seconds between status steps (e.g. 1.0),"
            " or leave it unset to move statuses only with emulator.advance()."
        )
    return seconds


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


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
    """

    _values: Dict[str, Any] = {}
    _generation = 0

    @classmethod
    def setup(cls, **values: Any) -> None:
        """Set (or with ``None`` clear) settings by their lower-case names, e.g. ``auth_token=``."""
        known = {_attr(k) for k in DEFAULTS}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ConfigurationError(
                f"Config.setup() does not know {', '.join(unknown)}; use one of {', '.join(sorted(known))}."
            )
        merged = dict(cls._values)
        merged.update(values)
        cls._values = {k: v for k, v in merged.items() if v is not None}
        cls._generation += 1

    @classmethod
    @contextmanager
    def overridden(cls, **values: Any) -> Iterator[None]:
        """Apply :meth:`setup` for the length of a ``with`` block, then restore the previous values."""
        saved = cls._values
        cls.setup(**values)
        try:
            yield
        finally:
            cls._values = saved
            cls._generation += 1

    @classmethod
    def generation(cls) -> int:
        """A number that changes whenever the values change: clients built from older values are stale."""
        return cls._generation

    @classmethod
    def reset(cls) -> None:
        """Forget every value given to :meth:`setup` (handy between tests)."""
        cls._values = {}
        cls._generation += 1

    @classmethod
    def settings(cls, environ: Optional[Mapping[str, str]] = None) -> Settings:
        """The settings of scripts: :meth:`setup` values over ``TWILIO_*`` environment variables."""
        environ = os.environ if environ is None else environ
        merged: Dict[str, Any] = {k: environ[k] for k in DEFAULTS if environ.get(k)}
        merged.update({f"TWILIO_{k.upper()}": v for k, v in cls._values.items()})
        return Settings.from_mapping(merged)
