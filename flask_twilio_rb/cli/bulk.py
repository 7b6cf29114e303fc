"""Bulk commands: ``sms bulk`` (a CSV of recipients, a body template) and ``bulk status JOB``.

``sms bulk`` streams the CSV (a million rows take no more memory than ten) into
:func:`flask_twilio_rb.bulk.send_messages` and shows a progress bar on stderr until every
recipient is sent, failed or skipped; Ctrl-C cancels what has not been sent. With the Celery
backend ``--detach`` returns once the rows are enqueued and prints the job id for ``bulk status``.
"""
from __future__ import annotations

import csv
import sys
import time
from typing import Any, Iterator, Optional, TextIO

import click

from .group import twilio_cli
from .rest import sms_group

#: Seconds between two redraws of the progress bar.
REFRESH = 0.2
#: Replaced by tests (a Ctrl-C while waiting).
sleep = time.sleep


def _rows(file: TextIO, column: str) -> Iterator[dict]:
    """The CSV's rows, read as they are sent; the header is checked at once."""
    reader = csv.DictReader(file)
    if column not in (reader.fieldnames or ()):
        raise click.UsageError(f"{file.name} has no column {column!r} (its columns: {', '.join(reader.fieldnames or ())});"
                               f" name the numbers' column with --column.")
    return ({**row, "to": row[column]} for row in reader)


@sms_group.command("bulk")
@click.option("--csv", "csv_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Recipients: a CSV with a header row; every column is a template variable.")
@click.option("--column", default="to", show_default=True, help="The column holding the numbers.")
@click.option("--body", required=True, metavar="TEMPLATE", help="The text, a Jinja template: 'Hi {{ name }}'.")
@click.option("--from", "from_", metavar="NUMBER", help="The sending number (or short code).")
@click.option("--service", metavar="MG...", help="A messaging service to send through, instead of --from.")
@click.option("--rate", type=click.FloatRange(min=0, min_open=True), help="Segments per second (default: the sender's).")
@click.option("--status-callback", metavar="URL", help="Where Twilio reports statuses (the bulk status view).")
@click.option("--job-id", help="Name the job; the same name again goes on where an interrupted run stopped.")
@click.option("--detach", is_flag=True, help="Return once enqueued (Celery backend); see `flask twilio bulk status`.")
def sms_bulk_command(csv_path: str, column: str, body: str, from_: Optional[str], service: Optional[str],
                     rate: Optional[float], status_callback: Optional[str], job_id: Optional[str],
                     detach: bool) -> None:
    """Text every row of a CSV, at the sender's pace and nobody twice."""
    from ..bulk import send_messages
    from ..current import current_settings

    if (from_ is None) == (service is None):
        raise click.UsageError("Give --from NUMBER or --service MG..., one of them.")
    if detach and current_settings().bulk_backend != "celery":
        raise click.UsageError("--detach needs TWILIO_BULK_BACKEND = \"celery\": the threads backend sends from this"
                               " process, which must stay until it is done.")
    with open(csv_path, newline="", encoding="utf-8-sig") as file:
        try:
            job = send_messages(_rows(file, column), body=body, from_=from_, messaging_service_sid=service, rate=rate,
                                status_callback=status_callback, job_id=job_id)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
        click.echo(f"Job {job.id}", err=True)
        if not detach:
            _follow(job)  # the threads backend reads the file while it sends
    _report(job)


@twilio_cli.group("bulk")
def bulk_group() -> None:
    """Look at bulk sends."""


@bulk_group.command("status")
@click.argument("job_id")
@click.option("--reconcile", is_flag=True, help="First fetch the status of sent messages whose callback never came.")
def bulk_status_command(job_id: str, reconcile: bool) -> None:
    """A bulk job's counts and its failures."""
    from ..bulk import BulkJob

    job = BulkJob.find(job_id)
    if reconcile:
        click.echo(f"{job.reconcile()} statuses fetched", err=True)
    _report(job)


def _follow(job: Any) -> None:
    """A progress bar until the job is done; Ctrl-C cancels the rest of it."""
    try:
        with click.progressbar(length=max(job.progress().total, 1), label="Sending", file=sys.stderr,
                               show_pos=True) as bar:
            while True:
                progress = job.progress()
                bar.length = max(progress.total, 1)
                bar.update(progress.total - progress.queued - bar.pos)
                if progress.done:
                    return
                sleep(REFRESH)
    except KeyboardInterrupt:
        job.cancel()
        click.echo("Canceled: what was not sent yet is skipped.", err=True)
        job.wait(30)


def _report(job: Any) -> None:
    p = job.progress()
    state = "done" if p.done else "canceled" if p.canceled else "in progress"
    click.echo(f"{job.id}: {state}, {p.total} recipients: {p.queued} queued, {p.sent} sent, {p.delivered} delivered,"
               f" {p.failed} failed, {p.skipped} skipped")
    if p.error:
        click.echo(f"Stopped: {p.error}")
    for failure in job.failures(limit=20):
        code = f"error {failure.code}" if failure.code is not None else "no code"
        click.echo(f"  {failure.number}: {code}: {failure.message}")
    if p.failed > 20:
        click.echo(f"  ... and {p.failed - 20} more")
