"""Records out: an aligned table, a JSON array or CSV, written as they arrive.

Nothing here holds more than one record: list commands hand over the lazy iterator of
``Resource.each()``, so an export of a whole account runs in flat memory. That is why the
table has fixed column widths (declared per resource) instead of measuring every row first.
"""
from __future__ import annotations

import csv
import itertools
import json
import sys
from dataclasses import dataclass
from datetime import timezone
from email.utils import parsedate_to_datetime
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence, TextIO

import click

Record = Mapping[str, Any]


@dataclass(frozen=True)
class Column:
    """One column: its name (the CSV header; upper-cased in the table), how to read it, its table width."""

    name: str
    read: Callable[[Record], str]
    width: int

    @property
    def header(self) -> str:
        """The table's header: ``date_sent`` -> ``DATE SENT``."""
        return self.name.replace("_", " ").upper()


def field(name: str, *fallbacks: str) -> Callable[[Record], str]:
    """Read ``name`` as text (the first of ``fallbacks`` that is set when it is empty)."""

    def read(record: Record) -> str:
        for key in (name, *fallbacks):
            if record.get(key) not in (None, ""):
                return str(record[key])
        return ""

    return read


def moment(name: str, *fallbacks: str) -> Callable[[Record], str]:
    """Read a date field (RFC 2822, as Twilio sends it) as ``YYYY-MM-DD HH:MM:SS`` in UTC."""
    read_text = field(name, *fallbacks)

    def read(record: Record) -> str:
        text = read_text(record)
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError):  # not a date after all: show it as Twilio sent it
            return text
        if when.tzinfo is not None:  # "-0000" (zone unknown) parses naive; Twilio means UTC then too
            when = when.astimezone(timezone.utc)
        return when.strftime("%Y-%m-%d %H:%M:%S")

    return read


def capabilities(record: Record) -> str:
    """``voice,sms,mms``: the capabilities a number has (Twilio spells some in upper case)."""
    return ",".join(name.lower() for name, on in (record.get("capabilities") or {}).items() if on)


def write(records: Iterable[Any], columns: Sequence[Column], fmt: str, *, expected: Optional[int] = None) -> None:
    """Write resources (anything with ``to_dict()``) as ``fmt``, each as soon as it arrives.

    With the output going to a file or a pipe and stderr a terminal, a progress bar on stderr
    counts the records (up to ``expected``, when known).
    """
    dicts = (record.to_dict() for record in records)
    show = _is_terminal(sys.stderr) and not _is_terminal(sys.stdout)
    with click.progressbar(dicts, length=expected, label="Exporting", file=sys.stderr, show_pos=True,
                           hidden=not show) as bar:
        _WRITERS[fmt](bar, columns)


def write_one(record: Any, columns: Sequence[Column], fmt: str) -> None:
    """Write one resource: a JSON object (not an array), or a table or CSV of one row."""
    if fmt == "json":
        click.echo(json.dumps(record.to_dict(), indent=2))
    else:
        _WRITERS[fmt]([record.to_dict()], columns)


def _is_terminal(stream: TextIO) -> bool:
    return bool(stream.isatty())


def _table(records: Iterable[Record], columns: Sequence[Column]) -> None:
    _rows(records, columns, [c.header for c in columns], lambda values: click.echo(_row(values, columns)))


def _csv(records: Iterable[Record], columns: Sequence[Column]) -> None:
    writer = csv.writer(_Echo(), lineterminator="\n")
    _rows(records, columns, [c.name for c in columns], writer.writerow)


def _rows(records: Iterable[Record], columns: Sequence[Column], header: Sequence[str],
          emit: Callable[[Sequence[str]], Any]) -> None:
    # The first record is read before the header is written: when the first page fails (wrong
    # credentials...), the error is all the command prints.
    iterator = iter(records)
    first = next(iterator, None)
    emit(header)
    for record in itertools.chain([first] if first is not None else [], iterator):
        emit([c.read(record) for c in columns])


def _row(values: Sequence[str], columns: Sequence[Column]) -> str:
    cells = [_fit(value, column.width) for value, column in zip(values, columns)]
    return "  ".join(cells).rstrip()


def _fit(value: str, width: int) -> str:
    # A value longer than its column is cut, so the columns after it stay aligned.
    return value.ljust(width) if len(value) <= width else value[:width - 3] + "..."


def _json(records: Iterable[Record], columns: Sequence[Column]) -> None:
    # "[" goes out with the first record, so an empty result is "[]" without looking ahead.
    separator = "[\n  "
    for record in records:
        click.echo(separator + json.dumps(record), nl=False)
        separator = ",\n  "
    click.echo("[]" if separator.startswith("[") else "\n]")


class _Echo:
    """A file for :func:`csv.writer` that writes through click (so the runner and pipes see it)."""

    def write(self, text: str) -> None:
        click.echo(text, nl=False)


_WRITERS: Mapping[str, Callable[[Iterable[Record], Sequence[Column]], None]] = {
    "table": _table, "json": _json, "csv": _csv,
}

