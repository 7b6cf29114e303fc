"""The benchmark report: API calls, paging, import time, TwiML, webhooks, bulk sending, the emulator and
phone calls on it.

Run ``python -m benchmarks`` (``--quick`` for tiny sizes, ``--no-write`` to skip writing
``benchmarks/RESULTS.md``). API calls go to a local keep-alive HTTP/1.1 server answering
Twilio-shaped JSON; it runs in a separate process, so the CPU time measured here
(``time.process_time``) is the client's alone. Each contender makes the same pairs of calls
(``Message.create`` then ``Call.find``), interleaved round by round, and the report shows the
median CPU time per pair.
"""
from __future__ import annotations

import argparse
import gc
import http.client
import json
import multiprocessing
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
from base64 import b64encode
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple
from urllib.parse import parse_qsl, urlencode, urlsplit

SID = "AC" + "0123456789abcdef" * 2
TOKEN = "f3c1a9d27b6e4058a1c2d3e4f5a6b7c8"
CALL_SID = "CA" + "fedcba9876543210" * 2
TO, FROM, BODY = "+15557654321", "+15551234567", "Your order #1234 has shipped and will arrive on Tuesday."
RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "RESULTS.md")

# ---------------------------------------------------------------------------------------------
# The server (runs in its own process)
# ---------------------------------------------------------------------------------------------


def _message(n: int = 0) -> Dict[str, Any]:
    return {
        "account_sid": SID, "api_version": "2010-04-01", "body": BODY,
        "date_created": "Thu, 24 Aug 2023 05:01:45 +0000", "date_sent": None,
        "date_updated": "Thu, 24 Aug 2023 05:01:45 +0000", "direction": "outbound-api",
        "error_code": None, "error_message": None, "from": FROM, "messaging_service_sid": None,
        "num_media": "0", "num_segments": "1", "price": None, "price_unit": "USD",
        "sid": f"SM{n:032x}", "status": "queued",
        "subresource_uris": {"media": f"/2010-04-01/Accounts/{SID}/Messages/SM{n:032x}/Media.json"},
        "to": TO, "uri": f"/2010-04-01/Accounts/{SID}/Messages/SM{n:032x}.json",
    }


def _call(sid: str) -> Dict[str, Any]:
    return {
        "account_sid": SID, "annotation": None, "answered_by": None, "api_version": "2010-04-01",
        "caller_name": None, "date_created": "Tue, 31 Aug 2010 20:36:28 +0000",
        "date_updated": "Tue, 31 Aug 2010 20:36:44 +0000", "direction": "inbound", "duration": "15",
        "end_time": "Tue, 31 Aug 2010 20:36:44 +0000", "forwarded_from": "+141586753093", "from": FROM,
        "from_formatted": "(555) 123-4567", "group_sid": None, "parent_call_sid": None,
        "phone_number_sid": "PN" + "0" * 32, "price": "-0.03000", "price_unit": "USD", "sid": sid,
        "start_time": "Tue, 31 Aug 2010 20:36:29 +0000", "status": "completed",
        "subresource_uris": {
            "notifications": f"/2010-04-01/Accounts/{SID}/Calls/{sid}/Notifications.json",
            "recordings": f"/2010-04-01/Accounts/{SID}/Calls/{sid}/Recordings.json",
        },
        "to": TO, "to_formatted": "(555) 765-4321", "trunk_sid": None,
        "uri": f"/2010-04-01/Accounts/{SID}/Calls/{sid}.json", "queue_time": "0",
    }


class _Pages:
    """Pages of ``total`` calls, built once each (the server's time is not what is measured)."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.cache: Dict[Tuple[int, int], bytes] = {}

    def page(self, path: str, query: Dict[str, str]) -> bytes:
        size = int(query.get("PageSize", 50))
        number = int(query.get("Page", 0))
        key = (number, size)
        if key not in self.cache:
            start = number * size
            stop = min(start + size, self.total)
            more = stop < self.total
            next_uri = f"{path}?PageSize={size}&Page={number + 1}&PageToken=PA{stop}" if more else None
            self.cache[key] = json.dumps({
                "calls": [_call(f"CA{n:032x}") for n in range(start, stop)],
                "end": stop - 1, "first_page_uri": f"{path}?PageSize={size}&Page=0",
                "next_page_uri": next_uri, "page": number, "page_size": size, "previous_page_uri": None,
                "start": start, "uri": f"{path}?PageSize={size}&Page={number}",
            }).encode()
        return self.cache[key]


def _respond(conn: socket.socket, status: int, body: bytes) -> None:
    head = (f"HTTP/1.1 {status} {'OK' if status == 200 else 'Created' if status == 201 else 'Not Found'}\r\n"
            f"Content-Type: application/json; charset=utf-8\r\nContent-Length: {len(body)}\r\n"
            "Twilio-Request-Id: RQ0123456789abcdef0123456789abcdef\r\nConnection: keep-alive\r\n\r\n").encode()
    conn.sendall(head + body)  # one write: no delayed-ACK stall on the client


def _serve_connection(conn: socket.socket, pages: _Pages) -> None:
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buffer = b""
    message = json.dumps(_message()).encode()
    call = json.dumps(_call(CALL_SID)).encode()
    with conn:
        while True:
            while b"\r\n\r\n" not in buffer:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                buffer += chunk
            head, _, buffer = buffer.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            length = 0
            for line in lines[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            while len(buffer) < length:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                buffer += chunk
            buffer = buffer[length:]
            parts = urlsplit(target)
            path = parts.path
            if method == "POST" and path.endswith("/Messages.json"):
                _respond(conn, 201, message)
            elif method == "GET" and path.endswith("/Calls.json"):
                _respond(conn, 200, pages.page(path, dict(parse_qsl(parts.query))))
            elif method == "GET" and "/Calls/CA" in path:
                _respond(conn, 200, call)
            else:
                _respond(conn, 404, b'{"code": 20404, "message": "Not found", "status": 404}')


def _server_main(pipe: Any, total: int) -> None:
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    pages = _Pages(total)
    pipe.send(listener.getsockname()[1])
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=_serve_connection, args=(conn, pages), daemon=True).start()


@contextmanager
def server(total: int) -> Iterator[str]:
    """A local server in a child process; yields its base URL."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    parent, child = context.Pipe()
    process = context.Process(target=_server_main, args=(child, total), daemon=True)
    process.start()
    try:
        if not parent.poll(20):
            raise RuntimeError("the benchmark server did not start")
        yield f"http://127.0.0.1:{parent.recv()}"
    finally:
        process.terminate()
        process.join(5)


# ---------------------------------------------------------------------------------------------
# The contenders: each is a function making one Message.create + Call.find pair
# ---------------------------------------------------------------------------------------------

MESSAGES = f"/2010-04-01/Accounts/{SID}/Messages.json"
CALL = f"/2010-04-01/Accounts/{SID}/Calls/{CALL_SID}.json"
FORM = {"To": TO, "From": FROM, "Body": BODY}


@contextmanager
def ours(base: str, transport: str) -> Iterator[Callable[[], Any]]:
    """flask_twilio_rb's resources on a client with the given transport (no Flask app)."""
    from flask_twilio_rb import Call, Message, current
    from flask_twilio_rb.client import Client
    from flask_twilio_rb.config import Settings

    client = Client(Settings(account_sid=SID, auth_token=TOKEN, api_base_url=base, transport=transport))
    saved = current.app_state_lookup
    state = SimpleNamespace(client=client, settings=client.settings)  # what an app's state holds

    def lookup() -> Any:
        return state

    def pair() -> Any:
        # Both transports are open at once, interleaved: each pair selects its own client.
        current.app_state_lookup = lookup
        message = Message.create(to=TO, from_=FROM, body=BODY)
        call = Call.find(CALL_SID)
        return message, call

    try:
        message, call = pair()
        assert message.sid == f"SM{0:032x}" and call.sid == CALL_SID, (message, call)
        yield pair
    finally:
        current.app_state_lookup = saved
        client.close()


@contextmanager
def twilio_python(base: str) -> Iterator[Callable[[], Any]]:
    """twilio-python 9 with its API domain pointed at the local server."""
    from twilio.rest import Client as TwilioClient

    client = TwilioClient(SID, TOKEN, environment={})
    client.api.base_url = base

    def pair() -> Any:
        message = client.messages.create(to=TO, from_=FROM, body=BODY)
        call = client.calls(CALL_SID).fetch()
        return message, call

    message, call = pair()
    assert message.sid == f"SM{0:032x}" and call.sid == CALL_SID, (message, call)
    yield pair


@contextmanager
def raw_requests(base: str) -> Iterator[Callable[[], Any]]:
    import requests

    session = requests.Session()
    session.trust_env = False
    auth = (SID, TOKEN)

    def pair() -> Any:
        message = json.loads(session.post(base + MESSAGES, data=FORM, auth=auth, timeout=15).content)
        call = json.loads(session.get(base + CALL, auth=auth, timeout=15).content)
        return message, call

    message, call = pair()
    assert call["sid"] == CALL_SID
    yield pair
    session.close()


def _auth_header() -> str:
    return "Basic " + b64encode(f"{SID}:{TOKEN}".encode()).decode()


@contextmanager
def raw_urllib3(base: str) -> Iterator[Callable[[], Any]]:
    import urllib3

    pool = urllib3.PoolManager(retries=False)
    headers = {"Authorization": _auth_header(), "Accept": "application/json"}
    post_headers = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
    timeout = urllib3.Timeout(connect=15, read=15)

    def pair() -> Any:
        body = urlencode(FORM)
        message = json.loads(pool.request("POST", base + MESSAGES, body=body, headers=post_headers,
                                          timeout=timeout).data)
        call = json.loads(pool.request("GET", base + CALL, headers=headers, timeout=timeout).data)
        return message, call

    message, call = pair()
    assert call["sid"] == CALL_SID
    yield pair
    pool.clear()


@contextmanager
def raw_http_client(base: str) -> Iterator[Callable[[], Any]]:
    host, port = urlsplit(base).hostname, urlsplit(base).port
    conn = http.client.HTTPConnection(host, port, timeout=15)
    headers = {"Authorization": _auth_header(), "Accept": "application/json"}
    post_headers = {**headers, "Content-Type": "application/x-www-form-urlencoded"}

    def pair() -> Any:
        conn.request("POST", MESSAGES, body=urlencode(FORM).encode(), headers=post_headers)
        message = json.loads(conn.getresponse().read())
        conn.request("GET", CALL, headers=headers)
        call = json.loads(conn.getresponse().read())
        return message, call

    message, call = pair()
    assert call["sid"] == CALL_SID
    yield pair
    conn.close()


CONTENDERS: List[Tuple[str, Callable[[str], Any]]] = [
    ("flask_twilio_rb (requests transport)", lambda base: ours(base, "requests")),
    ("flask_twilio_rb (urllib3 transport)", lambda base: ours(base, "urllib3")),
    ("twilio-python", twilio_python),
    ("raw requests.Session", raw_requests),
    ("raw urllib3.PoolManager", raw_urllib3),
    ("raw http.client", raw_http_client),
]


def measure_pairs(base: str, rounds: int, batch: int) -> Dict[str, float]:
    """Median client CPU µs per pair, contenders interleaved round by round."""
    from contextlib import ExitStack

    from . import measure

    with ExitStack() as stack:
        pairs = {name: stack.enter_context(factory(base)) for name, factory in CONTENDERS}
        return measure.cpu_per_call(pairs, rounds, batch)


# ---------------------------------------------------------------------------------------------
# Paging, memory and import time
# ---------------------------------------------------------------------------------------------

def measure_paging(base: str, total: int, page_size: int) -> Dict[str, float]:
    """Records per CPU second through Call.each and through raw requests+json, and peak memory growth."""
    import requests

    from flask_twilio_rb import Call, current
    from flask_twilio_rb.client import Client
    from flask_twilio_rb.config import Settings

    client = Client(Settings(account_sid=SID, auth_token=TOKEN, api_base_url=base))
    saved = current.app_state_lookup
    state = SimpleNamespace(client=client, settings=client.settings)
    current.app_state_lookup = lambda: state

    def ours_each() -> int:
        count = 0
        for call in Call.each(page_size=page_size):
            count += 1
        return count

    session = requests.Session()
    session.trust_env = False

    def raw_each() -> int:
        count = 0
        url: Optional[str] = f"{base}/2010-04-01/Accounts/{SID}/Calls.json?PageSize={page_size}"
        while url:
            page = json.loads(session.get(url, auth=(SID, TOKEN), timeout=15).content)
            for record in page["calls"]:
                count += 1
            url = base + page["next_page_uri"] if page["next_page_uri"] else None
        return count

    try:
        assert ours_each() == total and raw_each() == total  # also warms the server's page cache
        rates: Dict[str, List[float]] = {"ours": [], "raw": []}
        for _ in range(3):
            for name, func in (("ours", ours_each), ("raw", raw_each)):
                gc.collect()
                start = time.process_time()
                func()
                rates[name].append(total / (time.process_time() - start))
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        ours_each()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    finally:
        current.app_state_lookup = saved
        client.close()
        session.close()
    return {"ours": statistics.median(rates["ours"]), "raw": statistics.median(rates["raw"]),
            "peak_mb": (peak - before) / 2**20}


#: What is timed for each import row: a package alone, or what a script that uses one domain imports.
#: twilio-python's rows do what its users do: make the client and touch the domain (which loads it).
IMPORTS = {
    "flask_twilio_rb": "import flask_twilio_rb",
    "from flask_twilio_rb import Call": "from flask_twilio_rb import Call",
    "from flask_twilio_rb.verify import Service": "from flask_twilio_rb.verify import Service",
    "every domain of flask_twilio_rb": (
        "import importlib, flask_twilio_rb.catalog as c\n"
        "for m in c.MODULES: importlib.import_module('flask_twilio_rb.' + m)"),
    "twilio.rest": "import twilio.rest",
    "twilio-python: Client(...).calls": f"from twilio.rest import Client; Client({SID!r}, 'x').calls",
    "twilio-python: Client(...).verify.v2.services": f"from twilio.rest import Client; Client({SID!r}, 'x').verify.v2.services",
    "every domain of twilio-python": (
        "import importlib, pkgutil, twilio.rest as r\n"
        "for d in pkgutil.iter_modules(r.__path__):\n"
        " if d.ispkg:\n"
        "  p = importlib.import_module('twilio.rest.' + d.name)\n"
        "  for v in pkgutil.iter_modules(p.__path__):\n"
        "   if v.ispkg: importlib.import_module(p.__name__ + '.' + v.name)"),
}
#: Each of our import rows, and twilio-python's row doing the same.
IMPORT_PAIRS = [
    ("from flask_twilio_rb import Call", "twilio-python: Client(...).calls"),
    ("from flask_twilio_rb.verify import Service", "twilio-python: Client(...).verify.v2.services"),
    ("every domain of flask_twilio_rb", "every domain of twilio-python"),
]


def import_time(module: str, repeat: int) -> float:
    """Median CPU seconds (user + system) of ``python -c "import module"`` (or the statement of
    :data:`IMPORTS`) minus those of an interpreter that imports nothing, the two run in turn.

    CPU time, not wall time: on a shared machine the wall clock of a short-lived process moves
    with everyone else's load (a first run of this table gave negative milliseconds), its CPU
    time much less. Every contender is timed as installed, from cached bytecode: a first run
    writes it to a private ``__pycache__`` prefix (even where ``PYTHONDONTWRITEBYTECODE`` is
    set, which would otherwise make this package compile from source on every run and
    twilio-python not).
    """
    import resource
    import tempfile

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory(prefix="pycache-") as prefix:
        env["PYTHONPYCACHEPREFIX"] = prefix

        def once(code: str) -> float:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run([sys.executable, "-c", code], check=True, env=env)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

        statement = IMPORTS.get(module, f"import {module}")
        once(statement)  # writes the bytecode
        return statistics.median(once(statement) - once("pass") for _ in range(repeat))


# ---------------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------------

def collect(quick: bool) -> Dict[str, Any]:
    from . import bulk, emulator, ivr, test_double, twiml, webhook_path, webhooks

    total, page_size = (200, 50) if quick else (100_000, 1000)
    rounds, batch = (3, 10) if quick else (15, 200)
    with server(total) as base:
        pairs = measure_pairs(base, rounds, batch)
        paging = measure_paging(base, total, page_size)
    imports = {module: import_time(module, 3 if quick else 9) for module in IMPORTS}
    return {"quick": quick, "pairs": pairs, "paging": paging, "paging_size": (total, page_size),
            "imports": imports, "rows": twiml.run(quick) + webhooks.run(quick), "bulk": bulk.run(quick),
            "emulator": emulator.run(quick), "ivr": ivr.run(quick), "webhook_path": webhook_path.run(quick),
            "test_double": test_double.run(quick)}


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(results: Dict[str, Any]) -> str:
    p = results["pairs"]
    ours_req, ours_u3 = p["flask_twilio_rb (requests transport)"], p["flask_twilio_rb (urllib3 transport)"]
    twilio, raw_req, raw_u3 = p["twilio-python"], p["raw requests.Session"], p["raw urllib3.PoolManager"]
    paging, imports = results["paging"], results["imports"]
    total, page_size = results["paging_size"]
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()} ({platform.python_implementation()})"
        + (" — **quick run (tiny sizes, not representative)**" if results["quick"] else ""),
        "",
        "Generated by `python -m benchmarks`. API calls go to a local keep-alive HTTP/1.1 server in another",
        "process; times are the client process's CPU time (`time.process_time`), median over interleaved rounds.",
        "",
        "## API calls: one `Message.create` + one `Call.find` (µs of client CPU per pair)",
        "",
        "| client | µs/pair | vs twilio-python (speed-up) | vs its raw floor |",
        "|---|---:|---:|---:|",
    ]
    floors = {"flask_twilio_rb (requests transport)": raw_req, "flask_twilio_rb (urllib3 transport)": raw_u3}
    for name, value in p.items():
        floor = f"{value / floors[name]:.2f}x" if name in floors else ""
        lines.append(f"| {name} | {value:,.0f} | {twilio / value:.2f}x | {floor} |")
    lines += [
        "",
        f"## Paging: `Call.each()` over {total:,} calls, {page_size:,} per page",
        "",
        "| | value |",
        "|---|---:|",
        f"| flask_twilio_rb `Call.each()` | {paging['ours']:,.0f} records/s (CPU) |",
        f"| raw requests + json | {paging['raw']:,.0f} records/s (CPU) |",
        f"| ratio ours/raw | {paging['ours'] / paging['raw']:.2f}x |",
        f"| peak memory growth (tracemalloc) | {paging['peak_mb']:.1f} MB |",
        "",
        "## Import time (CPU ms of `python -c \"import ...\"` from cached bytecode, minus a bare interpreter run in turn; median)",
        "",
        "| module | ms |",
        "|---|---:|",
    ]
    for module, seconds in imports.items():
        lines.append(f"| `{module}` | {seconds * 1000:.0f} |")
    import_targets = []
    for ours_row, theirs_row in IMPORT_PAIRS:
        ratio = imports[ours_row] / imports[theirs_row]
        lines.append(f"| ratio `{ours_row}` / `{theirs_row}` | {ratio:.2f}x |")
        if not ours_row.startswith("every"):
            import_targets.append((f"import time ({ours_row}) <= half of twilio-python's", ratio, ratio <= 0.5))
    for ours_row, _ in IMPORT_PAIRS[:2]:
        lines.append(f"| ratio `{ours_row}` / `twilio.rest` alone | {imports[ours_row] / imports['twilio.rest']:.2f}x |")
    lines += ["", "## TwiML and webhooks (ratio over twilio-python's rate)", "",
              "| benchmark | rate | ratio |", "|---|---:|---:|"]
    for row in results["rows"]:
        lines.append(f"| {row['name']} | {row['value']:,} {row['unit']} | {row['ratio']:.2f}x |")
    from . import emulator, test_double, webhook_path

    section, webhook_targets = webhook_path.report(results["webhook_path"])
    lines += [""] + section[:-1]
    lines += [""] + emulator.report(results["emulator"])[:-1]
    section, double_targets = test_double.report(results["test_double"])
    lines += [""] + section[:-1]
    targets = [
        ("requests transport within 1.1x of raw requests", ours_req / raw_req, ours_req / raw_req <= 1.1),
        ("requests transport >= 1.4x faster than twilio-python", twilio / ours_req, twilio / ours_req >= 1.4),
        ("urllib3 transport within 1.15x of raw urllib3", ours_u3 / raw_u3, ours_u3 / raw_u3 <= 1.15),
        ("urllib3 transport >= 3x faster than twilio-python", twilio / ours_u3, twilio / ours_u3 >= 3),
        ("paging peak memory < 30 MB", paging["peak_mb"], paging["peak_mb"] < 30),
        *import_targets,
    ]
    lines += ["", "## Bulk sending (`flask_twilio_rb.bulk`, to the emulator; see benchmarks/bulk.py)", "",
              "| measurement | value |", "|---|---:|"]
    for row in results["bulk"]["rows"]:
        lines.append(f"| {row['name']} | {row['value']} |")
    targets += webhook_targets + double_targets + results["bulk"]["targets"]
    lines += ["", "## Phone calls on the emulator (CPU time; ratio over the floor's rate: the app's own work)", "",
              "| benchmark | rate | CPU ms per walk | ratio |", "|---|---:|---:|---:|"]
    for row in results["ivr"]:
        per_walk = f"{1000 / row['value']:.1f}" if row["value"] else "-"
        lines.append(f"| {row['name']} | {row['value']:,} {row['unit']} | {per_walk} | {row['ratio']:.2f}x |")
    lines += ["", "## Targets", "", "| target | measured | |", "|---|---:|---|"]
    for name, value, ok in targets:
        lines.append(f"| {name} | {value:.2f} | {_verdict(ok)} |")
    lines += [
        "",
        "Notes: raw requests.Session is "
        f"{twilio / raw_req:.2f}x and raw urllib3.PoolManager {twilio / raw_u3:.2f}x faster than twilio-python here.",
        "Both transports do less than their raw floor's high-level API (below 1.00x): the requests transport",
        "sends a prepared request through the session's adapter (no per-call settings merge, cookie jar or",
        "redirect handling), the urllib3 one writes each request in one send on a pooled urllib3 connection.",
        "Retries cost nothing on this happy path (one status check). `import flask_twilio_rb` loads its public",
        "names on first use (PEP 562), and requests/urllib3 load with the first request, so",
        "`from flask_twilio_rb import Call` imports neither. Each domain is a package of its own:",
        "`from flask_twilio_rb.verify import Service` loads Verify's classes and nothing of the other 37",
        "domains or of the 2010-04-01 API (twilio-python's `import twilio.rest` loads its client for all of them).",
    ]
    return "\n".join(lines) + "\n"


def main(argv: Optional[List[str]] = None) -> str:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run, not a measurement")
    parser.add_argument("--no-write", action="store_true", help="print only; do not write benchmarks/RESULTS.md")
    args = parser.parse_args(argv)
    text = report(collect(args.quick))
    print(text)
    if not args.no_write:
        with open(RESULTS, "w", encoding="utf-8") as f:
            f.write(text)
    return text


if __name__ == "__main__":
    main()
