"""The benchmark entry point runs end to end with tiny sizes (no timed assertions)."""
from __future__ import annotations

import pytest

pytest.importorskip("twilio")

from benchmarks import run as bench  # noqa: E402


@pytest.fixture
def tiny(monkeypatch):
    """Smaller than --quick: one round of one pair, a few records, one import timing."""
    real_pairs, real_paging = bench.measure_pairs, bench.measure_paging
    monkeypatch.setattr(bench, "measure_pairs", lambda base, rounds, batch: real_pairs(base, 1, 2))
    monkeypatch.setattr(bench, "measure_paging", lambda base, total, size: real_paging(base, total, size))
    monkeypatch.setattr(bench, "import_time", lambda module, repeat: 0.04 if "flask_twilio_rb" in module else 0.1)
    from benchmarks import bulk, emulator, ivr, twiml, webhooks

    row = {"name": "x", "value": 1, "unit": "u", "ratio": 1.0}
    monkeypatch.setattr(twiml, "run", lambda quick: [dict(row, name="twiml: stub")])
    monkeypatch.setattr(webhooks, "run", lambda quick: [dict(row, name="webhooks: stub")])
    monkeypatch.setattr(bulk, "run", lambda quick: {"rows": [{"name": "bulk: stub", "value": "1/s"}],
                                                    "targets": [("bulk target", 1.0, True)], "count": 1})
    times = {"2010-04-01": 1.0, "verify": 3.0, "lookups": 2.0, "sync": 4.0}
    monkeypatch.setattr(emulator, "run", lambda quick: {"import": 300.0, "construct": 1.5, "first": times,
                                                        "later": dict.fromkeys(times, 0.5)})
    monkeypatch.setattr(ivr, "run", lambda quick: [dict(row, name="ivr: stub")])
    from benchmarks import test_double, webhook_path

    cpu = {name: 100.0 + 10 * n for n, name in enumerate(webhook_path.NAMES)}
    monkeypatch.setattr(webhook_path, "run", lambda quick: {"cpu": cpu, "instructions": None,
                                                            "why_no_instructions": "valgrind is not installed"})
    double = {"cpu": {test_double.SUPPRESSED: 90.0, test_double.SOCKET: 250.0, test_double.MOCKED: 100.0},
              "throughput": 1234.0, "threads": 16}
    monkeypatch.setattr(test_double, "run", lambda quick: double)


def test_entry_point_prints_every_row_and_writes_nothing(tiny, capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "RESULTS", str(tmp_path / "RESULTS.md"))
    text = bench.main(["--quick", "--no-write"])
    assert not (tmp_path / "RESULTS.md").exists()
    assert text in capsys.readouterr().out
    for name, _ in bench.CONTENDERS:
        assert f"| {name} |" in text
    for row in ("`Call.each()`", "raw requests + json", "peak memory growth", "`flask_twilio_rb`", "`twilio.rest`",
                "twiml: stub", "webhooks: stub", "ivr: stub", "bulk: stub", "| bulk target | 1.00 | met |",
                "Machine:", "quick run", "| `TwilioEmulator()` | 1.50 |", "| first request to `verify` | 3.0 |",
                "| first request to `sync` | 4.0 |",
                "first request to another product (median of 3; loads its tables) | 3.0 |",
                "| ivr: stub | 1 u | 1000.0 | 1.00x |",
                "Instructions not counted: valgrind is not installed.",
                "| flask_twilio_rb, TWILIO_SUPPRESS_SEND (in-process emulator) | 90 | 0.90x |",
                "**1,234 requests/s** (wall)", "| socket emulator within 3x of twilio-python + responses (ratio) | 2.50 | met |",
                "| ratio `every domain of flask_twilio_rb` / `every domain of twilio-python` | 0.40x |",
                "| import time (from flask_twilio_rb import Call) <= half of twilio-python's | 0.40 | met |"):
        assert row in text
    # Ours: 100 µs; the twilio-python webhook 120 µs (1.20x, missed); the template floor 160 µs.
    assert "| webhook: render_voice >= 2x cheaper than twilio-python | 1.20 | MISSED |" in text
    assert "| webhook: our layer over the same work inline (form + HMAC + render_template) <= 1.25x | 0.62 | met |" in text
    assert text.count("| met |") + text.count("| MISSED |") == 13


def test_entry_point_writes_results(tiny, tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "RESULTS", str(tmp_path / "RESULTS.md"))
    text = bench.main(["--quick"])
    assert (tmp_path / "RESULTS.md").read_text(encoding="utf-8") == text


def test_the_real_twiml_webhook_bulk_emulator_and_ivr_rows_are_included(monkeypatch):
    """collect() asks the modules for their rows (checked here without timing them)."""
    from benchmarks import bulk, emulator, ivr, twiml, webhooks

    calls = []
    monkeypatch.setattr(twiml, "run", lambda quick: calls.append(("twiml", quick)) or [])
    monkeypatch.setattr(webhooks, "run", lambda quick: calls.append(("webhooks", quick)) or [])
    monkeypatch.setattr(bulk, "run", lambda quick: calls.append(("bulk", quick)) or {"rows": [], "targets": []})
    monkeypatch.setattr(emulator, "run", lambda quick: calls.append(("emulator", quick)) or {})
    monkeypatch.setattr(ivr, "run", lambda quick: calls.append(("ivr", quick)) or [])
    from benchmarks import test_double, webhook_path

    monkeypatch.setattr(webhook_path, "run", lambda quick: calls.append(("webhook_path", quick)) or {})
    monkeypatch.setattr(test_double, "run", lambda quick: calls.append(("test_double", quick)) or {})
    monkeypatch.setattr(bench, "measure_pairs", lambda *a: {name: 1.0 for name, _ in bench.CONTENDERS})
    monkeypatch.setattr(bench, "measure_paging", lambda *a: {"ours": 1.0, "raw": 1.0, "peak_mb": 0.0})
    monkeypatch.setattr(bench, "import_time", lambda *a: 0.1)
    results = bench.collect(True)
    assert calls == [("twiml", True), ("webhooks", True), ("bulk", True), ("emulator", True), ("ivr", True),
                     ("webhook_path", True), ("test_double", True)]
    assert results["paging_size"] == (200, 50)


def test_the_emulator_benchmark_times_products_in_a_fresh_interpreter(monkeypatch):
    from benchmarks import emulator
    from flask_twilio_rb.emulator.tables import PRODUCTS

    every = emulator.probe_paths()
    assert set(every) == {"2010-04-01"} | set(PRODUCTS)
    assert every["verify"].startswith("/verify/v2/") and every["2010-04-01"].startswith("/2010-04-01/Accounts")
    few = {name: every[name] for name in ("2010-04-01", "verify", "lookups")}  # (all of them: a real run)
    monkeypatch.setattr(emulator, "probe_paths", lambda: few)
    results = emulator.run(quick=True)
    assert set(results["first"]) == set(results["later"]) == set(few)
    assert results["import"] > 0 and results["construct"] > 0 and all(v > 0 for v in results["first"].values())
    assert emulator.report(results)[0].startswith("## Emulator")


def test_each_flask_twilio_rb_contender_uses_its_own_transport():
    """Both are open at once while interleaved; each pair must go through its own transport."""
    from flask_twilio_rb import current
    from flask_twilio_rb.client import get_client

    before = current.app_state_lookup
    with bench.server(5) as base, bench.ours(base, "requests") as by_requests, bench.ours(base, "urllib3") as by_urllib3:
        for pair, transport in ((by_requests, "RequestsTransport"), (by_urllib3, "Urllib3Transport"),
                                (by_requests, "RequestsTransport")):
            message, call = pair()
            assert type(get_client().transport).__name__ == transport
            assert call.sid == bench.CALL_SID
    assert current.app_state_lookup is before


def test_profile_entry_point_names_our_share_of_the_time(capsys):
    from benchmarks import profile

    text = profile.main(["--pairs", "2", "--records", "3", "--webhooks", "2", "--top", "40"])
    assert text in capsys.readouterr().out
    for transport in ("requests", "urllib3"):
        assert f"{transport} transport: 2 pairs + 3 paged records;" in text
    assert "the webhook path (flask_twilio_rb: @validate_twilio_request + render_voice): 2 calls;" in text
    assert "TWILIO_SUPPRESS_SEND (in-process emulator), Message.create + Call.find: 2 calls;" in text
    assert "of the profiled time is in flask_twilio_rb's own functions" in text
    assert "\n* " in text and "ncalls" in text  # the table, with our functions marked


def test_the_bulk_benchmark_measures_the_threads_rate_at_tiny_size(monkeypatch):
    """The rate measurement runs for real (a few texts), and the Celery rows say why when they cannot run."""
    from benchmarks import bulk

    monkeypatch.setattr(bulk, "_services_missing", lambda: "redis-server is not installed")
    result = bulk.run(True)
    assert result["rows"][0]["name"] == "threads backend, 30 texts at rate=100/s"
    assert float(result["rows"][0]["value"].rstrip("/s")) > 0
    assert "not measured: redis-server is not installed" in result["rows"][1]["value"]
    assert [name for name, _, _ in result["targets"]] == ["threads backend rate within 10% of 100/s"]


def test_the_ivr_walk_measures_both_contenders():
    """A tiny real run: the walk on the emulator and its floor both answer as the menu should."""
    from benchmarks import ivr

    rows = ivr.measure(1, 1)
    assert set(rows) == {"ours", "floor"} and all(rate > 0 for rate in rows.values())
    assert [row["unit"] for row in ivr.run(True)] == ["walks/s", "walks/s"]


def test_every_webhook_contender_answers_the_same_signed_request_with_the_same_bytes():
    """contenders() checks each answer against ours; a tiny real CPU measurement of each follows."""
    from benchmarks import measure, webhook_path

    built = webhook_path.contenders()
    assert list(built) == webhook_path.NAMES
    answer = built[webhook_path.OURS]()
    assert answer.startswith(b"<?xml") and b"Hello +15551234567" in answer and b'action="/choice"' in answer
    cpu = measure.cpu_per_call(built, 1, 1)
    assert set(cpu) == set(webhook_path.NAMES) and all(value > 0 for value in cpu.values())
    lines, targets = webhook_path.report({"cpu": cpu, "instructions": None, "why_no_instructions": "quick"})
    assert lines[0].startswith("## The webhook path") and len(targets) == 3


def test_the_webhook_floors_reject_a_forged_signature():
    """The inline HMAC floor does the whole check: a forged request gets 403 there too."""
    from benchmarks import webhook_path

    environ = dict(webhook_path.signed_environ(), HTTP_X_TWILIO_SIGNATURE="A" * 27 + "=")
    for app in (webhook_path.ours_app(), webhook_path.theirs_app(),
                webhook_path.floor_app(b"<Response/>", webhook_path.HMAC)):
        with pytest.raises(AssertionError, match="403"):
            webhook_path.requester(app, environ)()


def test_the_test_double_contenders_make_the_pair_and_the_emulator_serves_16_threads():
    from benchmarks import measure, test_double

    with test_double.contenders() as (pairs, around):
        cpu = measure.cpu_per_call(pairs, 1, 1, around)
    assert list(cpu) == test_double.NAMES and all(value > 0 for value in cpu.values())
    assert test_double.throughput(2) > 0


def test_callgrind_counts_instructions_per_call_between_the_marks():
    """The counting machinery on two known contenders: a sum of 1,000 numbers costs more than nothing."""
    from benchmarks import measure

    if measure.valgrind_missing():
        pytest.skip(measure.valgrind_missing())
    counts = measure.instructions_per_call("benchmarks.measure", list(measure.SELF_CHECK), 5)
    assert counts is not None, "callgrind ran but gave no count per contender (no os_getppid symbol?)"
    assert counts["a sum of 1,000 numbers"] > 10 * counts["nothing"] > 0
