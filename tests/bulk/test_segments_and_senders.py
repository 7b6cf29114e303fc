"""Segments (GSM-7 160/153, UCS-2 70/67) and the rates of sender types."""
from __future__ import annotations

import pytest

from flask_twilio_rb.bulk import segments
from flask_twilio_rb.bulk.segments import is_gsm7
from flask_twilio_rb.bulk.senders import default_rate, kind_of


@pytest.mark.parametrize("text, expected", [
    ("", 1), ("a" * 160, 1), ("a" * 161, 2), ("a" * 306, 2), ("a" * 307, 3),
    ("€" * 80, 1), ("€" * 81, 2),  # an extension character takes two septets
    ("é" * 160, 1),  # é is in the GSM-7 basic set
    ("ş" * 70, 1), ("ş" * 71, 2), ("ş" * 134, 2), ("ş" * 135, 3),
    ("😀" * 35, 1), ("😀" * 36, 2),  # an emoji is two UTF-16 code units
])
def test_segments_follow_gsm7_and_ucs2_limits(text, expected):
    assert segments(text) == expected


def test_one_character_outside_gsm7_makes_the_whole_text_ucs2():
    assert is_gsm7("Hello {name} [x] ~ ^ €")
    assert not is_gsm7("Hello ☺")
    assert segments("a" * 69 + "☺") == 1 and segments("a" * 70 + "☺") == 2


@pytest.mark.parametrize("sender, kind, rate", [
    ("+15017122661", "long_code", 1.0), ("+18005550100", "toll_free", 3.0), ("+18885550100", "toll_free", 3.0),
    ("12345", "short_code", 100.0), ("MG" + "a" * 32, "messaging_service", 10.0),
    ("whatsapp:+15017122661", "whatsapp", 80.0), ("ACME", "alphanumeric", 10.0), ("+447700900123", "long_code", 1.0),
])
def test_a_senders_kind_gives_its_default_rate(sender, kind, rate):
    assert kind_of(sender) == kind
    assert default_rate(sender) == rate
