"""Parameters checked against the operation's table entry: unknown names, types, enums, required ones.

The table gives each parameter a kind: ``str``, ``int``, ``num``, ``bool``, ``date``,
``datetime``, ``uri``, ``phone``, ``endpoint``, ``method``, ``sid:XX``, ``enum:<ENUMS key>``,
``json`` (a JSON text, kept decoded), ``map:<Prefix>`` (``Prefix.<anything>`` names) or
``list:<kind>``; a trailing ``!`` marks a required one, and ``#`` in a name stands for a number
(``Parameter#.Name`` is ``Parameter1.Name``, ``Parameter2.Name``...). JSON bodies are checked
by :func:`check_json`, whose members also take ``obj`` (an object) and ``any``.
"""
from __future__ import annotations

import datetime as _dt
import json
import re
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple

from .errors import invalid_parameter
from .routing import Operation
from .rules import INVALID_CODES, MISSING_CODES

# ASCII digits only (``\d`` matches any script's), and integers of at most 18 of them: Twilio's are 64-bit.
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_DATE_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?\Z")
_INTEGER = re.compile(r"-?[0-9]{1,18}\Z")
_DECIMAL = re.compile(r"-?[0-9]{1,18}(\.[0-9]{1,18})?\Z")
_URI = re.compile(r"[a-z][a-z0-9+.-]*://[^\s/?#]+\S*\Z", re.IGNORECASE)  # https://, wss:// (streams)...
_BOOLEANS = {"true": True, "false": False}
#: The number in ``Parameter7.Name``: the table lists such names once, as ``Parameter#.Name``.
_PARAMETER_NUMBER = re.compile(r"(?<=\AParameter)\d+(?=\.)")
#: What a member of a JSON body of each kind must be (``bool`` is not a number there).
_JSON_TYPES: Dict[str, Callable[[Any], bool]] = {
    "int": lambda value: isinstance(value, int) and not isinstance(value, bool),
    "num": lambda value: isinstance(value, (int, float)) and not isinstance(value, bool),
    "bool": lambda value: isinstance(value, bool),
    "obj": lambda value: isinstance(value, dict),
    "any": lambda value: True,
}


def _is_moment(value: str) -> bool:
    """Whether a date or date-time of the right shape names a real moment (not ``2026-02-30``, ``T99:99``)."""
    try:
        if len(value) == 10:
            _dt.date.fromisoformat(value)
        else:
            _dt.datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "T"))
    except ValueError:
        return False
    return True


def _sid_check(prefix: str) -> Callable[[str], Any]:
    pattern = re.compile(prefix + r"[0-9a-fA-F]{32}\Z")
    return lambda value: value if pattern.match(value) else None


def _enum_check(allowed: Tuple[str, ...]) -> Callable[[str], Any]:
    return lambda value: value if value in allowed else None


def _json_text(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return None


#: Each kind's check: the value as the emulator stores it, or ``None`` when Twilio would refuse it.
_CHECKS: Dict[str, Callable[[str], Any]] = {
    "int": lambda value: int(value) if _INTEGER.match(value) else None,
    "num": lambda value: value if _DECIMAL.match(value) else None,
    "bool": lambda value: _BOOLEANS.get(value.lower()),
    "date": lambda value: value if _DATE.match(value) and _is_moment(value) else None,
    "datetime": lambda value: value if _DATE_TIME.match(value) and _is_moment(value) else None,
    "uri": lambda value: value if _URI.match(value) else None,
    "method": lambda value: value.upper() if value.upper() in ("GET", "POST") else None,
    "json": _json_text,
}


def _check_of(kind: str, enums: Mapping[str, Tuple[str, ...]]) -> Callable[[str], Any]:
    if kind.startswith("sid:"):
        return _sid_check(kind[4:])
    if kind.startswith("enum:"):
        return _enum_check(enums[kind[5:]])
    # Phone numbers and endpoints are judged by the rules of the resource (21211, 21212...).
    return _CHECKS.get(kind, lambda value: value)


def _expected(kind: str, enums: Mapping[str, Tuple[str, ...]]) -> str:
    return f"one of {', '.join(enums[kind[5:]])}" if kind.startswith("enum:") else kind


def _spec_kind(operation: Operation, name: str) -> Optional[str]:
    """The table's kind of the parameter ``name`` as sent (``Parameter7.Name``, ``AddOns.x``...)."""
    kind = operation.params.get(name) or operation.params.get(_PARAMETER_NUMBER.sub("#", name, count=1))
    if kind is None and "." in name:  # a prefixed map: every AddOns.<name> is one of AddOnsData's
        prefix = "map:" + name.split(".", 1)[0]
        kind = next((k for k in operation.params.values() if k.rstrip("!") == prefix), None)
        return "str" if kind else None
    return kind


def check(operation: Operation, pairs: Iterable[Tuple[str, str]], where: str) -> Dict[str, Any]:
    """The request's parameters as ``{name: value}`` (lists for list kinds), checked and typed.

    :param where: ``"query string"`` or ``"post body"``, for the messages.
    :raises TwilioAPIError: 20001 for an unknown name or a value of the wrong type; for a
        missing required parameter, the resource's own code (21604 for a message's To...).
    """
    values: Dict[str, Any] = {}
    lists: Dict[str, List[Any]] = {}
    enums = operation.domain.table.ENUMS
    for name, raw in pairs:
        spec_kind = _spec_kind(operation, name)
        if spec_kind is None:
            raise invalid_parameter(f"Invalid parameter {name!r} in the {where}: {operation.operation_id} "
                                    f"takes {', '.join(sorted(operation.params)) or 'none'}.")
        kind = spec_kind.rstrip("!")
        base = kind[5:] if kind.startswith("list:") else kind
        value = _check_of(base, enums)(raw)
        if value is None:
            raise invalid_parameter(f"{name} is not valid: {raw!r} (expected {_expected(base, enums)}).",
                                    INVALID_CODES.get((operation.kind, name), 20001))
        if kind != base:
            lists.setdefault(name, []).append(value)
        else:
            values.setdefault(name, value)
    values.update(lists)
    _check_required(operation, values, where)
    return values


def _check_required(operation: Operation, values: Mapping[str, Any], where: str) -> None:
    for name, spec_kind in operation.params.items():
        if spec_kind.endswith("!") and name not in values:
            code = MISSING_CODES.get((operation.kind, name), 20001)
            raise invalid_parameter(f"Missing required parameter {name} in the {where}.", code)


def check_json(operation: Operation, body: Any) -> Dict[str, Any]:
    """A JSON request body, checked: an object whose members the operation takes, typed as its table says.

    :raises TwilioAPIError: 20001 for anything else, naming the member and what it should be.
    """
    if not isinstance(body, dict):
        raise invalid_parameter(f"{operation.operation_id} takes a JSON object as its body, "
                                f"not {type(body).__name__}.")
    enums = operation.domain.table.ENUMS
    free_form = not operation.params  # a body the description leaves open takes any member
    for name, value in body.items():
        kind = operation.params.get(name)
        if kind is None and not free_form:
            raise invalid_parameter(f"Invalid member {name!r} in the JSON body: {operation.operation_id} "
                                    f"takes {', '.join(sorted(operation.params))}.")
        if kind is not None and not _json_fits(kind.rstrip("!"), value, enums):
            raise invalid_parameter(f"{name} is not valid: {value!r} (expected {_expected(kind.rstrip('!'), enums)}).")
    _check_required(operation, body, "JSON body")
    return dict(body)


def _json_fits(kind: str, value: Any, enums: Mapping[str, Tuple[str, ...]]) -> bool:
    if value is None:  # null: the member left unset
        return True
    if kind.startswith("list:"):
        return isinstance(value, list) and all(_json_fits(kind[5:], item, enums) for item in value)
    if kind in _JSON_TYPES:
        return _JSON_TYPES[kind](value)
    return isinstance(value, str) and _check_of(kind, enums)(value) is not None
