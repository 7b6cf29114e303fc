"""Create, fetch, list, update and delete through the library's own resource API."""
from __future__ import annotations

import re

import pytest

from flask_twilio_rb import APIError, Call, IncomingPhoneNumber, Message, Queue
from flask_twilio_rb.resources import Balance

from tests.emulator.emulator_helpers import FROM, TO

RFC_2822 = re.compile(r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000\Z")


def test_a_created_message_reads_like_twilios(emulator):
    message = Message.create(to=TO, from_=FROM, body="Hello")
    assert re.fullmatch(r"SM[0-9a-f]{32}", message.sid)
    assert (message.to, message.from_, message.body) == (TO, FROM, "Hello")
    assert (message.status, message.direction, message.api_version) == ("queued", "outbound-api", "2010-04-01")
    assert message.account_sid == emulator.account_sid
    assert RFC_2822.match(message.date_created) and message.date_sent is None
    assert (message.price, message.price_unit, message.num_media) == (None, "USD", "0")
    base = f"/2010-04-01/Accounts/{emulator.account_sid}/Messages/{message.sid}"
    assert message.uri == base + ".json"
    assert message.subresource_uris == {"feedback": base + "/Feedback.json", "media": base + "/Media.json"}


def test_media_urls_count_as_media(emulator):
    message = Message.create(to=TO, from_=FROM, media_url=["https://example.com/1.png", "https://example.com/2.png"])
    assert message.num_media == "2" and message.body is None
    assert re.fullmatch(r"MM[0-9a-f]{32}", message.sid)  # Twilio's prefix for a message with media
    assert Message.find(message.sid).sid == message.sid


def test_find_fetches_and_answers_none_for_an_unknown_sid(emulator):
    assert Call.create(to="client:alice", from_=FROM, url="https://example.com/voice").to_formatted == "client:alice"
    call = Call.create(to=TO, from_=FROM, url="https://example.com/voice")
    assert (call.to_formatted, call.from_formatted) == ("(555) 867-5310", "(500) 555-0006")
    assert Call.find(call.sid).to_dict() == call.to_dict()
    assert Call.find("CA" + "0" * 32) is None


def test_all_lists_newest_first(emulator):
    sids = [Message.create(to=TO, from_=FROM, body=str(n)).sid for n in range(3)]
    assert [m.sid for m in Message.all()] == sids[::-1]


def test_update_changes_the_fields_it_names(emulator):
    queue = Queue.create(friendly_name="support")
    assert (queue.max_size, queue.current_size) == (100, 0)
    queue.update_attributes(max_size=20, friendly_name="sales")
    assert (queue.max_size, queue.friendly_name) == (20, "sales")
    assert Queue.find(queue.sid).max_size == 20


def test_delete_removes_and_a_second_delete_is_404(emulator):
    message = Message.create(to=TO, from_=FROM, body="bye")
    assert Message.delete(message.sid)
    assert Message.find(message.sid) is None
    with pytest.raises(APIError) as caught:
        Message.delete(message.sid)
    assert (caught.value.status, caught.value.code) == (404, 20404)


def test_updating_a_missing_record_is_404(emulator):
    with pytest.raises(APIError) as caught:
        Queue.update("QU" + "0" * 32, friendly_name="nobody")
    assert caught.value.code == 20404


def test_canceling_a_queued_call(emulator):
    call = Call.create(to=TO, from_=FROM, url="https://example.com/voice")
    call.cancel()
    assert call.status == "canceled" and call.end_time is not None
    assert emulator.advance(call.sid) == []  # a canceled call moves no further


def test_cancel_leaves_an_answered_call_alone_and_complete_hangs_it_up(emulator):
    call = Call.create(to=TO, from_=FROM, url="https://example.com/voice")
    emulator.advance(call.sid)
    emulator.advance(call.sid)
    assert call.reload().status == "in-progress"
    call.cancel()
    assert call.status == "in-progress"
    call.complete()
    assert (call.status, call.price) == ("completed", "-0.01400")


def test_completing_a_ringing_call_cancels_it(emulator):
    call = Call.create(to=TO, from_=FROM, twiml="<Response/>")
    emulator.advance(call.sid)
    call.complete()
    assert call.status == "canceled"


def test_redirecting_a_live_call_keeps_it_going(emulator):
    live = Call.create(to=TO, from_=FROM, url="https://example.com/voice")
    emulator.advance(live.sid)
    live.update_attributes(url="https://example.com/elsewhere")
    assert live.status == "ringing"


def test_an_ended_call_refuses_changes(emulator):
    call = Call.create(to=TO, from_=FROM, url="https://example.com/voice")
    emulator.finish(call.sid)
    with pytest.raises(APIError) as caught:
        call.update_attributes(url="https://example.com/other")
    assert (caught.value.status, caught.value.code) == (400, 21220)


def test_buying_a_number_and_listing_it_under_its_type(emulator):
    number = IncomingPhoneNumber.local.create(phone_number=FROM, voice_url="https://example.com/voice")
    assert re.fullmatch(r"PN[0-9a-f]{32}", number.sid)
    assert number.phone_number == FROM and number.voice_url == "https://example.com/voice"
    assert [n.sid for n in IncomingPhoneNumber.all()] == [number.sid]
    assert [n.sid for n in IncomingPhoneNumber.local.all()] == [number.sid]


def test_balance_is_a_singleton(emulator):
    assert (Balance.balance, Balance.currency) == ("100.00", "USD")
    assert Balance.fetch().account_sid == emulator.account_sid


def test_records_shows_what_is_stored(emulator):
    message = Message.create(to=TO, from_=FROM, body="stored")
    assert emulator.records("Message") == [message.to_dict()]
    assert emulator.records("Call") == []


def test_records_refuses_a_class_the_emulator_does_not_store(emulator):
    with pytest.raises(ValueError, match="stores no AvailablePhoneNumber"):
        emulator.records("AvailablePhoneNumber")
    with pytest.raises(ValueError, match="stores no Sandbox"):
        emulator.records("Sandbox")


def test_seed_names_what_it_does_not_know(emulator):
    with pytest.raises(TypeError, match="no field colour"):
        emulator.seed("Conference", colour="red")
    with pytest.raises(TypeError, match="needs the parent: pass call_sid=..."):
        emulator.seed("CallRecording")


def test_canceling_a_message_takes_it_out_of_the_progression(emulator):
    message = Message.create(to=TO, from_=FROM, body="never mind")
    message.update_attributes(status="canceled")
    assert emulator.advance() == [] and Message.find(message.sid).status == "canceled"
