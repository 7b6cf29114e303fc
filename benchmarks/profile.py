"""``python -m benchmarks.profile``: where the client's time goes on the hot path, by function.

Runs ``Message.create`` + ``Call.find`` pairs (and one ``Call.each()`` over pages) against the
benchmark's local server under :mod:`cProfile`, then the webhook path of
:mod:`benchmarks.webhook_path` and the pairs with ``TWILIO_SUPPRESS_SEND``
(:mod:`benchmarks.test_double`), and prints the functions with the most time of their own,
ours marked. It is how the hot paths were tuned: parameter encoding, URL and header
building, object construction; what is left is mostly the HTTP library and the socket.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
from typing import Callable, List, Optional

from . import run as bench

PACKAGE = "flask_twilio_rb"


def profile(transport: str, pairs: int, records: int, top: int) -> str:
    """The profile of ``pairs`` API pairs and ``records`` paged records, as a text table."""
    from flask_twilio_rb import Call

    profiler = cProfile.Profile()
    with bench.server(records) as base, bench.ours(base, transport) as pair:
        profiler.enable()
        for _ in range(pairs):
            pair()
        assert sum(1 for _ in Call.each(page_size=1000)) == records  # same client: ours() set the lookup
        profiler.disable()
    return _table(f"{transport} transport: {pairs} pairs + {records} paged records", profiler, top)


def profile_calls(title: str, call: Callable[[], object], calls: int, top: int) -> str:
    """The profile of ``calls`` calls of ``call`` (after one unprofiled), by time of their own."""
    call()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        call()
    profiler.disable()
    return _table(f"{title}: {calls} calls", profiler, top)


def _table(title: str, profiler: cProfile.Profile, top: int) -> str:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    own = sum(row[2] for key, row in stats.stats.items() if PACKAGE in key[0])  # type: ignore[attr-defined]
    lines = [f"{title}; {own / stats.total_tt:.0%} of the profiled time is in "  # type: ignore[attr-defined]
             f"{PACKAGE}'s own functions", ""]
    for line in out.getvalue().splitlines():
        if line.strip().startswith(("ncalls", "List reduced")) or "{" in line or ".py:" in line:
            lines.append(("* " if PACKAGE in line else "  ") + line.strip())
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> str:
    """Print the profile of each transport, of the webhook path and of suppressed sending; returns the text."""
    from . import test_double, webhook_path

    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__)
    parser.add_argument("--pairs", type=int, default=2000)
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--webhooks", type=int, default=3000, help="requests through the webhook path")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)
    parts = [profile(t, args.pairs, args.records, args.top) for t in ("requests", "urllib3")]
    webhook = webhook_path.contenders()[webhook_path.OURS]
    parts.append(profile_calls(f"the webhook path ({webhook_path.OURS})", webhook, args.webhooks, args.top))
    with test_double.suppressed() as pair:
        parts.append(profile_calls(f"{test_double.SUPPRESSED}, Message.create + Call.find", pair, args.pairs, args.top))
    text = "\n\n".join(parts)
    print(text)
    return text


if __name__ == "__main__":
    main()
