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
    monkeypatch.setattr(bench, "import_time", lambda module, repeat: 0.1 if module == "twilio.rest" else 0.04)
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
                "first request to another product (median of 3; loads its tables) | 3.0 |"):
        assert row in text
    assert text.count("| met |") + text.count("| MISSED |") == 8


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
    monkeypatch.setattr(bench, "measure_pairs", lambda *a: {name: 1.0 for name, _ in bench.CONTENDERS})
    monkeypatch.setattr(bench, "measure_paging", lambda *a: {"ours": 1.0, "raw": 1.0, "peak_mb": 0.0})
    monkeypatch.setattr(bench, "import_time", lambda *a: 0.1)
    results = bench.collect(True)
    assert calls == [("twiml", True), ("webhooks", True), ("bulk", True), ("emulator", True), ("ivr", True)]
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

    text = profile.main(["--pairs", "2", "--records", "3", "--top", "40"])
    assert text in capsys.readouterr().out
    for transport in ("requests", "urllib3"):
        assert f"{transport} transport: 2 pairs + 3 paged records;" in text
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
