"""Keyword arguments -> Twilio parameter names and wire values."""
from __future__ import annotations

import datetime as dt
import decimal

import pytest

from flask_twilio_rb.resources import params


class _NoOffset(dt.tzinfo):
    def utcoffset(self, when):
        return None


@pytest.mark.parametrize("name, expected", [
    ("to", "To"), ("status_callback", "StatusCallback"), ("if_machine", "IfMachine"),
    ("from_", "From"), ("from", "From"), ("StatusCallback", "StatusCallback"), ("PageSize", "PageSize"),
])
def test_twilio_name(name, expected):
    assert params.twilio_name(name) == expected


def test_date_filter_names():
    assert params.date_filter_names({"started": "StartTime"}) == {
        "started_after": "StartTime>", "started_before": "StartTime<"}


def test_encode_values():
    when = dt.datetime(2024, 1, 2, 5, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    pairs = params.encode({
        "to": "+15551230000", "record": True, "trim": False, "media_url": ["a", None, "b"],
        "day": dt.date(2024, 3, 4), "moment": when, "skip": None, "method": "post",
        "status_callback_method": "get", "timeout": 30, "price": 1.5, "amount": decimal.Decimal("2.50"),
        "tags": ("x",), "body": "post",
    }, {})
    assert pairs == [
        ("To", "+15551230000"), ("Record", "true"), ("Trim", "false"), ("MediaUrl", "a"), ("MediaUrl", "b"),
        ("Day", "2024-03-04"), ("Moment", "2024-01-02T03:04:05Z"), ("Method", "POST"),
        ("StatusCallbackMethod", "GET"), ("Timeout", "30"), ("Price", "1.5"), ("Amount", "2.50"),
        ("Tags", "x"), ("Body", "post"),
    ]


def test_encode_aliases_and_parameters():
    pairs = params.encode({"started_after": dt.date(2024, 1, 1), "parameters": {"a": 1, "b": True}},
                          {"started_after": "StartTime>"})
    assert pairs == [("StartTime>", "2024-01-01"), ("Parameter1.Name", "a"), ("Parameter1.Value", "1"),
                     ("Parameter2.Name", "b"), ("Parameter2.Value", "true")]


@pytest.mark.parametrize("value", [
    dt.datetime(2024, 1, 1), dt.datetime(2024, 1, 1, tzinfo=_NoOffset()),
])
def test_naive_datetime_rejected(value):
    with pytest.raises(TypeError, match="naive datetime"):
        params.encode({"start": value}, {})


@pytest.mark.parametrize("value", [{"a": 1}, object(), [{"a": 1}]])
def test_wrong_type_rejected(value):
    with pytest.raises(TypeError, match="pass a str"):
        params.encode({"to": value}, {})
