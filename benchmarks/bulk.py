"""Bulk sending: how close the measured send rate is to ``rate=``, and the memory of enqueueing a big CSV.

* Rate accuracy: ``send_messages(..., rate=100)`` to the emulator, on the threads backend and
  through two Celery worker processes sharing the Redis bucket; the emulator stamps each
  ``POST .../Messages.json`` as it arrives, and the rate is (arrivals - 1) / (last - first).
* Memory: a child process enqueues a CSV of 1,000,000 recipients (``csv.DictReader``, a
  stream) on the Celery backend with no worker running; its peak RSS minus that of the same
  child stopped right before enqueueing is what enqueueing took.

The Celery rows need ``redis-server`` (Debian's package) and the ``celery`` extra; without
them they say so instead of a number.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional

ROOT = Path(__file__).resolve().parents[1]
FROM = "+15005550006"
RATE = 100.0
TOLERANCE = 0.10


class Arrivals:
    """WSGI middleware stamping every message create the emulator receives."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app
        self.times: List[float] = []
        self._lock = threading.Lock()

    def __call__(self, environ: Dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ["REQUEST_METHOD"] == "POST" and environ["PATH_INFO"].endswith("/Messages.json"):
            with self._lock:
                self.times.append(time.monotonic())
        return self.app(environ, start_response)

    def rate(self) -> float:
        times = sorted(self.times)
        return (len(times) - 1) / (times[-1] - times[0])


@contextmanager
def stamped_emulator() -> Iterator[Any]:
    from flask_twilio_rb.testing.emulator import TwilioEmulator

    emulator = TwilioEmulator(callbacks=False)
    emulator.arrivals = Arrivals(emulator.app.wsgi_app)
    emulator.app.wsgi_app = emulator.arrivals
    with emulator:
        yield emulator


def numbers(count: int) -> Iterator[str]:
    return (f"+1555{n:07d}" for n in range(count))


def threads_rate(count: int) -> float:
    from flask_twilio_rb import Config
    from flask_twilio_rb.bulk import send_messages

    with stamped_emulator() as emulator:
        Config.setup(account_sid=emulator.account_sid, auth_token=emulator.auth_token, api_base_url=emulator.base_url)
        try:
            job = send_messages(numbers(count), body="Hello", from_=FROM, rate=RATE, job_id=f"bench-{time.time_ns()}")
            if not job.wait(count / RATE * 3 + 30):
                raise RuntimeError(f"the threads job did not finish: {job.progress()}")
        finally:
            Config.reset()
        return emulator.arrivals.rate()


def _services_missing() -> Optional[str]:
    sys.path.insert(0, str(ROOT))
    from tests.integration.services import missing_services

    return missing_services()


def celery_rate(count: int) -> float:
    from flask import Flask

    from flask_twilio_rb import TwilioRB
    from flask_twilio_rb.bulk import celery_init_app, send_messages
    from tests.integration.services import celery_workers, redis_server

    with redis_server() as url, stamped_emulator() as emulator, tempfile.TemporaryDirectory() as logs:
        env = {"TWILIO_ACCOUNT_SID": emulator.account_sid, "TWILIO_AUTH_TOKEN": emulator.auth_token,
               "TWILIO_API_BASE_URL": emulator.base_url, "TWILIO_BULK_BACKEND": "celery",
               "TWILIO_BULK_REDIS_URL": url}
        app = Flask("bench")
        app.config.update(env)
        TwilioRB(app)
        celery_init_app(app)
        with celery_workers(2, env, Path(logs)), app.app_context():
            job = send_messages(numbers(count), body="Hello", from_=FROM, rate=RATE)
            if not job.wait(count / RATE * 3 + 60):
                raise RuntimeError(f"the Celery job did not finish: {job.progress()}")
        return emulator.arrivals.rate()


#: The child that enqueues: argv = redis URL, CSV path, "baseline" or "enqueue". Prints its peak RSS in kB.
CHILD = r"""
import csv, resource, sys
from flask import Flask
from flask_twilio_rb import TwilioRB
from flask_twilio_rb.bulk import celery_init_app, send_messages
url, path, what = sys.argv[1:]
app = Flask("bench")
app.config.update(TWILIO_ACCOUNT_SID="AC" + "0" * 32, TWILIO_AUTH_TOKEN="0" * 32, TWILIO_BULK_BACKEND="celery",
                  TWILIO_BULK_REDIS_URL=url)
TwilioRB(app)
celery_init_app(app)
with app.app_context(), open(path, newline="") as file:
    rows = csv.DictReader(file)
    if what == "enqueue":
        job = send_messages(rows, body="Hi {{ name }}", from_="+15005550006")
        assert job.progress().total == int(sys.argv[2].rsplit("-", 1)[1].split(".")[0]), job.progress()
    else:
        next(rows)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def enqueue_memory(count: int) -> Dict[str, float]:
    from tests.integration.services import redis_server

    with tempfile.TemporaryDirectory() as folder, redis_server() as url:
        path = os.path.join(folder, f"recipients-{count}.csv")
        with open(path, "w", encoding="utf-8") as file:
            file.write("to,name\n")
            file.writelines(f"+1555{n:07d},Person {n}\n" for n in range(count))

        def peak(what: str) -> float:
            started = time.monotonic()
            out = subprocess.run([sys.executable, "-c", CHILD, url, path, what], cwd=ROOT, check=True,
                                 capture_output=True, text=True, timeout=1800).stdout
            return int(out.split()[-1]) / 1024, time.monotonic() - started

        baseline, _ = peak("baseline")
        enqueued, seconds = peak("enqueue")
    return {"peak_mb": enqueued - baseline, "baseline_mb": baseline, "seconds": seconds}


def run(quick: bool) -> Dict[str, Any]:
    """The bulk section of the report: rows and targets."""
    count = 30 if quick else 1000
    csv_count = 10_000 if quick else 1_000_000
    rows: List[Dict[str, Any]] = []
    targets: List[Any] = []
    measured = threads_rate(count)
    rows.append({"name": f"threads backend, {count:,} texts at rate={RATE:g}/s", "value": f"{measured:.1f}/s"})
    targets.append((f"threads backend rate within {TOLERANCE:.0%} of {RATE:g}/s", measured / RATE,
                    abs(measured / RATE - 1) <= TOLERANCE))
    missing = _services_missing()
    if missing:
        rows.append({"name": "Celery backend (two workers)", "value": f"not measured: {missing}"})
        rows.append({"name": f"enqueue {csv_count:,} recipients from a CSV", "value": f"not measured: {missing}"})
        return {"rows": rows, "targets": targets, "count": count}
    measured = celery_rate(count)
    rows.append({"name": f"Celery backend, two workers, {count:,} texts at rate={RATE:g}/s", "value": f"{measured:.1f}/s"})
    targets.append((f"Celery backend (two workers) rate within {TOLERANCE:.0%} of {RATE:g}/s", measured / RATE,
                    abs(measured / RATE - 1) <= TOLERANCE))
    memory = enqueue_memory(csv_count)
    rows.append({"name": f"enqueue {csv_count:,} recipients from a CSV (Celery backend, peak RSS growth)",
                 "value": f"{memory['peak_mb']:.1f} MB over {memory['baseline_mb']:.1f} MB, {memory['seconds']:.0f} s"})
    targets.append((f"enqueueing {csv_count:,} recipients: peak RSS growth < 50 MB", memory["peak_mb"],
                    memory["peak_mb"] < 50))
    return {"rows": rows, "targets": targets, "count": count}
