"""Python names and values -> TwiML markup: the spelling and escaping rules the builder and the
templates share.

* Element names: the table's spelling (``say_as`` -> ``say-as``, ``break_`` -> ``break``,
  ``virtual_agent`` -> ``VirtualAgent``), else snake_case -> PascalCase.
* Attribute names: snake_case -> lowerCamelCase as twilio-python and twilio-ruby spell them
  (``max_length`` -> ``maxLength``; every part capitalised, so ``foO_Bar_baz`` -> ``fooBarBaz``),
  a trailing underscore dropped (``from_`` -> ``from``), ``xml_lang`` -> ``xml:lang``,
  ``interpret_as`` -> ``interpret-as``; a name without an underscore (``statusCallback``) is kept.
* Values: ``True``/``False`` -> ``true``/``false``, lists and tuples space-separated, numbers as
  Python writes them, anything else through ``str()``. A value with ``__html__`` (``Markup``)
  counts as already escaped.
* Characters XML 1.0 cannot carry raise :class:`~flask_twilio_rb.TwiMLError` naming the element.
"""
from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Optional

from ..errors import TwiMLError
from .schema import METHOD_TAGS

#: The declaration that opens every document.
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'

_SPECIAL_ATTRIBUTE_NAMES = {"xml_lang": "xml:lang", "interpret_as": "interpret-as"}

# Names seen before, converted once: the builder's hot path is a dict lookup.
_attribute_names: Dict[str, str] = dict(_SPECIAL_ATTRIBUTE_NAMES)
_element_tags: Dict[str, str] = dict(METHOD_TAGS)

# Control characters, lone surrogates and U+FFFE/U+FFFF: not XML 1.0 characters at all.
_INVALID = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
_INVALID_RE = re.compile(f"[{_INVALID}]")
# Anything that needs more than copying; most values match neither pattern and are used as is.
#: Matches text that needs more than copying (escaping, or an error).
TEXT_SPECIAL = re.compile(f"[&<>\r{_INVALID}]")
_ATTRIBUTE_SPECIAL = re.compile(f'[&<>"\t\n\r{_INVALID}]')


# The names TwiML uses: ASCII letters, digits, '_', '-' and '.', starting with a letter or '_'.
# Anything else (a space, '=', '>', a quote...) would break the markup or inject into it.
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")


def attribute_name(name: str) -> str:
    """The XML spelling of the attribute passed as ``name`` (``finish_on_key`` -> ``finishOnKey``)."""
    try:
        return _attribute_names[name]
    except KeyError:
        pass
    stripped = name[:-1] if name.endswith("_") else name
    if "_" in name:  # as both official SDKs spell it: each part capitalised, then the first letter lowered
        joined = "".join(part.capitalize() for part in stripped.split("_"))
        stripped = joined[:1].lower() + joined[1:]
    converted = _checked_name(stripped, name, "attribute")
    _attribute_names[name] = converted  # only checked names are kept
    return converted


def element_tag(name: str) -> str:
    """The XML tag of the element the builder method or template tag ``name`` emits."""
    try:
        return _element_tags[name]
    except KeyError:
        pass
    stripped = name[:-1] if name.endswith("_") else name
    converted = _checked_name("".join(part[:1].upper() + part[1:] for part in stripped.split("_")), name, "element")
    _element_tags[name] = converted  # only checked names are kept
    return converted


def _checked_name(converted: str, given: str, kind: str) -> str:
    if not _NAME.match(converted):
        raise TwiMLError(
            f"{given!r} cannot be a TwiML {kind} name: use letters, digits and underscores"
            f" (snake_case, e.g. finish_on_key)."
        )
    return converted


def _invalid(value: str, where: str) -> TwiMLError:
    char = _INVALID_RE.search(value).group()  # type: ignore[union-attr]
    return TwiMLError(
        f"{where} contains the character U+{ord(char):04X}, which XML 1.0 cannot carry;"
        " remove it (or replace it) before building the TwiML."
    )


def text(value: Any, tag: str) -> str:
    """``value`` as escaped element content of ``<tag>``; a dict becomes JSON (``<Task>`` bodies)."""
    if type(value) is not str:
        if hasattr(value, "__html__"):  # escaped already: written once, as a plain str
            value = "".join((value.__html__(),))
            if _INVALID_RE.search(value) is not None:
                raise _invalid(value, f"The text of <{tag}>")
            return value
        value = json.dumps(value) if isinstance(value, dict) else str(value)
    if TEXT_SPECIAL.search(value) is None:
        return value
    if _INVALID_RE.search(value) is not None:
        raise _invalid(value, f"The text of <{tag}>")
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def attribute_value(value: Any, name: str, tag: str) -> str:
    """``value`` of attribute ``name`` of ``<tag>``, formatted and escaped for double quotes."""
    kind = type(value)
    if kind is not str:
        if kind is bool:
            return "true" if value else "false"
        if kind is int or kind is float:
            return str(value)
        if kind is list or kind is tuple:
            value = " ".join(
                "true" if item is True else "false" if item is False else str(item) for item in value
            )
        elif hasattr(value, "__html__"):
            value = value.__html__()
            if _INVALID_RE.search(value) is not None:
                raise _invalid(value, f"Attribute {name!r} of <{tag}>")
            return value
        else:
            value = str(value)
    if _ATTRIBUTE_SPECIAL.search(value) is None:
        return value
    if _INVALID_RE.search(value) is not None:
        raise _invalid(value, f"Attribute {name!r} of <{tag}>")
    # Tabs and line breaks as references: a parser would otherwise turn them into spaces.
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")
            .replace("\r", "&#13;"))


def attributes(values: Dict[str, Any], tag: str) -> str:
    """`` name="value"`` pairs for the keyword arguments ``values`` (``None`` values left out).

    :raises TwiMLError: when two keywords spell one attribute (``max_length=`` and ``maxLength=``).
    """
    out = ""
    written: Optional[List[str]] = [] if len(values) > 1 else None
    for key, value in values.items():
        if value is None:
            continue
        name = _attribute_names.get(key) or attribute_name(key)
        if written is not None:
            if name in written:
                raise TwiMLError(f"<{tag}> got the attribute {name!r} twice ({', '.join(k for k in values)}); keep one.")
            written.append(name)
        kind = type(value)
        if kind is str and _ATTRIBUTE_SPECIAL.search(value) is None or kind is int:
            out += f' {name}="{value}"'
        else:
            out += f' {name}="{attribute_value(value, name, tag)}"'
    return out
