"""Every resource class of the registry, through the library: answers carry the fields of the spec's schema.

Each class is created (or seeded, when only Twilio makes it), then fetched, listed, updated and
deleted as its declaration allows; every answer's keys must be the properties of the response
schema Twilio's OpenAPI description gives that operation. Parents (a call for its recordings...)
are seeded first.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List

import pytest

from flask_twilio_rb.registry import classes
from flask_twilio_rb.resources import REGISTRY
from flask_twilio_rb.resources.singleton import Singleton

from tests.emulator.emulator_helpers import FROM
from tests.spec_contract import contract, example_value, load_spec, require_spec, resolve

#: What Twilio needs beyond the spec's required fields to create one.
EXTRA = {"Call": {"url": "https://example.com/voice"}, "Message": {"body": "hi", "from_": FROM},
         "SMS": {"body": "hi", "from_": FROM}, "IncomingPhoneNumber": {"phone_number": FROM}}
#: Resources Twilio computes rather than stores: nothing to seed, the instance to fetch.
GENERATED = {"AvailablePhoneNumber": {}, "AvailablePhoneNumberCountry": {"country_code": "GB"}, "Balance": {},
             "UsageRecord": {}}
#: Parents, seeded in this order: (class, path value name, what it needs).
PARENTS = [("Call", "call_sid", {}), ("Message", "message_sid", {}), ("Conference", "conference_sid", {}),
           ("Queue", "queue_sid", {}), ("Recording", "recording_sid", {}), ("Address", "address_sid", {}),
           ("IncomingPhoneNumber", "resource_sid", {}), ("SipDomain", "domain_sid", {}),
           ("SipCredentialList", "credential_list_sid", {}),
           ("SipIpAccessControlList", "ip_access_control_list_sid", {}),
           ("RecordingAddOnResult", "add_on_result_sid", {"reference_sid": "recording_sid"}),
           ("RecordingAddOnResultPayload", "payload_sid", {"reference_sid": "recording_sid",
                                                            "add_on_result_sid": "add_on_result_sid"}),
           ("IncomingPhoneNumberAssignedAddOn", "assigned_add_on_sid", {"resource_sid": "resource_sid"})]
#: The 2010-04-01 API's classes (bare names); Sandbox: retired by Twilio, no operation.
NAMES = sorted(cls.__name__ for cls in classes(["api.v2010"]) if cls.__name__ != "Sandbox")


def response_fields(operation_id: str) -> List[str]:
    """The properties of the operation's answer (of one list item, for a list)."""
    operation = contract().operations[operation_id]
    answer = load_spec()["paths"][operation.path][operation.method.lower()]["responses"]
    content = next(answer[code]["content"]["application/json"] for code in sorted(answer)
                   if code[0] in "23" and "application/json" in answer[code].get("content", {}))
    schema = resolve(load_spec(), content["schema"])
    arrays = [p for p in schema.get("properties", {}).values() if p.get("type") == "array" and "$ref" in p["items"]]
    if operation_id.startswith("List") and arrays:
        schema = resolve(load_spec(), arrays[0]["items"])
    return sorted(schema["properties"])


def keyword(name: str) -> str:
    snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()
    return snake + "_" if snake in ("from",) else snake


def required(operation_id: str, name: str = "") -> Dict[str, Any]:
    """Spec-valid values of the operation's required fields, with what ``EXTRA`` adds for class ``name``."""
    operation = contract().operations[operation_id]
    values = {keyword(field): example_value(field, operation.form_fields[field])
              for field in sorted(operation.required_form)}
    return {**values, **EXTRA.get(name, {})}


@pytest.fixture
def parents(emulator) -> Dict[str, str]:
    values: Dict[str, str] = {}
    for name, key, needs in PARENTS:
        cls = REGISTRY[name]
        values[key] = emulator.seed(name, **{k: values[v] for k, v in needs.items()})[cls._id_field]
    values["reference_sid"] = values["recording_sid"]
    return values


@pytest.mark.parametrize("name", NAMES)
def test_answers_carry_the_spec_schemas_fields(emulator, parents, name):
    require_spec()
    cls = REGISTRY[name]
    operations = cls._operations
    scope = {p: parents[p] for p in cls._placeholders
             if p != "account_sid" and p not in cls._choices and p not in cls._defaults}
    checked = []
    if "create" in operations:
        obj = cls.create(**scope, **required(operations["create"], name))
        assert sorted(obj.to_dict()) == response_fields(operations["create"])
        checked.append("create")
    elif name in GENERATED:
        obj = cls(GENERATED[name], scope)
    else:
        obj = cls(emulator.seed(name, **scope), scope)
    if "fetch" in operations:
        fetched = cls.fetch(**scope) if issubclass(cls, Singleton) else cls.find(obj.id, **scope)
        assert sorted(fetched.to_dict()) == response_fields(operations["fetch"])
        checked.append("fetch")
    for capability, operation_id in sorted(operations.items()):
        if capability.startswith("list"):
            choice = dict(re.findall(r"(\w+)=(\w+)", capability))
            listed = cls.all(**scope, **choice)
            assert listed, f"{name}.all({choice}) is empty"
            assert all(sorted(item.to_dict()) == response_fields(operation_id) for item in listed)
            checked.append(capability)
        elif capability.startswith("create["):
            choice = dict(re.findall(r"(\w+)=(\w+)", capability))
            created = cls.create(**scope, **choice, **required(operation_id, name))
            assert sorted(created.to_dict()) == response_fields(operation_id)
            checked.append(capability)
    if "update" in operations:
        updated = cls.update(obj.id, **scope, **required(operations["update"]))
        assert sorted(updated.to_dict()) == response_fields(operations["update"])
        checked.append("update")
    if "delete" in operations:
        assert cls.delete(obj.id, **scope)
        assert "fetch" not in operations or cls.find(obj.id, **scope) is None
        checked.append("delete")
    assert len(checked) == len(operations)


def test_sid_prefixes_agree_with_the_registry(emulator):
    from flask_twilio_rb.emulator import table
    from flask_twilio_rb.emulator.inspection import collection_of

    for name in NAMES:
        cls = REGISTRY[name]
        if cls._id_prefix and cls._id_field == "sid":
            collection, _ = collection_of(emulator._backend, emulator.operations_for(cls), name)
            assert table.COLLECTIONS[collection][1] == cls._id_prefix.split("|")[0], name
