"""pytest plugin of flask-twilio-rb, registered through the ``pytest11`` entry point.

Fixtures:

* ``twilio_emulator``: a running :class:`~flask_twilio_rb.testing.TwilioEmulator`; script
  clients and your ``app`` fixture (if your tests define one) talk to it during the test.
* ``twilio_outbox``: every request your app (or script) sends during the test, recorded;
  nothing leaves the process unless the test also uses ``twilio_emulator``.

It lives outside the package on purpose: pytest loads entry-point plugins before
pytest-cov starts measuring, so this module imports ``flask_twilio_rb`` only inside
the fixtures, keeping the package's own import measured like any other code.
"""
from __future__ import annotations

from typing import Any, Iterator, Optional

import pytest


def _project_app(request: pytest.FixtureRequest) -> Optional[Any]:
    """The test's Flask ``app`` fixture when the project defines one and it uses TwilioRB."""
    try:
        app = request.getfixturevalue("app")
    except pytest.FixtureLookupError:
        return None
    extensions = getattr(app, "extensions", None)
    return app if isinstance(extensions, dict) and "twilio_rb" in extensions else None


@pytest.fixture
def twilio_emulator(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A running Twilio emulator that the app under test and script clients use."""
    from flask_twilio_rb.testing.fixtures import running_emulator

    with running_emulator(_project_app(request)) as emulator:
        yield emulator


@pytest.fixture
def twilio_outbox(request: pytest.FixtureRequest) -> Iterator[Any]:
    """The requests sent during the test (suppressed unless ``twilio_emulator`` is also used)."""
    from flask_twilio_rb.testing.fixtures import recording_outbox

    if "twilio_emulator" in request.fixturenames:  # record on the emulator's client, set up first
        request.getfixturevalue("twilio_emulator")
    with recording_outbox(_project_app(request)) as outbox:
        yield outbox
