"""The equivalence corpus: each document three times, with our builder, as a ``.voice`` template
(``templates/corpus/<name>.voice``) and with twilio-python.

Every case is ``(name, ours, theirs)``: ``ours(res)`` fills one of our documents, ``theirs()``
returns a twilio-python response. Templates render with :data:`CONTEXT`.
"""
from __future__ import annotations

from typing import Any, Callable, List, Tuple

from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse

CONTEXT = {
    "name": "Bob & Alice",
    "callback": "https://example.com/status?a=1&b=2",
    "events": ["initiated", "ringing", "answered"],
    "digits": 1234,
    "items": ["one", "two", "three"],
    "lang": "fr-FR",
}
NAME, CALLBACK, DIGITS = CONTEXT["name"], CONTEXT["callback"], CONTEXT["digits"]
EVENTS = " ".join(CONTEXT["events"])  # type: ignore[arg-type]

Case = Tuple[str, Callable[[Any], Any], Callable[[], Any]]
CASES: List[Case] = []


def case(name: str, ours: Callable[[Any], Any]) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
    def register(theirs: Callable[[], Any]) -> Callable[[], Any]:
        CASES.append((name, ours, theirs))
        return theirs
    return register


# -- the seed's example ------------------------------------------------------------------

def _seed(res: Any) -> None:
    res.say(f"Hey {NAME}! Listen to this!", voice="man")
    res.play("http://foo.com/cowbell.mp3")
    res.say("Now leave a message after the beep.", voice="man")
    res.record(action="/handle_recording", method="GET", max_length=20, finish_on_key="*")
    with res.gather(action="/process_gather", method="GET", num_digits=1) as g:
        g.say("Now hit some buttons!")
        g.say("Press 1 to hear it again.")
    res.hangup()


@case("seed", _seed)
def _() -> Any:
    r = VoiceResponse()
    r.say(f"Hey {NAME}! Listen to this!", voice="man")
    r.play("http://foo.com/cowbell.mp3")
    r.say("Now leave a message after the beep.", voice="man")
    r.record(action="/handle_recording", method="GET", max_length=20, finish_on_key="*")
    g = r.gather(action="/process_gather", method="GET", num_digits=1)
    g.say("Now hit some buttons!")
    g.say("Press 1 to hear it again.")
    r.hangup()
    return r


# -- Say, Play, Pause --------------------------------------------------------------------

@case("say_attributes", lambda res: (res.say("Hello", voice="Polly.Joanna", language="en-US", loop=2),
                                    res.say("Bonjour", voice="alice", language="fr-FR")))
def _() -> Any:
    r = VoiceResponse()
    r.say("Hello", voice="Polly.Joanna", language="en-US", loop=2)
    r.say("Bonjour", voice="alice", language="fr-FR")
    return r


@case("say_escaping", lambda res: res.say('Tom & Jerry say "<hi>" & \'bye\''))
def _() -> Any:
    r = VoiceResponse()
    r.say('Tom & Jerry say "<hi>" & \'bye\'')
    return r


@case("play_pause", lambda res: (res.play("https://api.twilio.com/cowbell.mp3", loop=10), res.pause(length=3),
                                 res.play(digits="wwww3"), res.pause()))
def _() -> Any:
    r = VoiceResponse()
    r.play("https://api.twilio.com/cowbell.mp3", loop=10)
    r.pause(length=3)
    r.play(digits="wwww3")
    r.pause()
    return r


@case("loop_of_items", lambda res: [res.say(f"Item {i}: {item}") for i, item in enumerate(CONTEXT["items"], 1)])
def _() -> Any:
    r = VoiceResponse()
    for i, item in enumerate(CONTEXT["items"], 1):  # type: ignore[arg-type]
        r.say(f"Item {i}: {item}")
    return r


# -- SSML -------------------------------------------------------------------------------

def _ssml_basic(res: Any) -> None:
    with res.say("Hello", voice="Polly.Amy") as s:
        s.break_(strength="x-weak", time="100ms")
        s.emphasis("Words to emphasize", level="moderate")
        s.p("Words to speak")
        s.text(" aaa")
        s.phoneme("Words to speak", alphabet="x-sampa", ph="pɪˈkɑːn")
        s.text(" bbb")
        s.prosody("Words to speak", pitch="-10%", rate="85%", volume="-6dB")
        s.s("Words to speak")
        s.say_as("Words to speak", interpret_as="spell-out")
        s.sub("Words to be substituted", alias="alias")
        s.w("Words to speak")


@case("ssml_basic", _ssml_basic)
def _() -> Any:
    r = VoiceResponse()
    s = r.say("Hello", voice="Polly.Amy")
    s.break_(strength="x-weak", time="100ms")
    s.emphasis("Words to emphasize", level="moderate")
    s.p("Words to speak")
    s.append(" aaa")
    s.phoneme("Words to speak", alphabet="x-sampa", ph="pɪˈkɑːn")
    s.append(" bbb")
    s.prosody("Words to speak", pitch="-10%", rate="85%", volume="-6dB")
    s.s("Words to speak")
    s.say_as("Words to speak", interpret_as="spell-out")
    s.sub("Words to be substituted", alias="alias")
    s.w("Words to speak")
    return r


def _ssml_nested(res: Any) -> None:
    with res.say(voice="Polly.Joanna") as say:
        with say.lang(xml_lang=CONTEXT["lang"]) as lang:
            with lang.p() as p:
                with p.s("Bonjour ") as s:
                    with s.w(role="amazon:VB") as w:
                        w.emphasis("lire", level="strong")
                    s.break_(time="1s")
                    s.say_as(str(DIGITS), interpret_as="digits")
        with say.prosody("Slow ", rate="slow") as prosody:
            with prosody.emphasis(level="reduced") as e:
                e.sub("W3C", alias="World Wide Web Consortium")
                e.phoneme("tomato", alphabet="ipa", ph="təˈmeɪtoʊ")


@case("ssml_nested", _ssml_nested)
def _() -> Any:
    r = VoiceResponse()
    say = r.say(voice="Polly.Joanna")
    lang = say.lang(xml_lang=CONTEXT["lang"])
    p = lang.p()
    s = p.s("Bonjour ")
    w = s.w(role="amazon:VB")
    w.emphasis("lire", level="strong")
    s.break_(time="1s")
    s.say_as(str(DIGITS), interpret_as="digits")
    prosody = say.prosody("Slow ", rate="slow")
    e = prosody.emphasis(level="reduced")
    e.sub("W3C", alias="World Wide Web Consortium")
    e.phoneme("tomato", alphabet="ipa", ph="təˈmeɪtoʊ")
    return r


def _ssml_mixed(res: Any) -> None:
    with res.say(f"Your code is ") as s:
        s.say_as(str(DIGITS), interpret_as="digits", format="1234")
        s.text(". Again: ")
        s.say_as(str(DIGITS), interpret_as="telephone")
        s.text(".")


@case("ssml_mixed_text", _ssml_mixed)
def _() -> Any:
    r = VoiceResponse()
    s = r.say("Your code is ")
    s.say_as(str(DIGITS), interpret_as="digits", format="1234")
    s.append(". Again: ")
    s.say_as(str(DIGITS), interpret_as="telephone")
    s.append(".")
    return r


# -- Gather -----------------------------------------------------------------------------

def _gather_speech(res: Any) -> None:
    with res.gather(input="speech dtmf", action="/completed", method="POST", timeout=3, speech_timeout="auto",
                    max_speech_time=45, profanity_filter=False, finish_on_key="#", num_digits=4,
                    partial_result_callback="/partial", partial_result_callback_method="GET",
                    language="en-GB", hints="yes, no, agent", barge_in=True, debug=False,
                    action_on_empty_result=True, speech_model="phone_call", enhanced=True) as g:
        g.say("Welcome")
        g.play("https://example.com/menu.mp3")
        g.pause(length=1)
    res.say("We didn't receive any input. Goodbye!")


@case("gather_speech", _gather_speech)
def _() -> Any:
    r = VoiceResponse()
    g = r.gather(input="speech dtmf", action="/completed", method="POST", timeout=3, speech_timeout="auto",
                 max_speech_time=45, profanity_filter=False, finish_on_key="#", num_digits=4,
                 partial_result_callback="/partial", partial_result_callback_method="GET",
                 language="en-GB", hints="yes, no, agent", barge_in=True, debug=False,
                 action_on_empty_result=True, speech_model="phone_call", enhanced=True)
    g.say("Welcome")
    g.play("https://example.com/menu.mp3")
    g.pause(length=1)
    r.say("We didn't receive any input. Goodbye!")
    return r


@case("gather_empty", lambda res: (res.gather(action="/g"), res.redirect("/again")))
def _() -> Any:
    r = VoiceResponse()
    r.gather(action="/g")
    r.redirect("/again")
    return r


# -- Dial and its nouns -------------------------------------------------------------------

def _dial_number(res: Any) -> None:
    with res.dial(caller_id="+15551112222", timeout=20, time_limit=600, hangup_on_star=True, record="record-from-answer",
                  trim="trim-silence", recording_status_callback=CALLBACK, recording_status_callback_method="GET",
                  recording_status_callback_event="completed", answer_on_bridge=True, ring_tone="uk",
                  recording_track="both", action="/after", method="POST") as d:
        d.number("+15558675310", send_digits="wwww1928", url="/screen", method="GET",
                 status_callback_event=EVENTS, status_callback=CALLBACK, status_callback_method="POST",
                 byoc="BY" + "0" * 32, machine_detection="Enable", amd_status_callback="/amd",
                 amd_status_callback_method="POST", machine_detection_timeout=30,
                 machine_detection_speech_threshold=2400, machine_detection_speech_end_threshold=1200,
                 machine_detection_silence_timeout=5000)


@case("dial_number", _dial_number)
def _() -> Any:
    r = VoiceResponse()
    d = r.dial(caller_id="+15551112222", timeout=20, time_limit=600, hangup_on_star=True, record="record-from-answer",
               trim="trim-silence", recording_status_callback=CALLBACK, recording_status_callback_method="GET",
               recording_status_callback_event="completed", answer_on_bridge=True, ring_tone="uk",
               recording_track="both", action="/after", method="POST")
    d.number("+15558675310", send_digits="wwww1928", url="/screen", method="GET",
             status_callback_event=EVENTS, status_callback=CALLBACK, status_callback_method="POST",
             byoc="BY" + "0" * 32, machine_detection="Enable", amd_status_callback="/amd",
             amd_status_callback_method="POST", machine_detection_timeout=30,
             machine_detection_speech_threshold=2400, machine_detection_speech_end_threshold=1200,
             machine_detection_silence_timeout=5000)
    return r


@case("dial_text", lambda res: res.dial("+15551234567", record=True, sequential=True, events="call-progress-event",
                                        refer_url="/refer", refer_method="POST", passports="abc",
                                        recording_configuration_id="RC123"))
def _() -> Any:
    r = VoiceResponse()
    r.dial("+15551234567", record=True, sequential=True, events="call-progress-event",
           refer_url="/refer", refer_method="POST", passports="abc", recording_configuration_id="RC123")
    return r


def _dial_client(res: Any) -> None:
    with res.dial() as d:
        with d.client(url="/screen", method="POST", status_callback_event=EVENTS, status_callback=CALLBACK,
                      status_callback_method="GET") as c:
            c.identity("jenny")
            c.parameter(name="FirstName", value="Jenny")
            c.parameter(name="LastName", value="Smith")
        d.client("tommy")


@case("dial_client", _dial_client)
def _() -> Any:
    r = VoiceResponse()
    d = r.dial()
    c = d.client(url="/screen", method="POST", status_callback_event=EVENTS, status_callback=CALLBACK,
                 status_callback_method="GET")
    c.identity("jenny")
    c.parameter(name="FirstName", value="Jenny")
    c.parameter(name="LastName", value="Smith")
    d.client("tommy")
    return r


def _dial_sip(res: Any) -> None:
    with res.dial(answer_on_bridge=True) as d:
        d.sip("sip:jack@example.com", username="admin", password="1234", url="/screen", method="POST",
              status_callback_event="initiated completed", status_callback=CALLBACK, status_callback_method="POST",
              machine_detection="DetectMessageEnd", amd_status_callback="/amd", amd_status_callback_method="GET",
              machine_detection_timeout=10, machine_detection_speech_threshold=2000,
              machine_detection_speech_end_threshold=1000, machine_detection_silence_timeout=3000)


@case("dial_sip", _dial_sip)
def _() -> Any:
    r = VoiceResponse()
    d = r.dial(answer_on_bridge=True)
    d.sip("sip:jack@example.com", username="admin", password="1234", url="/screen", method="POST",
          status_callback_event="initiated completed", status_callback=CALLBACK, status_callback_method="POST",
          machine_detection="DetectMessageEnd", amd_status_callback="/amd", amd_status_callback_method="GET",
          machine_detection_timeout=10, machine_detection_speech_threshold=2000,
          machine_detection_speech_end_threshold=1000, machine_detection_silence_timeout=3000)
    return r


def _dial_sip_uris(res: Any) -> None:
    with res.dial() as d:
        with d.sip() as sip:
            sip.uri("sip:alice@example.com", priority=1, weight=10, username="alice", password="secret")
            sip.uri("sip:alice@backup.example.com", priority=2)
            with sip.headers() as headers:
                headers.header(name="X-Account", value="ACME")
                headers.header(name="X-Tier", value="gold")


@case("dial_sip_uris", _dial_sip_uris)
def _() -> Any:
    r = VoiceResponse()
    d = r.dial()
    sip = d.sip()
    sip.uri("sip:alice@example.com", priority=1, weight=10, username="alice", password="secret")
    sip.uri("sip:alice@backup.example.com", priority=2)
    headers = sip.headers()
    headers.header(name="X-Account", value="ACME")
    headers.header(name="X-Tier", value="gold")
    return r


def _dial_conference(res: Any) -> None:
    with res.dial() as d:
        d.conference("Room 1234", muted=False, beep="onEnter", start_conference_on_enter=True,
                     end_conference_on_exit=False, wait_url="/hold", wait_method="GET", max_participants=10,
                     record="record-from-start", region="ie1", coach="CA" + "1" * 32, trim="do-not-trim",
                     status_callback_event="start end join leave", status_callback=CALLBACK,
                     status_callback_method="POST", recording_status_callback="/rec",
                     recording_status_callback_method="GET", recording_status_callback_event="in-progress completed",
                     event_callback_url="/events", jitter_buffer_size="large", participant_label="customer",
                     recording_configuration_id="RC1")


@case("dial_conference", _dial_conference)
def _() -> Any:
    r = VoiceResponse()
    d = r.dial()
    d.conference("Room 1234", muted=False, beep="onEnter", start_conference_on_enter=True,
                 end_conference_on_exit=False, wait_url="/hold", wait_method="GET", max_participants=10,
                 record="record-from-start", region="ie1", coach="CA" + "1" * 32, trim="do-not-trim",
                 status_callback_event="start end join leave", status_callback=CALLBACK,
                 status_callback_method="POST", recording_status_callback="/rec",
                 recording_status_callback_method="GET", recording_status_callback_event="in-progress completed",
                 event_callback_url="/events", jitter_buffer_size="large", participant_label="customer",
                 recording_configuration_id="RC1")
    return r


def _dial_queue_sim(res: Any) -> None:
    with res.dial() as d:
        d.queue("support", url="/about-to-connect", method="POST", reservation_sid="WR123",
                post_work_activity_sid="WA123")
    with res.dial() as d:
        d.sim("DE" + "8" * 32)


@case("dial_queue_sim", _dial_queue_sim)
def _() -> Any:
    r = VoiceResponse()
    d = r.dial()
    d.queue("support", url="/about-to-connect", method="POST", reservation_sid="WR123",
            post_work_activity_sid="WA123")
    r.dial().sim("DE" + "8" * 32)
    return r


def _dial_application(res: Any) -> None:
    with res.dial() as d:
        with d.application(url="/app", method="POST", status_callback_event="ringing", status_callback=CALLBACK,
                           status_callback_method="GET", customer_id="cust-1", copy_parent_to=True) as app:
            app.application_sid("AP" + "1" * 32)
            app.parameter(name="AccountNumber", value="12345")
        d.application("AP" + "2" * 32)


@case("dial_application", _dial_application)
def _() -> Any:
    r = VoiceResponse()
    d = r.dial()
    app = d.application(url="/app", method="POST", status_callback_event="ringing", status_callback=CALLBACK,
                        status_callback_method="GET", customer_id="cust-1", copy_parent_to=True)
    app.application_sid("AP" + "1" * 32)
    app.parameter(name="AccountNumber", value="12345")
    d.application("AP" + "2" * 32)
    return r


@case("dial_whatsapp", lambda res: res.dial().whatsapp("+15557654321", url="/wa", method="GET",
                                                        status_callback_event="answered",
                                                        status_callback=CALLBACK, status_callback_method="POST"))
def _() -> Any:
    r = VoiceResponse()
    r.dial().whats_app("+15557654321", url="/wa", method="GET", status_callback_event="answered",
                       status_callback=CALLBACK, status_callback_method="POST")
    return r


# -- Record, Redirect, Reject, Hangup, Leave, Echo, Sms -----------------------------------

@case("record_all", lambda res: res.record(action="/recorded", method="POST", timeout=5, finish_on_key="#",
                                           max_length=3600, play_beep=False, trim="trim-silence",
                                           recording_status_callback=CALLBACK,
                                           recording_status_callback_method="GET",
                                           recording_status_callback_event="completed absent",
                                           transcribe=True, transcribe_callback="/transcribed",
                                           recording_configuration_id="RC2"))
def _() -> Any:
    r = VoiceResponse()
    r.record(action="/recorded", method="POST", timeout=5, finish_on_key="#", max_length=3600, play_beep=False,
             trim="trim-silence", recording_status_callback=CALLBACK, recording_status_callback_method="GET",
             recording_status_callback_event="completed absent", transcribe=True,
             transcribe_callback="/transcribed", recording_configuration_id="RC2")
    return r


@case("redirect", lambda res: res.redirect("https://example.com/next?step=2&x=y", method="GET"))
def _() -> Any:
    r = VoiceResponse()
    r.redirect("https://example.com/next?step=2&x=y", method="GET")
    return r


@case("reject", lambda res: (res.reject(reason="busy"),))
def _() -> Any:
    r = VoiceResponse()
    r.reject(reason="busy")
    return r


@case("reject_plain", lambda res: res.reject())
def _() -> Any:
    r = VoiceResponse()
    r.reject()
    return r


@case("hangup_leave_echo", lambda res: (res.echo(), res.leave(), res.hangup()))
def _() -> Any:
    r = VoiceResponse()
    r.echo()
    r.leave()
    r.hangup()
    return r


@case("sms", lambda res: (res.say("Sending"), res.sms("Store Location: 123 Easy St.", to="+15551112222",
                                                       from_="+15553334444", action="/sms", method="POST",
                                                       status_callback=CALLBACK)))
def _() -> Any:
    r = VoiceResponse()
    r.say("Sending")
    r.sms("Store Location: 123 Easy St.", to="+15551112222", from_="+15553334444", action="/sms", method="POST",
          status_callback=CALLBACK)
    return r


# -- Enqueue, Queue ----------------------------------------------------------------------

@case("enqueue", lambda res: res.enqueue("support", action="/left", max_queue_size=100, method="POST",
                                         wait_url="/wait", wait_url_method="GET"))
def _() -> Any:
    r = VoiceResponse()
    r.enqueue("support", action="/left", max_queue_size=100, method="POST", wait_url="/wait", wait_url_method="GET")
    return r


def _enqueue_task(res: Any) -> None:
    with res.enqueue(workflow_sid="WW" + "0" * 32) as e:
        e.task('{"selected_language": "es", "account": "Bob & Co"}', priority=5, timeout=200)


@case("enqueue_task", _enqueue_task)
def _() -> Any:
    r = VoiceResponse()
    r.enqueue(workflow_sid="WW" + "0" * 32).task('{"selected_language": "es", "account": "Bob & Co"}',
                                                priority=5, timeout=200)
    return r


@case("queue_verb", lambda res: res.queue("support", url="/q", method="GET"))
def _() -> Any:
    r = VoiceResponse()
    r.queue("support", url="/q", method="GET")
    return r


# -- Connect ------------------------------------------------------------------------------

def _connect_stream(res: Any) -> None:
    with res.connect(action="/after-stream", method="POST") as c:
        with c.stream(url="wss://example.com/audio", name="main", track="inbound_track",
                      status_callback=CALLBACK, status_callback_method="POST", connector_name="conn",
                      audio_format="mulaw", sample_rate=8000) as s:
            s.parameter(name="caller", value=NAME)
            s.parameter(name="step", value="1")


@case("connect_stream", _connect_stream)
def _() -> Any:
    r = VoiceResponse()
    c = r.connect(action="/after-stream", method="POST")
    s = c.stream(url="wss://example.com/audio", name="main", track="inbound_track", status_callback=CALLBACK,
                 status_callback_method="POST", connector_name="conn", audio_format="mulaw", sample_rate=8000)
    s.parameter(name="caller", value=NAME)
    s.parameter(name="step", value="1")
    return r


@case("connect_room", lambda res: res.connect().room("DailyStandup", participant_identity="alice"))
def _() -> Any:
    r = VoiceResponse()
    r.connect().room("DailyStandup", participant_identity="alice")
    return r


@case("connect_autopilot", lambda res: res.connect().autopilot("UA" + "1" * 32))
def _() -> Any:
    r = VoiceResponse()
    r.connect().autopilot("UA" + "1" * 32)
    return r


def _virtual_agent(res: Any) -> None:
    with res.connect(action="/va-done") as c:
        with c.virtual_agent(connector_name="project", language="en-US", sentiment_analysis=True,
                             status_callback=CALLBACK, status_callback_method="GET") as va:
            va.config(name="language", value="en-US")
            va.config(name="voiceName", value="en-US-Wavenet-C")
            va.parameter(name="customer_name", value=NAME)


@case("connect_virtual_agent", _virtual_agent)
def _() -> Any:
    r = VoiceResponse()
    c = r.connect(action="/va-done")
    va = c.virtual_agent(connector_name="project", language="en-US", sentiment_analysis=True,
                         status_callback=CALLBACK, status_callback_method="GET")
    va.config(name="language", value="en-US")
    va.config(name="voiceName", value="en-US-Wavenet-C")
    va.parameter(name="customer_name", value=NAME)
    return r


@case("connect_conversation", lambda res: res.connect().conversation(
    service_instance_sid="IS" + "0" * 32, inbound_autocreation=True, routing_assignment_timeout=30,
    inbound_timeout=60, url="/conv", method="POST", record="record-from-answer", trim="trim-silence",
    recording_status_callback="/rec", recording_status_callback_method="GET",
    recording_status_callback_event="completed", status_callback=CALLBACK, status_callback_method="POST",
    status_callback_event="call-initiated call-ringing"))
def _() -> Any:
    r = VoiceResponse()
    r.connect().conversation(
        service_instance_sid="IS" + "0" * 32, inbound_autocreation=True, routing_assignment_timeout=30,
        inbound_timeout=60, url="/conv", method="POST", record="record-from-answer", trim="trim-silence",
        recording_status_callback="/rec", recording_status_callback_method="GET",
        recording_status_callback_event="completed", status_callback=CALLBACK, status_callback_method="POST",
        status_callback_event="call-initiated call-ringing")
    return r


def _relay(res: Any) -> None:
    with res.connect(action="/relay-done") as c:
        with c.conversation_relay(url="wss://example.com/relay", language="en-US", tts_provider="ElevenLabs",
                                  voice="UgBBYS2sOqTuMpoF3BR0", transcription_provider="Deepgram",
                                  speech_model="nova-2-phonecall", welcome_greeting=f"Hi {NAME}!",
                                  welcome_greeting_interruptible="any", interruptible="speech",
                                  interrupt_sensitivity="high", dtmf_detection=True, profanity_filter=False,
                                  partial_prompts=True, hints="Twilio, Flask", debug="debugging",
                                  tts_language="en-US", transcription_language="en-US",
                                  preemptible=True, report_input_during_agent_speech="speech") as relay:
            relay.language(code="fr-FR", tts_provider="Google", voice="fr-FR-Neural2-B",
                           transcription_provider="Google", speech_model="telephony")
            relay.language(code="es-ES", hints="hola")
            relay.parameter(name="caller", value=NAME)


@case("connect_conversation_relay", _relay)
def _() -> Any:
    r = VoiceResponse()
    c = r.connect(action="/relay-done")
    relay = c.conversation_relay(url="wss://example.com/relay", language="en-US", tts_provider="ElevenLabs",
                                 voice="UgBBYS2sOqTuMpoF3BR0", transcription_provider="Deepgram",
                                 speech_model="nova-2-phonecall", welcome_greeting=f"Hi {NAME}!",
                                 welcome_greeting_interruptible="any", interruptible="speech",
                                 interrupt_sensitivity="high", dtmf_detection=True, profanity_filter=False,
                                 partial_prompts=True, hints="Twilio, Flask", debug="debugging",
                                 tts_language="en-US", transcription_language="en-US",
                                 preemptible=True, report_input_during_agent_speech="speech")
    relay.language(code="fr-FR", tts_provider="Google", voice="fr-FR-Neural2-B",
                   transcription_provider="Google", speech_model="telephony")
    relay.language(code="es-ES", hints="hola")
    relay.parameter(name="caller", value=NAME)
    return r


def _ai_sessions(res: Any) -> None:
    with res.connect() as c:
        c.ai_session(ai_connector="connector-1", ai_session_configuration="config-1")
    with res.connect() as c:
        c.conversation_relay_session(connector="relay-1", session_configuration="session-1")


@case("connect_ai_sessions", _ai_sessions)
def _() -> Any:
    r = VoiceResponse()
    r.connect().ai_session(ai_connector="connector-1", ai_session_configuration="config-1")
    r.connect().conversation_relay_session(connector="relay-1", session_configuration="session-1")
    return r


# -- Start, Stop ----------------------------------------------------------------------------

def _start_stream(res: Any) -> None:
    with res.start(action="/started", method="GET") as start:
        with start.stream(name="Example Audio Stream", url="wss://example.com/audio-stream", track="both_tracks") as s:
            s.parameter(name="FirstName", value="Jane")
    res.say("The stream has started.")


@case("start_stream", _start_stream)
def _() -> Any:
    r = VoiceResponse()
    start = r.start(action="/started", method="GET")
    start.stream(name="Example Audio Stream", url="wss://example.com/audio-stream",
                 track="both_tracks").parameter(name="FirstName", value="Jane")
    r.say("The stream has started.")
    return r


def _start_siprec(res: Any) -> None:
    with res.start() as start:
        with start.siprec(name="my_siprec", connector_name="Gridspace", track="both_tracks",
                          status_callback=CALLBACK, status_callback_method="POST") as s:
            s.parameter(name="CustomerId", value="42")


@case("start_siprec", _start_siprec)
def _() -> Any:
    r = VoiceResponse()
    r.start().siprec(name="my_siprec", connector_name="Gridspace", track="both_tracks", status_callback=CALLBACK,
                     status_callback_method="POST").parameter(name="CustomerId", value="42")
    return r


def _start_transcription(res: Any) -> None:
    with res.start() as start:
        with start.transcription(name="Live", track="both_tracks", status_callback_url=CALLBACK,
                                 status_callback_method="POST", inbound_track_label="customer",
                                 outbound_track_label="agent", partial_results=True, language_code="en-US",
                                 transcription_engine="google", profanity_filter=True,
                                 speech_model="telephony", hints="Twilio", enable_automatic_punctuation=True,
                                 intelligence_service="GA" + "0" * 32) as t:
            t.config(name="key", value="value")
            t.parameter(name="session", value="abc")


@case("start_transcription", _start_transcription)
def _() -> Any:
    r = VoiceResponse()
    t = r.start().transcription(name="Live", track="both_tracks", status_callback_url=CALLBACK,
                                status_callback_method="POST", inbound_track_label="customer",
                                outbound_track_label="agent", partial_results=True, language_code="en-US",
                                transcription_engine="google", profanity_filter=True, speech_model="telephony",
                                hints="Twilio", enable_automatic_punctuation=True,
                                intelligence_service="GA" + "0" * 32)
    t.config(name="key", value="value")
    t.parameter(name="session", value="abc")
    return r


@case("start_recording", lambda res: res.start().recording(
    recording_status_callback=CALLBACK, recording_status_callback_method="GET",
    recording_status_callback_event="in-progress completed", trim="trim-silence", track="inbound",
    channels="dual", recording_configuration_id="RC3"))
def _() -> Any:
    r = VoiceResponse()
    r.start().recording(recording_status_callback=CALLBACK, recording_status_callback_method="GET",
                        recording_status_callback_event="in-progress completed", trim="trim-silence",
                        track="inbound", channels="dual", recording_configuration_id="RC3")
    return r


def _stop(res: Any) -> None:
    with res.stop() as stop:
        stop.stream(name="Example Audio Stream")
        stop.siprec(name="my_siprec")
        stop.transcription(name="Live")


@case("stop_all", _stop)
def _() -> Any:
    r = VoiceResponse()
    stop = r.stop()
    stop.stream(name="Example Audio Stream")
    stop.siprec(name="my_siprec")
    stop.transcription(name="Live")
    return r


# -- Pay, Prompt, Refer ----------------------------------------------------------------------

def _pay(res: Any) -> None:
    with res.pay(input="dtmf", action="/paid", bank_account_type="consumer-checking", status_callback=CALLBACK,
                 status_callback_method="POST", timeout=10, max_attempts=2, security_code=True, postal_code=False,
                 min_postal_code_length=5, payment_connector="Stripe_Connector", payment_method="credit-card",
                 token_type="reusable", charge_amount="10.50", currency="usd", description="Order 42",
                 valid_card_types="visa mastercard amex", language="en-US") as pay:
        with pay.prompt(for_="payment-card-number", error_type="timeout invalid-card-number",
                        card_type="visa amex", attempt="1 2", require_matching_inputs=True) as prompt:
            prompt.say("Please enter your card number.")
            prompt.play("https://example.com/card.mp3")
            prompt.pause(length=1)
        pay.parameter(name="order", value="42")


@case("pay_prompt", _pay)
def _() -> Any:
    r = VoiceResponse()
    pay = r.pay(input="dtmf", action="/paid", bank_account_type="consumer-checking", status_callback=CALLBACK,
                status_callback_method="POST", timeout=10, max_attempts=2, security_code=True, postal_code=False,
                min_postal_code_length=5, payment_connector="Stripe_Connector", payment_method="credit-card",
                token_type="reusable", charge_amount="10.50", currency="usd", description="Order 42",
                valid_card_types="visa mastercard amex", language="en-US")
    prompt = pay.prompt(for_="payment-card-number", error_type="timeout invalid-card-number",
                        card_type="visa amex", attempt="1 2", require_matching_inputs=True)
    prompt.say("Please enter your card number.")
    prompt.play("https://example.com/card.mp3")
    prompt.pause(length=1)
    pay.parameter(name="order", value="42")
    return r


def _prompt_verb(res: Any) -> None:
    with res.prompt(for_="expiration-date") as p:
        p.say("Enter the expiration date.")


@case("prompt_verb", _prompt_verb)
def _() -> Any:
    r = VoiceResponse()
    r.prompt(for_="expiration-date").say("Enter the expiration date.")
    return r


def _refer(res: Any) -> None:
    with res.refer(action="/refer-done", method="POST") as refer:
        refer.sip("sip:alice@example.com")


@case("refer", _refer)
def _() -> Any:
    r = VoiceResponse()
    r.refer(action="/refer-done", method="POST").sip("sip:alice@example.com")
    return r


# -- Messaging --------------------------------------------------------------------------------

def _message(res: Any) -> None:
    res.message(f"Hello {NAME}!", to="+15551112222", from_="+15553334444", action="/status", method="POST",
                status_callback=CALLBACK)


@case("message_text", _message)
def _() -> Any:
    r = MessagingResponse()
    r.message(f"Hello {NAME}!", to="+15551112222", from_="+15553334444", action="/status", method="POST",
              status_callback=CALLBACK)
    return r


def _message_media(res: Any) -> None:
    with res.message() as m:
        m.body("Store Location: 123 Easy St.")
        m.media("https://demo.twilio.com/owl.png")
        m.media("https://demo.twilio.com/logo.png")
    res.redirect("https://example.com/next", method="POST")


@case("message_media", _message_media)
def _() -> Any:
    r = MessagingResponse()
    m = r.message()
    m.body("Store Location: 123 Easy St.")
    m.media("https://demo.twilio.com/owl.png")
    m.media("https://demo.twilio.com/logo.png")
    r.redirect("https://example.com/next", method="POST")
    return r


def _messages_loop(res: Any) -> None:
    for item in CONTEXT["items"]:  # type: ignore[attr-defined]
        res.message(f"Item: {item}")


@case("messages_loop", _messages_loop)
def _() -> Any:
    r = MessagingResponse()
    for item in CONTEXT["items"]:  # type: ignore[attr-defined]
        r.message(f"Item: {item}")
    return r


# -- Whole flows ------------------------------------------------------------------------------

def _ivr(res: Any) -> None:
    with res.gather(num_digits=1, action="/menu", method="POST", timeout=5) as g:
        with g.say(voice="Polly.Joanna") as s:
            s.text("For sales, press 1. ")
            s.break_(time="500ms")
            s.text("For support, press 2.")
    res.say("Sorry, I didn't get that.")
    res.redirect("/ivr")


@case("ivr_menu", _ivr)
def _() -> Any:
    r = VoiceResponse()
    g = r.gather(num_digits=1, action="/menu", method="POST", timeout=5)
    s = g.say(voice="Polly.Joanna")
    s.append("For sales, press 1. ")
    s.break_(time="500ms")
    s.append("For support, press 2.")
    r.say("Sorry, I didn't get that.")
    r.redirect("/ivr")
    return r


def _call_forward(res: Any) -> None:
    res.say("Connecting you to an agent.", voice="alice")
    with res.dial(action="/dial-status", timeout=15, caller_id="+15550000000") as d:
        d.number("+15551110000", status_callback=CALLBACK, status_callback_event=EVENTS)
        d.number("+15552220000")
    res.say("Nobody answered.")
    res.record(max_length=60, play_beep=True)


@case("call_forward", _call_forward)
def _() -> Any:
    r = VoiceResponse()
    r.say("Connecting you to an agent.", voice="alice")
    d = r.dial(action="/dial-status", timeout=15, caller_id="+15550000000")
    d.number("+15551110000", status_callback=CALLBACK, status_callback_event=EVENTS)
    d.number("+15552220000")
    r.say("Nobody answered.")
    r.record(max_length=60, play_beep=True)
    return r


def _voicemail(res: Any) -> None:
    res.say(f"{NAME} can't take your call. Leave a message.")
    res.record(action="/voicemail", transcribe=True, transcribe_callback="/transcription", max_length=120,
               finish_on_key="*#")
    res.say("No message recorded.")
    res.hangup()


@case("voicemail", _voicemail)
def _() -> Any:
    r = VoiceResponse()
    r.say(f"{NAME} can't take your call. Leave a message.")
    r.record(action="/voicemail", transcribe=True, transcribe_callback="/transcription", max_length=120,
             finish_on_key="*#")
    r.say("No message recorded.")
    r.hangup()
    return r


def _conference_moderator(res: Any) -> None:
    res.say("You are the moderator.")
    with res.dial(hangup_on_star=True) as d:
        d.conference("Standup", start_conference_on_enter=True, end_conference_on_exit=True, beep=False,
                     status_callback=CALLBACK, status_callback_event="start end")


@case("conference_moderator", _conference_moderator)
def _() -> Any:
    r = VoiceResponse()
    r.say("You are the moderator.")
    r.dial(hangup_on_star=True).conference("Standup", start_conference_on_enter=True, end_conference_on_exit=True,
                                           beep=False, status_callback=CALLBACK, status_callback_event="start end")
    return r


def _hold_music(res: Any) -> None:
    res.say("Please hold.", loop=1)
    res.play("https://example.com/hold.mp3", loop=0)


@case("hold_music", _hold_music)
def _() -> Any:
    r = VoiceResponse()
    r.say("Please hold.", loop=1)
    r.play("https://example.com/hold.mp3", loop=0)
    return r


def _unicode(res: Any) -> None:
    res.say("Grüße aus Köln — 東京 🎉", language="de-DE")
    res.say("Ça va? Très bien.", language="fr-FR")


@case("unicode_text", _unicode)
def _() -> Any:
    r = VoiceResponse()
    r.say("Grüße aus Köln — 東京 🎉", language="de-DE")
    r.say("Ça va? Très bien.", language="fr-FR")
    return r


def _stream_then_gather(res: Any) -> None:
    with res.start() as start:
        start.stream(url="wss://example.com/fork")
    with res.gather(input="speech", speech_timeout=3) as g:
        g.say("Tell me what you need.")
    with res.stop() as stop:
        stop.stream(name="fork")


@case("stream_then_gather", _stream_then_gather)
def _() -> Any:
    r = VoiceResponse()
    r.start().stream(url="wss://example.com/fork")
    r.gather(input="speech", speech_timeout=3).say("Tell me what you need.")
    r.stop().stream(name="fork")
    return r


def _reject_hangup_after_say(res: Any) -> None:
    res.say("We are closed.")
    res.pause(length=1)
    res.reject(reason="rejected")


@case("closed_reject", _reject_hangup_after_say)
def _() -> Any:
    r = VoiceResponse()
    r.say("We are closed.")
    r.pause(length=1)
    r.reject(reason="rejected")
    return r


def _empty(res: Any) -> None:
    return None


@case("empty_response", _empty)
def _() -> Any:
    return VoiceResponse()
