"""README.rst's TwiML section: its examples run and give the output it shows."""
from __future__ import annotations

import doctest
import os
import re
import textwrap
from typing import Any, Dict

from twiml_helpers import canonical
from jinja2 import DictLoader, Environment

from flask_twilio_rb.twiml import TwiMLExtension

README = os.path.join(os.path.dirname(__file__), "..", "..", "README.rst")


def _blocks() -> Dict[str, str]:
    """The code blocks announced by a ``.. readme-test: name`` comment, by name."""
    with open(README, encoding="utf-8") as file:
        text = file.read()
    found = {}
    for match in re.finditer(r"^\.\. readme-test: (\S+)\n\.\. code-block:: \w+\n\n((?:    .*\n|\n)+)", text, re.M):
        found[match.group(1)] = textwrap.dedent(match.group(2)).strip("\n")
    return found


def test_the_pycon_examples_give_the_output_shown() -> None:
    result = doctest.testfile(README, module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 5
    assert result.failed == 0


def test_the_seed_example_gives_the_document_shown_both_ways() -> None:
    blocks = _blocks()
    namespace: Dict[str, Any] = {}
    exec(blocks["seed-builder"], namespace)
    assert namespace["xml"] == blocks["seed-output"]
    environment = Environment(loader=DictLoader({"welcome.voice": blocks["seed-template"]}), extensions=[TwiMLExtension])
    assert canonical(environment.get_template("welcome.voice").render(name="Bob")) == canonical(blocks["seed-output"])


def test_the_views_example_runs() -> None:
    namespace: Dict[str, Any] = {"__name__": "readme_views"}
    exec(_blocks()["views"], namespace)
    response = namespace["app"].test_client().post("/goodbye")
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert response.get_data(as_text=True).endswith("<Response><Say>Goodbye!</Say><Hangup/></Response>")
