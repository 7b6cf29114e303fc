"""The package ships ``py.typed``: mypy must find no error in it, or users' type checks inherit ours."""
from __future__ import annotations

from pathlib import Path


import flask_twilio_rb

import mypy.api as mypy_api  # noqa: E402  (in the test extra, so this check never skips)


def test_mypy_finds_no_error_in_the_package(tmp_path: Path) -> None:
    package = Path(flask_twilio_rb.__file__).parent
    # A fresh cache: the result cannot come from an earlier run, and nothing is written to the repository.
    # A cold run takes a few seconds (mypy's wheels are compiled).
    report, errors, status = mypy_api.run(
        [str(package), "--ignore-missing-imports", "--cache-dir", str(tmp_path / "mypy_cache")])
    assert status == 0, report + errors
