"""Balance-style singletons, the retired Sandbox, and payload data."""
from __future__ import annotations

import pytest

from flask_twilio_rb import (Account, Balance, RecordingAddOnResultPayload, RecordingAddOnResultPayloadData,
                             RetiredOperationError, Sandbox)

from tests.resources.resource_helpers import api  # noqa: F401  (fixture)
from tests.resources.resource_helpers import ACCOUNT_SID, API, BASE, SUB_SID, path, user


def _balance(api, url=f"{API}/Balance.json", amount="12.50"):
    api.get(url, json={"account_sid": ACCOUNT_SID, "balance": amount, "currency": "USD"})


def test_class_attributes_fetch_once(api):
    _balance(api)
    assert Balance.balance == "12.50"
    assert Balance.currency == "USD"
    assert len(api.calls) == 1
    assert path(api.calls[0]) == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Balance.json"
    with pytest.raises(AttributeError):
        Balance.nonexistent_field
    assert len(api.calls) == 1


def test_private_names_do_not_fetch(api):
    with pytest.raises(AttributeError):
        Balance._no_such_thing
    assert len(api.calls) == 0


def test_class_reload_refetches(api):
    _balance(api)
    assert Balance.balance == "12.50"
    api.replace("GET", f"{API}/Balance.json", json={"balance": "3.00", "currency": "USD"})
    fresh = Balance.reload()
    assert fresh.balance == "3.00" and Balance.balance == "3.00"
    assert len(api.calls) == 2


def test_instance_reload(api):
    _balance(api)
    balance = Balance.fetch()
    assert Balance.fetch() is balance
    api.replace("GET", f"{API}/Balance.json", json={"balance": "1.00"})
    assert balance.reload() is balance
    assert balance.balance == "1.00"
    assert len(api.calls) == 2


def test_subaccount_balance(api):
    _balance(api, f"{BASE}/Accounts/{SUB_SID}/Balance.json", "7.00")
    assert Account({"sid": SUB_SID}).balance.balance == "7.00"
    assert user(api.calls[0]) == ACCOUNT_SID


def test_read_only():
    with pytest.raises(AttributeError, match="Balance.x is read-only"):
        Balance.x = 1
    with pytest.raises(AttributeError, match="read-only"):
        Balance({"balance": "1"}).balance = "2"


def test_sandbox_retired(api):
    with pytest.raises(RetiredOperationError, match="Sandbox"):
        Sandbox.pin
    with pytest.raises(RetiredOperationError):
        Sandbox.fetch()
    assert len(api.calls) == 0


def test_payload_data(api):
    ref, result, payload_sid = "RE" + "1" * 32, "XR" + "1" * 32, "XH" + "1" * 32
    url = f"{API}/Recordings/{ref}/AddOnResults/{result}/Payloads/{payload_sid}/Data.json"
    api.get(url, json={"redirect_to": "https://media"})
    payload = RecordingAddOnResultPayload({"sid": payload_sid},
                                          {"account_sid": ACCOUNT_SID, "reference_sid": ref, "add_on_result_sid": result})
    data = payload.data
    assert isinstance(data, RecordingAddOnResultPayloadData)
    assert data.redirect_to == "https://media"
    assert payload.data is data
    assert len(api.calls) == 1


def test_a_payloads_data_is_read_from_the_emulator_or_missing():
    """A singleton fetched from the in-process emulator: 404 until Twilio (here: a seed) has made it."""
    from flask_twilio_rb import Config, NotFoundError, Recording, RecordingAddOnResult, get_client

    Config.setup(suppress_send=True)
    emulator = get_client().emulator
    recording = emulator.seed(Recording)
    result = emulator.seed(RecordingAddOnResult, reference_sid=recording["sid"])
    payload = emulator.seed(RecordingAddOnResultPayload, reference_sid=recording["sid"],
                            add_on_result_sid=result["sid"])
    where = {"reference_sid": recording["sid"], "add_on_result_sid": result["sid"], "payload_sid": payload["sid"]}
    with pytest.raises(NotFoundError):
        RecordingAddOnResultPayloadData.fetch(**where)
    emulator.seed(RecordingAddOnResultPayloadData, **where, redirect_to="https://example.com/data")
    assert RecordingAddOnResultPayloadData.reload(**where).redirect_to == "https://example.com/data"
