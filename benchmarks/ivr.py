"""A phone call walking the example app's menu on the emulator, against the floor of the same webhooks.

Run ``python benchmarks/ivr.py`` (``--quick`` for a short run). :func:`run` returns the rows for
the benchmark report: ``name``, ``value`` (walks per second), ``unit`` and ``ratio`` (over the
floor's rate). A walk is ten steps: ``emulator.dial()`` (the menu) then nine ``press("9")`` (an
unknown key: "Sorry", a <Redirect>, the menu again), nineteen signed webhooks in all, answered
by the app in the process. The floor sends those nineteen requests through Flask's test
client, their signatures computed once beforehand: the app's own work, which any simulator
pays, so the ratio shows what running the TwiML adds (signing each request, parsing, the
virtual clock, the records and transcript kept).
"""
from __future__ import annotations

import statistics
import sys
import time
from typing import Any, Callable, Dict, List

from example_app import create_app
from flask_twilio_rb.testing import running_emulator, signed_headers

NUMBER = "+15005550006"
ACCOUNT = "AC" + "b" * 32
TOKEN = "benchmark-token-" + "4" * 16
#: The presses after the first step.
PRESSES = 9


def _app() -> Any:
    return create_app({"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": TOKEN, "TESTING": True})


def _rates(contenders: Dict[str, Callable[[], None]], walks: int, rounds: int) -> Dict[str, float]:
    """Walks per CPU second of each contender (this process's: the app runs in it), rounds interleaved."""
    samples: Dict[str, List[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, step in contenders.items():
            start = time.process_time()
            for _ in range(walks):
                step()
            samples[name].append(walks / max(time.process_time() - start, 1e-9))
    return {name: statistics.median(values) for name, values in samples.items()}


def measure(walks: int, rounds: int) -> Dict[str, float]:
    """Walks per CPU second: the emulator's, and the floor's."""
    app = _app()
    with running_emulator(app) as emulator:
        emulator.seed("IncomingPhoneNumber", phone_number=NUMBER, voice_url="http://localhost/ivr/welcome")

        def walk() -> None:
            call = emulator.dial(NUMBER)
            for _ in range(PRESSES):
                call.press("9")
            call.hang_up()
            assert len(call.said) == 2 + 3 * PRESSES, call.said
            emulator.reset()
            emulator.seed("IncomingPhoneNumber", phone_number=NUMBER, voice_url="http://localhost/ivr/welcome")

        client = app.test_client()
        caller = {"From": "+15551234567", "To": NUMBER, "CallSid": "CA" + "1" * 32, "AccountSid": ACCOUNT}
        pressed = {**caller, "Digits": "9"}
        menu = signed_headers("http://localhost/ivr/welcome", caller, TOKEN)
        choice = signed_headers("http://localhost/ivr/choice", pressed, TOKEN)

        def webhooks() -> None:
            assert client.post("/ivr/welcome", data=caller, headers=menu).status_code == 200
            for _ in range(PRESSES):
                assert client.post("/ivr/choice", data=pressed, headers=choice).status_code == 200
                assert client.post("/ivr/welcome", data=caller, headers=menu).status_code == 200

        return _rates({"ours": walk, "floor": webhooks}, walks, rounds)


def run(quick: bool) -> List[Dict[str, Any]]:
    """The report's rows: the walk on the emulator, and the floor."""
    rates = measure(*((3, 3) if quick else (40, 7)))
    name = f"ivr: a {PRESSES + 1}-step walk of the example menu, {1 + 2 * PRESSES} webhooks"
    return [
        {"name": f"{name} [emulator.dial + press]", "value": round(rates["ours"], 1), "unit": "walks/s",
         "ratio": rates["ours"] / rates["floor"]},
        {"name": f"{name} [the same webhooks, signed beforehand, through Flask's test client: the floor]",
         "value": round(rates["floor"], 1), "unit": "walks/s", "ratio": 1.0},
    ]


if __name__ == "__main__":  # pragma: no cover - a manual run
    for row in run("--quick" in sys.argv):
        print(f"{row['name']}: {row['value']:,} {row['unit']} ({row['ratio']:.2f}x)")
