"""The generated tables are what tools/generate_emulator_table.py makes of the descriptions today."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

from tests.spec_contract import require_spec

ROOT = Path(__file__).resolve().parents[2]


def load_generator() -> Any:
    tool = ROOT / "tools" / "generate_emulator_table.py"
    loader = importlib.util.spec_from_file_location("generate_emulator_table", tool)
    generator = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(generator)
    return generator


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


def test_every_descriptions_table_is_in_step_with_it():
    spec = require_spec()  # skips (fails under CI) without Twilio's descriptions beside the checkout
    assert spec
    from tests.spec_contract import SPEC_PATH

    generator = load_generator()
    written = generator.generate(SPEC_PATH.parent)
    tables = ROOT / "flask_twilio_rb/emulator/tables"
    assert set(written) == {ROOT / "flask_twilio_rb/emulator/table.py"} | set(tables.glob("*.py")), \
        "run python tools/generate_emulator_table.py: a table is missing or left over"
    for path, text in written.items():
        assert path.read_text() == text, f"run python tools/generate_emulator_table.py ({path.name} differs)"


def test_every_operation_of_every_description_is_routed():
    from tests.spec_contract import SPEC_PATH

    require_spec()
    from flask_twilio_rb.emulator.routing import router_for
    from flask_twilio_rb.emulator.tables import DESCRIPTIONS, PRODUCTS

    domains = load_generator().emulator_domains
    expected = set()
    for path in sorted(SPEC_PATH.parent.glob("twilio_*.json")):
        stem = path.stem[len("twilio_"):]
        for route, item in json.loads(path.read_text())["paths"].items():
            for method, op in item.items():
                if method in ("get", "post", "put", "patch", "delete"):
                    key = "" if stem == "api_v2010" else domains.module_key(stem, route)
                    expected.add(f"{key}.{op['operationId']}" if key else op["operationId"])
    routed = {op_id for product in [""] + sorted(PRODUCTS) for op_id in router_for(product).operations}
    assert routed == expected and set(DESCRIPTIONS) == {op_id.rpartition(".")[0] for op_id in routed} - {""}
    print(f"\n{len(routed)} of {len(expected)} operations routed by the emulator")
