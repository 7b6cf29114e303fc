"""Bulk sending through two real Celery workers (threads pool) and a real redis-server, to the emulator.

Outside CI these skip, saying why, when redis-server is missing; in CI (``CI`` set) they must run.
"""
from __future__ import annotations

import os
import time
from collections import Counter

import pytest
from flask import Flask

from flask_twilio_rb import TwilioRB
from flask_twilio_rb.bulk import celery_init_app, send_messages
from flask_twilio_rb.testing.emulator import TwilioEmulator

from tests.integration.services import celery_workers, missing_services, redis_server

FROM = "+15005550006"
RECIPIENTS = [f"+1555{n:07d}" for n in range(2000)]

_missing = missing_services()
if _missing and os.environ.get("CI"):
    raise RuntimeError(f"CI must run the Celery integration tests, but {_missing}")
pytestmark = pytest.mark.skipif(bool(_missing), reason=f"Celery integration tests skipped: {_missing}")


@pytest.fixture(scope="module")
def redis_url():
    with redis_server() as url:
        yield url


@pytest.fixture
def emulator(redis_url):
    """The emulator the workers send to, with an empty Redis for each test."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    with TwilioEmulator(callbacks=False) as emu:
        yield emu


@pytest.fixture
def worker_env(redis_url, emulator):
    return {"TWILIO_ACCOUNT_SID": emulator.account_sid, "TWILIO_AUTH_TOKEN": emulator.auth_token,
            "TWILIO_API_BASE_URL": emulator.base_url, "TWILIO_BULK_BACKEND": "celery",
            "TWILIO_BULK_REDIS_URL": redis_url, "TWILIO_TIMEOUT": "2", "TWILIO_MAX_RETRIES": "0",
            "BULK_VISIBILITY": "4"}


@pytest.fixture
def app(worker_env):
    """The app that enqueues: it publishes to the same Redis the workers consume."""
    app = Flask(__name__)
    app.config.update({name: value for name, value in worker_env.items() if name.startswith("TWILIO_")})
    TwilioRB(app)
    celery_init_app(app)
    return app


def sent_to(emulator):
    return Counter(record["to"] for record in emulator.records("Message"))


def test_two_thousand_recipients_through_two_workers_are_each_sent_exactly_once(app, emulator, worker_env, tmp_path):
    with celery_workers(2, worker_env, tmp_path) as workers:
        with app.app_context():
            job = send_messages(RECIPIENTS, body="Hello {{ to }}", from_=FROM, rate=1000)
            assert job.wait(120), job.progress()
        logs = [worker.log() for worker in workers]
    progress = job.progress()
    assert (progress.total, progress.sent, progress.failed, progress.skipped) == (2000, 2000, 0, 0)
    counts = sent_to(emulator)
    assert set(counts) == set(RECIPIENTS) and set(counts.values()) == {1}
    assert all("send_chunk" in log for log in logs), "both workers took chunks"


def test_a_worker_killed_mid_job_leaves_nobody_unsent_and_nobody_sent_twice(app, emulator, worker_env, tmp_path):
    with celery_workers(2, worker_env, tmp_path) as (first, second):
        with app.app_context():
            job = send_messages(RECIPIENTS, body="Hello {{ to }}", from_=FROM, rate=400)
            deadline = time.monotonic() + 60
            while job.progress().sent < 300 and time.monotonic() < deadline:
                time.sleep(0.05)
            first.kill()  # SIGKILL: its chunks are unacknowledged, one recipient may be mid-send
            killed_at = job.progress()
            assert killed_at.sent < 2000, "the kill came too late to test anything"
            assert job.wait(150), job.progress()
    progress = job.progress()
    assert (progress.total, progress.sent, progress.failed) == (2000, 2000, 0)
    counts = sent_to(emulator)
    assert set(counts) == set(RECIPIENTS) and set(counts.values()) == {1}
    assert "send_chunk" in second.log()


def test_a_20429_storm_slows_the_workers_down_and_still_sends_everyone_once(app, worker_env, tmp_path):
    with TwilioEmulator(callbacks=False, rate_limit=50, retry_after=1) as stormy:
        worker_env.update(TWILIO_ACCOUNT_SID=stormy.account_sid, TWILIO_AUTH_TOKEN=stormy.auth_token,
                          TWILIO_API_BASE_URL=stormy.base_url)
        with celery_workers(2, worker_env, tmp_path) as workers, app.app_context():
            with app.extensions["twilio_rb"].reconfigured(app, account_sid=stormy.account_sid,
                                                          auth_token=stormy.auth_token, api_base_url=stormy.base_url):
                job = send_messages(RECIPIENTS[:100], body="Storm {{ to }}", from_=FROM, rate=200)
                assert job.wait(120), job.progress()
            logs = "".join(worker.log() for worker in workers)
        counts = sent_to(stormy)
    assert job.progress().sent == 100
    assert set(counts) == set(RECIPIENTS[:100]) and set(counts.values()) == {1}
    assert "Twilio pushed back (error 20429); backing off" in logs
