"""What the emulator measures on its clock is measured between precise moments, not whole seconds.

A call's duration is the time between answering and hanging up, not between the whole seconds its
dates show; the emulator's moment keeps its fractions (a verification's ten minutes use it too).

The phone calls' clock is the real time plus the virtual seconds ``wait()`` adds; its webhooks take
real time, so a real second boundary may pass between answering and hanging up. The duration must
still be the seconds the call lasted (45 for ``wait(45)``), never one more.
"""
from __future__ import annotations

import datetime as dt

from flask_twilio_rb.emulator import lifecycle
from flask_twilio_rb.emulator.representation import rfc2822

ANSWERED = dt.datetime(2026, 12, 1, 12, 0, 0, 900000, tzinfo=dt.timezone.utc)  # 0.9 s into a second


def test_the_duration_is_the_time_between_answering_and_hanging_up_across_a_second_boundary():
    record = {"sid": "CA" + "1" * 32, "status": "ringing"}
    lifecycle.move("Calls", record, "in-progress", ANSWERED)
    lifecycle.move("Calls", record, "completed", ANSWERED + dt.timedelta(seconds=45.2))
    assert record["duration"] == "45"  # the dates' whole seconds (12:00:00 -> 12:00:46) would say 46
    assert (record["start_time"], record["end_time"]) == (
        rfc2822(ANSWERED), rfc2822(ANSWERED + dt.timedelta(seconds=45.2)))


def test_a_call_stored_in_progress_is_measured_from_its_start_time():
    """A record that went in progress elsewhere (seeded, or from an earlier emulator) has only its start_time."""
    record = {"sid": "CA" + "2" * 32, "status": "in-progress", "start_time": rfc2822(ANSWERED)}
    lifecycle.move("Calls", record, "completed", ANSWERED.replace(microsecond=0) + dt.timedelta(seconds=30))
    assert record["duration"] == "30"


def test_a_call_that_never_went_in_progress_lasted_nothing_and_never_less():
    record = {"sid": "CA" + "3" * 32, "status": "ringing"}
    lifecycle.move("Calls", record, "no-answer", ANSWERED)
    assert record["duration"] == "0"
    early = {"sid": "CA" + "4" * 32, "status": "in-progress", "start_time": rfc2822(ANSWERED + dt.timedelta(seconds=5))}
    lifecycle.move("Calls", early, "completed", ANSWERED)  # a clock set back: no negative duration
    assert early["duration"] == "0"


def test_the_emulators_moment_is_precise_real_time_plus_the_virtual_seconds():
    """What is measured on the clock (durations, a verification's ten minutes) needs its fractions:
    a moment rounded down to the second makes ``wait(599)`` after a real second boundary count 600."""
    from flask_twilio_rb.emulator.backend import Backend

    backend = Backend("AC" + "5" * 32, "t" * 32, rate_limit=None, callbacks=False)
    backend.elapsed = 599.5
    before = dt.datetime.now(dt.timezone.utc)
    moment = backend.now()
    after = dt.datetime.now(dt.timezone.utc)
    assert before + dt.timedelta(seconds=599.5) <= moment <= after + dt.timedelta(seconds=599.5)
