"""The emulator as a test double: what a user's test pays per ``Message.create`` + ``Call.find``.

Run ``python -m benchmarks.test_double`` (``--quick`` for a short run). Each contender makes the
pair a test of the user's makes, against a stand-in for Twilio in this process:

* ``TWILIO_SUPPRESS_SEND``: this library's in-process emulator, through its WSGI transport
  (no socket, no thread).
* the threaded emulator on a socket (``TWILIO_EMULATOR``, the ``twilio_emulator`` fixture):
  the requests transport to a server thread of this process.
* twilio-python mocked with ``responses`` (the mock entered around each round, not timed):
  what a test of the official SDK does instead. The mock answers canned JSON: it checks
  nothing and stores nothing, where the emulator validates each request against Twilio's
  description and keeps the message it made.

The CPU time is the process's (``time.process_time``), so the socket emulator's server
thread counts: a test suite pays for it. :func:`throughput` measures the emulator's own
requests per second, served from another process to 16 client threads.
"""
from __future__ import annotations

import http.client
import json
import subprocess
import sys
import threading
import time
from base64 import b64encode
from contextlib import ExitStack, contextmanager
from types import SimpleNamespace
from typing import Any, Callable, ContextManager, Dict, Iterator, List

from . import measure
from .run import BODY, CALL_SID, FROM, SID, TO, TOKEN, _call, _message

SUPPRESSED = "flask_twilio_rb, TWILIO_SUPPRESS_SEND (in-process emulator)"
SOCKET = "flask_twilio_rb, threaded emulator on a socket"
MOCKED = "twilio-python mocked with responses"
NAMES = [SUPPRESSED, SOCKET, MOCKED]
THREADS = 16


@contextmanager
def _ours(emulator_of: Callable[[Any], Any], **settings: Any) -> Iterator[Callable[[], Any]]:
    """The pair on a client with ``settings``, selected for each pair as an app's state holds it.

    ``emulator_of(client)`` is the emulator answering, where a completed call is stored for
    ``Call.find`` to fetch.
    """
    from flask_twilio_rb import Call, Message, current
    from flask_twilio_rb.client import Client
    from flask_twilio_rb.config import Settings

    client = Client(Settings(account_sid=SID, auth_token=TOKEN, **settings))
    state = SimpleNamespace(client=client, settings=client.settings)
    call_sid = emulator_of(client).seed("Call", to=TO, from_=FROM, status="completed")["sid"]
    saved = current.app_state_lookup

    def pair() -> Any:
        current.app_state_lookup = lambda: state
        return Message.create(to=TO, from_=FROM, body=BODY), Call.find(call_sid)

    try:
        message, call = pair()
        assert message.sid.startswith("SM") and call.sid == call_sid, (message, call)
        yield pair
    finally:
        current.app_state_lookup = saved
        client.close()


@contextmanager
def suppressed() -> Iterator[Callable[[], Any]]:
    """``TWILIO_SUPPRESS_SEND``: the in-process emulator, no socket."""
    with _ours(lambda client: client.emulator, suppress_send=True) as pair:
        yield pair


@contextmanager
def on_socket() -> Iterator[Callable[[], Any]]:
    """The threaded emulator on 127.0.0.1, as the ``twilio_emulator`` fixture runs it."""
    from flask_twilio_rb.testing import TwilioEmulator

    with TwilioEmulator(SID, TOKEN) as emulator, _ours(lambda client: emulator, api_base_url=emulator.base_url) as pair:
        yield pair


def mocked() -> "tuple[Callable[[], Any], Callable[[], ContextManager[Any]]]":
    """twilio-python's pair, and the ``responses`` mock to enter around its calls."""
    import responses
    from twilio.rest import Client as TwilioClient

    base = "https://api.twilio.com/2010-04-01/Accounts/" + SID
    message, call = _message(), _call(CALL_SID)

    def mock() -> ContextManager[Any]:
        rsps = responses.RequestsMock(assert_all_requests_are_fired=False)
        rsps.add(responses.POST, f"{base}/Messages.json", json=message, status=201)
        rsps.add(responses.GET, f"{base}/Calls/{CALL_SID}.json", json=call)
        return rsps

    client = TwilioClient(SID, TOKEN, environment={})

    def pair() -> Any:
        return client.messages.create(to=TO, from_=FROM, body=BODY), client.calls(CALL_SID).fetch()

    with mock():
        sent, fetched = pair()
    assert sent.sid == message["sid"] and fetched.sid == CALL_SID
    return pair, mock


@contextmanager
def contenders() -> Iterator["tuple[Dict[str, Callable[[], Any]], measure.Around]"]:
    """Each contender's pair (in :data:`NAMES` order), and what is entered around the mocked one."""
    with ExitStack() as stack:
        pairs = {SUPPRESSED: stack.enter_context(suppressed()), SOCKET: stack.enter_context(on_socket())}
        pairs[MOCKED], mock = mocked()
        yield pairs, {MOCKED: mock}


#: The emulator another process serves for :func:`throughput` (prints its URL, stops at EOF).
SERVER = r"""
import sys
from flask_twilio_rb.emulator import TwilioEmulator
emulator = TwilioEmulator(sys.argv[1], sys.argv[2], callbacks=False).start()
call = emulator.seed("Call", to="+15557654321", from_="+15551234567", status="completed")
print(emulator.base_url, call["sid"], flush=True)
sys.stdin.read()
emulator.stop()
"""


def throughput(requests_per_thread: int, threads: int = THREADS) -> float:
    """Requests per (wall) second the emulator serves to ``threads`` keep-alive clients at once.

    The emulator runs in a child process, so the clients (``http.client``, the cheapest
    there is) do not share its interpreter; half the requests create a message, half fetch a call.
    """
    child = subprocess.Popen([sys.executable, "-c", SERVER, SID, TOKEN], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdin is not None
        base, call_sid = child.stdout.readline().split()
        host, port = base.rsplit("//", 1)[1].split(":")
        auth = {"Authorization": "Basic " + b64encode(f"{SID}:{TOKEN}".encode()).decode()}
        form = {**auth, "Content-Type": "application/x-www-form-urlencoded"}
        body = f"To=%2B15557654321&From=%2B15551234567&Body={BODY.replace(' ', '+').replace('#', '%23')}"
        failures: List[str] = []
        ready = threading.Barrier(threads + 1)

        def client() -> None:
            conn = http.client.HTTPConnection(host, int(port), timeout=30)
            ready.wait(30)
            try:
                for n in range(requests_per_thread):
                    if n % 2:
                        conn.request("GET", f"/2010-04-01/Accounts/{SID}/Calls/{call_sid}.json", headers=auth)
                    else:
                        conn.request("POST", f"/2010-04-01/Accounts/{SID}/Messages.json", body=body, headers=form)
                    response = conn.getresponse()
                    answer = json.loads(response.read())
                    if response.status not in (200, 201):
                        failures.append(f"{response.status}: {answer}")
            finally:
                conn.close()

        workers = [threading.Thread(target=client, daemon=True) for _ in range(threads)]
        for worker in workers:
            worker.start()
        ready.wait(30)
        start = time.perf_counter()
        for worker in workers:
            worker.join(300)
        elapsed = time.perf_counter() - start
        if failures or any(worker.is_alive() for worker in workers):
            raise AssertionError(f"the emulator failed {len(failures)} requests: {failures[:3]}")
        return threads * requests_per_thread / elapsed
    finally:
        child.communicate("", timeout=30)


def run(quick: bool) -> Dict[str, Any]:
    """CPU µs per pair of each contender (interleaved rounds), and the emulator's throughput."""
    rounds, batch = (2, 3) if quick else (15, 100)
    with contenders() as (pairs, around):
        cpu = measure.cpu_per_call(pairs, rounds, batch, around)
    return {"cpu": cpu, "throughput": throughput(5 if quick else 200), "threads": THREADS}


def report(results: Dict[str, Any]) -> "tuple[List[str], List[tuple[str, float, bool]]]":
    """The report's section, and its targets as ``(name, value, met)``."""
    cpu = results["cpu"]
    mocked = cpu[MOCKED]
    lines = [
        "## The emulator as a test double: one `Message.create` + one `Call.find` (µs of CPU per pair)",
        "",
        "| stand-in for Twilio | µs/pair | over the `responses` mock |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {cpu[name]:,.0f} | {cpu[name] / mocked:.2f}x |" for name in NAMES]
    lines += ["", f"The emulator's throughput, {results['threads']} client threads on keep-alive connections "
                  f"(emulator in its own process; half creates, half fetches): "
                  f"**{results['throughput']:,.0f} requests/s** (wall).", ""]
    targets = [
        ("suppressed sending cheaper per pair than twilio-python + responses (ratio)", cpu[SUPPRESSED] / mocked,
         cpu[SUPPRESSED] < mocked),
        ("socket emulator within 3x of twilio-python + responses (ratio)", cpu[SOCKET] / mocked,
         cpu[SOCKET] <= 3 * mocked),
    ]
    return lines, targets


def main(argv: List[str]) -> Dict[str, Any]:
    results = run("--quick" in argv)
    measure.print_section(*report(results))
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
