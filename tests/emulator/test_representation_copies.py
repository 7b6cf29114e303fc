"""The representation the emulator answers is a copy: changing it never changes the stored record."""
from __future__ import annotations

from flask_twilio_rb.emulator.representation import copied, project


def test_a_projection_shares_nothing_mutable_with_the_record():
    record = {"sid": "SM1", "links": {"media": "/Media.json", "more": ["/a", {"b": "/b"}]}, "price": 0.5,
              "num": 3, "ok": True, "gone": None, "tags": {"x"}}
    shown = project(record, ["sid", "links", "price", "num", "ok", "gone", "tags", "absent"])
    assert shown == {**record, "absent": None}
    shown["links"]["more"][1]["b"] = "changed"
    shown["links"]["more"].append("/c")
    shown["tags"].add("y")  # not JSON: copied by copy.deepcopy
    assert record["links"] == {"media": "/Media.json", "more": ["/a", {"b": "/b"}]} and record["tags"] == {"x"}


def test_copied_returns_scalars_as_they_are():
    for value in ("text", 7, 2.5, False, None):
        assert copied(value) is value
