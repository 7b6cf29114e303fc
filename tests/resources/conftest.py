"""A mocked Twilio for the resource-layer tests."""
from __future__ import annotations

import pytest
import responses


@pytest.fixture
def api(configured):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock
