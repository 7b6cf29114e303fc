"""README.rst's reference of every domain is what tools/resource_table.py makes of the declarations."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from tests.readme_blocks import README

from flask_twilio_rb.catalog import MODULES

ROOT = Path(__file__).resolve().parents[1]


def test_the_readme_reference_is_in_step_with_the_declarations():
    loader = importlib.util.spec_from_file_location("resource_table", ROOT / "tools" / "resource_table.py")
    table = importlib.util.module_from_spec(loader)  # type: ignore[arg-type]
    loader.loader.exec_module(table)  # type: ignore[union-attr]
    written = Path(README).read_text(encoding="utf-8")
    assert table.in_readme(written) == table.render(), "run python tools/resource_table.py"
    for module in MODULES:  # every module, and the domains users ask for most, are there
        assert f"``flask_twilio_rb.{module}``" in written
    for line in ("* ``Verification``: create, fetch, update; ``/v2/Services/{service_sid}/Verifications``",
                 "* ``PhoneNumber``: fetch; ``/v2/PhoneNumbers``",
                 "* ``Call``: create, delete, fetch, list, update; ``/2010-04-01/Accounts/{account_sid}/Calls.json``"):
        assert line in written
