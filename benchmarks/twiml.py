"""TwiML documents built and serialised per second: our builder and ``.voice`` template against
twilio-python's ``VoiceResponse``.

Run ``python benchmarks/twiml.py`` (``--quick`` for a short run). :func:`run` returns the rows
for the benchmark report: ``name``, ``value`` (documents per second), ``unit`` and ``ratio``
(over twilio-python's rate, same document). The document has ten verbs, one of them with a
nested ``<Say>`` and one with a ``<Number>``, and a caller's name that changes per call.
"""
from __future__ import annotations

import sys
import timeit
from typing import Any, Callable, Dict, List, Tuple
from xml.etree.ElementTree import canonicalize

from jinja2 import DictLoader, Environment
from twilio.twiml.voice_response import VoiceResponse

from flask_twilio_rb.twiml import TwiML, TwiMLExtension

NAME = "Bob & Alice"

TEMPLATE = """\
{% say voice="man" %}Hey {{ name }}! Listen to this!{% endsay %}
{% play %}http://foo.com/cowbell.mp3{% endplay %}
{% say voice="man", language="en-GB" %}Now leave a message.{% endsay %}
{% record action="/handle_recording", method="GET", max_length=20, finish_on_key="*" %}
{% gather action="/process_gather", method="GET", num_digits=1 %}
  {% say %}Now hit some buttons!{% endsay %}
{% endgather %}
{% pause length=2 %}
{% redirect method="POST" %}/menu{% endredirect %}
{% dial caller_id="+15550001111", timeout=20 %}{% number %}+15551234567{% endnumber %}{% enddial %}
{% say %}Goodbye{% endsay %}
{% hangup %}
"""


def builder(name: str = NAME) -> str:
    res = TwiML.response()
    res.say(f"Hey {name}! Listen to this!", voice="man")
    res.play("http://foo.com/cowbell.mp3")
    res.say("Now leave a message.", voice="man", language="en-GB")
    res.record(action="/handle_recording", method="GET", max_length=20, finish_on_key="*")
    with res.gather(action="/process_gather", method="GET", num_digits=1) as g:
        g.say("Now hit some buttons!")
    res.pause(length=2)
    res.redirect("/menu", method="POST")
    with res.dial(caller_id="+15550001111", timeout=20) as d:
        d.number("+15551234567")
    res.say("Goodbye")
    res.hangup()
    return str(res)


def twilio_python(name: str = NAME) -> str:
    r = VoiceResponse()
    r.say(f"Hey {name}! Listen to this!", voice="man")
    r.play("http://foo.com/cowbell.mp3")
    r.say("Now leave a message.", voice="man", language="en-GB")
    r.record(action="/handle_recording", method="GET", max_length=20, finish_on_key="*")
    g = r.gather(action="/process_gather", method="GET", num_digits=1)
    g.say("Now hit some buttons!")
    r.pause(length=2)
    r.redirect("/menu", method="POST")
    d = r.dial(caller_id="+15550001111", timeout=20)
    d.number("+15551234567")
    r.say("Goodbye")
    r.hangup()
    return str(r)


def _template() -> Callable[[], str]:
    # Compiled once, as Flask's environment caches it: each call is a render.
    environment = Environment(loader=DictLoader({"bench.voice": TEMPLATE}), extensions=[TwiMLExtension])
    template = environment.get_template("bench.voice")
    return lambda: template.render(name=NAME)


def _cases() -> List[Tuple[str, Callable[[], str]]]:
    return [("builder", builder), (".voice template", _template()), ("twilio-python VoiceResponse", twilio_python)]


def _rate(func: Callable[[], Any], quick: bool) -> float:
    """Documents per second: the best of several timed runs, each long enough to time well."""
    number, _ = timeit.Timer(func).autorange()  # enough calls for about 0.2 s
    if quick:
        number = max(1, number // 4)
    best = min(timeit.repeat(func, number=number, repeat=3 if quick else 5))
    return number / best


def run(quick: bool = False) -> List[Dict[str, Any]]:
    """Measure the three ways to make the document; one row each, ratios over twilio-python."""
    cases = _cases()
    outputs = {canonicalize(xml_data=func(), strip_text=True) for _, func in cases}
    assert len(outputs) == 1, "the three ways disagree on the document"
    rates = {name: _rate(func, quick) for name, func in cases}
    baseline = rates["twilio-python VoiceResponse"]
    return [{"name": f"twiml: 10-verb document, {name}", "value": round(rate), "unit": "documents/s",
             "ratio": round(rate / baseline, 2)} for name, rate in rates.items()]


def main(argv: List[str]) -> None:
    rows = run(quick="--quick" in argv)
    width = max(len(row["name"]) for row in rows)
    print(f"{'benchmark'.ljust(width)}  {'documents/s':>11}  {'ratio':>6}")
    for row in rows:
        print(f"{row['name'].ljust(width)}  {row['value']:>11,}  {row['ratio']:>5.2f}x")


if __name__ == "__main__":
    main(sys.argv[1:])
