"""Parameter types and the options several commands share."""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Callable, Optional, Tuple, TypeVar, Union

import click

F = TypeVar("F", bound=Callable[..., Any])

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}\Z")

#: The default number of records a list command shows.
DEFAULT_LIMIT = 50


class DateParam(click.ParamType):
    """``YYYY-MM-DD`` (a :class:`~datetime.date`) or an ISO 8601 date-time with a zone.

    A date-time without a zone is refused: Twilio compares moments, and guessing the zone
    would move the range by hours without a word.
    """

    name = "date"

    def convert(self, value: Any, param: Optional[click.Parameter],
                ctx: Optional[click.Context]) -> Union[date, datetime]:
        """Parse ``value``; a usage error says what is expected."""
        if isinstance(value, date):
            return value
        text = str(value).strip()
        try:
            if _DAY.match(text):
                return date.fromisoformat(text)
            # fromisoformat reads a trailing "Z" only from Python 3.11 on.
            moment = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
        except ValueError:
            self.fail(f"{value!r} is not a date: use YYYY-MM-DD or an ISO 8601 date-time with a zone, "
                      f"e.g. 2026-11-01T09:30:00Z.", param, ctx)
        if moment.utcoffset() is None:
            self.fail(f"{value!r} has no time zone: add one, e.g. {text}Z or {text}+01:00.", param, ctx)
        return moment


class SidParam(click.ParamType):
    """The SID of an instance of a resource class, checked as the resource checks it."""

    name = "sid"

    def __init__(self, resource: str) -> None:
        self.resource = resource

    def convert(self, value: Any, param: Optional[click.Parameter], ctx: Optional[click.Context]) -> str:
        """Return ``value`` when it can name an instance; a usage error otherwise, before any request."""
        from ..registry import lookup
        from ..resources.paths import is_valid_id  # resources load on first use only

        cls = lookup(self.resource)
        if not is_valid_id(cls, value):
            prefixes = str(cls._id_prefix).replace("|", " or ")
            self.fail(f"{value!r} is not a valid {self.resource} SID: expected {prefixes} followed by 32 hex digits.",
                      param, ctx)
        return str(value)


class PathChoiceParam(click.ParamType):
    """One of a resource's path choices (``--type toll-free``), spelled with ``-`` or ``_`` as in Python.

    The choices are read off the resource's declaration when the command runs (or shows its
    help), so every choice Twilio's spec has is offered, and nothing is loaded before.
    """

    name = "choice"

    def __init__(self, resource: str, key: str) -> None:
        self.resource = resource
        self.key = key

    def choices(self) -> Tuple[str, ...]:
        """The choices as Python spells them (``"toll_free"``)."""
        from ..registry import lookup  # resources load on first use only

        return tuple(sorted(c for c in lookup(self.resource)._choices[self.key] if c is not None))

    def get_metavar(self, param: click.Parameter, ctx: Optional[click.Context] = None) -> str:
        """``[local|mobile|toll-free|...]`` in the help."""
        return "[" + "|".join(c.replace("_", "-") for c in self.choices()) + "]"

    def convert(self, value: Any, param: Optional[click.Parameter], ctx: Optional[click.Context]) -> str:
        """The choice in Python's spelling; a usage error listing them all otherwise."""
        choice = str(value).strip().lower().replace("-", "_")
        if choice not in self.choices():
            self.fail(f"{value!r} is not one of {', '.join(c.replace('_', '-') for c in self.choices())} "
                      "(- or _ both work, e.g. toll-free or toll_free).", param, ctx)
        return choice


class KeyValueParam(click.ParamType):
    """``KEY=VALUE`` as a ``(key, value)`` pair; the value may be empty or contain ``=``."""

    name = "key=value"

    def convert(self, value: Any, param: Optional[click.Parameter], ctx: Optional[click.Context]) -> Tuple[str, str]:
        """Split at the first ``=``; a usage error when there is none or the key is empty."""
        if isinstance(value, tuple):
            return value
        key, sep, text = str(value).partition("=")
        if not sep or not key:
            self.fail(f"{value!r} is not KEY=VALUE.", param, ctx)
        return key, text


DATE = DateParam()
KEY_VALUE = KeyValueParam()


def output_options(command: F) -> F:
    """``--table`` (the default), ``--json`` and ``--csv``, stored together as ``fmt``."""
    command = click.option("--csv", "fmt", flag_value="csv", help="Write CSV with a header row.")(command)
    command = click.option("--json", "fmt", flag_value="json",
                           help="Write JSON: Twilio's records, streamed one by one.")(command)
    return click.option("--table", "fmt", flag_value="table", default=True,
                        help="Write an aligned table (the default).")(command)


def list_options(dates: str, *, filters: Tuple[str, ...] = ("to", "from")) -> Callable[[F], F]:
    """The options of a list command: ``filters`` (``to``/``from``), a date range, paging and output.

    :param dates: the resource's date filter, e.g. ``"started"`` for ``--started-after`` and
        ``--started-before`` (Python's ``started_after=``, ``started_before=``); ``""`` for none.
    """
    descriptions = {"to": "Only records to this number.", "from": "Only records from this number."}

    def decorate(command: F) -> F:
        command = output_options(command)
        command = click.option("--page-size", type=click.IntRange(1, 1000), metavar="N",
                               help="Records per request to Twilio (up to 1000; Twilio's default is 50).")(command)
        command = click.option("--limit", type=click.IntRange(min=0), default=DEFAULT_LIMIT, show_default=True,
                               metavar="N",
                               help="At most this many records; 0 for all of them.")(command)
        for edge in ("before", "after") if dates else ():
            command = click.option(f"--{dates}-{edge}", type=DATE, metavar="DATE",
                                   help=f"Only records {dates} {edge} DATE (YYYY-MM-DD, or ISO 8601 "
                                        "date-time with a zone).")(command)
        for name in reversed(filters):
            command = click.option(f"--{name}", f"{name}_" if name == "from" else name, metavar="NUMBER",
                                   help=descriptions[name])(command)
        return command

    return decorate
