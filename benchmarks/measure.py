"""How the second round measures: CPU time in interleaved rounds, and instructions under callgrind.

The machine these run on is shared, so seconds move with the load. Two measurements, both taken
for every contender in one run:

* :func:`cpu_per_call`: median CPU µs per call (``time.process_time``), the contenders
  interleaved round by round, so a busy minute slows them all alike.
* :func:`instructions_per_call`: instructions per call counted by ``valgrind --tool=callgrind``,
  which the load does not move (two runs agree to about 1%). The contenders run one after
  another in one child process; before and after each one's calls the child calls :func:`mark`
  (``os.getppid()``, which nothing on these paths calls), and ``--dump-before=os_getppid``
  makes callgrind write its counters at each mark, so a dump holds one contender's calls.
  Without valgrind (or without the interpreter's symbols) the result is ``None`` and the
  report says so.
"""
from __future__ import annotations

import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from typing import Callable, ContextManager, Dict, List, Mapping, Optional, Sequence, Tuple

#: The C function the child calls between two contenders (the builtin behind ``os.getppid``).
MARK_FUNCTION = "os_getppid"


#: For each contender that needs one, what is entered around its calls and not measured (e.g. a
#: ``responses`` mock, which would also catch the other contenders' requests).
Around = Mapping[str, Callable[[], ContextManager[object]]]


def cpu_per_call(contenders: Mapping[str, Callable[[], object]], rounds: int, batch: int,
                 around: Around = {}) -> Dict[str, float]:
    """Median CPU µs per call of each contender, ``rounds`` interleaved rounds of ``batch`` calls.

    The process's CPU time: threads of its own that a call keeps busy (a server) count too.
    """
    samples: Dict[str, List[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, call in contenders.items():
            with _entered(around, name):
                gc.collect()
                start = time.process_time()
                for _ in range(batch):
                    call()
                samples[name].append((time.process_time() - start) / batch * 1e6)
    return {name: statistics.median(values) for name, values in samples.items()}


def print_section(lines: List[str], targets: List[Tuple[str, float, bool]]) -> None:
    """Print a benchmark module's section of the report and its targets (``python -m benchmarks.<module>``)."""
    print("\n".join(lines))
    for name, value, met in targets:
        print(f"{name}: {value:.2f} {'met' if met else 'MISSED'}")


def _entered(around: Around, name: str) -> ContextManager[object]:
    return around[name]() if name in around else nullcontext()


def mark() -> None:
    """The boundary between two contenders in a child run under callgrind (see the module's doc)."""
    os.getppid()


def run_marked(contenders: Mapping[str, Callable[[], object]], calls: int, around: Around = {}) -> None:
    """The child's part: each contender warmed up, then ``calls`` calls of each between marks."""
    for name, call in contenders.items():
        with _entered(around, name):
            call()
    for name, call in contenders.items():
        with _entered(around, name):
            mark()
            for _ in range(calls):
                call()
            mark()
    mark()


def valgrind_missing() -> Optional[str]:
    """Why instructions cannot be counted here, or ``None``."""
    if shutil.which("valgrind") is None:
        return "valgrind is not installed"
    return None


def instructions_per_call(module: str, names: Sequence[str], calls: int,
                          args: Sequence[str] = ()) -> Optional[Dict[str, float]]:
    """Instructions per call of each of ``names``, counted by callgrind in ``python -m module --child``.

    The child must build the contenders ``names`` (in that order) and call :func:`run_marked`
    with ``calls``. ``None`` when valgrind cannot run here (see :func:`valgrind_missing`).
    """
    if valgrind_missing() is not None:
        return None
    with tempfile.TemporaryDirectory(prefix="callgrind-") as folder:
        out = os.path.join(folder, "callgrind.out")
        command = ["valgrind", "--tool=callgrind", f"--dump-before={MARK_FUNCTION}", f"--callgrind-out-file={out}",
                   sys.executable, "-m", module, "--child", str(calls), *args]
        subprocess.run(command, check=True, capture_output=True, timeout=1800,
                       cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        # Dump 1 is the start-up and warm-up; contender k (from 0) is dump 2k + 2, each one's
        # setting up and tearing down (see run_marked) the dumps between; the last file, the exit.
        counts = {}
        for k, name in enumerate(names):
            path = f"{out}.{2 * k + 2}"
            if os.path.exists(path):
                counts[name] = _summary(path) / calls
    if len(counts) != len(names):
        return None  # the interpreter has no os_getppid symbol to break on
    return {name: counts[name] for name in names}


def _summary(path: str) -> int:
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("summary:"):
                return int(line.split()[1])
    raise RuntimeError(f"no summary line in {path}")


#: The contenders of the self-check child (``python -m benchmarks.measure --child N``): no work, and some.
SELF_CHECK = {"nothing": lambda: None, "a sum of 1,000 numbers": lambda: sum(range(1000))}


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        run_marked(SELF_CHECK, int(sys.argv[2]))
    else:
        print(instructions_per_call("benchmarks.measure", list(SELF_CHECK), 20) or valgrind_missing())
