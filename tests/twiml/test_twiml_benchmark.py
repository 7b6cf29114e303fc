"""benchmarks/twiml.py: the three ways agree, and run() gives the rows the report expects."""
from __future__ import annotations

import importlib.util
import os
from types import ModuleType
from typing import Any

import pytest

PATH = os.path.join(os.path.dirname(__file__), "..", "..", "benchmarks", "twiml.py")


@pytest.fixture
def benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmark_twiml", PATH)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_run_gives_one_row_per_way_with_ratios_over_twilio_python(benchmark: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    rates = {benchmark.builder: 40.0, benchmark.twilio_python: 10.0}
    monkeypatch.setattr(benchmark, "_rate", lambda func, quick: rates.get(func, 20.0))  # 20: the template
    rows = benchmark.run(quick=True)
    assert [(row["name"], row["value"], row["unit"], row["ratio"]) for row in rows] == [
        ("twiml: 10-verb document, builder", 40, "documents/s", 4.0),
        ("twiml: 10-verb document, .voice template", 20, "documents/s", 2.0),
        ("twiml: 10-verb document, twilio-python VoiceResponse", 10, "documents/s", 1.0),
    ]
