"""``api_map()``: every operation of Twilio's API descriptions and the Python call that performs it.

Operations are keyed as the registry keys classes: the 2010-04-01 API's by their bare
operationId (``CreateCall``), every other by description and operationId
(``verify.v2.CreateService``), since operationIds repeat across descriptions.
"""
from __future__ import annotations

import re
from importlib import import_module
from typing import Dict, List, Type

from .registry import classes
from .resources import Resource
from .resources.singleton import Singleton

_CALLS = {
    "create": "{cls}.create(**params)",
    "list": "{cls}.all(**filters) / {cls}.each(...) / {cls}.count(...)",
    "fetch": "{cls}.find({id})",
    "update": "{cls}.find({id}).update_attributes(**attrs) / {cls}.update({id}, **attrs)",
    "patch": "{cls}.find({id}).patch(**changes)",
    "delete": "{cls}.find({id}).destroy() / {cls}.delete({id})",
}
#: How a singleton (no id in its path) is changed: on the class, or on the instance it fetched.
_SINGLE = {"update": "{cls}.update(**attrs)", "delete": "{cls}.delete()", "patch": "{cls}.fetch().patch(**changes)"}

#: The class-level calls, which take parent SIDs as keywords (instance methods such as destroy() do not).
_CLASS_CALL = re.compile(r"\.(create|all|find|update|delete|fetch)\((\w+, \*\*\w+|\*\*\w+|\w+)?\)")


def class_spelling(cls: Type[Resource]) -> str:
    """How code names ``cls``: ``Call``; ``verify.Service`` (the domain's newest); ``lookups.v1.PhoneNumber``."""
    if "." not in cls.qualified_name:
        return cls.__name__
    package, version = cls._api.key.split(".", 1)
    newest = getattr(import_module(f"flask_twilio_rb.{package}"), "EXPORTS", {}).get(cls.__name__)
    return f"{package}.{cls.__name__}" if newest == version else f"{cls._api.key}.{cls.__name__}"


def _spelling(cls: Type[Resource], capability: str) -> str:
    base, _, choice = capability.partition("[")
    name = class_spelling(cls)
    if choice:  # "list[period=daily]" -> UsageRecord.daily.all()
        name = f"{name}.{choice.rstrip(']').split('=')[1]}"
    single = cls._id_field is None or base in cls._list_ops
    fetches_singleton = base == "fetch" and issubclass(cls, Singleton)
    ident = "sid" if str(cls._id_field).endswith("sid") else str(cls._id_field)
    if fetches_singleton:
        spelling = f"{name}.fetch()"
    elif single and base in _SINGLE:
        spelling = _SINGLE[base].format(cls=name)
    else:
        spelling = _CALLS[base].format(cls=name, id=ident)
    parents = [p for p in cls._placeholders if p != "account_sid" and p not in cls._choices]
    if base in cls._instance_ops and cls._id_field:
        parents.append(cls._id_field)  # a create that names its instance
    if parents:  # parents are keywords of the class-level calls, not of instance methods (destroy())
        keywords = [f"{p}=..." for p in parents]
        spelling = _CLASS_CALL.sub(lambda m: f".{m.group(1)}(" + ", ".join(
            ([m.group(2)] if m.group(2) else []) + keywords) + ")", spelling)
    if fetches_singleton:  # Balance.balance fetches on first read; a child singleton needs its parents
        spelling += "  (a singleton)" if parents else f"  (a singleton: {name}.<field> reads it)"
    return spelling


def api_map() -> Dict[str, str]:
    """Map each operation of Twilio's API descriptions to the Python that performs it.

    >>> api_map()["CreateCall"]
    'Call.create(**params)'
    >>> api_map()["verify.v2.CreateVerification"]
    'verify.Verification.create(**params, service_sid=...)'
    """
    result: Dict[str, str] = {}
    for cls in classes():
        for capability, operation in cls._wire_operations.items():
            result.setdefault(str(operation.operation_id), _spelling(cls, capability))
    return dict(sorted(result.items()))


def api_map_lines() -> List[str]:
    """``api_map()`` as aligned text lines, for ``flask twilio routes``."""
    mapping = api_map()
    width = max(map(len, mapping))
    return [f"{op.ljust(width)}  {call}" for op, call in mapping.items()]
