"""The emulator's own costs: importing it, making one, and the first request to each product.

Run ``python benchmarks/emulator.py`` (``--quick`` for a short run). :func:`run` measures in a
fresh interpreter (so nothing is imported yet), through the emulator's WSGI app in-process
(no socket): the import of :mod:`flask_twilio_rb.emulator`, ``TwilioEmulator()``, and for
2010-04-01 and every other product the first request (which loads that product's generated
tables and builds its router) against a later one. A suite that only uses 2010-04-01 never pays
for the other products' tables.
"""
from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
from typing import Any, Dict, List

#: What the fresh interpreter runs: timings in milliseconds, printed as JSON.
CHILD = r'''
import base64, json, statistics, sys, time
paths, makes = json.loads(sys.argv[1]), int(sys.argv[2])
start = time.perf_counter()
from flask_twilio_rb.emulator import TwilioEmulator
imported = time.perf_counter() - start
made = []
for _ in range(makes):
    start = time.perf_counter()
    emu = TwilioEmulator()
    made.append(time.perf_counter() - start)
client = emu.app.test_client()
auth = {"Authorization": "Basic " + base64.b64encode(f"{emu.account_sid}:{emu.auth_token}".encode()).decode()}
first, later = {}, {}
for product, path in paths.items():
    path = path.replace("{AccountSid}", emu.account_sid)
    start = time.perf_counter()
    client.get(path, headers=auth)
    first[product] = time.perf_counter() - start
    start = time.perf_counter()
    client.get(path, headers=auth)
    later[product] = time.perf_counter() - start
ms = lambda seconds: seconds * 1000
print(json.dumps({"import": ms(imported), "construct": ms(statistics.median(made)),
                  "first": {p: ms(s) for p, s in first.items()}, "later": {p: ms(s) for p, s in later.items()}}))
'''


def probe_paths() -> Dict[str, str]:
    """A GET path of each product (2010-04-01 first): its first list, placeholders filled."""
    from flask_twilio_rb.emulator.routing import router_for
    from flask_twilio_rb.emulator.tables import PRODUCTS

    paths = {}
    for product in [""] + sorted(PRODUCTS):
        operations = sorted(router_for(product).operations.values(), key=lambda op: (op.verb != "List", op.path))
        probe = next(op for op in operations if op.method == "GET")
        path = re.sub(r"{(\w+)}", lambda m: m.group(0) if m.group(1) == "AccountSid" else "x", probe.path)
        paths[product or "2010-04-01"] = probe.domain.prefix + path  # {AccountSid}: the child's account
    return paths


def run(quick: bool) -> Dict[str, Any]:
    """Medians over fresh interpreters: ``import`` / ``construct`` ms, and ``first`` / ``later`` ms by product."""
    import os
    import tempfile

    paths = probe_paths()
    results = []
    # From cached bytecode, as installed packages import (see run.import_time): a first run writes
    # it to a private prefix. A quick run (one round, no measurement) takes the environment as it is.
    env = {k: v for k, v in os.environ.items() if quick or k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory(prefix="pycache-") as prefix:
        if not quick:
            env["PYTHONPYCACHEPREFIX"] = prefix
        for _ in range(1 if quick else 6):
            done = subprocess.run([sys.executable, "-c", CHILD, json.dumps(paths), "20" if quick else "200"],
                                  capture_output=True, text=True, check=True, timeout=300, env=env)
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    results = results if quick else results[1:]
    median = statistics.median
    return {
        "import": median(r["import"] for r in results),
        "construct": median(r["construct"] for r in results),
        "first": {p: median(r["first"][p] for r in results) for p in paths},
        "later": {p: median(r["later"][p] for r in results) for p in paths},
    }


def report(results: Dict[str, Any]) -> List[str]:
    """The report's lines for :func:`run`'s results."""
    first, later = dict(results["first"]), results["later"]
    classic = first.pop("2010-04-01")
    slowest = sorted(first, key=first.get, reverse=True)[:3]  # type: ignore[arg-type]
    lines = [
        "## Emulator (in-process through its WSGI app, fresh interpreters; median ms)",
        "",
        "| | ms |",
        "|---|---:|",
        f"| `import flask_twilio_rb.emulator` | {results['import']:.0f} |",
        f"| `TwilioEmulator()` | {results['construct']:.2f} |",
        f"| first request to 2010-04-01 | {classic:.1f} |",
        f"| first request to another product (median of {len(first)}; loads its tables) | "
        f"{statistics.median(first.values()):.1f} |",
    ]
    shown = dict.fromkeys(["verify", "lookups", "messaging", "content"] + slowest)
    lines += [f"| first request to `{product}` | {first[product]:.1f} |" for product in shown if product in first]
    lines += [f"| a later request (median over every product) | {statistics.median(later.values()):.2f} |", ""]
    return lines


if __name__ == "__main__":
    print("\n".join(report(run("--quick" in sys.argv))))
