"""``api_map()``: every operation of the 2010-04-01 API and the Python call that performs it."""
from __future__ import annotations

import re
from typing import Dict, List, Type

from .registry import REGISTRY
from .resources import Resource
from .resources.singleton import Singleton

_CALLS = {
    "create": "{cls}.create(**params)",
    "list": "{cls}.all(**filters) / {cls}.each(...) / {cls}.count(...)",
    "fetch": "{cls}.find(sid)",
    "update": "{cls}.find(sid).update_attributes(**attrs) / {cls}.update(sid, **attrs)",
    "delete": "{cls}.find(sid).destroy() / {cls}.delete(sid)",
}

#: The class-level calls, which take parent SIDs as keywords (instance methods such as destroy() do not).
_CLASS_CALL = re.compile(r"\.(create|all|find|update|delete|fetch)\((sid, \*\*\w+|\*\*\w+|sid)?\)")


def _spelling(cls: Type[Resource], capability: str) -> str:
    base, _, choice = capability.partition("[")
    name = cls.__name__
    if choice:  # "list[period=daily]" -> UsageRecord.daily.all()
        name = f"{name}.{choice.rstrip(']').split('=')[1]}"
    singleton = base == "fetch" and issubclass(cls, Singleton)
    spelling = f"{name}.fetch()" if singleton else _CALLS[base].format(cls=name)
    parents = [p for p in cls._placeholders if p != "account_sid" and p not in cls._choices]
    if parents:  # parents are keywords of the class-level calls, not of instance methods (destroy())
        keywords = [f"{p}=..." for p in parents]
        spelling = _CLASS_CALL.sub(lambda m: f".{m.group(1)}(" + ", ".join(
            ([m.group(2)] if m.group(2) else []) + keywords) + ")", spelling)
    if singleton:  # Balance.balance fetches on first read; a child singleton needs its parents
        spelling += "  (a singleton)" if parents else f"  (a singleton: {cls.__name__}.<field> reads it)"
    return spelling


def api_map() -> Dict[str, str]:
    """Map each operationId of Twilio's spec to the Python that performs it.

    >>> api_map()["CreateCall"]
    'Call.create(**params)'
    """
    result: Dict[str, str] = {}
    for cls in REGISTRY.values():
        for capability, operation_id in cls._operations.items():
            result.setdefault(operation_id, _spelling(cls, capability))
    return dict(sorted(result.items()))


def api_map_lines() -> List[str]:
    """``api_map()`` as aligned text lines, for ``flask twilio routes``."""
    mapping = api_map()
    width = max(map(len, mapping))
    return [f"{op.ljust(width)}  {call}" for op, call in mapping.items()]
