"""Every operation of Twilio's 2010-04-01 spec, performed through the library's Python API.

Each case calls the library the way a user would (class methods, instance methods, proxies,
scoped choices, singletons); every HTTP request it sends is captured and validated against
the spec (tests/spec_contract.py), and must be the case's own operation. The summary test
then checks that the table covers all the spec's operations.
"""
from __future__ import annotations

import json
import re
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest
import responses

from flask_twilio_rb import api_map, get_client
from flask_twilio_rb.resources import REGISTRY
from flask_twilio_rb.resources.paths import PATH_PREFIXES
from flask_twilio_rb.resources.params import twilio_name
from flask_twilio_rb.resources.singleton import Singleton

from tests.accounts import ACCOUNT_SID
from tests.spec_contract import SPEC_PATH, check_request, contract, example_value, load_spec, require_spec

ANY_TWILIO_URL = re.compile(r"https://api\.twilio\.com/.*")
HEX32 = "0123456789abcdef" * 2
CA = "CA" + HEX32
PN = "PN" + HEX32
Case = Tuple[str, Callable[[], Any]]


# -- the responses Twilio would give ------------------------------------------------------------
def _record(operation_id: str) -> Dict[str, Any]:
    return {"sid": "XX" + "f" * 32, "account_sid": ACCOUNT_SID, "call_sid": CA, "status": "queued",
            "phone_number": "+15005550006", "country_code": "US", "uri": "/2010-04-01/x.json",
            "operation": operation_id}


def _list_key(operation_id: str) -> str:
    operation = contract().operations[operation_id]
    item = load_spec()["paths"][operation.path]["get"]
    schema = item["responses"]["200"]["content"]["application/json"]["schema"]
    props = schema.get("properties", {})
    return next(name for name, prop in props.items() if prop.get("type") == "array")


class Recorder:
    """A catch-all ``responses`` callback: validates each request and answers plausibly."""

    def __init__(self) -> None:
        self.operations: List[str] = []

    def __call__(self, request: Any) -> Tuple[int, Dict[str, str], str]:
        operation_id = check_request(request.method, request.url, request.body)
        self.operations.append(operation_id)
        if request.method == "DELETE":
            return 204, {}, ""
        if operation_id.startswith("List"):
            page = {_list_key(operation_id): [_record(operation_id)], "next_page_uri": None,
                    "page": 0, "page_size": 50}
            return 200, {"Content-Type": "application/json"}, json.dumps(page)
        status = 201 if request.method == "POST" and operation_id.startswith("Create") else 200
        return status, {"Content-Type": "application/json"}, json.dumps(_record(operation_id))


@pytest.fixture
def recorder(configured):
    require_spec()
    rec = Recorder()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        for method in ("GET", "POST", "DELETE"):
            mock.add_callback(method, ANY_TWILIO_URL, callback=rec)
        yield rec


# -- building the table ----------------------------------------------------------------------------
def _snake(name: str) -> str:
    """``StatusCallback`` -> ``status_callback``; ``From`` -> ``from_`` (the library's spelling)."""
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
    return snake + "_" if snake in ("from", "in") else snake


def _sid_value(name: str, schema: Dict[str, Any], prefix: Optional[str]) -> Any:
    """A value for a path parameter: the spec's pattern, else the SID prefix the library checks."""
    if name == "CountryCode":
        return "US"
    if not schema.get("pattern") and prefix:
        return prefix.split("|")[0] + HEX32
    return example_value(name, schema)


def _path_value(operation_id: str, placeholder: str) -> Any:
    name = twilio_name(placeholder)
    schema = contract().operations[operation_id].path_params[name]
    return _sid_value(name, schema, PATH_PREFIXES.get(placeholder))


def _required_form(operation_id: str) -> Dict[str, Any]:
    operation = contract().operations[operation_id]
    params = {}
    for name in sorted(operation.required_form):
        python = _snake(name)
        assert twilio_name(python) == name, f"{name} has no plain snake_case spelling"
        params[python] = example_value(name, operation.form_fields[name])
    return params


def _generated_case(cls: type, capability: str, operation_id: str) -> Callable[[], Any]:
    base, _, choice = capability.partition("[")
    target: Any = cls
    if choice:  # "list[period=daily]" -> UsageRecord.daily
        target = getattr(cls, choice.rstrip("]").split("=")[1])
    parents = {p: _path_value(operation_id, p) for p in cls._placeholders
               if p != "account_sid" and p not in cls._choices}
    template_params = re.findall(r"{(\w+)}", contract().operations[operation_id].path)
    last = template_params[-1] if template_params else "Sid"
    ident = _sid_value(last, contract().operations[operation_id].path_params.get(last, {}), cls._id_prefix)
    form = _required_form(operation_id)
    scope = {"account_sid": ACCOUNT_SID, **parents}

    if base == "create":
        return lambda: target.create(**parents, **form)
    if base == "list":
        return lambda: target.all(**parents)
    if base == "fetch" and issubclass(cls, Singleton):
        return lambda: cls.fetch(**parents)
    if base == "fetch":
        return lambda: target.find(ident, **parents)
    if base == "update":  # the instance method, on an object built by hand
        return lambda: cls({cls._id_field: ident}, scope).update_attributes(**form)
    if base == "delete":
        return lambda: cls({cls._id_field: ident}, scope).destroy()
    raise AssertionError(f"unknown capability {capability}")


def generated_cases() -> List[Case]:
    """One case per (class, capability) the library declares, in its plainest spelling."""
    if not SPEC_PATH.is_file():  # one placeholder case: its fixture skips (or fails under CI)
        return [("spec-missing", lambda: None)]
    cases = []
    seen = set()
    for cls in REGISTRY.values():
        for capability, operation_id in cls._operations.items():
            if operation_id in seen:  # SMS re-declares Message's operations
                continue
            seen.add(operation_id)
            cases.append((operation_id, _generated_case(cls, capability, operation_id)))
    return cases


def idiomatic_cases() -> List[Case]:
    """Hand-written cases: the spellings the README shows, with filters and associations."""
    from datetime import date, datetime, timezone

    from flask_twilio_rb.resources import (Account, AvailablePhoneNumber, Balance, Call, Conference,
                                           IncomingPhoneNumber, Message, Recording,
                                           RecordingAddOnResultPayloadData, UsageRecord)

    hex32 = HEX32

    def call() -> Call:
        return Call({"sid": CA}, {"account_sid": ACCOUNT_SID})

    return [
        ("CreateCall", lambda: Call.create(to="+15005550006", from_="+15005550001", url="https://example.com/v",
                                           status_callback_event=["initiated", "answered"], timeout=30)),
        ("ListCall", lambda: Call.all(status="completed", started_after=date(2024, 1, 1),
                                      started_before=datetime(2024, 2, 1, tzinfo=timezone.utc), page_size=20)),
        ("UpdateCall", lambda: call().cancel()),
        ("CreateCallRecording", lambda: call().recordings.create(recording_channels="dual")),
        ("ListCallNotification", lambda: call().notifications.all()),
        ("ListUsageRecordDaily", lambda: UsageRecord.daily.all(category="calls", start_date=date(2024, 1, 1))),
        ("CreateIncomingPhoneNumberLocal", lambda: IncomingPhoneNumber.local.create(
            phone_number="+15005550006", voice_url="https://example.com/voice")),
        ("ListAvailablePhoneNumberTollFree", lambda: AvailablePhoneNumber.toll_free.all(country="US", area_code=800)),
        ("FetchBalance", lambda: Balance.fetch()),
        ("FetchRecordingAddOnResultPayloadData", lambda: RecordingAddOnResultPayloadData.fetch(
            reference_sid="RE" + hex32, add_on_result_sid="XR" + hex32, payload_sid="XH" + hex32)),
        ("CreateMessage", lambda: Message.create(to="+15005550006", from_="+15005550001", body="hi",
                                                 media_url=["https://example.com/a.png"])),
        ("ListMessage", lambda: Message.all(sent_after=date(2024, 1, 1), to="+15005550006")),
        ("DeleteRecording", lambda: Recording.delete("RE" + hex32)),
        ("FetchConference", lambda: Conference.find("CF" + hex32)),
        ("UpdateAccount", lambda: Account({"sid": ACCOUNT_SID}, {}).update_attributes(status="suspended")),
        ("UpdateIncomingPhoneNumber", lambda: IncomingPhoneNumber.update(PN, sms_url="https://example.com/sms")),
    ]


CASES = generated_cases()
IDIOMATIC = idiomatic_cases()
EXERCISED: Dict[str, bool] = {}


def _run(recorder: Recorder, operation_id: str, call: Callable[[], Any]) -> None:
    with get_client().record() as outbox:
        call()
    assert recorder.operations, f"{operation_id}: the library sent no request"
    assert recorder.operations == [operation_id], (
        f"expected exactly one {operation_id} request, the library sent {recorder.operations}")
    # The outbox names the same operation without the spec (it reads the resource declarations).
    assert [sent.operation for sent in outbox] == [operation_id]
    EXERCISED[operation_id] = True


@pytest.mark.parametrize("operation_id, call", CASES, ids=[op for op, _ in CASES])
def test_operation(recorder, operation_id, call):
    _run(recorder, operation_id, call)


@pytest.mark.parametrize("operation_id, call", IDIOMATIC, ids=[f"{op}-{i}" for i, (op, _) in enumerate(IDIOMATIC)])
def test_idiomatic_spelling(recorder, operation_id, call):
    _run(recorder, operation_id, call)


def test_every_operation_mapped_and_exercised(recorder, capsys):
    spec_ids = contract().operation_ids
    mapped = set(api_map())
    table = {op for op, _ in CASES}
    assert spec_ids - mapped == set(), f"operations without a Python spelling: {sorted(spec_ids - mapped)}"
    assert mapped - spec_ids == set(), f"api_map names operations the spec lacks: {sorted(mapped - spec_ids)}"
    assert table == spec_ids, f"table misses {sorted(spec_ids - table)}; extra {sorted(table - spec_ids)}"
    for operation_id, call in CASES:  # run again if the parametrized cases were deselected
        if operation_id not in EXERCISED:
            recorder.operations.clear()
            _run(recorder, operation_id, call)
    exercised = spec_ids & set(EXERCISED)
    assert exercised == spec_ids
    with capsys.disabled():
        print(f"\n{len(mapped & spec_ids)} of {len(spec_ids)} operations mapped and exercised")


# -- the contract check bites ----------------------------------------------------------------------
def test_unknown_form_field_is_rejected(recorder):
    from flask_twilio_rb.resources import Call

    with pytest.raises(AssertionError, match="unknown form field 'BogusField'"):
        check_request("POST", f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json",
                      "To=%2B1&From=%2B2&Url=http%3A%2F%2Fx&BogusField=1")
    with pytest.raises(Exception) as info:  # through the library, the callback's AssertionError surfaces
        Call.create(to="+15005550006", from_="+15005550001", url="https://example.com/v", bogus_field="1")
    assert "BogusField" in str(info.value)


@pytest.mark.parametrize("method, path, body, message", [
    ("POST", "/Calls.json", "To=%2B1&From=%2B2&Url=http%3A%2F%2Fx&Method=PUT", "Method='PUT' is not one of"),
    ("POST", "/Calls.json", "To=%2B1&Url=http%3A%2F%2Fx", "required form fields missing: From"),
    ("GET", "/Calls.json?Status=sleeping", None, "Status='sleeping' is not one of"),
    ("GET", "/Calls.json?Bogus=1", None, "unknown query parameter 'Bogus'"),
    ("GET", "/Calls.json?StartTime%3E=yesterday", None, "is not a date-time"),
    ("GET", "/Calls/XX0123456789abcdef0123456789abcdef.json", None, "does not match"),
    ("PUT", "/Calls.json", None, "allows only"),
    ("GET", "/Nothing.json", None, "no operation of the spec has this path"),
    ("GET", "/Calls.json?PageSize=many", None, "is not an integer"),
])
def test_wrong_requests_are_rejected(method, path, body, message):
    require_spec()
    url = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}{path}"
    with pytest.raises(AssertionError, match=re.escape(message)):
        check_request(method, url, body)


def test_date_only_values_are_accepted_for_date_time_filters():
    require_spec()
    url = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json?StartTime%3E=2024-01-31"
    assert check_request("GET", url) == "ListCall"


def test_literal_segments_win_over_placeholders():
    require_spec()
    url = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Usage/Records/Daily.json"
    assert check_request("GET", url) == "ListUsageRecordDaily"



# -- every declared parameter the library spells for the user is one the spec accepts -----------
def _declared_updates() -> List[Tuple[str, str, str]]:
    rows = []
    for cls in REGISTRY.values():
        operation_id = cls._operations.get("update")
        for field in sorted(cls._updatable) if operation_id else ():
            rows.append((cls.__name__, operation_id, field))
    return rows


def _declared_date_filters() -> List[Tuple[str, str, str]]:
    rows = []
    for cls in REGISTRY.values():
        for capability, operation_id in sorted(cls._operations.items()):
            if capability.startswith("list"):
                rows.extend((cls.__name__, capability, alias) for alias in sorted(cls._aliases))
    return rows


@pytest.mark.parametrize("name, operation_id, field", _declared_updates())
def test_every_updatable_field_is_accepted(recorder, name, operation_id, field):
    """``obj.<field> = value`` sends a field the update operation accepts."""
    cls = REGISTRY[name]
    schema = contract().operations[operation_id].form_fields.get(twilio_name(field), {})
    value = example_value(twilio_name(field), schema)
    if isinstance(value, list):
        value = value[0]
    parents = {p: _path_value(operation_id, p) for p in cls._placeholders
               if p != "account_sid" and p not in cls._choices}
    last = re.findall(r"{(\w+)}", contract().operations[operation_id].path)[-1]
    ident = _sid_value(last, contract().operations[operation_id].path_params.get(last, {}), cls._id_prefix)
    obj = cls({cls._id_field: ident}, {"account_sid": ACCOUNT_SID, **parents})
    extra = _required_form(operation_id)
    extra.pop(field, None)
    if extra:
        obj.update_attributes(**{field: value}, **extra)
    else:
        setattr(obj, field, value)
    assert recorder.operations == [operation_id]


@pytest.mark.parametrize("name, capability, alias", _declared_date_filters())
def test_every_date_filter_is_accepted(recorder, name, capability, alias):
    """``started_after=date`` / ``..._before=datetime`` become query parameters the spec lists."""
    from datetime import date, datetime, timezone

    cls = REGISTRY[name]
    operation_id = cls._operations[capability]
    _, _, choice = capability.partition("[")
    target: Any = getattr(cls, choice.rstrip("]").split("=")[1]) if choice else cls
    parents = {p: _path_value(operation_id, p) for p in cls._placeholders
               if p != "account_sid" and p not in cls._choices}
    schema = contract().operations[operation_id].query_params.get(cls._aliases[alias], {})
    value = datetime(2024, 1, 31, 12, tzinfo=timezone.utc) if schema.get("format") == "date-time" else date(2024, 1, 31)
    target.all(**parents, **{alias: value})
    assert recorder.operations == [operation_id]


def test_declarations_match_the_spec():
    """``_updatable`` is exactly the update operation's fields; ``_date_filters`` the list's ranged filters."""
    require_spec()
    for cls in REGISTRY.values():
        for capability, operation_id in cls._operations.items():
            operation = contract().operations[operation_id]
            if capability == "update":
                assert {twilio_name(f) for f in cls._updatable} == set(operation.form_fields), cls.__name__
            if capability.startswith("list"):
                ranged = {name[:-1] for name in operation.query_params if name[-1] in "<>"}
                assert set(cls._date_filters.values()) == ranged, (cls.__name__, capability)
