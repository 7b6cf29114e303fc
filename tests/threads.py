"""Running test code on several threads, with every exception kept for the test to assert on."""
from __future__ import annotations

import threading
from typing import Callable, List


def run_in_threads(*targets: Callable[[], object], timeout: float = 30.0) -> List[BaseException]:
    """Start one thread per target, wait for all (at most ``timeout`` s each) and return what they raised."""
    errors: List[BaseException] = []

    def run(target: Callable[[], object]) -> None:
        try:
            target()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return errors
