"""Instances: fields, repr, equality, assignment, update, destroy, reload."""
from __future__ import annotations

import pytest

from flask_twilio_rb import Call, InvalidStateError, Message, Queue
from flask_twilio_rb.resources.base import Resource

from tests.resources.resource_helpers import api  # noqa: F401  (fixture)
from tests.resources.resource_helpers import ACCOUNT_SID, API, CALL_SID, CALL_SID2, form, path


def _call(**extra):
    return Call({"sid": CALL_SID, "account_sid": ACCOUNT_SID, "status": "queued", "from": "+1555", **extra},
                {"account_sid": ACCOUNT_SID})


def test_field_access():
    call = _call()
    assert call.status == "queued" and call["status"] == "queued"
    assert call.from_ == "+1555" and call["from"] == "+1555"
    with pytest.raises(AttributeError, match="Call has no field 'nope'"):
        call.nope
    with pytest.raises(KeyError):
        call["nope"]
    assert call.to_dict() == {"sid": CALL_SID, "account_sid": ACCOUNT_SID, "status": "queued", "from": "+1555"}
    call.to_dict()["status"] = "x"
    assert call.status == "queued"
    assert not isinstance(call, dict)
    assert {"status", "sid", "reload", "to_dict"} <= set(dir(call))
    assert call.id == CALL_SID


def test_repr_eq_hash():
    a, b = _call(), _call(status="busy")
    assert repr(a) == f"<Call sid={CALL_SID!r}>"
    assert a == b and hash(a) == hash(b)
    assert a != Call({"sid": CALL_SID2})
    assert a != Message({"sid": CALL_SID})
    assert (a == "x") is False
    assert Call({}) != Call({})
    assert len({a, b}) == 1


def test_read_only_assignment():
    call = _call()
    with pytest.raises(AttributeError, match="Call.sid is read-only; Call can update: .*status"):
        call.sid = "x"


def test_nothing_updatable():
    class Plain(Resource):
        __slots__ = ()
    with pytest.raises(AttributeError, match="can update: nothing"):
        Plain({}).x = 1


def test_assignment_posts_at_once(api):
    api.post(f"{API}/Calls/{CALL_SID}.json", json={"sid": CALL_SID, "url": "http://new"})
    call = _call()
    call.url = "http://new"
    assert form(api.calls[0]) == [("Url", "http://new")]
    assert call.url == "http://new"
    assert call.to_dict() == {"sid": CALL_SID, "url": "http://new"}


def test_update_attributes_refreshes(api):
    api.post(f"{API}/Calls/{CALL_SID}.json", json={"sid": CALL_SID, "status": "canceled"})
    call = _call()
    assert call.update_attributes(status="canceled", status_callback_method="get") is call
    assert form(api.calls[0]) == [("Status", "canceled"), ("StatusCallbackMethod", "GET")]
    assert call.status == "canceled"


def test_update_without_body_keeps_fields(api):
    api.post(f"{API}/Calls/{CALL_SID}.json", status=204)
    call = _call()
    call.update_attributes(status="canceled")
    assert call.status == "queued"


def test_destroy_then_refuse(api):
    api.delete(f"{API}/Queues/QU{'1' * 32}.json", status=204)
    queue = Queue({"sid": "QU" + "1" * 32}, {"account_sid": ACCOUNT_SID})
    assert queue.destroy() is True
    assert api.calls[0].request.method == "DELETE"
    for action in (queue.destroy, lambda: queue.update_attributes(friendly_name="x"), queue.reload):
        with pytest.raises(InvalidStateError, match="Queue has already been destroyed"):
            action()
    with pytest.raises(InvalidStateError):
        queue.friendly_name = "y"
    assert len(api.calls) == 1


def test_destroy_call_message(api):
    api.delete(f"{API}/Calls/{CALL_SID}.json", status=204)
    call = _call()
    call.destroy()
    with pytest.raises(InvalidStateError, match="^Call has already been destroyed$"):
        call.update_attributes(status="canceled")


def test_reload(api):
    api.get(f"{API}/Calls/{CALL_SID}.json", json={"sid": CALL_SID, "status": "completed"})
    call = _call()
    assert call.reload() is call
    assert call.status == "completed"
    assert path(api.calls[0]) == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Calls/{CALL_SID}.json"


def test_a_field_named_like_a_class_operation_reads_as_the_field(api):
    from flask_twilio_rb import UsageRecord

    record = UsageRecord({"category": "calls", "count": "42"}, {"account_sid": ACCOUNT_SID})
    assert record.count == "42" and record["count"] == "42"
    api.get(f"{API}/Usage/Records.json", json={"usage_records": [{"count": "1"}, {"count": "2"}],
                                                "next_page_uri": None})
    assert UsageRecord.count() == 2  # on the class it still counts
    assert Message({"sid": "SM" + "1" * 32}, {"account_sid": ACCOUNT_SID}).count.__self__ is Message
