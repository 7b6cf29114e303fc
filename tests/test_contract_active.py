"""The spec check of tests/conftest.py is active for every test, on a fresh clone too: a wrong request fails it."""
from __future__ import annotations

import pytest
import responses

from tests import spec_contract
from flask_twilio_rb import Call


def test_the_contract_is_committed_so_the_check_needs_no_descriptions():
    assert spec_contract.CONTRACT_PATH.is_file()
    assert len(spec_contract.contract().operations) > 1000


def test_a_request_the_spec_does_not_allow_fails_the_test(configured):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as api:
        with pytest.raises(AssertionError, match="unknown form field 'Bogus'"):
            Call.create(to="+15005550006", from_="+15005550001", url="https://x.test/t", bogus="1")
        assert len(api.calls) == 0  # nothing was sent


def test_a_valid_request_passes(configured):
    with responses.RequestsMock() as api:
        api.post(f"https://api.twilio.com/2010-04-01/Accounts/AC{'a' * 32}/Calls.json", json={"sid": "CA" + "1" * 32})
        assert Call.create(to="+15005550006", from_="+15005550001", url="https://x.test/t").sid == "CA" + "1" * 32
