"""``flask twilio export``: every record once, in CSV or JSON Lines, and a stopped export resumes."""
from __future__ import annotations

import csv
import json

import pytest
from flask import Flask

from flask_twilio_rb import Message, TwilioConnectionError, TwilioRB
from flask_twilio_rb.testing.emulator import TwilioEmulator

FROM = "+15005550006"


@pytest.fixture
def app():
    with TwilioEmulator(callbacks=False) as emu:
        app = Flask(__name__)
        app.config.update(TWILIO_ACCOUNT_SID=emu.account_sid, TWILIO_AUTH_TOKEN=emu.auth_token,
                          TWILIO_API_BASE_URL=emu.base_url)
        TwilioRB(app)
        with app.app_context():
            for n in range(23):
                Message.create(to=f"+1555{n:07d}", from_=FROM, body=f"Text {n}")
        emu.finish()  # sent: they have a DateSent
        app.emulator = emu
        yield app


def export(app, *args):
    return app.test_cli_runner().invoke(args=["twilio", "export", *args])


def test_messages_export_to_csv_with_a_header_and_every_record_once(app, tmp_path):
    out = tmp_path / "messages.csv"
    result = export(app, "messages", "--out", str(out), "--page-size", "10", "--since", "2000-01-01")
    assert result.exit_code == 0, result.output
    assert "23 messages written to" in result.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert sorted(row["body"] for row in rows) == sorted(f"Text {n}" for n in range(23))
    assert json.loads(rows[0]["subresource_uris"])  # nested fields are JSON in their cell
    assert not (tmp_path / "messages.csv.resume").exists()


def test_an_interrupted_export_resumes_where_it_stopped(app, tmp_path, monkeypatch):
    from flask_twilio_rb.resources import paging

    real = paging.each_page
    pages_seen = []

    def breaks_after_two_pages(*args, **kwargs):
        for page in real(*args, **kwargs):
            pages_seen.append(page)
            if len(pages_seen) == 3:
                raise TwilioConnectionError("connection reset", method="GET")
            yield page

    monkeypatch.setattr("flask_twilio_rb.resources.mixins.each_page", breaks_after_two_pages)
    out = tmp_path / "messages.jsonl"
    first = export(app, "messages", "--out", str(out), "--page-size", "5")
    assert first.exit_code == 1 and "connection reset" in first.stderr
    state = json.loads((tmp_path / "messages.jsonl.resume").read_text())
    assert state["count"] == 10 and state["next"]
    with out.open("ab") as file:
        file.write(b'{"half": "a page that was being written')  # cut back on resume
    monkeypatch.undo()
    second = export(app, "messages", "--out", str(out), "--page-size", "5")
    assert second.exit_code == 0, second.output
    assert "Resuming after 10 records" in second.stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(r["sid"] for r in records) == sorted(m["sid"] for m in app.emulator.records("Message"))


def test_calls_export_and_an_empty_range(app, tmp_path):
    out = tmp_path / "calls.csv"
    result = export(app, "calls", "--out", str(out), "--until", "2000-01-01")
    assert result.exit_code == 0 and "0 calls written" in result.stderr
    assert out.read_text() == ""


@pytest.mark.parametrize("setup, args, message", [
    (None, ["--out", "x.txt"], "name a .csv or a .jsonl file"),
    ("done", [], "exists and is a finished export"),
    ("other", [], "is an unfinished export of"),
])
def test_what_would_mix_two_exports_is_refused(app, tmp_path, setup, args, message):
    out = tmp_path / "m.csv"
    if setup == "done":
        out.write_text("sid\n")
    if setup == "other":
        out.write_text("")
        (tmp_path / "m.csv.resume").write_text(json.dumps({"asked": {"kind": "calls"}, "next": None, "offset": 0,
                                                            "count": 0, "columns": None}))
    result = export(app, "messages", *(args or ["--out", str(out)]))
    assert result.exit_code == 2 and message in result.output
