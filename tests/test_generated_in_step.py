"""What tools/ generates from Twilio's descriptions is what is committed: the contract and every declaration.

Both need the descriptions (../shared/twilio-oai): without them these tests skip, saying where
the descriptions come from, except under CI, where they fail. Everything else checks against
the committed contract, so a fresh clone runs the whole suite.
"""
from __future__ import annotations

import filecmp
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from flask_twilio_rb.catalog import MODULES
from tests.spec_contract import CONTRACT_PATH, SPEC_PATH, missing_descriptions

ROOT = Path(__file__).resolve().parents[1]
DESCRIPTIONS = SPEC_PATH.parent


def tool(name: str) -> ModuleType:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        loader = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
        module = importlib.util.module_from_spec(loader)  # type: ignore[arg-type]
        loader.loader.exec_module(module)  # type: ignore[union-attr]
        return module
    finally:
        sys.path.remove(str(ROOT / "tools"))


@pytest.fixture
def descriptions() -> Path:
    if not sorted(DESCRIPTIONS.glob("twilio_*.json")):
        missing_descriptions(f"Twilio's descriptions (twilio_*.json in {DESCRIPTIONS})")
    return DESCRIPTIONS


def test_the_contract_is_in_step_with_the_descriptions(descriptions):
    generator = tool("generate_contract")
    built = generator.build(descriptions)
    assert generator.dumps(built) == CONTRACT_PATH.read_text(), "run python tools/generate_contract.py"
    total = sum(1 for path in sorted(descriptions.glob("twilio_*.json")) for _ in _operations(path))
    assert len(built["operations"]) == total  # every operation of every description, none twice


def _operations(path: Path):
    import json

    spec = json.loads(path.read_text())
    for item in spec["paths"].values():
        for method in ("get", "post", "put", "patch", "delete"):
            if isinstance(item.get(method), dict):
                yield item[method]["operationId"]


def test_the_declarations_are_what_the_generator_writes(descriptions, tmp_path):
    tool("generate_resources").main(descriptions, tmp_path / "flask_twilio_rb")
    written = sorted(p.relative_to(tmp_path) for p in (tmp_path / "flask_twilio_rb").rglob("*.py"))
    assert written, "the generator wrote nothing"
    stale = [str(p) for p in written if not filecmp.cmp(tmp_path / p, ROOT / p, shallow=False)]
    assert not stale, f"run python tools/generate_resources.py: {stale}"


def test_the_stubs_are_what_the_generator_writes(descriptions, tmp_path):
    """Every generated module has its stub beside it, as tools/generate_stubs.py writes it now."""
    tool("generate_stubs").main(descriptions, tmp_path / "flask_twilio_rb")
    written = sorted(p.relative_to(tmp_path) for p in (tmp_path / "flask_twilio_rb").rglob("*.pyi"))
    committed = sorted(p.relative_to(ROOT) for p in (ROOT / "flask_twilio_rb").rglob("*.pyi")
                       if p.name != "kinds.pyi")  # (kinds.pyi: the aliases the stubs share, hand-written)
    assert written == committed, "run python tools/generate_stubs.py"
    assert {p.with_suffix("") for p in written} == {Path("flask_twilio_rb", *key.split(".")) for key in MODULES}
    stale = [str(p) for p in written if not filecmp.cmp(tmp_path / p, ROOT / p, shallow=False)]
    assert not stale, f"run python tools/generate_stubs.py: {stale}"


def test_without_descriptions_the_in_step_tests_skip_saying_where_they_come_from(monkeypatch, tmp_path):
    from tests import spec_contract

    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="twilio-oai"):
        spec_contract.missing_descriptions(f"Twilio's descriptions in {tmp_path}")
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match="MIT"):
        spec_contract.missing_descriptions(f"Twilio's descriptions in {tmp_path}")
