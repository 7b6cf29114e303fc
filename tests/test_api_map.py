"""``api_map()``: every operation of every Twilio description has a Python spelling, keyed as the registry keys classes."""
from __future__ import annotations

import importlib

import pytest

from flask_twilio_rb import api_map
from flask_twilio_rb.apimap import api_map_lines

from tests import spec_contract
from tests.spec_contract import contract


def test_every_operation_of_every_description_is_mapped():
    mapping = api_map()
    assert set(mapping) == contract().operation_ids
    assert len([key for key in mapping if "." not in key]) == 197  # the 2010-04-01 API's keep their bare ids
    assert "verify.v2.CreateService" in mapping and "messaging.v1.CreateService" in mapping  # ids repeat


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


def test_spellings_of_the_other_descriptions_name_the_domain_and_the_parents():
    mapping = api_map()
    assert mapping["verify.v2.CreateVerification"] == "verify.Verification.create(**params, service_sid=...)"
    assert mapping["verify.v2.CreateVerificationCheck"] == "verify.VerificationCheck.create(**params, service_sid=...)"
    # A non-SID id reads as what it is; an older version keeps its version in the name.
    assert mapping["lookups.v2.FetchPhoneNumber"] == "lookups.PhoneNumber.find(phone_number)"
    assert mapping["lookups.v1.FetchPhoneNumber"] == "lookups.v1.PhoneNumber.find(phone_number)"
    # A parent called {Sid} in the path is named after the parent; singletons fetch without an id.
    assert mapping["studio.v2.ListFlowRevision"].startswith("studio.FlowRevision.all(**filters, flow_sid=...)")
    assert mapping["flex_api.v1.FetchConfiguration"].startswith("flex_api.Configuration.fetch()  (a singleton")
    assert mapping["flex_api.v1.UpdateConfiguration"] == "flex_api.Configuration.update(**attrs)"
    # PUT and PATCH are updates too; a create that names its instance takes its id.
    assert mapping["content.v1.UpdateContent"].startswith("content.Content.find(sid).update_attributes(")
    assert mapping["preview_iam.versionless.PatchOrganizationUser"] == (
        "preview_iam.User.find(sid, organization_sid=...).patch(**changes)")
    assert mapping["assistants.v1.CreateAssistantKnowledgeAttachment"] == (
        "assistants.AssistantsKnowledge.create(**params, assistant_id=..., id=...)")


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
