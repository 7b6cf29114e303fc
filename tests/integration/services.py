"""Real services on 127.0.0.1 for the bulk tests and benchmarks: redis-server and Celery workers.

Each starts as a child process on a free port, is waited for with a deadline, and is stopped
(terminate, then kill) when its ``with`` block ends, whatever happened inside.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, Optional

ROOT = Path(__file__).resolve().parents[2]
#: Seconds a service gets to come up or to stop.
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0


def missing_services() -> Optional[str]:
    """Why the Redis/Celery tests cannot run here, or ``None`` when they can."""
    if shutil.which("redis-server") is None:
        return "redis-server is not installed (Debian: apt-get install redis-server; .ci/run installs it)"
    try:
        import celery  # noqa: F401
        import redis  # noqa: F401
    except ImportError as exc:
        return f"{exc.name} is not installed (pip install -e '.[test]')"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(process: "subprocess.Popen[bytes]") -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(STOP_TIMEOUT)


@contextmanager
def redis_server() -> Iterator[str]:
    """A throwaway redis-server (no persistence) on a free port; yields its URL."""
    import redis

    port = free_port()
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--protected-mode", "yes"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = redis.Redis.from_url(url, socket_timeout=1)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                client.ping()
                break
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"redis-server did not start on port {port}") from None
                time.sleep(0.05)
        client.close()
        yield url
    finally:
        _stop(process)


class Worker:
    """A ``celery worker`` process (threads pool) of tests/integration/bulk_app.py; its log in ``log_path``."""

    def __init__(self, name: str, env: Dict[str, str], log_path: Path, concurrency: int = 4) -> None:
        self.name = name
        self.log_path = log_path
        self._log = open(log_path, "wb")
        command = [sys.executable, "-m", "celery", "-A", "tests.integration.bulk_app:celery_app", "worker",
                   "--pool", "threads", "--concurrency", str(concurrency), "--hostname", f"{name}@localhost",
                   "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO"]
        self.process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=self._log,
                                        stderr=subprocess.STDOUT)

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while b"ready." not in self.log_path.read_bytes():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"celery worker {self.name} did not start:\n{self.log()}")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: the worker dies mid-task without acknowledging anything."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(STOP_TIMEOUT)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        _stop(self.process)
        self._log.close()


@contextmanager
def celery_workers(count: int, env: Dict[str, str], log_dir: Path, concurrency: int = 4) -> Iterator[list]:
    """``count`` workers started together and waited for; all stopped at the end."""
    workers = []
    try:
        for n in range(count):
            workers.append(Worker(f"w{n + 1}", env, log_dir / f"worker{n + 1}.log", concurrency))
        for worker in workers:
            worker.wait_ready()
        yield workers
    finally:
        for worker in workers:
            worker.stop()
