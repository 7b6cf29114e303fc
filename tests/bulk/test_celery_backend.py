"""The Celery backend in this process: eager tasks, the ledger in (fake) Redis, the emulator answering.

The real thing, two worker processes and a redis-server, is tests/integration/test_bulk_celery.py.
"""
from __future__ import annotations

from collections import Counter

import pytest
from flask import Flask

from flask_twilio_rb import TwilioRB
from flask_twilio_rb.bulk import BulkJob, celery_init_app, register_tasks, send_messages
from flask_twilio_rb.bulk import celery_backend, store
from flask_twilio_rb.errors import ConfigurationError
from flask_twilio_rb.testing.emulator import TwilioEmulator

FROM = "+15005550006"
NUMBERS = [f"+1555{n:07d}" for n in range(120)]


@pytest.fixture
def emulator():
    with TwilioEmulator(callbacks=False) as emu:
        yield emu


@pytest.fixture
def celery_app(emulator, fake_redis, monkeypatch):
    monkeypatch.setattr(store, "redis_client", lambda url: fake_redis)
    monkeypatch.setattr(store, "_redis_stores", {})
    app = Flask(__name__)
    app.config.update(TWILIO_ACCOUNT_SID=emulator.account_sid, TWILIO_AUTH_TOKEN=emulator.auth_token,
                      TWILIO_API_BASE_URL=emulator.base_url, TWILIO_BULK_BACKEND="celery",
                      TWILIO_BULK_REDIS_URL="redis://127.0.0.1:6379/15",
                      CELERY={"task_always_eager": True, "broker_url": "memory://"})
    TwilioRB(app)
    celery = celery_init_app(app)
    with app.app_context():
        yield app, celery


def test_celery_init_app_follows_flasks_pattern(celery_app):
    app, celery = celery_app
    assert app.extensions["celery"] is celery
    assert celery.conf.task_acks_late and celery.conf.worker_prefetch_multiplier == 1
    assert celery.conf.broker_transport_options["unacked_restore_throttle"] == 1
    assert celery_backend.SEND_TASK in celery.tasks and celery_backend.RECONCILE_TASK in celery.tasks
    register_tasks(celery)  # a second registration changes nothing
    assert celery.tasks[celery_backend.SEND_TASK].acks_late


def test_recipients_go_in_chunks_and_are_sent_once(celery_app, emulator):
    job = send_messages(NUMBERS + NUMBERS[:5], body="Hi {{ to }}", from_=FROM, rate=10000)
    assert job.progress().done  # eager: the tasks ran while enqueueing
    p = job.progress()
    assert (p.total, p.sent, p.skipped) == (125, 120, 5)
    assert Counter(r["to"] for r in emulator.records("Message")) == Counter(NUMBERS)
    assert BulkJob.find(job.id).progress() == p
    assert job.ledger.resume_at() == 125


def test_the_reconcile_task_fetches_statuses(celery_app, emulator):
    app, celery = celery_app
    job = send_messages(NUMBERS[:3], body="Hi", from_=FROM, rate=10000)
    emulator.finish()
    celery.tasks[celery_backend.RECONCILE_TASK].delay(job.id)
    assert job.progress().delivered == 3


def test_a_canceled_job_stops_enqueueing(celery_app, monkeypatch):
    from flask_twilio_rb.bulk.ledger import Ledger

    monkeypatch.setattr(Ledger, "canceled", lambda self: self.progress().total >= 50)
    job = send_messages(iter(NUMBERS), body="Hi", from_=FROM, rate=10000)
    assert job.progress().total == 50


def test_a_broken_stream_is_recorded_and_raised(celery_app):
    def people():
        yield from NUMBERS[:60]
        raise OSError("disk gone")

    with pytest.raises(OSError):
        send_messages(people(), body="Hi", from_=FROM, rate=10000, job_id="broken")
    job = BulkJob.find("broken")
    assert job.progress().error == "Enqueueing stopped: OSError: disk gone"
    assert job.progress().total == 50  # the first chunk went out; the half chunk did not


def test_a_chunk_of_an_unknown_job_is_dropped_with_an_error(celery_app, caplog):
    assert celery_backend.run_chunk("gone", [[0, NUMBERS[0], {}]]) == 0
    assert "bulk job gone is not in the store" in caplog.text


def test_an_app_without_celery_is_told_how_to_get_one(emulator, fake_redis, monkeypatch):
    monkeypatch.setattr(store, "redis_client", lambda url: fake_redis)
    monkeypatch.setattr(store, "_redis_stores", {})
    app = Flask(__name__)
    app.config.update(TWILIO_ACCOUNT_SID=emulator.account_sid, TWILIO_AUTH_TOKEN=emulator.auth_token,
                      TWILIO_BULK_BACKEND="celery", TWILIO_BULK_REDIS_URL="redis://127.0.0.1:6379/15")
    TwilioRB(app)
    with app.app_context(), pytest.raises(ConfigurationError, match=r"celery_init_app\(app\)"):
        send_messages(NUMBERS[:1], body="Hi", from_=FROM)
    with pytest.raises(ConfigurationError, match="has no Celery"):
        celery_backend.current_celery()  # outside an app context too
    with app.app_context():
        with pytest.raises(ConfigurationError, match="Redis of TWILIO_BULK_REDIS_URL"):
            BulkJob.find("nope")


def test_celery_init_app_needs_a_broker():
    app = Flask(__name__)
    app.config.update(TWILIO_ACCOUNT_SID="AC" + "1" * 32, TWILIO_AUTH_TOKEN="x" * 32)
    TwilioRB(app)
    with pytest.raises(ConfigurationError, match="celery_init_app needs a broker"):
        celery_init_app(app)


def test_a_stream_of_whole_chunks_publishes_no_empty_one(celery_app):
    job = send_messages(NUMBERS[:100], body="Hi", from_=FROM, rate=10000)
    assert job.progress().total == 100 and job.progress().done
