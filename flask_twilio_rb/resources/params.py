"""Python keyword arguments -> Twilio's parameter names and wire values.

CamelCase exists only here, at the HTTP boundary: ``status_callback`` -> ``StatusCallback``,
``from_`` (or ``from``) -> ``From``, ``started_after`` -> ``StartTime>``; a JSON body keeps the
description's own keys (``friendly_name``; ``raw_id`` -> ``rawId`` where a declaration says so).
"""
from __future__ import annotations

import datetime as _dt
import decimal
import re
from functools import lru_cache
from keyword import iskeyword
from typing import Any, Dict, FrozenSet, Iterable, List, Mapping, Tuple

Encoded = List[Tuple[str, str]]


@lru_cache(maxsize=4096)
def twilio_name(name: str) -> str:
    """``status_callback`` -> ``StatusCallback``; ``from_`` -> ``From``; a name Twilio spells already stays."""
    if name[:1].isupper():
        return name
    return "".join(part[:1].upper() + part[1:] for part in name.rstrip("_").split("_"))


def python_name(name: str) -> str:
    """The keyword that sends Twilio's parameter ``name``: ``StatusCallback`` -> ``status_callback``.

    As Twilio's SDKs spell them: ``From`` -> ``from_``, ``Config.AppId`` -> ``config_app_id``,
    ``A2PProfileBundleSid`` -> ``a2p_profile_bundle_sid``, ``Psd2Enabled`` -> ``psd2_enabled``,
    ``rawId`` -> ``raw_id``; a range bound
    ``DateCreated>`` is ``date_created_after`` (``<``: ``_before``). A declaration lists the names
    :func:`twilio_name` would not give back.
    """
    if name[-1:] in ("<", ">"):
        return python_name(name[:-1]) + ("_after" if name.endswith(">") else "_before")
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    name = re.sub(r"([a-z])([A-Z])", r"\1_\2", name)
    name = re.sub(r"([0-9])([A-Z][a-z])", r"\1_\2", name)  # Psd2Enabled -> psd2_enabled
    name = re.sub(r"[^0-9A-Za-z]+", "_", name).strip("_").lower()
    return name + "_" if iskeyword(name) else name


def date_filter_names(prefixes: Mapping[str, str]) -> Dict[str, str]:
    """Expand ``{"started": "StartTime"}`` to ``{"started_after": "StartTime>", "started_before": "StartTime<"}``."""
    names: Dict[str, str] = {}
    for prefix, field in prefixes.items():
        names[f"{prefix}_after"] = f"{field}>"
        names[f"{prefix}_before"] = f"{field}<"
    return names


#: The HTTP methods a ``*Method`` parameter names, which Twilio reads in upper case.
HTTP_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"})


def encode(params: Mapping[str, Any], aliases: Mapping[str, str], lower: FrozenSet[str] = frozenset(),
           objects: FrozenSet[str] = frozenset()) -> Encoded:
    """Encode keyword arguments as ``(TwilioName, value)`` pairs; ``None`` values are left out.

    ``lower`` names the ``*Method`` parameters whose description spells the method in lower case;
    ``objects`` the fields that take a JSON object (a ``dict`` is sent as JSON text there, as
    Twilio reads Sync's ``Data`` or Verify's ``RateLimits``; anywhere else a ``dict`` is refused).

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
        if name in objects and isinstance(value, (dict, list)):
            from ..wire import json_body  # (only the fields that carry JSON need it)

            pairs.append((name, json_body(json_value(name, value)).decode("utf-8")))
        elif isinstance(value, (list, tuple)):
            pairs.extend((name, wire_value(name, item)) for item in value if item is not None)
        elif isinstance(value, dict) and name == "Parameters":
            pairs.extend(_numbered_parameters(value))
        elif name in lower and isinstance(value, str):
            pairs.append((name, value.lower()))
        else:
            pairs.append((name, wire_value(name, value)))
    return pairs


def json_object(values: Mapping[str, Any], names: Mapping[str, str]) -> Dict[str, Any]:
    """Keyword arguments as a JSON body: the description's keys, values as JSON reads them; ``None`` left out.

    Dates and datetimes become ISO 8601 (a naive datetime is refused, as in a form); dicts and
    lists (``types={"twilio/text": {"body": "Hi {{1}}"}}``) are sent as they are.
    """
    return {names.get(key, key): json_value(key, value) for key, value in values.items() if value is not None}


def json_value(name: str, value: Any) -> Any:
    """One value of a JSON body: JSON's own types as they are, dates as ISO 8601, containers item by item."""
    if isinstance(value, dict):
        return {str(k): json_value(name, v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_value(name, item) for item in value]
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return wire_value(name, value)
    if value is None or isinstance(value, (str, int, float)):
        return value
    raise TypeError(
        f"{name} got a {type(value).__name__}; pass a str, int, float, bool, date, datetime, dict or list of them."
    )


def wire_value(name: str, value: Any) -> str:
    """One value as Twilio reads it: ``true``/``false``, ``YYYY-MM-DD``, ISO 8601 UTC, upper-case methods.

    """
    if isinstance(value, str):
        # Twilio accepts only GET/POST spelled in upper case for its *Method parameters.
        return value.upper() if name.endswith("Method") and value.upper() in HTTP_METHODS else value
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
