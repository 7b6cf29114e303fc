"""README.rst's TwiML section: its examples run and give the output it shows."""
from __future__ import annotations

import doctest
from typing import Any, Dict

from jinja2 import DictLoader, Environment
from tests.readme_blocks import README, readme_blocks
from tests.twiml.twiml_helpers import canonical

from flask_twilio_rb.twiml import TwiMLExtension


def test_the_pycon_examples_give_the_output_shown() -> None:
    result = doctest.testfile(README, module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 5
    assert result.failed == 0


def test_the_seed_example_gives_the_document_shown_both_ways() -> None:
    blocks = readme_blocks()
    namespace: Dict[str, Any] = {}
    exec(blocks["seed-builder"], namespace)
    assert namespace["xml"] == blocks["seed-output"]
    environment = Environment(loader=DictLoader({"welcome.voice": blocks["seed-template"]}), extensions=[TwiMLExtension])
    assert canonical(environment.get_template("welcome.voice").render(name="Bob")) == canonical(blocks["seed-output"])


def test_the_views_example_runs() -> None:
    namespace: Dict[str, Any] = {"__name__": "readme_views"}
    exec(readme_blocks()["views"], namespace)
    response = namespace["app"].test_client().post("/goodbye")
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert response.get_data(as_text=True).endswith("<Response><Say>Goodbye!</Say><Hangup/></Response>")
