"""Webhook signature validations per second: flask_twilio_rb against twilio-python.

Run ``python benchmarks/webhooks.py`` (``--quick`` for a short run). :func:`run` returns the
rows for the benchmark report: ``name``, ``value`` (validations per second), ``unit`` and
``ratio`` (ours over twilio-python's ``RequestValidator.validate``, same inputs).
"""
from __future__ import annotations

import sys
import timeit
from typing import Any, Callable, Dict, List, Tuple

from twilio.request_validator import RequestValidator
from werkzeug.datastructures import MultiDict

from flask_twilio_rb import compute_signature, is_valid_signature

TOKEN = "f3c1a9d27b6e4058a1c2d3e4f5a6b7c8"
URL = "https://abc123.ngrok.io/voice/incoming?lang=en-US"
# The parameters of a real inbound-call webhook.
CALL = {
    "AccountSid": "AC" + "0" * 32, "ApiVersion": "2010-04-01", "CallSid": "CA" + "1" * 32,
    "CallStatus": "ringing", "Called": "+15557654321", "CalledCity": "SAN FRANCISCO", "CalledCountry": "US",
    "CalledState": "CA", "CalledZip": "94105", "Caller": "+15551234567", "CallerCity": "OAKLAND",
    "CallerCountry": "US", "CallerState": "CA", "CallerZip": "94612", "Direction": "inbound",
    "From": "+15551234567", "FromCity": "OAKLAND", "FromCountry": "US", "FromState": "CA", "FromZip": "94612",
    "To": "+15557654321", "ToCity": "SAN FRANCISCO", "ToCountry": "US", "ToState": "CA", "ToZip": "94105",
}
MEDIA = MultiDict(list(CALL.items()) + [("MediaUrl", f"https://api.twilio.com/media/ME{n}") for n in range(4)])


def _cases() -> List[Tuple[str, Callable[[], Any], Callable[[], Any]]]:
    validator = RequestValidator(TOKEN)
    good = compute_signature(URL, CALL, TOKEN)
    good_256 = compute_signature(URL, CALL, TOKEN, "sha256")
    good_media = compute_signature(URL, MEDIA, TOKEN)
    bad = "A" * 27 + "="
    on_default_port = URL.replace(".io/", ".io:443/")
    return [
        ("valid SHA-1 webhook (25 params)",
         lambda: is_valid_signature(URL, CALL, good, TOKEN), lambda: validator.validate(URL, CALL, good)),
        ("valid SHA-1 webhook, URL with :443",
         lambda: is_valid_signature(on_default_port, CALL, good, TOKEN),
         lambda: validator.validate(on_default_port, CALL, good)),
        ("valid SHA-256 webhook",
         lambda: is_valid_signature(URL, CALL, good_256, TOKEN, algorithm="sha256"),
         lambda: validator.validate(URL, CALL, good_256, "HMAC_SHA256")),
        ("valid webhook, multi-valued MultiDict",
         lambda: is_valid_signature(URL, MEDIA, good_media, TOKEN), lambda: validator.validate(URL, MEDIA, good_media)),
        ("forged signature (rejected)",
         lambda: is_valid_signature(URL, CALL, bad, TOKEN), lambda: validator.validate(URL, CALL, bad)),
    ]


def _rate(func: Callable[[], Any], quick: bool) -> float:
    """Validations per second: the best of several timed runs, each long enough to time well."""
    number, _ = timeit.Timer(func).autorange()  # enough calls for about 0.2 s
    if quick:
        number = max(1, number // 4)
    best = min(timeit.repeat(func, number=number, repeat=3 if quick else 5))
    return number / best


def run(quick: bool = False) -> List[Dict[str, Any]]:
    """Measure each case for both libraries; one row per library and case."""
    rows: List[Dict[str, Any]] = []
    for name, ours, theirs in _cases():
        assert ours() == theirs(), f"the libraries disagree on {name!r}"
        our_rate, their_rate = _rate(ours, quick), _rate(theirs, quick)
        rows.append({"name": f"webhooks: {name} [flask_twilio_rb]", "value": round(our_rate),
                     "unit": "validations/s", "ratio": round(our_rate / their_rate, 2)})
        rows.append({"name": f"webhooks: {name} [twilio-python]", "value": round(their_rate),
                     "unit": "validations/s", "ratio": 1.0})
    return rows


def main(argv: List[str]) -> None:
    rows = run(quick="--quick" in argv)
    width = max(len(row["name"]) for row in rows)
    print(f"{'benchmark'.ljust(width)}  {'validations/s':>13}  {'ratio':>6}")
    for row in rows:
        print(f"{row['name'].ljust(width)}  {row['value']:>13,}  {row['ratio']:>5.2f}x")


if __name__ == "__main__":
    main(sys.argv[1:])
