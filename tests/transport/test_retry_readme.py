"""The code blocks of README's "Errors, retries and timeouts" section run as written."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.rst"


def section_blocks() -> list:
    text = README.read_text(encoding="utf-8")
    start = text.index("Errors, retries and timeouts\n----")
    end = text.index("\n-----", start + 40)
    section = text[start:text.rindex("\n", 0, end)]
    blocks = re.findall(r"\.\. code-block:: python\n\n((?:    .*\n|\n)+)", section)
    return [re.sub(r"^    ", "", block, flags=re.M) for block in blocks]


def test_the_section_has_its_examples():
    assert len(section_blocks()) == 2


@pytest.mark.no_contract  # the example talks to the emulator, which checks requests itself
@pytest.mark.parametrize("index", [0, 1])
def test_each_example_runs(index):
    source = f"README.rst (Errors, retries and timeouts, block {index + 1})"
    exec(compile(section_blocks()[index], source, "exec"), {"__name__": "__main__"})  # Flask needs a real module
