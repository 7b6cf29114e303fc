"""The distributions: an sdist whose tests can run, a wheel with the licence and py.typed, metadata twine accepts."""
from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

from flask_twilio_rb.catalog import MODULES

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """``python -m build`` of this checkout (without an isolated environment: no download, a few seconds)."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    return out


def test_twine_check_passes(dist):
    result = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *map(str, dist.iterdir())],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2


def test_the_sdist_carries_the_licence_and_what_its_tests_need(dist):
    [sdist] = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for needed in ("LICENSE", "CHANGELOG.rst", "README.rst", "pyproject.toml", "setup.cfg", "setup.py",
                   "pytest_twilio_rb.py", "tests/conftest.py", "tests/cli/test_cli_rest.py",
                   "example_app/__init__.py", "example_app/templates/welcome.voice",
                   "tools/generate_resources.py", "tools/generate_stubs.py", "benchmarks/run.py", "flask_twilio_rb/py.typed",
                   "flask_twilio_rb/api/v2010.pyi", "flask_twilio_rb/resources/kinds.pyi"):
        assert needed in names, needed
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]


def test_the_wheel_has_the_licence_the_typing_marker_and_the_metadata(dist):
    [wheel] = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        [metadata_name] = [n for n in names if n.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(archive.read(metadata_name).decode())
    assert any(n.endswith(".dist-info/licenses/LICENSE") or n.endswith(".dist-info/LICENSE") for n in names)
    assert "flask_twilio_rb/py.typed" in names and "pytest_twilio_rb.py" in names
    # The typing of every generated module ships beside it (mypy and editors read the stubs).
    stubs = {n for n in names if n.endswith(".pyi")}
    assert "flask_twilio_rb/resources/kinds.pyi" in stubs
    assert {n for n in names if n.endswith(".py") and f"{n}i" in stubs} >= {"flask_twilio_rb/api/v2010.py",
                                                                             "flask_twilio_rb/verify/v2.py"}
    assert len(stubs) == 1 + len(MODULES)
    assert not [n for n in names if n.startswith(("tests/", "example_app/", "tools/", "benchmarks/"))]
    classifiers = metadata.get_all("Classifier")
    for expected in ("License :: OSI Approved :: MIT License", "Framework :: Flask", "Framework :: Pytest",
                     "Typing :: Typed", "Programming Language :: Python :: 3.9"):
        assert expected in classifiers
    assert [c for c in classifiers if c.startswith("Development Status ::")]
    assert metadata["Author"] and metadata["License"] == "MIT"
    requires = {r.split(">")[0].split(";")[0].strip().lower() for r in metadata.get_all("Requires-Dist")
                if "extra ==" not in r}
    assert {"flask", "werkzeug", "click", "blinker", "markupsafe", "jinja2", "requests", "urllib3", "pyjwt"} <= requires
