"""Fixtures of the TwiML tests: a Flask app with the extension, bare Jinja environments."""
from __future__ import annotations

from typing import Any, Callable, Iterator

import pytest
from flask import Flask
from jinja2 import DictLoader, Environment, FileSystemLoader

from flask_twilio_rb import TwilioRB
from flask_twilio_rb.twiml import TwiMLExtension

from tests.twiml.twiml_helpers import TEMPLATES


@pytest.fixture
def app() -> Iterator[Flask]:
    app = Flask(__name__, template_folder=TEMPLATES)
    app.config.update(TESTING=True, TWILIO_ACCOUNT_SID="AC" + "0" * 32, TWILIO_AUTH_TOKEN="x" * 32)
    TwilioRB(app)
    yield app


@pytest.fixture
def env() -> Environment:
    """A bare Jinja environment (autoescape off) that loads tests/twiml/templates."""
    return Environment(loader=FileSystemLoader(TEMPLATES), extensions=[TwiMLExtension])


@pytest.fixture
def render() -> Callable[..., str]:
    """``render(source, template="t.voice", **context)``: compile ``source`` under ``name`` and render it."""
    def render(source: str, template: str = "t.voice", **context: Any) -> str:
        environment = Environment(loader=DictLoader({template: source}), extensions=[TwiMLExtension])
        return environment.get_template(template).render(**context)
    return render
