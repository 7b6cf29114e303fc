"""The ledger over both stores: claims, a number given twice, dead workers' claims, statuses, counts."""
from __future__ import annotations

import pytest

from flask_twilio_rb.bulk.ledger import Item, Ledger, find_message
from flask_twilio_rb.bulk.store import MAX_TRIES, MemoryStore, RedisStore, open_store, redis_client
from flask_twilio_rb.config import Settings
from flask_twilio_rb.errors import ConfigurationError, TwilioError

TO = "+15558675310"


@pytest.fixture
def ledger(any_store):
    ledger = Ledger(any_store, "job1")
    ledger.create({"body": "Hi", "from_": "+15017122661"})
    ledger.enqueued(2, 2)
    return ledger


def counts(ledger):
    p = ledger.progress()
    return p.queued, p.sent, p.delivered, p.failed, p.skipped


def test_a_new_job_records_its_spec_and_when_it_began(ledger, any_store):
    spec = ledger.spec()
    assert spec["body"] == "Hi" and abs(spec["started"] - any_store.now()) < 5
    assert Ledger(any_store, "other").spec() is None
    assert ledger.resume_at() == 2


def test_the_first_claim_sends_and_a_second_one_for_the_same_place_is_done_once_sent(ledger):
    item = Item(0, TO, {})
    claim = ledger.claim(item, lease=60)
    assert claim.action == "send" and claim.token
    assert ledger.claim(item, lease=60).action == "wait"  # the first is still at it
    assert ledger.sent(item, "SM1", "queued")
    assert ledger.claim(item, lease=60).action == "done"  # a redelivered task does nothing
    assert not ledger.sent(item, "SM1", "queued")  # recorded once
    assert counts(ledger) == (1, 1, 0, 0, 0)
    assert list(ledger.pending()) == ["SM1"]


def test_a_claim_older_than_the_lease_is_taken_over_and_reconciled(ledger):
    item = Item(0, TO, {})
    first = ledger.claim(item, lease=60)
    wait = ledger.claim(item, lease=60)
    assert 59 < wait.wait <= 60
    taken = ledger.claim(item, lease=0)  # the first worker died: its lease is over
    assert taken.action == "reconcile" and taken.token != first.token


def test_the_same_number_further_down_the_stream_is_skipped_once(ledger):
    ledger.claim(Item(0, TO, {}), lease=60)
    assert ledger.claim(Item(1, TO, {}), lease=60).action == "done"
    assert ledger.claim(Item(1, TO, {}), lease=60).action == "done"  # its redelivery counts nothing more
    assert counts(ledger) == (1, 0, 0, 0, 1)


def test_failures_are_recorded_with_their_code(ledger):
    item = Item(0, TO, {})
    ledger.claim(item, lease=60)
    assert ledger.failed(item, 21211, "invalid")
    assert not ledger.failed(item, 21211, "invalid")
    assert [(f.number, f.code, f.message) for f in ledger.failures()] == [(TO, 21211, "invalid")]
    assert ledger.failures(limit=0) == [] or len(ledger.failures(limit=1)) == 1


def test_a_canceled_job_skips_what_was_not_claimed(ledger):
    ledger.cancel()
    assert ledger.canceled()
    assert ledger.claim(Item(0, TO, {}), lease=60).action == "done"
    item = Item(1, "+15558675311", {})
    assert ledger.skipped(item)  # a claim-less skip (the record is made)
    assert counts(ledger) == (0, 0, 0, 0, 2)
    assert ledger.progress().canceled


def test_statuses_move_forward_only_and_count_once(ledger):
    item = Item(0, TO, {})
    ledger.claim(item, lease=60)
    ledger.sent(item, "SM1", "queued")
    assert ledger.record_status(TO, "SM1", "sent")
    assert not ledger.record_status(TO, "SM1", "sent")  # the same callback twice
    assert ledger.record_status(TO, "SM1", "delivered")
    assert not ledger.record_status(TO, "SM1", "sent")  # late and behind
    assert not ledger.record_status(TO, "SM2", "delivered")  # another message
    assert not ledger.record_status("+1999", "SM1", "delivered")  # a number the job never had
    assert counts(ledger) == (1, 0, 1, 0, 0)
    assert list(ledger.pending()) == []


def test_an_undelivered_message_counts_failed_with_its_error_code(ledger):
    item = Item(0, TO, {})
    ledger.claim(item, lease=60)
    ledger.sent(item, "SM1", "queued")
    assert ledger.record_status(TO, "SM1", "undelivered", 30003)
    assert counts(ledger) == (1, 0, 0, 1, 0)
    [failure] = ledger.failures()
    assert (failure.code, failure.message) == (30003, "Twilio reported the message undelivered")


def test_a_message_sid_leads_back_to_its_job_and_number(ledger, any_store):
    item = Item(0, TO, {})
    ledger.claim(item, lease=60)
    ledger.sent(item, "SM1", "queued")
    found, to = find_message(any_store, "SM1")
    assert (found.job_id, to) == ("job1", TO)
    assert find_message(any_store, "SM2") is None


def test_enqueueing_is_done_once_every_recipient_is_out_of_the_queue(ledger):
    assert not ledger.progress().done
    ledger.enqueued_all("Reading the recipients failed: boom")
    assert ledger.progress().error == "Reading the recipients failed: boom"
    for seq, to in enumerate((TO, "+15558675311")):
        item = Item(seq, to, {})
        ledger.claim(item, lease=60)
        ledger.sent(item, f"SM{seq}", "queued")
    assert ledger.progress().done


def test_redis_gives_up_on_a_key_that_keeps_changing(fake_redis, monkeypatch):
    from redis.exceptions import WatchError

    store = RedisStore(fake_redis)

    def always_changed(current, now):
        raise WatchError("changed")

    with pytest.raises(TwilioError, match=f"kept changing under {MAX_TRIES} tries"):
        store.atomic("k", always_changed)


def test_the_store_follows_the_backend_setting(monkeypatch, fake_redis):
    assert isinstance(open_store(Settings()), MemoryStore)
    with pytest.raises(ConfigurationError, match="TWILIO_BULK_REDIS_URL is not set"):
        open_store(Settings(bulk_backend="celery"))
    monkeypatch.setattr("flask_twilio_rb.bulk.store.redis_client", lambda url: fake_redis)
    first = open_store(Settings(bulk_backend="celery", bulk_redis_url="redis://127.0.0.1:1/0"))
    assert isinstance(first, RedisStore)
    assert open_store(Settings(bulk_backend="celery", bulk_redis_url="redis://127.0.0.1:1/0")) is first


def test_a_redis_client_decodes_answers_and_without_redis_the_error_names_the_extra(monkeypatch):
    assert redis_client("redis://127.0.0.1:1/0").get_encoder().decode_responses
    monkeypatch.setitem(__import__("sys").modules, "redis", None)
    with pytest.raises(ConfigurationError, match=r"pip install flask-twilio-rb\[celery\]"):
        redis_client("redis://127.0.0.1:1/0")


def test_the_memory_store_expires_nothing_and_reads_lists_like_redis():
    store = MemoryStore()
    for value in "abc":
        store.rpush("l", value)
    store.expire("l", 1)
    assert store.lrange("l", 0, -1) == ["a", "b", "c"] and store.lrange("l", 0, 1) == ["a", "b"]
    store.set("s", "v")
    assert store.get("s") == "v"
