"""Every operation of every Twilio API description, performed through the library's Python API.

Each case calls the library the way a user would (class methods, instance methods, singletons,
scoped choices); every HTTP request it sends is captured and validated against the compact
contract of Twilio's descriptions (tests/spec_contract.py), and must be the case's own
operation. The summary test then checks that the cases cover every operation the descriptions
have, and that ``api_map()`` names each of them.
"""
from __future__ import annotations

import json
import re
from typing import Any, Callable, Dict, List, Optional, Tuple, Type

import pytest
import responses

from flask_twilio_rb import api_map, get_client
from flask_twilio_rb.registry import classes
from flask_twilio_rb.resources.base import Resource
from flask_twilio_rb.resources.params import python_name, twilio_name
from flask_twilio_rb.resources.singleton import Singleton

from tests.accounts import ACCOUNT_SID
from tests.spec_contract import check_request, contract, example_value

ANY_URL = re.compile(r"https?://.*")
HEX32 = "0123456789abcdef" * 2
Case = Tuple[str, Callable[[], Any]]


# -- the answers Twilio would give ------------------------------------------------------------------
def _record(key: str) -> Dict[str, Any]:
    return {"sid": "XX" + "f" * 32, "account_sid": ACCOUNT_SID, "call_sid": "CA" + HEX32, "status": "queued",
            "phone_number": "+15005550006", "country_code": "US", "uri": "/2010-04-01/x.json", "operation": key}


class Recorder:
    """A catch-all ``responses`` callback: validates each request and answers plausibly."""

    def __init__(self) -> None:
        self.operations: List[str] = []

    def __call__(self, request: Any) -> Tuple[int, Dict[str, str], str]:
        key = check_request(request.method, request.url, request.body, request.headers.get("Content-Type"))
        self.operations.append(key)
        operation = contract().operations[key]
        if request.method == "DELETE":
            return 204, {}, ""
        if operation.list_key:
            page: Dict[str, Any] = {operation.list_key: [_record(key)]}
            if operation.paging == "meta":
                page["meta"] = {"key": operation.list_key, "next_page_url": None, "page": 0, "page_size": 50}
            else:
                page.update(next_page_uri=None, page=0, page_size=50)
            return 200, {"Content-Type": "application/json"}, json.dumps(page)
        status = 201 if operation.method == "POST" and key.rpartition(".")[2].startswith("Create") else 200
        return status, {"Content-Type": "application/json"}, json.dumps(_record(key))


@pytest.fixture
def recorder(configured):
    rec = Recorder()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            mock.add_callback(method, ANY_URL, callback=rec)
        yield rec


# -- building the table ----------------------------------------------------------------------------
def _path_value(key: str, wire: str, prefix: Optional[str]) -> Any:
    """A value for a path parameter: the description's pattern, else the SID prefix the library checks."""
    schema = contract().operations[key].path_params.get(wire, {})
    if wire == "CountryCode":
        return "US"
    if not schema.get("pattern") and prefix:
        return prefix.split("|")[0] + HEX32
    if schema.get("type") == "integer":
        return 1
    return example_value(wire, schema)


def _on_instance(cls: Type[Resource], base: str) -> bool:
    """Whether the declaration sends ``base`` to the instance's path (else to the list's)."""
    on_list = base in ("create", "list") or base in cls._list_ops or cls._id_field is None
    return not on_list or base in cls._instance_ops


def _path_values(cls: Type[Resource], key: str, base: str = "") -> Dict[str, Any]:
    """Every path value of the operation, by the library's keyword (``service_sid``, ``flow_sid``, ``sid``).

    The declaration's placeholders and the description's path parameters are matched by position.
    """
    wires = re.findall(r"{(\w+)}", contract().operations[key].path)
    names = cls._instance_placeholders if _on_instance(cls, base) else cls._placeholders
    by_keyword = dict(zip([n for n in names if n not in cls._choices], wires))
    prefixes = {**cls._prefixes, **({cls._id_field: cls._id_prefix} if cls._id_field and cls._id_prefix else {})}
    return {kw: _path_value(key, wire, prefixes.get(kw)) for kw, wire in by_keyword.items()}


def _required(key: str, where: str) -> Dict[str, Any]:
    """The operation's required query or body fields, by the keyword that sends each."""
    operation = contract().operations[key]
    fields = operation.form_fields if where == "body" else operation.query_params
    required = operation.required_form if where == "body" else operation.required_query
    return {python_name(name): example_value(name, fields[name]) for name in sorted(required) if name in fields}


def _generated_case(cls: Type[Resource], capability: str, key: str) -> Callable[[], Any]:
    base, _, choice = capability.partition("[")
    target: Any = cls
    if choice:  # "list[period=daily]" -> UsageRecord.daily
        target = getattr(cls, choice.rstrip("]").split("=")[1])
    values = _path_values(cls, key, base)
    parents = {p: values[p] for p in cls._placeholders if p != "account_sid" and p not in cls._choices}
    ident = values.get(cls._id_field or "")
    body = _required(key, "body")
    query = _required(key, "query")
    named = {cls._id_field: ident} if base in cls._instance_ops and cls._id_field else {}
    scope = {"account_sid": ACCOUNT_SID, **parents}
    by_id = cls._id_field is not None and base not in cls._list_ops
    instance = cls({cls._id_field: ident} if by_id else {}, scope)

    if base == "create":
        return lambda: target.create(**parents, **named, **query, **body)
    if base == "list":
        return lambda: target.all(**parents, **named, **query)
    if base == "fetch" and issubclass(cls, Singleton):
        return lambda: cls.fetch(**parents, **query)
    if base == "fetch":
        return lambda: target.find(ident, **parents, **query)
    if base == "update" and not by_id:
        return lambda: cls.update(**parents, **query, **body)
    if base == "update":  # the instance method, on an object built by hand
        return lambda: instance.update_attributes(**query, **body)
    if base == "patch":
        return lambda: instance.patch(**body)
    if base == "delete" and not by_id:
        return lambda: cls.delete(**parents, **query)
    if base == "delete":
        return lambda: instance.destroy()
    raise AssertionError(f"unknown capability {capability}")


def generated_cases() -> List[Case]:
    """One case per (class, capability) the library declares, in its plainest spelling."""
    cases = []
    seen = set()
    for cls in classes():
        for capability, operation in cls._wire_operations.items():
            key = str(operation.operation_id)
            if key in seen:  # SMS re-declares Message's operations
                continue
            seen.add(key)
            cases.append((key, _generated_case(cls, capability, key)))
    return cases


def idiomatic_cases() -> List[Case]:
    """Hand-written cases: the spellings the README shows, with filters, parents as objects and associations."""
    from datetime import date, datetime, timezone

    from flask_twilio_rb import content, lookups, messaging, verify
    from flask_twilio_rb.resources import (Account, AvailablePhoneNumber, Balance, Call, Conference,
                                           IncomingPhoneNumber, Message, Recording,
                                           RecordingAddOnResultPayloadData, UsageRecord)

    hex32 = HEX32
    service = verify.Service({"sid": "VA" + hex32}, {})

    def call() -> Call:
        return Call({"sid": "CA" + hex32}, {"account_sid": ACCOUNT_SID})

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
        ("UpdateIncomingPhoneNumber", lambda: IncomingPhoneNumber.update("PN" + hex32, sms_url="https://example.com/sms")),
        ("verify.v2.CreateVerification", lambda: service.verifications.create(to="+15005550006", channel="sms")),
        ("verify.v2.CreateVerificationCheck", lambda: service.verification_checks.create(to="+15005550006",
                                                                                          code="123456")),
        ("verify.v2.CreateVerification", lambda: verify.Verification.create(service=service, to="+15005550006",
                                                                             channel="call")),
        ("verify.v2.CreateVerification", lambda: verify.Verification.create(
            service_sid="VA" + hex32, to="+15005550006", channel="sms", custom_code="1234", rate_limits={"a": 1})),
        ("verify.v2.ListVerificationAttempt", lambda: verify.VerificationAttempt.all(
            date_created_after=datetime(2024, 1, 1, tzinfo=timezone.utc), channel_data_to="+15005550006")),
        ("lookups.v2.FetchPhoneNumber", lambda: lookups.PhoneNumber.find(
            "+14155552671", fields="line_type_intelligence", country_code="US")),
        ("messaging.v1.CreateService", lambda: messaging.Service.create(friendly_name="Bulk",
                                                                        use_inbound_webhook_on_number=True)),
        ("messaging.v1.CreatePhoneNumber", lambda: messaging.Service({"sid": "MG" + hex32}, {}).phone_numbers.create(
            phone_number_sid="PN" + hex32)),
        ("content.v1.CreateContent", lambda: content.Content.create(
            friendly_name="welcome", language="en", variables={"1": "name"},
            types={"twilio/text": {"body": "Hi {{1}}"}})),
        ("content.v1.UpdateContent", lambda: content.Content.update(
            "HX" + hex32, types={"twilio/text": {"body": "Hello {{1}}"}})),
    ]


CASES = generated_cases()
IDIOMATIC = idiomatic_cases()
EXERCISED: Dict[str, bool] = {}


def _run(recorder: Recorder, key: str, call: Callable[[], Any]) -> None:
    with get_client().record() as outbox:
        call()
    assert recorder.operations, f"{key}: the library sent no request"
    assert recorder.operations == [key], f"expected exactly one {key} request, the library sent {recorder.operations}"
    # The outbox names the same operation without the contract (it reads the resource declarations).
    assert [sent.operation for sent in outbox] == [key]
    EXERCISED[key] = True


def test_every_operation_is_performed_by_its_python_spelling(recorder):
    """One loop over every operation of every description (fast: one test, a clear message for each failure)."""
    failures = []
    for key, call in CASES:
        recorder.operations.clear()
        try:
            _run(recorder, key, call)
        except Exception as exc:  # collected: one failure must not hide the others
            failures.append(f"{key}: {type(exc).__name__}: {exc}")
    assert not failures, f"{len(failures)} operations failed:\n" + "\n".join(failures[:40])


@pytest.mark.parametrize("key, call", IDIOMATIC, ids=[f"{op}-{i}" for i, (op, _) in enumerate(IDIOMATIC)])
def test_idiomatic_spelling(recorder, key, call):
    _run(recorder, key, call)


def test_every_operation_mapped_and_exercised(recorder, capsys):
    spec_ids = contract().operation_ids
    mapped = set(api_map())
    table = {op for op, _ in CASES}
    assert spec_ids - mapped == set(), f"operations without a Python spelling: {sorted(spec_ids - mapped)}"
    assert mapped - spec_ids == set(), f"api_map names operations the spec lacks: {sorted(mapped - spec_ids)}"
    assert table == spec_ids, f"table misses {sorted(spec_ids - table)}; extra {sorted(table - spec_ids)}"
    for key, call in CASES:  # run again if the loop was deselected
        if key not in EXERCISED:
            recorder.operations.clear()
            _run(recorder, key, call)
    exercised = spec_ids & set(EXERCISED)
    assert exercised == spec_ids
    with capsys.disabled():
        print(f"\n{len(mapped & exercised)} of {len(spec_ids)} operations mapped and exercised")


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
    url = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}{path}"
    with pytest.raises(AssertionError, match=re.escape(message)):
        check_request(method, url, body)


@pytest.mark.parametrize("method, url, body, kind, message", [
    ("POST", "https://verify.twilio.com/v2/Services/VA" + HEX32 + "/Verifications", "To=%2B1", None,
     "required form fields missing: Channel"),
    ("POST", "https://verify.twilio.com/v2/Services/XX" + HEX32 + "/Verifications", "To=%2B1&Channel=sms", None,
     "does not match"),
    ("GET", "https://verify.twilio.com/v2/Nothing", None, None, "no operation of the spec has this path"),
    ("POST", "https://content.twilio.com/v1/Content", '{"language": "en"}', "application/json",
     "required JSON keys missing: types"),
    ("POST", "https://content.twilio.com/v1/Content", "language=en", "application/x-www-form-urlencoded",
     "must be application/json"),
    ("POST", "https://content.twilio.com/v1/Content", '{"language": 1, "types": {}}', "application/json",
     "is not a JSON string"),
    ("GET", "http://127.0.0.1:9/nothing/v2/Services", None, None, "no description has the product 'nothing'"),
])
def test_wrong_requests_to_other_descriptions_are_rejected(method, url, body, kind, message):
    with pytest.raises(AssertionError, match=re.escape(message)):
        check_request(method, url, body, kind)


def test_requests_are_matched_on_regional_hosts_and_under_an_emulators_prefix():
    service = f"VA{HEX32}"
    assert check_request("GET", f"https://verify.dublin.ie1.twilio.com/v2/Services/{service}") == "verify.v2.FetchService"
    assert check_request("GET", f"http://127.0.0.1:8080/verify/v2/Services/{service}") == "verify.v2.FetchService"
    assert check_request("GET", f"https://api.sydney.au1.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}.json") \
        == "FetchAccount"


def test_date_only_values_are_accepted_for_date_time_filters():
    url = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json?StartTime%3E=2024-01-31"
    assert check_request("GET", url) == "ListCall"


def test_literal_segments_win_over_placeholders():
    url = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Usage/Records/Daily.json"
    assert check_request("GET", url) == "ListUsageRecordDaily"


# -- every declared parameter the library spells for the user is one the description accepts -------
def _wire(cls: Type[Resource], action: str, keyword: str) -> str:
    if action in cls._json:
        return cls._names.get(keyword, keyword)
    return cls._aliases.get(keyword) or twilio_name(keyword)


def _declared_updates() -> List[Tuple[str, str, str]]:
    rows = []
    for cls in classes():
        operation = cls._wire_operations.get("update")
        for field in sorted(cls._updatable) if operation else ():
            rows.append((cls.qualified_name, str(operation.operation_id), field))
    return rows


def test_every_updatable_field_is_accepted(recorder):
    """``obj.<field> = value`` sends a field the update operation accepts, for every declared field."""
    from flask_twilio_rb.registry import lookup

    failures = []
    rows = _declared_updates()
    for name, key, field in rows:
        cls = lookup(name)
        wire = _wire(cls, "update", field)
        value = example_value(wire, contract().operations[key].form_fields.get(wire, {}))
        if isinstance(value, list) and "update" not in cls._json:
            value = value[0]
        values = _path_values(cls, key, "update")
        scope = {"account_sid": ACCOUNT_SID, **{p: values[p] for p in cls._placeholders if p in values}}
        by_id = cls._id_field is not None and "update" not in cls._list_ops
        extra = _required(key, "body")
        extra.pop(field, None)
        recorder.operations.clear()
        try:
            if not by_id:
                cls.update(**{p: v for p, v in scope.items() if p != "account_sid"}, **{field: value}, **extra)
            elif extra:
                cls({cls._id_field: values.get(str(cls._id_field))}, scope).update_attributes(**{field: value}, **extra)
            else:
                setattr(cls({cls._id_field: values.get(str(cls._id_field))}, scope), field, value)
            assert recorder.operations == [key], recorder.operations
        except Exception as exc:
            failures.append(f"{name}.{field}: {type(exc).__name__}: {exc}")
    assert len(rows) > 1000 and not failures, "\n".join(failures[:40])


def test_every_date_filter_is_accepted(recorder):
    """``started_after=date`` / ``..._before=datetime`` become query parameters the description lists."""
    from datetime import date, datetime, timezone

    for cls in classes(["api.v2010"]):
        for capability, operation in sorted(cls._wire_operations.items()):
            if not capability.startswith("list"):
                continue
            key = str(operation.operation_id)
            _, _, choice = capability.partition("[")
            target: Any = getattr(cls, choice.rstrip("]").split("=")[1]) if choice else cls
            values = _path_values(cls, key, "list")
            parents = {p: values[p] for p in cls._placeholders if p != "account_sid" and p not in cls._choices}
            for alias in sorted(cls._aliases):
                schema = contract().operations[key].query_params.get(cls._aliases[alias], {})
                value = datetime(2024, 1, 31, 12, tzinfo=timezone.utc) if schema.get("format") == "date-time" \
                    else date(2024, 1, 31)
                recorder.operations.clear()
                target.all(**parents, **{alias: value})
                assert recorder.operations == [key], (cls.__name__, alias)


def test_declarations_match_the_descriptions():
    """``_updatable`` is exactly the update's body fields; ``_date_filters`` the 2010 lists' ranged filters;
    ``_query`` the query parameters of every other operation; ``_json`` the operations with JSON bodies."""
    for cls in classes():
        for capability, wire_operation in cls._wire_operations.items():
            operation = contract().operations[str(wire_operation.operation_id)]
            base = capability.partition("[")[0]
            if base == "update":
                assert {_wire(cls, "update", f) for f in cls._updatable} == set(operation.form_fields), cls
            if capability.startswith("list") and "." not in cls.qualified_name:
                ranged = {name[:-1] for name in operation.query_params if name[-1] in "<>"}
                assert set(cls._date_filters.values()) == ranged, (cls.__name__, capability)
            if base != "list":
                assert {_wire(cls, "query", q) for q in cls._query.get(base, ())} == set(operation.query_params), cls
            assert (base in cls._json) == (operation.body_type == "application/json"), (cls, base)
