"""How many segments a text costs: what Twilio bills, and what a sender's throughput counts.

A text that fits the GSM-7 alphabet travels as 160 characters in one segment, 153 a segment
once it is split (the rest carries the header that joins them); the characters of the GSM-7
extension table (``{}[]~\\|^€`` and form feed) take two. Any other character makes the whole
text UCS-2: 70 UTF-16 code units in one segment, 67 a segment once split.
"""
from __future__ import annotations

#: The GSM 03.38 basic character set.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
#: The extension table: each of these is sent as an escape and the character, two septets.
GSM7_EXTENDED = frozenset("\f^{}\\[~]|€")


def is_gsm7(text: str) -> bool:
    """Whether ``text`` can travel in the GSM-7 alphabet."""
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text)


def segments(text: str) -> int:
    """The number of segments ``text`` is sent in (at least 1: an empty body still costs one)."""
    if is_gsm7(text):
        length = sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
        single, part = 160, 153
    else:
        length = len(text.encode("utf-16-le")) // 2  # code units: an emoji takes two
        single, part = 70, 67
    if length <= single:
        return 1
    return -(-length // part)
