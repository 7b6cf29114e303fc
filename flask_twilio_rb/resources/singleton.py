"""Singletons: one instance where they live, read as attributes of the class itself (``Balance.balance``)."""
from __future__ import annotations

from typing import Any, ClassVar, Dict, Optional, Tuple, Type, TypeVar, Union

from ..client import get_client
from .base import Resource
from .mixins import reject_extra
from .paths import Scope, list_path, split_scope

S = TypeVar("S", bound="Singleton")


class _SingletonMeta(type):
    def __getattr__(cls, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(cls.fetch(), name)

    def __setattr__(cls, name: str, value: Any) -> None:
        if name.startswith("_"):
            super().__setattr__(name, value)
            return
        raise AttributeError(f"{cls.__name__}.{name} is read-only.")


class _ClassOrInstanceMethod:
    """``Balance.reload()`` on the class and ``balance.reload()`` on an instance."""

    def __init__(self, func: Any) -> None:
        self.func = func
        self.__doc__ = func.__doc__

    def __get__(self, instance: Any, owner: type) -> Any:
        target = owner if instance is None else instance
        return lambda *args, **kwargs: self.func(target, *args, **kwargs)


class Singleton(Resource, metaclass=_SingletonMeta):
    """A resource with one instance where it lives (an account's balance, a flow execution's context).

    ``Cls.fetch(**parents)`` GETs it; the class's attributes read the fetched instance's fields.
    A class that declares ``_reuse`` (the account's ``Balance``) fetches once per client and
    account and reuses it until ``reload()``; ``Balance.fetch(account_sid=...)`` gives a subaccount's.
    """

    __slots__ = ()

    _id_field: ClassVar[Optional[str]] = None
    #: Whether a fetched instance is kept and handed out again (per client and scope) until ``reload()``.
    _reuse: ClassVar[bool] = False

    @classmethod
    def fetch(cls: Type[S], **scope: Any) -> S:
        """The singleton where it lives; keywords are its parents and the query parameters its fetch takes."""
        cls._check_retired("fetch")
        client = get_client()
        where, query = _where(cls, client, scope)
        key = _key(cls, where, query)
        cached = client.singletons.get(key) if cls._reuse else None
        if cached is None:
            data = cls._send("GET", list_path(cls, where), where, "fetch", params=cls._encode(query) or None,
                             client=client)
            cached = cls._build(data, where)
            if cls._reuse:
                client.singletons[key] = cached
        return cached

    @_ClassOrInstanceMethod
    def reload(target: Union[Type[Singleton], Singleton], **scope: Any) -> Singleton:
        """Fetch again (on the class: the current account's; on an instance: that instance)."""
        if isinstance(target, type):
            client = get_client()
            # (a copy of the scope: _where takes the scope's keys out of what it is given)
            client.singletons.pop(_key(target, *_where(target, client, dict(scope))), None)
            return target.fetch(**scope)
        target._refresh(target._send("GET", target._self_path("fetch"), target._scope, "fetch"))
        return target


def _where(cls: Type[Singleton], client: Any, scope: Dict[str, Any]) -> Tuple[Scope, Dict[str, Any]]:
    """The singleton's scope, and the query parameters its fetch takes; anything else is refused."""
    where, extra = split_scope(cls, client, scope)
    query = {name: extra.pop(name) for name in list(extra) if name in cls._query.get("fetch", ())}
    reject_extra(cls, "fetch", extra)
    return where, query


def _key(cls: Type[Singleton], where: Scope, query: Dict[str, Any]) -> Tuple[str, str]:
    return cls.qualified_name, repr(sorted(where.items())) + repr(sorted(query.items()))
