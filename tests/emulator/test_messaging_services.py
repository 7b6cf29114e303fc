"""Messaging Services on the emulator: the sender pool, the sender each message goes out from, the
service's status callback and inbound webhook, Twilio's errors (21701, 21703, 21704, 21421, 21712, 21714)."""
from __future__ import annotations

from typing import Any, Dict, List

import pytest

from flask_twilio_rb.emulator.products import senders

from tests.emulator.emulator_helpers import FROM, Api, WebhookApp, messaging_service, running

TO = "+14155559999"


@pytest.fixture
def live() -> Any:
    """An emulator that sends webhooks, and the app receiving them (which validates their signatures)."""
    with running() as emulator:
        app = WebhookApp(emulator.account_sid, emulator.auth_token)
        try:
            yield emulator, app
        finally:
            app.close()


def buy(api: Api, number: str, **fields: str) -> Dict[str, Any]:
    return api("POST", f"/2010-04-01/Accounts/{api.emu.account_sid}/IncomingPhoneNumbers.json", 201,
               data={"PhoneNumber": number, **fields})


def send(api: Api, service: str, to: str = TO, expect: int = 201, **more: Any) -> Dict[str, Any]:
    return api("POST", f"/2010-04-01/Accounts/{api.emu.account_sid}/Messages.json", expect,
               data={"To": to, "MessagingServiceSid": service, "Body": "Hi", **more})


def sms_only(api: Api, emulator: Any, **settings: str) -> str:
    """A service whose one number sends texts but no MMS (a number Twilio sold without that capability)."""
    service = api("POST", "/messaging/v1/Services", 201, data={"FriendlyName": "SMS only", **settings})["sid"]
    number = emulator.seed("FetchIncomingPhoneNumber", phone_number="+14155550100",
                           capabilities={"voice": True, "sms": True, "mms": False})
    added = api("POST", f"/messaging/v1/Services/{service}/PhoneNumbers", 201, data={"PhoneNumberSid": number["sid"]})
    assert added["capabilities"] == ["Voice", "SMS"]
    return str(service)


def sender_of(emulator: Any, message: Dict[str, Any]) -> str:
    emulator.advance(message["sid"])  # accepted -> queued: the sender shows
    return next(r["from"] for r in emulator.records("FetchMessage") if r["sid"] == message["sid"])


# -- the pool --------------------------------------------------------------------------------------------

def test_a_pool_takes_the_account_s_own_numbers_once(api, emulator):
    service = api("POST", "/messaging/v1/Services", 201, data={"FriendlyName": "Pool"})["sid"]
    numbers = f"/messaging/v1/Services/{service}/PhoneNumbers"
    assert api.error("POST", numbers, 400, data={"PhoneNumberSid": "PN" + "1" * 32})["code"] == 21421
    mine = buy(api, "+14155550100")
    added = api("POST", numbers, 201, data={"PhoneNumberSid": mine["sid"]})
    assert (added["sid"], added["phone_number"], added["country_code"]) == (mine["sid"], "+14155550100", "US")
    assert added["capabilities"] == ["Voice", "SMS", "MMS"] and added["service_sid"] == service
    assert api.error("POST", numbers, 409, data={"PhoneNumberSid": mine["sid"]})["code"] == 20409
    other = api("POST", "/messaging/v1/Services", 201, data={"FriendlyName": "Other"})["sid"]
    taken = api.error("POST", f"/messaging/v1/Services/{other}/PhoneNumbers", 400, data={"PhoneNumberSid": mine["sid"]})
    assert taken["code"] == 21712 and service in taken["message"]
    uk = buy(api, "+447772000001")
    assert api("POST", numbers, 201, data={"PhoneNumberSid": uk["sid"]})["country_code"] == "GB"
    assert [n["phone_number"] for n in api("GET", numbers, 200)["phone_numbers"]] == ["+447772000001", "+14155550100"]


def test_short_codes_and_sender_ids_join_a_pool(api, emulator):
    service = api("POST", "/messaging/v1/Services", 201, data={"FriendlyName": "Pool"})["sid"]
    code = emulator.seed("FetchShortCode", short_code="89757")
    added = api("POST", f"/messaging/v1/Services/{service}/ShortCodes", 201, data={"ShortCodeSid": code["sid"]})
    assert (added["short_code"], added["capabilities"], added["country_code"]) == ("89757", ["SMS"], "US")
    api.error("POST", f"/messaging/v1/Services/{service}/ShortCodes", 400, data={"ShortCodeSid": "SC" + "0" * 32})
    alpha = api("POST", f"/messaging/v1/Services/{service}/AlphaSenders", 201, data={"AlphaSender": "Acme"})
    assert alpha["capabilities"] == ["SMS"]


def test_a_pool_holds_at_most_its_limit(api, emulator, monkeypatch):
    monkeypatch.setattr(senders, "POOL_LIMIT", 1)
    service = messaging_service(emulator, "+14155550100")
    extra = buy(api, "+14155550101")
    refused = api.error("POST", f"/messaging/v1/Services/{service}/PhoneNumbers", 400,
                        data={"PhoneNumberSid": extra["sid"]})
    assert refused["code"] == 21714


# -- sending through a service ------------------------------------------------------------------------

def test_a_message_is_accepted_then_queued_from_a_pool_number(api, emulator):
    service = messaging_service(emulator, "+14155550100")
    message = send(api, service)
    assert (message["status"], message["from"], message["messaging_service_sid"]) == ("accepted", None, service)
    assert emulator.advance(message["sid"]) == [(message["sid"], "queued")]
    [stored] = emulator.records("FetchMessage")
    assert (stored["status"], stored["from"]) == ("queued", "+14155550100")
    assert [status for _, status in emulator.finish(message["sid"])] == ["sent", "delivered"]


def test_the_service_s_errors(api, emulator):
    empty = api("POST", "/messaging/v1/Services", 201, data={"FriendlyName": "Empty"})["sid"]
    assert send(api, empty, expect=400)["code"] == 21704
    unknown = send(api, "MG" + "0" * 32, expect=400)
    assert unknown["code"] == 21701 and "does not exist" in unknown["message"]
    no_mms = sms_only(api, emulator, MmsConverter="false")
    refused = send(api, no_mms, MediaUrl="https://example.com/cat.png", expect=400)
    assert refused["code"] == 21703 and "(MMS)" in refused["message"]
    assert send(api, no_mms)["status"] == "accepted"  # a text still goes


def test_the_mms_converter_lets_an_sms_number_carry_media(api, emulator):
    service = sms_only(api, emulator)
    assert send(api, service, MediaUrl="https://example.com/cat.png")["num_media"] == "1"


def test_sticky_sender_keeps_a_recipient_s_number(api, emulator):
    service = messaging_service(emulator, "+14155550100", "+14155550101")
    ada, grace = "+16505550100", "+16505550101"
    first = sender_of(emulator, send(api, service, ada))
    second = sender_of(emulator, send(api, service, grace))
    assert first != second  # numbers alike take turns
    assert [sender_of(emulator, send(api, service, ada)) for _ in range(3)] == [first] * 3


def test_without_sticky_sender_numbers_take_turns(api, emulator):
    service = messaging_service(emulator, "+14155550100", "+14155550101", StickySender="false")
    picked = [sender_of(emulator, send(api, service, "+16505550100")) for _ in range(4)]
    assert picked == ["+14155550100", "+14155550101"] * 2


@pytest.mark.parametrize("to, expected", [
    ("+12125551234", "+12125550100"),  # the recipient's area code
    ("+14155551234", "+14155550100"),
    ("+447700900123", "+447772000001"),  # the recipient's country
    ("+33612345678", "+12125550100"),  # none of France: a US number (the first alike)
])
def test_geomatch_picks_the_recipient_s_area_then_country_then_the_us(api, emulator, to, expected):
    service = messaging_service(emulator, "+447772000001", "+12125550100", "+14155550100")
    assert sender_of(emulator, send(api, service, to)) == expected


def test_without_area_code_geomatch_the_country_decides(api, emulator):
    service = messaging_service(emulator, "+12125550100", "+14155550100", AreaCodeGeomatch="false")
    assert sender_of(emulator, send(api, service, "+14155551234")) == "+12125550100"


def test_a_short_code_then_a_sender_id_go_first_where_they_can(api, emulator):
    service = messaging_service(emulator, "+14155550100")
    code = emulator.seed("FetchShortCode", short_code="89757")
    api("POST", f"/messaging/v1/Services/{service}/ShortCodes", 201, data={"ShortCodeSid": code["sid"]})
    api("POST", f"/messaging/v1/Services/{service}/AlphaSenders", 201, data={"AlphaSender": "Acme"})
    assert sender_of(emulator, send(api, service, "+16505550100")) == "89757"
    assert sender_of(emulator, send(api, service, "+447700900123")) == "Acme"  # no sender IDs in North America


def test_a_from_given_with_a_service_is_kept(api, emulator):
    service = messaging_service(emulator, "+14155550100")
    message = send(api, service, From="+15005550006")
    assert (message["status"], message["from"], message["messaging_service_sid"]) == ("accepted", FROM, service)


def test_a_whatsapp_recipient_gets_a_whatsapp_sender(api, emulator):
    service = messaging_service(emulator, "+14155550100")
    assert sender_of(emulator, send(api, service, "whatsapp:+16505550100")) == "whatsapp:+14155550100"


def test_the_service_s_status_callback_and_queue(live):
    emulator, webhook_app = live
    api = Api(emulator)
    service = messaging_service(emulator, "+14155550100", StatusCallback=f"{webhook_app.base_url}/status")
    message = send(api, service)
    emulator.finish(message["sid"])
    received: List[Dict[str, Any]] = webhook_app.wait_for(3)
    assert [r["values"]["MessageStatus"] for r in received] == ["queued", "sent", "delivered"]
    assert received[0]["values"]["From"] == "+14155550100"
    own = send(api, service, StatusCallback=f"{webhook_app.base_url}/status?own=1")
    emulator.advance(own["sid"])
    assert webhook_app.wait_for(4)[-1]["values"]["own"] == "1"
    api.session.close()


# -- arrivals -----------------------------------------------------------------------------------------

def test_a_text_to_a_pool_number_goes_to_the_service_s_inbound_url(live):
    emulator, webhook_app = live
    inbound = f"{webhook_app.base_url}/twiml"
    service = messaging_service(emulator, "+14155550100", InboundRequestUrl=inbound)
    answered = emulator.receive_message("+14155550100", "+16505550100", "Hello")
    assert answered is not None and answered.url == inbound
    [arrival] = webhook_app.wait_for(1)
    assert (arrival["values"]["MessagingServiceSid"], arrival["values"]["Body"]) == (service, "Hello")
    [stored] = [r for r in emulator.records("FetchMessage") if r["direction"] == "inbound"]
    assert stored["messaging_service_sid"] == service


def test_a_service_may_leave_arrivals_to_the_number_s_webhook(live):
    emulator, webhook_app = live
    api = Api(emulator)
    number = buy(api, "+14155550100", SmsUrl=f"{webhook_app.base_url}/twiml?number=1")
    service = api("POST", "/messaging/v1/Services", 201, data={
        "FriendlyName": "Own webhooks", "UseInboundWebhookOnNumber": "true",
        "InboundRequestUrl": f"{webhook_app.base_url}/twiml?service=1"})["sid"]
    api("POST", f"/messaging/v1/Services/{service}/PhoneNumbers", 201, data={"PhoneNumberSid": number["sid"]})
    answered = emulator.receive_message("+14155550100", "+16505550100", "Hello")
    assert answered is not None and answered.url.endswith("?number=1")
    api.session.close()


def test_a_service_without_an_inbound_url_drops_arrivals(emulator):
    service = messaging_service(emulator, "+14155550100")
    with pytest.raises(ValueError, match=f"Messaging Service {service}, which has no inbound_request_url"):
        emulator.receive_message("+14155550100", "+16505550100", "Hello")
