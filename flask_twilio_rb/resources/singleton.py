"""Singletons read as attributes of the class itself, as in the seed: ``Balance.balance``."""
from __future__ import annotations

from typing import Any, Type, TypeVar, Union

from ..client import get_client
from .base import Resource
from .paths import list_path, split_scope

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
    """A resource with one instance per account, fetched with one GET and then reused.

    The first attribute read loads it; later reads reuse it (per app client and account);
    ``reload()`` fetches it again; ``Balance.fetch(account_sid=...)`` gives a subaccount's.
    """

    __slots__ = ()

    @classmethod
    def fetch(cls: Type[S], **scope: Any) -> S:
        """The singleton of the account (loaded once per client, then reused)."""
        cls._check_retired("fetch")
        client = get_client()
        where, extra = split_scope(cls, client, scope)
        key = (cls.__name__, repr(sorted(where.items())))
        cached = client.singletons.get(key)
        if cached is None:
            cached = cls._build(cls._send("GET", list_path(cls, where), where, "fetch", client=client), where)
            client.singletons[key] = cached
        return cached

    @_ClassOrInstanceMethod
    def reload(target: Union[Type[Singleton], Singleton], **scope: Any) -> Singleton:
        """Fetch again (on the class: the current account's; on an instance: that instance)."""
        if isinstance(target, type):
            client = get_client()
            where, _ = split_scope(target, client, dict(scope))  # (it takes the scope out of what it is given)
            client.singletons.pop((target.__name__, repr(sorted(where.items()))), None)
            return target.fetch(**scope)
        target._refresh(target._send("GET", list_path(type(target), target._scope), target._scope, "fetch"))
        return target
