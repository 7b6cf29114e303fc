"""README.rst's code blocks by name: each test-run example is announced by ``.. readme-test: name``."""
from __future__ import annotations

import os
import re
import textwrap
from typing import Dict

README = os.path.join(os.path.dirname(__file__), "..", "README.rst")


def readme_blocks(language: str = r"\w+") -> Dict[str, str]:
    """The code blocks announced by a ``.. readme-test: name`` comment, by name (of ``language``, or any)."""
    with open(README, encoding="utf-8") as file:
        text = file.read()
    found = {}
    pattern = r"^\.\. readme-test: (\S+)\n\.\. code-block:: " + language + r"\n\n((?:    .*\n|\n)+)"
    for match in re.finditer(pattern, text, re.M):
        found[match.group(1)] = textwrap.dedent(match.group(2)).strip("\n")
    return found
