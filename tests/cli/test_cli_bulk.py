"""``flask twilio sms bulk`` from a CSV and ``flask twilio bulk status``, against the emulator."""
from __future__ import annotations

from collections import Counter

import pytest
from flask import Flask

from flask_twilio_rb import TwilioRB
from flask_twilio_rb.bulk import store
from flask_twilio_rb.testing.emulator import TwilioEmulator

FROM = "+15005550006"


@pytest.fixture
def emulator():
    store.MEMORY.clear()
    with TwilioEmulator(callbacks=False) as emu:
        yield emu


def make_app(emulator, **config):
    app = Flask(__name__)
    app.config.update(TWILIO_ACCOUNT_SID=emulator.account_sid, TWILIO_AUTH_TOKEN=emulator.auth_token,
                      TWILIO_API_BASE_URL=emulator.base_url, **config)
    TwilioRB(app)
    return app


@pytest.fixture
def runner(emulator):
    return make_app(emulator).test_cli_runner()


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("phone,name\n+15558675310,Ada\n+15558675311,Bob\n+15005550001,Bad\n", encoding="utf-8")
    return path


def test_sms_bulk_sends_each_row_with_its_variables_and_reports(runner, emulator, csv_file):
    result = runner.invoke(args=["twilio", "sms", "bulk", "--csv", str(csv_file), "--column", "phone",
                                 "--body", "Hi {{ name }}", "--from", FROM, "--rate", "1000"])
    assert result.exit_code == 0, result.output
    assert "done, 3 recipients: 0 queued, 2 sent, 0 delivered, 1 failed, 0 skipped" in result.stdout
    assert "+15005550001: error 21211:" in result.stdout
    assert Counter(r["body"] for r in emulator.records("Message")) == Counter(["Hi Ada", "Hi Bob"])
    job_id = result.stderr.split("Job ")[1].split()[0]
    status = runner.invoke(args=["twilio", "bulk", "status", job_id, "--reconcile"])
    assert status.exit_code == 0 and "0 statuses fetched" in status.stderr
    assert f"{job_id}: done, 3 recipients" in status.stdout


def test_a_missing_column_names_the_columns_there_are(runner, csv_file):
    result = runner.invoke(args=["twilio", "sms", "bulk", "--csv", str(csv_file), "--body", "Hi", "--from", FROM])
    assert result.exit_code == 2
    assert "has no column 'to' (its columns: phone, name); name the numbers' column with --column." in result.output


@pytest.mark.parametrize("args, message", [
    ([], "Give --from NUMBER or --service MG..., one of them."),
    (["--from", FROM, "--service", "MG" + "1" * 32], "one of them"),
    (["--from", FROM, "--detach"], "--detach needs TWILIO_BULK_BACKEND"),
    (["--from", FROM, "--body", "{% if %}"], "not a valid Jinja template"),
])
def test_usage_mistakes_exit_2_with_the_fix(runner, csv_file, args, message):
    result = runner.invoke(args=["twilio", "sms", "bulk", "--csv", str(csv_file), "--column", "phone",
                                 "--body", "Hi", *args])
    assert result.exit_code == 2 and message in result.output


def test_an_unknown_job_says_where_jobs_live(runner):
    result = runner.invoke(args=["twilio", "bulk", "status", "nope"])
    assert result.exit_code == 2 and "No bulk job 'nope' in this process" in result.stderr


def test_many_failures_are_summarised(emulator, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("to\n" + "".join(f"+1500555000{n}\n" for n in (1, 4, 9)) * 1, encoding="utf-8")
    runner = make_app(emulator).test_cli_runner()
    from flask_twilio_rb.cli import bulk as bulk_cli

    result = runner.invoke(args=["twilio", "sms", "bulk", "--csv", str(path), "--body", "Hi", "--from", FROM])
    assert result.exit_code == 0
    assert result.stdout.count(": error ") == 3
    job_id = result.stderr.split("Job ")[1].split()[0]
    from flask_twilio_rb.bulk import BulkJob

    with runner.app.app_context():
        job = BulkJob.find(job_id)
        for n in range(25):
            job.ledger.store.rpush(job.ledger.key + ":failures",
                                   '{"number": "+1%d", "code": null, "message": "x"}' % n)
            job.ledger.store.hincrby(job.ledger.key + ":counts", "failed", 1)
            job.ledger.store.hincrby(job.ledger.key + ":counts", "enqueued", 1)
    status = runner.invoke(args=["twilio", "bulk", "status", job_id])
    assert "  +10: no code: x" in status.stdout and "... and 8 more" in status.stdout
    assert bulk_cli.REFRESH > 0


def test_ctrl_c_cancels_what_was_not_sent(emulator, csv_file, monkeypatch):
    from flask_twilio_rb.cli import bulk as bulk_cli

    def interrupted(seconds):
        raise KeyboardInterrupt

    monkeypatch.setattr(bulk_cli, "sleep", interrupted)
    runner = make_app(emulator).test_cli_runner()
    result = runner.invoke(args=["twilio", "sms", "bulk", "--csv", str(csv_file), "--column", "phone",
                                 "--body", "Hi", "--from", FROM, "--rate", "2"])
    assert result.exit_code == 0, result.output
    assert "Canceled: what was not sent yet is skipped." in result.stderr
    assert "canceled" in result.stdout or "done" in result.stdout


def test_detach_with_celery_returns_once_enqueued(emulator, csv_file, monkeypatch):
    import fakeredis

    from flask_twilio_rb.bulk import celery_init_app

    monkeypatch.setattr(store, "redis_client", lambda url: fakeredis.FakeRedis(decode_responses=True))
    monkeypatch.setattr(store, "_redis_stores", {})
    app = make_app(emulator, TWILIO_BULK_BACKEND="celery", TWILIO_BULK_REDIS_URL="redis://127.0.0.1:6379/15",
                   CELERY={"broker_url": "memory://"})
    celery_init_app(app)
    result = app.test_cli_runner().invoke(args=["twilio", "sms", "bulk", "--csv", str(csv_file), "--column", "phone",
                                                "--body", "Hi", "--from", FROM, "--detach"])
    assert result.exit_code == 0, result.output
    assert "in progress, 3 recipients: 3 queued" in result.stdout
    assert emulator.records("Message") == []  # no worker ran


def test_a_row_without_a_number_stops_the_job_and_says_so(runner, tmp_path):
    path = tmp_path / "gap.csv"
    path.write_text("to\n+15558675310\n\n,\n", encoding="utf-8")
    result = runner.invoke(args=["twilio", "sms", "bulk", "--csv", str(path), "--body", "Hi", "--from", FROM])
    assert result.exit_code == 0
    assert "Stopped: Reading the recipients failed: ValueError: recipient #1 has no 'to' number" in result.stdout
