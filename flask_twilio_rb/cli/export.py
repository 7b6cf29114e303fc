"""``flask twilio export messages|calls``: a large listing streamed to a file, resumable.

Pages are written one at a time and, after each, a small state file beside the output
(``FILE.resume``) records where the listing goes on (Twilio's ``next_page_uri``), how many
bytes of the file are whole and how many records they hold. A run that stopped (Ctrl-C, a
network failure) is started again with the same command: the file is cut back to its last
whole page and the listing goes on from there, so every record is written exactly once. The
state file is removed when the export is complete.
"""
from __future__ import annotations

import csv
import io
import json
import os
import sys
from datetime import date
from typing import Any, Dict, Iterator, List, Optional, Union

import click

from .group import twilio_cli
from .options import DateParam

#: kind -> (resource class name, date filter of ``--since``/``--until``).
KINDS = {"messages": ("Message", "sent"), "calls": ("Call", "started")}
FORMATS = (".csv", ".jsonl")


@twilio_cli.command("export")
@click.argument("kind", type=click.Choice(tuple(KINDS)))
@click.option("--since", type=DateParam(), help="Only those sent/started on or after this date (or date-time).")
@click.option("--until", type=DateParam(), help="Only those sent/started on or before this date (or date-time).")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="FILE.csv or FILE.jsonl.")
@click.option("--page-size", type=click.IntRange(1, 1000), default=1000, show_default=True,
              help="Records per request (and per resume point).")
def export_command(kind: str, since: Optional[Union[date, Any]], until: Optional[Union[date, Any]], out: str,
                   page_size: int) -> None:
    """Write every message or call in a date range to a CSV or JSON Lines file; run it again to resume."""
    from ..resources import Call, Message

    suffix = os.path.splitext(out)[1].lower()
    if suffix not in FORMATS:
        raise click.UsageError(f"--out {out}: name a .csv or a .jsonl file.")
    name, dates = KINDS[kind]
    filters: Dict[str, Any] = {"page_size": page_size}
    if since is not None:
        filters[f"{dates}_after"] = since
    if until is not None:
        filters[f"{dates}_before"] = until
    asked = {"kind": kind, "since": str(since) if since else None, "until": str(until) if until else None}
    state_path = out + ".resume"
    state = _resume_state(out, state_path, asked)
    resource = Message if name == "Message" else Call
    pages = resource.pages(start=state["next"], **filters) if state["next"] else resource.pages(**filters)
    with open(out, "r+b" if state["offset"] else "wb") as file:
        file.truncate(state["offset"])
        file.seek(state["offset"])
        show = sys.stderr.isatty()
        records = _written(pages, file, state, state_path, suffix)
        with click.progressbar(records, label=f"Exporting {kind}", file=sys.stderr, show_pos=True,
                               hidden=not show) as bar:
            for _ in bar:
                pass
    os.remove(state_path)
    click.echo(f"{state['count']} {kind} written to {out}", err=True)


def _resume_state(out: str, state_path: str, asked: Dict[str, Any]) -> Dict[str, Any]:
    """Where to begin: the state of an export that stopped, or a new one; refuses what would mix two exports."""
    if os.path.exists(state_path):
        with open(state_path, encoding="utf-8") as file:
            state = json.load(file)
        if state["asked"] != asked:
            raise click.UsageError(f"{out} is an unfinished export of {state['asked']}; resume it with the same"
                                   f" arguments, or delete {out} and {state_path} to start over.")
        click.echo(f"Resuming after {state['count']} records", err=True)
        return state
    if os.path.exists(out):
        raise click.UsageError(f"{out} exists and is a finished export (no {state_path}); choose another --out or"
                               f" delete it.")
    state = {"asked": asked, "next": None, "offset": 0, "count": 0, "columns": None}
    _save(state_path, state)
    return state


def _written(pages: Iterator[Any], file: Any, state: Dict[str, Any], state_path: str, suffix: str) -> Iterator[dict]:
    """Write each page, make it durable, then record the resume point; yields the records written."""
    for records, next_uri in pages:
        if records and state["columns"] is None:
            columns = list(records[0])
            state["columns"] = columns
            if suffix == ".csv":
                file.write(_csv_line(columns))
        for record in records:
            if suffix == ".csv":
                file.write(_csv_line([_cell(record.get(column)) for column in state["columns"]]))
            else:
                file.write(json.dumps(record, separators=(",", ":")).encode("utf-8") + b"\n")
            yield record
        file.flush()
        os.fsync(file.fileno())
        state.update(next=next_uri, offset=file.tell(), count=state["count"] + len(records))
        _save(state_path, state)


def _csv_line(values: List[Any]) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerow(values)
    return text.getvalue().encode("utf-8")


def _cell(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return "" if value is None else value


def _save(path: str, state: Dict[str, Any]) -> None:
    """Replace the state file in one step: a crash leaves the old state or the new one, never half of one."""
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as file:
        json.dump(state, file)
    os.replace(temporary, path)
