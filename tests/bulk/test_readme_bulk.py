"""README's "Sending to many people" examples run as written (against the emulator; Celery without a broker)."""
from __future__ import annotations

import time

import pytest

from flask_twilio_rb import Config
from flask_twilio_rb.bulk import celery_backend
from flask_twilio_rb.testing.emulator import TwilioEmulator

from tests.readme_blocks import readme_blocks


def run(name):
    namespace = {"__name__": f"readme_{name}"}
    exec(compile(readme_blocks()[name], f"README.rst ({name})", "exec"), namespace)
    return namespace


@pytest.mark.no_contract  # the emulator checks the requests itself
def test_the_threads_example_sends_and_reports_progress():
    with TwilioEmulator(callbacks=False) as emu:
        Config.setup(account_sid=emu.account_sid, auth_token=emu.auth_token, api_base_url=emu.base_url)
        app = run("bulk-threads")["app"]
        client = app.test_client()
        answer = client.post("/campaigns")
        assert answer.status_code == 202
        job_id = answer.get_json()["job"]
        deadline = time.monotonic() + 10
        while not client.get(f"/campaigns/{job_id}").get_json()["done"] and time.monotonic() < deadline:
            time.sleep(0.05)
        progress = client.get(f"/campaigns/{job_id}").get_json()
        assert (progress["total"], progress["sent"], progress["failures"]) == (2, 2, [])
        assert sorted(r["body"] for r in emu.records("Message")) == [
            "Hi Ada, your order has shipped.", "Hi Grace, your order has shipped."]


def test_the_celery_example_builds_the_workers_app():
    namespace = run("bulk-celery")
    app, celery_app = namespace["app"], namespace["celery_app"]
    assert app.extensions["celery"] is celery_app
    assert celery_app.conf.broker_url == "redis://127.0.0.1:6379/0"
    assert celery_backend.SEND_TASK in celery_app.tasks
