"""Python keyword arguments -> Twilio's parameter names and wire values.

CamelCase exists only here, at the HTTP boundary: ``status_callback`` -> ``StatusCallback``,
``from_`` (or ``from``) -> ``From``, ``started_after`` -> ``StartTime>``.
"""
from __future__ import annotations

import datetime as _dt
import decimal
from functools import lru_cache
from typing import Any, Dict, Iterable, List, Mapping, Tuple

Encoded = List[Tuple[str, str]]


@lru_cache(maxsize=4096)
def twilio_name(name: str) -> str:
    """``status_callback`` -> ``StatusCallback``; ``from_`` -> ``From``; a name Twilio spells already stays."""
    if name[:1].isupper():
        return name
    return "".join(part[:1].upper() + part[1:] for part in name.rstrip("_").split("_"))


def date_filter_names(prefixes: Mapping[str, str]) -> Dict[str, str]:
    """Expand ``{"started": "StartTime"}`` to ``{"started_after": "StartTime>", "started_before": "StartTime<"}``."""
    names: Dict[str, str] = {}
    for prefix, field in prefixes.items():
        names[f"{prefix}_after"] = f"{field}>"
        names[f"{prefix}_before"] = f"{field}<"
    return names


def encode(params: Mapping[str, Any], aliases: Mapping[str, str]) -> Encoded:
    """Encode keyword arguments as ``(TwilioName, value)`` pairs; ``None`` values are left out.

    :raises TypeError: when two keywords name one Twilio parameter (``from_=`` and ``From=``):
        sending both would leave Twilio to pick one.
    """
    pairs: Encoded = []
    given: Dict[str, str] = {}
    for key, value in params.items():
        if value is None:
            continue
        name = aliases.get(key) or twilio_name(key)
        other = given.setdefault(name, key)
        if other != key:
            raise TypeError(f"{other}= and {key}= are both Twilio's {name} parameter: pass only one of them.")
        if isinstance(value, (list, tuple)):
            pairs.extend((name, wire_value(name, item)) for item in value if item is not None)
        elif isinstance(value, dict) and name == "Parameters":
            pairs.extend(_numbered_parameters(value))
        else:
            pairs.append((name, wire_value(name, value)))
    return pairs


def wire_value(name: str, value: Any) -> str:
    """One value as Twilio reads it: ``true``/``false``, ``YYYY-MM-DD``, ISO 8601 UTC, upper-case methods."""
    if isinstance(value, str):
        # Twilio accepts only GET/POST spelled in upper case for its *Method parameters.
        return value.upper() if name.endswith("Method") else value
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, (int, float, decimal.Decimal)):
        return str(value)
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise TypeError(
                f"{name} got a naive datetime; Twilio needs a moment in time: pass an aware datetime "
                f"(e.g. datetime.now(timezone.utc)) or a date."
            )
        return value.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, _dt.date):
        return value.isoformat()
    raise TypeError(
        f"{name} got a {type(value).__name__}; pass a str, int, float, bool, date, datetime or a list of them."
    )


def _numbered_parameters(values: Mapping[str, Any]) -> Iterable[Tuple[str, str]]:
    # Streams and SIPREC take custom parameters as Parameter1.Name / Parameter1.Value ...
    for index, (key, value) in enumerate(values.items(), start=1):
        yield f"Parameter{index}.Name", str(key)
        yield f"Parameter{index}.Value", wire_value("Value", value)
