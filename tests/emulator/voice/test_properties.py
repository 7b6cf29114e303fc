"""Any document the TwiML builder can make runs to its end, or stops with a clear step; nothing ever hangs.

Documents are drawn from the builder's element table (every Voice and Messaging element, its
attributes with plausible and implausible values, nested up to three deep, unknown elements
too), then a phone presses keys, speaks, waits, answers and hangs up at random.
"""
from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flask_twilio_rb import TwiML
from flask_twilio_rb.twiml.schema import ELEMENTS

from tests.emulator.voice.conftest import BASE, NUMBER, doc

VALUES = st.sampled_from(["0", "1", "2", "5", "30", "-3", "abc", "true", "false", "#", "*", "", "/end", "/voice",
                          "end", "dtmf speech", "speech", "dtmf", "POST", "GET", "busy", "auto", "+15558675310",
                          "client:alice", "https://example.com/a.mp3"])
TEXTS = st.sampled_from(["Hello", "+15558675310", "room", "support", "/end", "https://example.com/a.mp3",
                         "client:bob", "sip:x@example.com", "not a number", ""])
EVENTS = ("fetch", "press", "speak", "wait", "hangup", "error", "warning", "redirect", "bridged")
_NAME = re.compile(r"[A-Za-z]+\Z")


@st.composite
def element(draw, key: str, depth: int):
    spec = ELEMENTS[key]
    names = sorted(name for name in spec.attributes if _NAME.match(name))
    attributes = draw(st.dictionaries(st.sampled_from(names), VALUES, max_size=4)) if names else {}
    text = draw(TEXTS) if spec.text and draw(st.booleans()) else None
    children = []
    if spec.children and depth < 3:
        keys = st.sampled_from(spec.children) if depth else st.sampled_from(
            [k for k in spec.children if k != "Reject"])  # a <Reject> first leaves nothing to explore
        children = draw(st.lists(keys.flatmap(lambda k: element(k, depth + 1)), max_size=3))
    return spec.method, text, attributes, children


def build(parent, tree) -> None:
    method, text, attributes, children = tree
    child = getattr(parent, method)(text, **attributes) if text is not None else getattr(parent, method)(**attributes)
    for grandchild in children:
        build(child, grandchild)


ACTIONS = st.lists(st.one_of(
    st.tuples(st.just("press"), st.sampled_from(["1", "2#", "*", "123#", "9"])),
    st.tuples(st.just("speak"), st.sampled_from(["billing", "yes please"])),
    st.tuples(st.just("wait"), st.sampled_from([0, 1, 5, 30, 3600])),
    st.tuples(st.just("answer"), st.just(None)),
    st.tuples(st.just("hangup"), st.just(None)),
), max_size=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(trees=st.lists(st.sampled_from(ELEMENTS["Response"].children).flatmap(lambda k: element(k, 1)), max_size=5),
       actions=ACTIONS, unknown=st.booleans())
def test_every_document_runs_to_its_end_or_stops_clearly(emulator, twiml_app, trees, actions, unknown):
    emulator.reset()
    emulator.seed("IncomingPhoneNumber", phone_number=NUMBER, voice_url=BASE + "/voice")
    response = TwiML.response()
    for tree in trees:
        build(response, tree)
    if unknown:
        response.not_a_verb("surprise")
    twiml_app["/voice"] = str(response)
    twiml_app["/end"] = doc("<Say>end</Say>")
    call = emulator.dial(NUMBER)
    for action, value in actions:
        if call.waiting_for is None:
            break
        if action == "press":
            call.press(value)
        elif action == "speak":
            call.speak(value)
        elif action == "wait":
            call.wait(value)
        elif action == "hangup":
            call.hang_up()
        else:
            ringing = [s.note.split()[-1] for s in call.transcript if s.note and s.note.startswith("ringing: call ")]
            if ringing and emulator.phone(ringing[-1]).status == "ringing":
                emulator.answer(ringing[-1])
    call.hang_up()
    assert call.status in ("completed", "busy", "no-answer", "canceled")
    steps = call.transcript
    ended = next(i for i, step in enumerate(steps) if step.verb == "hangup")  # it ended, and says so;
    for step in steps[ended + 1:]:  # after that, only the wrap-up: a recording kept, an action told, not run
        assert step.verb == "Record" or step.verb == "fetch" and step.note.endswith("its answer is not run"), step
    assert all(step.verb in EVENTS or step.verb[:1].isupper() for step in steps)
    assert set(call.said) <= {step.text for step in steps if step.verb == "Say"}  # each heard text, with its step
