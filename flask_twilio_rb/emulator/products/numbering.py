"""Phone numbers as Lookup reads them: any common input form to E.164, Twilio's validation errors, national formats.

A small numbering plan (:data:`COUNTRIES`): each country's calling code, trunk prefix, the
lengths its national numbers have, and how it writes them. Lookup v2 answers ``valid`` and
``validation_errors`` with the values its Formatting and Validation page lists
(https://www.twilio.com/docs/lookup/v2-api/formatting-validation): ``TOO_SHORT``, ``TOO_LONG``,
``INVALID_BUT_POSSIBLE``, ``INVALID_COUNTRY_CODE``, ``INVALID_LENGTH``, ``NOT_A_NUMBER``. A
number in national form takes its country from ``CountryCode``, North America when none is
given (the description's ``PhoneNumber`` parameter: "Default country code is +1").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Dict, FrozenSet, Optional, Tuple

#: What a number may contain besides digits and a leading ``+``: the separators people type.
_SEPARATORS = re.compile(r"[\s\-.()/\u00a0]")


def _nanp(national: str) -> str:
    return f"({national[:3]}) {national[3:6]}-{national[6:]}"


def _groups(*sizes: int) -> Callable[[str], str]:
    """A national format: the trunk prefix's digit kept, then the national number in groups."""
    def written(national: str) -> str:
        parts, start = [], 0
        for size in sizes:
            parts.append(national[start:start + size])
            start += size
        if start < len(national):
            parts[-1] += national[start:]
        return " ".join(part for part in parts if part)
    return written


def _uk(national: str) -> str:
    # 020 London and 07 mobiles: "020 7946 0958", "07772 000001"; other areas "01632 960001".
    if national.startswith("2"):
        return f"0{national[:2]} {national[2:6]} {national[6:]}"
    return f"0{national[:4]} {national[4:]}"


@dataclass(frozen=True)
class Country:
    """How one country numbers its phones: ``lengths`` of its national numbers (no trunk prefix)."""

    iso: str
    calling_code: str
    lengths: FrozenSet[int]
    trunk: str = ""
    national: Callable[[str], str] = lambda national: national
    #: What a valid national number must look like beyond its length (``None``: any digits).
    pattern: Optional["re.Pattern[str]"] = None

    def national_format(self, national: str) -> str:
        """``national`` as the country writes it (its trunk prefix included)."""
        written = self.national(national)
        return written if written.startswith(self.trunk) else self.trunk + written


_NANP_PATTERN = re.compile(r"[2-9][0-9]{2}[2-9](?!11)[0-9]{6}\Z")
#: The countries whose numbers Lookup validates and formats here (others: INVALID_COUNTRY_CODE).
COUNTRIES: Dict[str, Country] = {country.iso: country for country in (
    Country("US", "1", frozenset({10}), "", _nanp, _NANP_PATTERN),
    Country("CA", "1", frozenset({10}), "", _nanp, _NANP_PATTERN),
    Country("PR", "1", frozenset({10}), "", _nanp, _NANP_PATTERN),
    Country("GB", "44", frozenset({7, 9, 10}), "0", _uk, re.compile(r"[1-9][0-9]+\Z")),
    Country("IE", "353", frozenset({7, 8, 9}), "0", _groups(2, 3, 4), re.compile(r"[1-9][0-9]+\Z")),
    Country("FR", "33", frozenset({9}), "0", lambda n: "0" + " ".join([n[0]] + [n[i:i + 2] for i in range(1, 9, 2)]),
            re.compile(r"[1-9][0-9]{8}\Z")),
    Country("DE", "49", frozenset(range(6, 12)), "0", _groups(3, 8), re.compile(r"[1-9][0-9]+\Z")),
    Country("ES", "34", frozenset({9}), "", _groups(3, 2, 2, 2), re.compile(r"[6-9][0-9]{8}\Z")),
    Country("IT", "39", frozenset(range(6, 12)), "", _groups(3, 8), re.compile(r"[03][0-9]+\Z")),
    Country("NL", "31", frozenset({9}), "0", _groups(2, 8), re.compile(r"[1-9][0-9]{8}\Z")),
    Country("AU", "61", frozenset({9}), "0", _groups(3, 3, 3), re.compile(r"[2-478][0-9]{8}\Z")),
    Country("NZ", "64", frozenset({8, 9, 10}), "0", _groups(2, 3, 5), re.compile(r"[2-9][0-9]+\Z")),
    Country("IN", "91", frozenset({10}), "0", _groups(5, 5), re.compile(r"[6-9][0-9]{9}\Z")),
    Country("BR", "55", frozenset({10, 11}), "", lambda n: f"({n[:2]}) {n[2:-4]}-{n[-4:]}",
            re.compile(r"[1-9]{2}[0-9]{8,9}\Z")),
    Country("MX", "52", frozenset({10}), "", _groups(2, 4, 4), re.compile(r"[1-9][0-9]{9}\Z")),
    Country("JP", "81", frozenset({9, 10}), "0", _groups(2, 4, 4), re.compile(r"[1-9][0-9]+\Z")),
    Country("CN", "86", frozenset({10, 11}), "0", _groups(3, 4, 4), re.compile(r"[1-9][0-9]+\Z")),
    Country("KR", "82", frozenset({9, 10}), "0", _groups(2, 4, 4), re.compile(r"[1-9][0-9]+\Z")),
    Country("SG", "65", frozenset({8}), "", _groups(4, 4), re.compile(r"[3689][0-9]{7}\Z")),
    Country("ZA", "27", frozenset({9}), "0", _groups(2, 3, 4), re.compile(r"[1-8][0-9]{8}\Z")),
    Country("CH", "41", frozenset({9}), "0", _groups(2, 3, 2, 2), re.compile(r"[1-9][0-9]{8}\Z")),
    Country("SE", "46", frozenset(range(7, 11)), "0", _groups(2, 3, 4), re.compile(r"[1-9][0-9]+\Z")),
    Country("PL", "48", frozenset({9}), "", _groups(3, 3, 3), re.compile(r"[1-9][0-9]{8}\Z")),
    Country("PT", "351", frozenset({9}), "", _groups(3, 3, 3), re.compile(r"[29][0-9]{8}\Z")),
    Country("IL", "972", frozenset({8, 9}), "0", _groups(2, 3, 4), re.compile(r"[2-9][0-9]+\Z")),
    Country("AE", "971", frozenset({8, 9}), "0", _groups(2, 3, 4), re.compile(r"[2-9][0-9]+\Z")),
)}
#: NANP area codes outside the United States (the countries the table has), by country.
NANP_AREAS: Dict[str, FrozenSet[str]] = {
    "CA": frozenset("204 226 236 249 250 263 289 306 343 354 365 367 368 382 403 416 418 428 431 437 438 450 "
                    "468 474 506 514 519 548 579 581 584 587 604 613 639 647 672 683 705 709 742 753 778 780 "
                    "782 807 819 825 867 873 879 902 905".split()),
    "PR": frozenset({"787", "939"}),
}
#: Calling code -> the countries sharing it (the first is the one a number falls back to).
CALLING_CODES: Dict[str, Tuple[Country, ...]] = {}
for _country in COUNTRIES.values():
    CALLING_CODES.setdefault(_country.calling_code, ())
    CALLING_CODES[_country.calling_code] += (_country,)


@dataclass(frozen=True)
class Number:
    """A phone number as Lookup answers it: ``phone_number`` always (E.164 when it could be built)."""

    phone_number: str
    valid: bool
    errors: Tuple[str, ...] = ()
    country: Optional[Country] = None
    national: str = ""

    @property
    def national_format(self) -> Optional[str]:
        """How its country writes it, or ``None`` for an invalid number."""
        return self.country.national_format(self.national) if self.valid and self.country else None


def parse(text: str, country_code: Optional[str] = None) -> Number:
    """Read ``text`` (E.164, or national with ``country_code``; spaces, dashes, dots, parentheses allowed)."""
    compact = _SEPARATORS.sub("", text)
    if compact.startswith("00"):  # the international prefix most of the world dials
        compact = "+" + compact[2:]
    digits = compact[1:] if compact.startswith("+") else compact
    if not digits.isdigit() or not digits.isascii():
        return Number(text, False, ("NOT_A_NUMBER",))
    if compact.startswith("+"):
        code = next((digits[:size] for size in (1, 2, 3) if digits[:size] in CALLING_CODES), None)
        if code is None:
            return Number(compact, False, ("INVALID_COUNTRY_CODE",))
        return _checked(code, digits[len(code):], None)
    home = COUNTRIES.get((country_code or "US").upper())
    if home is None:
        return Number(compact, False, ("INVALID_COUNTRY_CODE",))
    national = digits
    if home.trunk and national.startswith(home.trunk):
        national = national[len(home.trunk):]
    elif home.calling_code == "1" and len(national) == 11 and national.startswith("1"):
        national = national[1:]  # 1 415 555 2671, dialled with North America's own "1"
    return _checked(home.calling_code, national, home)


def _checked(code: str, national: str, home: Optional[Country]) -> Number:
    e164 = f"+{code}{national}"
    country = home or _country_of(code, national)
    errors = _length_errors(country, national)
    if errors:
        return Number(e164, False, errors)
    if country.pattern is not None and not country.pattern.match(national):
        return Number(e164, False, ("INVALID_BUT_POSSIBLE",))
    if home is not None and code == "1":  # a national NANP number belongs where its area code is
        country = _country_of(code, national)
    return Number(e164, True, (), country, national)


def _country_of(code: str, national: str) -> Country:
    sharing = CALLING_CODES[code]
    for country in sharing:
        if national[:3] in NANP_AREAS.get(country.iso, frozenset()):
            return country
    return sharing[0]


def _length_errors(country: Country, national: str) -> Tuple[str, ...]:
    if len(national) < min(country.lengths):
        return ("TOO_SHORT",)
    if len(national) > max(country.lengths):
        return ("TOO_LONG",)
    if len(national) not in country.lengths:
        return ("INVALID_LENGTH",)
    return ()
