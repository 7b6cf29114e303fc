"""Messaging TwiML: an arriving text's <Message> replies become real texts; <Redirect>, actions, failures;
and <Sms>/<Message> during a call."""
from __future__ import annotations

from flask_twilio_rb import Message

from tests.emulator.voice.conftest import BASE, CALLER, NUMBER, doc


def test_an_arriving_text_gets_the_apps_replies_as_real_texts(emulator, twiml_app):
    twiml_app["/sms"] = lambda values: doc(f"<Message>You said {values['Body']}</Message>",
                                           '<Message statusCallback="/delivery"><Body>Second</Body>'
                                           "<Media>https://example.com/cat.jpg</Media></Message>")
    replies = emulator.text(NUMBER, "hello", media_url="https://example.com/photo.png")
    assert replies == ["You said hello", "Second"]
    sent = twiml_app.last("/sms")
    assert (sent["Body"], sent["From"], sent["To"], sent["SmsStatus"]) == ("hello", CALLER, NUMBER, "received")
    assert (sent["NumMedia"], sent["MediaUrl0"], sent["MediaContentType0"]) == ("1", "https://example.com/photo.png",
                                                                               "image/png")
    texts = {m["body"]: m for m in emulator.records("Message")}
    inbound, first, second = texts["hello"], texts["You said hello"], texts["Second"]
    assert (inbound["sid"], inbound["body"]) == (sent["MessageSid"], "hello")
    assert (first["direction"], first["from"], first["to"], first["status"]) == ("outbound-reply", NUMBER, CALLER,
                                                                               "queued")
    assert second["sid"].startswith("MM") and second["num_media"] == "1"
    emulator.finish(second["sid"])  # its status callback, at the URL the <Message> named
    assert [r["values"]["MessageStatus"] for r in twiml_app.received if r["path"] == "/delivery"] == [
        "sent", "delivered"]
    with twiml_app.app.app_context():
        assert Message.find(second["sid"]).status == "delivered"


def test_to_and_from_attributes_a_redirect_and_an_action(emulator, twiml_app):
    twiml_app["/sms"] = doc('<Redirect method="GET">/sms2</Redirect>')
    twiml_app["/sms2"] = doc('<Message to="+15558675310" from="+15005550007" action="/sent">Forwarded</Message>',
                             "<Message>never</Message>")
    twiml_app["/sent"] = lambda values: doc(f"<Message>Sent {values['MessageStatus']}</Message>")
    assert emulator.text(NUMBER, "fwd") == ["Forwarded", "Sent queued"]
    forwarded = [m for m in emulator.records("Message") if m["body"] == "Forwarded"][0]
    assert (forwarded["to"], forwarded["from"]) == ("+15558675310", "+15005550007")
    assert twiml_app.received[1]["method"] == "GET" and twiml_app.last("/sent")["MessageSid"] == forwarded["sid"]


def test_a_failing_sms_url_leaves_a_notification_and_tries_the_fallback(emulator, twiml_app):
    emulator.seed("IncomingPhoneNumber", phone_number="+15005550007", sms_url=BASE + "/broken",
                  sms_fallback_url=BASE + "/fallback")
    twiml_app["/broken"] = ("boom", 500)
    twiml_app["/fallback"] = lambda values: doc(f"<Message>Sorry ({values['ErrorCode']})</Message>")
    assert emulator.text("+15005550007", "hi") == ["Sorry (11200)"]
    [note] = emulator.records("Notification")
    assert (note["error_code"], note["call_sid"], note["request_url"]) == ("11200", None, BASE + "/broken")
    twiml_app["/fallback"] = ("also down", 502)
    assert emulator.text("+15005550007", "hi") == []
    emulator.seed("IncomingPhoneNumber", phone_number="+15005550008", sms_url=BASE + "/broken")
    assert emulator.text("+15005550008", "hi") == []


def test_voice_verbs_in_a_texts_answer_are_schema_warnings(emulator, twiml_app):
    twiml_app["/sms"] = doc("<Say>Hello</Say>", "<Message>Text</Message>", "<Redirect/>")
    assert emulator.text(NUMBER, "x") == ["Text"]
    assert [n["error_code"] for n in emulator.records("Notification")] == ["12200"]


def test_a_redirect_loop_is_stopped(emulator, twiml_app):
    twiml_app["/sms"] = doc("<Message>again</Message>", "<Redirect>/sms</Redirect>")
    assert emulator.text(NUMBER, "x") == ["again"] * 10
    assert emulator.records("Notification")[0]["error_code"] == "11215"


def test_a_text_during_a_call(emulator, twiml_app):
    twiml_app["/voice"] = doc("<Sms statusCallback='/delivery'>Your code is 1234</Sms>",
                              '<Message to="+15558675310"><Body>Copy</Body></Message>',
                              '<Sms action="/texted" from="+15005550007">With an action</Sms>', "<Say>never</Say>")
    twiml_app["/texted"] = lambda values: doc(f"<Say>Texted {values['SmsStatus']}</Say>")
    call = emulator.dial(NUMBER)
    assert call.said == ["Texted sending"]
    texts = {m["body"]: m for m in emulator.records("Message")}
    assert (texts["Your code is 1234"]["to"], texts["Your code is 1234"]["from"]) == (CALLER, NUMBER)
    assert texts["Copy"]["to"] == "+15558675310" and texts["With an action"]["from"] == "+15005550007"
    assert twiml_app.last("/texted")["SmsSid"] == texts["With an action"]["sid"]


def test_a_text_during_an_outbound_call_goes_to_the_called_party(emulator, twiml_app):
    from flask_twilio_rb import Call

    with twiml_app.app.app_context():
        call = Call.create(to="+15558675310", from_=NUMBER, twiml="<Response><Sms>Hi</Sms></Response>")
    emulator.answer(call.sid)
    [text] = emulator.records("Message")
    assert (text["to"], text["from"]) == ("+15558675310", NUMBER)


def test_texts_need_a_number_with_an_sms_url(emulator):
    import pytest

    emulator.seed("IncomingPhoneNumber", phone_number="+15005550007")
    with pytest.raises(ValueError, match="has no sms_url"):
        emulator.text("+15005550007", "hi")
