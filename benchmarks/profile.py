"""``python -m benchmarks.profile``: where the client's time goes on the hot path, by function.

Runs ``Message.create`` + ``Call.find`` pairs (and one ``Call.each()`` over pages) against the
benchmark's local server under :mod:`cProfile`, and prints the functions with the most time of
their own, ours marked. It is how the hot paths were tuned: parameter encoding, URL and header
building, object construction; what is left is mostly the HTTP library and the socket.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
from typing import List, Optional

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
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    own = sum(row[2] for key, row in stats.stats.items() if PACKAGE in key[0])  # type: ignore[attr-defined]
    total = stats.total_tt  # type: ignore[attr-defined]
    lines = [f"{transport} transport: {pairs} pairs + {records} paged records; "
             f"{own / total:.0%} of the profiled time is in {PACKAGE}'s own functions", ""]
    for line in out.getvalue().splitlines():
        if line.strip().startswith(("ncalls", "List reduced")) or "{" in line or ".py:" in line:
            lines.append(("* " if PACKAGE in line else "  ") + line.strip())
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> str:
    """Print the profile of each transport; returns the text printed."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__)
    parser.add_argument("--pairs", type=int, default=2000)
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)
    text = "\n\n".join(profile(t, args.pairs, args.records, args.top) for t in ("requests", "urllib3"))
    print(text)
    return text


if __name__ == "__main__":
    main()
