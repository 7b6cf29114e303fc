"""Association proxies (``account.calls``, ``conference.participants``) and scoped classes
(``UsageRecord.daily``, ``AvailablePhoneNumber.toll_free``)."""
from __future__ import annotations

from typing import Any, Dict, Iterator, Optional, Type

from ..registry import lookup
from .base import Resource


class Proxy:
    """A resource class with part of its scope filled in: every class method of the target works.

    ``call.recordings.create()`` is ``CallRecording.create(account_sid=..., call_sid=call.sid)``.
    A proxy made from a Connect object keeps using Connect auth.
    """

    __slots__ = ("resource", "scope")

    def __init__(self, resource: Type[Resource], scope: Dict[str, Any]) -> None:
        self.resource = resource
        self.scope = scope

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.resource, name)
        if not callable(method) or name.startswith("_"):
            return method
        scope = self.scope

        def scoped(*args: Any, **kwargs: Any) -> Any:
            return method(*args, **{**scope, **kwargs})

        scoped.__name__ = name
        scoped.__doc__ = method.__doc__
        return scoped

    def __iter__(self) -> Iterator[Resource]:
        return iter(self.each())

    def __repr__(self) -> str:
        where = " ".join(f"{k}={v!r}" for k, v in self.scope.items())
        return f"<{self.resource.__name__} proxy {where}>"


class Association:
    """Declares a child collection: ``recordings = Association("CallRecording")`` on ``Call``.

    The target is a registry name: ``"CallRecording"``, ``"verify.v2.Verification"``.
    """

    def __init__(self, target: str) -> None:
        self.target = target
        self.name = target

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Optional[Resource], owner: type) -> Any:
        if instance is None:
            return self
        target = lookup(self.target)
        return self.bind(target, child_scope(instance, target))

    def bind(self, target: Type[Resource], scope: Dict[str, Any]) -> Any:
        """What the association gives for an instance: a proxy (singletons override this)."""
        return Proxy(target, scope)


class SingletonAssociation(Association):
    """Declares a child singleton: ``balance = SingletonAssociation("Balance")`` on ``Account``."""

    def bind(self, target: Type[Resource], scope: Dict[str, Any]) -> Any:
        """Fetch (or reuse) the singleton of the parent."""
        return target.fetch(**scope)  # type: ignore[attr-defined]


class Scoped:
    """A class attribute giving the class with a path choice made: ``UsageRecord.daily.all()``."""

    def __init__(self, **choice: str) -> None:
        self.choice = choice

    def __get__(self, instance: Optional[Resource], owner: Type[Resource]) -> Proxy:
        return Proxy(owner, dict(self.choice))


def child_scope(parent: Resource, target: Type[Resource]) -> Dict[str, Any]:
    """The scope of ``target`` under ``parent``: the parent's own scope plus the parent's id."""
    scope = {k: v for k, v in parent._scope.items() if k in target._placeholders or k == "connect"}
    # Path choices and placeholders with a default (``country_code``) are never the parent's id.
    missing = [p for p in target._placeholders
               if p not in scope and p not in target._choices and p not in target._defaults]
    if missing:
        scope[missing.pop()] = parent.id
    for name in missing:  # e.g. an object built by hand: read the parent's own fields
        if name in parent._data:
            scope[name] = parent._data[name]
    return scope
