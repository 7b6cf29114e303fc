"""Lists page like Twilio's: page fields, PageSize, newest first, equality filters and date ranges."""
from __future__ import annotations

import datetime as dt

import pytest

from flask_twilio_rb import Call, Message

from tests.emulator.emulator_helpers import FROM, TO


def seed_messages(emu, count, **fields):
    return [emu.seed("Message", to=TO, from_=FROM, body=f"m{n}", status="delivered", **fields)["sid"]
            for n in range(count)]


def test_each_pages_through_more_than_a_thousand_messages(emulator):
    sids = seed_messages(emulator, 1050)
    seen = [m.sid for m in Message.each()]
    assert seen == sids[::-1]  # every one, newest first, none twice
    assert Message.count() == 1050


def test_page_fields_follow_twilios(raw, emulator):
    seed_messages(emulator, 5)
    base = f"/2010-04-01/Accounts/{emulator.account_sid}/Messages.json"
    first = raw.get("/Messages.json", params={"PageSize": 2, "To": TO}).json()
    assert len(first["messages"]) == 2
    assert (first["page"], first["page_size"], first["start"], first["end"]) == (0, 2, 0, 1)
    assert first["uri"] == first["first_page_uri"] == f"{base}?To=%2B15558675310&PageSize=2&Page=0"
    assert first["previous_page_uri"] is None
    token = first["messages"][-1]["sid"]
    assert first["next_page_uri"] == f"{base}?To=%2B15558675310&PageSize=2&Page=1&PageToken=PA{token}"
    last = raw.session.get(emulator.base_url + first["next_page_uri"].replace("Page=1", "Page=2"), timeout=5).json()
    assert (last["page"], last["start"], last["end"], len(last["messages"])) == (2, 4, 4, 1)
    assert last["next_page_uri"] is None
    assert last["previous_page_uri"] == f"{base}?To=%2B15558675310&PageSize=2&Page=1"


def test_page_size_defaults_to_50_and_is_capped_at_1000(raw, emulator):
    seed_messages(emulator, 60)
    assert raw.get("/Messages.json").json()["page_size"] == 50
    capped = raw.get("/Messages.json", params={"PageSize": 5000}).json()
    assert (capped["page_size"], len(capped["messages"])) == (1000, 60)


def test_a_page_past_the_end_is_empty(raw, emulator):
    seed_messages(emulator, 3)
    beyond = raw.get("/Messages.json", params={"Page": 7}).json()
    assert beyond["messages"] == [] and beyond["next_page_uri"] is None
    assert (beyond["start"], beyond["end"]) == (350, 350)


def test_equality_filters(emulator):
    Message.create(to=TO, from_=FROM, body="a")
    other = Message.create(to="+15558675311", from_=FROM, body="b")
    assert [m.sid for m in Message.all(to="+15558675311")] == [other.sid]
    call = Call.create(to=TO, from_=FROM, url="https://example.com/voice")
    emulator.finish(call.sid)
    Call.create(to=TO, from_=FROM, url="https://example.com/voice")
    assert [c.sid for c in Call.all(status="completed")] == [call.sid]
    assert Call.all(status="busy") == []


def day(n):
    return dt.datetime(2026, 11, n, 12, 0, tzinfo=dt.timezone.utc).strftime("%a, %d %b %Y %H:%M:%S +0000")


@pytest.fixture
def dated(emulator):
    """Messages sent on November 1, 10 and 20 (and one never sent)."""
    sids = {n: emulator.seed("Message", to=TO, from_=FROM, body=str(n), date_sent=day(n))["sid"] for n in (1, 10, 20)}
    emulator.seed("Message", to=TO, from_=FROM, body="unsent", status="queued")
    return sids


def test_date_ranges_include_their_bounds(dated):
    after = {m.sid for m in Message.all(sent_after=dt.date(2026, 11, 10))}
    assert after == {dated[10], dated[20]}
    before = {m.sid for m in Message.all(sent_before=dt.date(2026, 11, 10))}
    assert before == {dated[1], dated[10]}


def test_an_exact_date_and_moments(raw, dated):
    on_the_tenth = raw.get("/Messages.json", params={"DateSent": "2026-11-10"}).json()["messages"]
    assert [m["sid"] for m in on_the_tenth] == [dated[10]]
    later = raw.get("/Messages.json", params={"DateSent>": "2026-11-10T13:00:00Z"}).json()["messages"]
    assert [m["sid"] for m in later] == [dated[20]]
    naive = raw.get("/Messages.json", params={"DateSent<": "2026-11-10 12:00:00"}).json()["messages"]
    assert {m["sid"] for m in naive} == {dated[1], dated[10]}


def test_calls_filter_by_start_time(emulator):
    call = Call.create(to=TO, from_=FROM, url="https://example.com/voice")
    emulator.finish(call.sid)
    today = dt.datetime.now(dt.timezone.utc).date()
    assert [c.sid for c in Call.all(started_after=today)] == [call.sid]
    assert Call.all(started_before=today - dt.timedelta(days=1)) == []


def test_accounts_list_the_principal_and_its_subaccounts(emulator):
    from flask_twilio_rb import Account

    sub = Account.create(friendly_name="customer 1")
    assert [a.sid for a in Account.all()] == [sub.sid, emulator.account_sid]
    assert [a.sid for a in Account.all(friendly_name="customer 1")] == [sub.sid]
