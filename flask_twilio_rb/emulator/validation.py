"""Parameters checked against the operation's table entry: unknown names, types, enums, required ones.

The table gives each parameter a kind: ``str``, ``int``, ``num``, ``bool``, ``date``,
``datetime``, ``uri``, ``phone``, ``endpoint``, ``method``, ``sid:XX``, ``enum:<ENUMS key>`` or
``list:<kind>``; a trailing ``!`` marks a required one, and ``#`` in a name stands for a number
(``Parameter#.Name`` is ``Parameter1.Name``, ``Parameter2.Name``...).
"""
from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Callable, Dict, Iterable, List, Tuple

from . import table
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


def _enum_check(name: str) -> Callable[[str], Any]:
    allowed = table.ENUMS[name]
    return lambda value: value if value in allowed else None


#: Each kind's check: the value as the emulator stores it, or ``None`` when Twilio would refuse it.
_CHECKS: Dict[str, Callable[[str], Any]] = {
    "int": lambda value: int(value) if _INTEGER.match(value) else None,
    "num": lambda value: value if _DECIMAL.match(value) else None,
    "bool": lambda value: _BOOLEANS.get(value.lower()),
    "date": lambda value: value if _DATE.match(value) and _is_moment(value) else None,
    "datetime": lambda value: value if _DATE_TIME.match(value) and _is_moment(value) else None,
    "uri": lambda value: value if _URI.match(value) else None,
    "method": lambda value: value.upper() if value.upper() in ("GET", "POST") else None,
}


def _check_of(kind: str) -> Callable[[str], Any]:
    if kind.startswith("sid:"):
        return _sid_check(kind[4:])
    if kind.startswith("enum:"):
        return _enum_check(kind[5:])
    # Phone numbers and endpoints are judged by the rules of the resource (21211, 21212...).
    return _CHECKS.get(kind, lambda value: value)


def check(operation: Operation, pairs: Iterable[Tuple[str, str]], where: str) -> Dict[str, Any]:
    """The request's parameters as ``{name: value}`` (lists for list kinds), checked and typed.

    :param where: ``"query string"`` or ``"post body"``, for the messages.
    :raises TwilioAPIError: 20001 for an unknown name or a value of the wrong type; for a
        missing required parameter, the resource's own code (21604 for a message's To...).
    """
    values: Dict[str, Any] = {}
    lists: Dict[str, List[Any]] = {}
    for name, raw in pairs:
        spec_kind = operation.params.get(name) or operation.params.get(_PARAMETER_NUMBER.sub("#", name, count=1))
        if spec_kind is None:
            raise invalid_parameter(f"Invalid parameter {name!r} in the {where}: {operation.operation_id} "
                                    f"takes {', '.join(sorted(operation.params)) or 'none'}.")
        kind = spec_kind.rstrip("!")
        base = kind[5:] if kind.startswith("list:") else kind
        value = _check_of(base)(raw)
        if value is None:
            expected = f"one of {', '.join(table.ENUMS[base[5:]])}" if base.startswith("enum:") else base
            raise invalid_parameter(f"{name} is not valid: {raw!r} (expected {expected}).",
                                    INVALID_CODES.get((operation.kind, name), 20001))
        if kind != base:
            lists.setdefault(name, []).append(value)
        else:
            values.setdefault(name, value)
    values.update(lists)
    for name, spec_kind in operation.params.items():
        if spec_kind.endswith("!") and name not in values:
            code = MISSING_CODES.get((operation.kind, name), 20001)
            raise invalid_parameter(f"Missing required parameter {name} in the {where}.", code)
    return values
