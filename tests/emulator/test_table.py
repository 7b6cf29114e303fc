"""The generated table is what tools/generate_emulator_table.py makes of the spec today."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from tests.spec_contract import require_spec

ROOT = Path(__file__).resolve().parents[2]


def test_the_table_is_in_step_with_the_spec():
    spec = require_spec()
    tool = ROOT / "tools" / "generate_emulator_table.py"
    loader = importlib.util.spec_from_file_location("generate_emulator_table", tool)
    generator = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(generator)
    written = (ROOT / "flask_twilio_rb/emulator/table.py").read_text()
    assert generator.render(generator.build(spec)) == written, "run python tools/generate_emulator_table.py"


def test_every_operation_of_the_spec_is_routed():
    from flask_twilio_rb.emulator.routing import Router

    spec = require_spec()
    operation_ids = {op["operationId"] for item in spec["paths"].values() for method, op in item.items()
                     if method in ("get", "post", "delete")}
    assert set(Router().operations) == operation_ids
    assert len(operation_ids) == 197
