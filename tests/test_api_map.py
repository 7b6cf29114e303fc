"""``api_map()``: every operation of Twilio's spec has a Python spelling."""
from __future__ import annotations

import importlib

import pytest

from flask_twilio_rb import api_map
from flask_twilio_rb.apimap import api_map_lines

from tests import spec_contract
from tests.spec_contract import contract, require_spec


def test_every_spec_operation_is_mapped():
    require_spec()
    spec_ids = contract().operation_ids
    mapping = api_map()
    assert len(spec_ids) == 197
    assert set(mapping) == spec_ids


def test_known_spellings():
    mapping = api_map()
    assert mapping["CreateCall"] == "Call.create(**params)"
    assert "UsageRecord.daily.all" in mapping["ListUsageRecordDaily"]
    assert mapping["ListUsageRecord"].startswith("UsageRecord.all(**filters)")
    assert mapping["CreateIncomingPhoneNumberLocal"] == "IncomingPhoneNumber.local.create(**params)"
    assert mapping["FetchBalance"].startswith("Balance.fetch()  (a singleton")
    # Children name their parents as keywords; a choice is not a parent.
    assert mapping["CreateCallRecording"] == "CallRecording.create(**params, call_sid=...)"
    assert mapping["FetchCallRecording"] == "CallRecording.find(sid, call_sid=...)"
    assert mapping["ListAvailablePhoneNumberTollFree"].startswith(
        "AvailablePhoneNumber.toll_free.all(**filters, country_code=...)")
    assert mapping["DeleteParticipant"] == (
        "Participant.find(sid, conference_sid=...).destroy() / Participant.delete(sid, conference_sid=...)")
    assert mapping["UpdateParticipant"] == (
        "Participant.find(sid, conference_sid=...).update_attributes(**attrs) / "
        "Participant.update(sid, **attrs, conference_sid=...)")
    assert mapping["FetchRecordingAddOnResultPayloadData"] == (
        "RecordingAddOnResultPayloadData.fetch(reference_sid=..., add_on_result_sid=..., payload_sid=...)"
        "  (a singleton)")
    assert mapping["UpdateCall"] == "Call.find(sid).update_attributes(**attrs) / Call.update(sid, **attrs)"
    assert list(mapping) == sorted(mapping)


def test_api_map_lines_are_aligned():
    mapping = api_map()
    lines = api_map_lines()
    assert len(lines) == len(mapping)
    width = max(map(len, mapping))
    for line, (operation_id, call) in zip(lines, mapping.items()):
        assert line == f"{operation_id.ljust(width)}  {call}"
        assert line[width:width + 2] == "  " and line[width + 2:] == call


def test_missing_spec_skips_with_its_origin(monkeypatch, tmp_path):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(spec_contract, "SPEC_PATH", tmp_path / "absent.json")
    with pytest.raises(pytest.skip.Exception) as info:
        spec_contract.require_spec()
    assert "twilio-oai" in str(info.value) and "MIT" in str(info.value)
    assert "absent.json" in str(info.value)


def test_missing_spec_fails_under_ci(monkeypatch, tmp_path):
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(spec_contract, "SPEC_PATH", tmp_path / "absent.json")
    with pytest.raises(pytest.fail.Exception, match="twilio-oai"):
        spec_contract.require_spec()


def test_spec_path_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("TWILIO_OAI_SPEC", str(tmp_path / "spec.json"))
    try:
        reloaded = importlib.reload(spec_contract)
        assert reloaded.SPEC_PATH == tmp_path / "spec.json"
    finally:  # the environment as it was (a run with the spec hidden keeps it hidden), then the module
        monkeypatch.undo()
        importlib.reload(spec_contract)
