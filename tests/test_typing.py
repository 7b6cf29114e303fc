"""The package ships ``py.typed``: mypy must find no error in it, or users' type checks inherit ours;
and what users import from the top level reaches mypy with its real type, not ``Any``."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import flask_twilio_rb

import mypy.api as mypy_api  # noqa: E402  (in the test extra, so this check never skips)

PACKAGE = Path(flask_twilio_rb.__file__).parent


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory) -> Path:
    # A fresh cache: the result cannot come from an earlier run, and nothing is written to the repository.
    # A cold run takes a few seconds (mypy's wheels are compiled); the tests of this module share it.
    return tmp_path_factory.mktemp("mypy_cache")


def test_mypy_finds_no_error_in_the_package(mypy_cache: Path) -> None:
    report, errors, status = mypy_api.run(
        [str(PACKAGE), "--ignore-missing-imports", "--cache-dir", str(mypy_cache)])
    assert status == 0, report + errors


PROBE = """\
from flask import Flask
from flask_twilio_rb import Call, TwiML, TwilioRB, client_for
from flask_twilio_rb.verify import Service

app = Flask(__name__)
twilio = TwilioRB(app)
reveal_type(Call.create)
reveal_type(TwiML.response)
reveal_type(twilio.init_app)
reveal_type(client_for(app))
reveal_type(client_for(app).settings.timeout)
reveal_type(Service.create)
"""


def test_top_level_names_have_their_real_types_for_mypy(tmp_path: Path, mypy_cache: Path) -> None:
    """Run where a user's project is (not this checkout): mypy finds the package through its (editable) install."""
    (tmp_path / "probe.py").write_text(PROBE)
    result = subprocess.run([sys.executable, "-m", "mypy", "probe.py", "--cache-dir", str(mypy_cache)],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    revealed = [line.split("Revealed type is ", 1)[1] for line in result.stdout.splitlines()
                if "Revealed type is" in line]
    assert len(revealed) == 6, result.stdout + result.stderr
    assert not [r for r in revealed if '"Any"' in r], revealed
    assert "flask_twilio_rb.api.v2010.Call" in revealed[0]
    assert "flask_twilio_rb.twiml.builder" in revealed[1]
    assert "flask.app.Flask" in revealed[2]
    assert revealed[3] == '"flask_twilio_rb.client.Client"' and revealed[4] in ('"float"', '"builtins.float"')
    assert "flask_twilio_rb.verify.v2.Service" in revealed[5]  # a domain's lazy export, typed too
    assert "error:" not in result.stdout, result.stdout


def test_every_lazy_name_is_imported_for_type_checkers() -> None:
    """The TYPE_CHECKING imports of ``__init__.py`` and its lazy ``_EXPORTS`` name the same things, from the same modules."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text())
    [block] = [node for node in tree.body if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING"]
    imported = {alias.name: node.module for node in block.body if isinstance(node, ast.ImportFrom)
                for alias in node.names}
    assert imported == flask_twilio_rb._EXPORTS
