"""Capabilities, one small mixin each: a resource declaration lists the ones Twilio gives it."""
from __future__ import annotations

from typing import Any, Dict, Iterator, List, Optional, Tuple, Type, TypeVar

from ..client import get_client
from ..errors import APIError
from .base import Resource, field_first_classmethod
from .paging import each_page, each_record
from .paths import instance_path, is_valid_id, list_path, split_scope

R = TypeVar("R", bound=Resource)

#: The largest page Twilio serves; counting uses it to make as few requests as possible.
MAX_PAGE_SIZE = 1000


class Creatable(Resource):
    """``Cls.create(**params)``: POST to the list."""

    __slots__ = ()

    @classmethod
    def create(cls: Type[R], **params: Any) -> R:
        """Create a resource; keyword names are snake_case Twilio parameters (``from_`` for ``From``)."""
        cls._check_retired("create")
        client = get_client()
        scope, params = split_scope(cls, client, params)
        data = cls._send("POST", list_path(cls, scope), scope, "create", data=cls._encode(params), client=client)
        return cls._build(data, scope)


class Fetchable(Resource):
    """``Cls.find(sid)``: GET one instance, ``None`` when Twilio answers 404; ``obj.reload()``."""

    __slots__ = ()

    @classmethod
    def find(cls: Type[R], sid: str, **scope: Any) -> Optional[R]:
        """The instance named ``sid``, or ``None`` when it does not exist (or ``sid`` is malformed).

        A malformed SID answers ``None`` without any request being sent.
        """
        if not is_valid_id(cls, sid):
            return None
        client = get_client()
        where, extra = split_scope(cls, client, scope)
        _reject_extra(cls, "find", extra)
        try:
            data = cls._send("GET", instance_path(cls, where, sid), where, "fetch", client=client)
        except APIError as exc:
            if exc.status == 404:
                return None
            raise
        return cls._build(data, where)

    def reload(self: R) -> R:
        """Fetch the instance again and refresh its fields; returns it."""
        self._refresh(self._send("GET", self._self_path(), self._scope, "fetch"))
        return self


class Listable(Resource):
    """``all``, ``each`` and ``count`` over the list, with filters and date ranges."""

    __slots__ = ()

    @classmethod
    def all(cls: Type[R], **filters: Any) -> List[R]:
        """The instances of one page (``page=``, ``page_size=`` pass through as Page, PageSize)."""
        cls._check_retired("list")
        client = get_client()
        scope, filters = split_scope(cls, client, filters)
        page = cls._send("GET", list_path(cls, scope), scope, "list", params=cls._encode(filters), client=client)
        return [cls._build(record, scope) for record in page.get(cls._list_key) or ()]

    @classmethod
    def each(cls: Type[R], limit: Optional[int] = None, **filters: Any) -> Iterator[R]:
        """Lazily yield every matching instance across all pages (at most ``limit``)."""
        cls._check_retired("list")
        scope, filters = split_scope(cls, get_client(), filters)
        path = list_path(cls, scope)
        return (cls._build(record, scope) for record in each_record(cls, path, scope, cls._encode(filters), limit))

    @classmethod
    def pages(cls, start: Optional[str] = None, **filters: Any) -> Iterator[Tuple[List[Dict[str, Any]], Optional[str]]]:
        """Lazily yield ``(records, next_page_uri)``, one page at a time, the records as Twilio sent them.

        ``start`` is a ``next_page_uri`` an earlier listing stopped at: the listing goes on from
        there (the filters are in it). Exports resume with it.
        """
        cls._check_retired("list")
        scope, filters = split_scope(cls, get_client(), filters)
        if start is not None:
            return each_page(cls, start, scope, None)
        return each_page(cls, list_path(cls, scope), scope, cls._encode(filters))

    @field_first_classmethod  # cls is typed: mypy knows only the builtin classmethod's first argument is a class
    def count(cls: Type[Listable], **filters: Any) -> int:
        """How many instances match, paging with the largest page size and building no objects."""
        cls._check_retired("list")
        filters.setdefault("page_size", MAX_PAGE_SIZE)
        scope, filters = split_scope(cls, get_client(), filters)
        return sum(1 for _ in each_record(cls, list_path(cls, scope), scope, cls._encode(filters)))


class Updatable(Resource):
    """``obj.update_attributes(**attrs)``, ``obj.field = value``, and ``Cls.update(sid, **attrs)``."""

    __slots__ = ()

    def update_attributes(self: R, **attrs: Any) -> R:
        """POST the changes, refresh the fields from Twilio's answer and return the instance."""
        path = self._self_path()
        self._refresh(self._send("POST", path, self._scope, "update", data=self._encode(attrs)))
        return self

    @classmethod
    def update(cls: Type[R], sid: str, **attrs: Any) -> R:
        """Update the instance named ``sid`` without fetching it first; returns it."""
        client = get_client()
        scope, attrs = split_scope(cls, client, attrs)
        data = cls._send("POST", instance_path(cls, scope, sid), scope, "update", data=cls._encode(attrs),
                         client=client)
        return cls._build(data, scope)


class Deletable(Resource):
    """``obj.destroy()`` and ``Cls.delete(sid)``."""

    __slots__ = ()

    def destroy(self) -> bool:
        """DELETE the instance; afterwards it refuses updates and a second destroy."""
        self._check_retired("delete")
        self._send("DELETE", self._self_path(), self._scope, "delete")
        object.__setattr__(self, "_destroyed", True)
        return True

    @classmethod
    def delete(cls, sid: str, **scope: Any) -> bool:
        """DELETE the instance named ``sid`` without fetching it first."""
        cls._check_retired("delete")
        client = get_client()
        where, extra = split_scope(cls, client, scope)
        _reject_extra(cls, "delete", extra)
        cls._send("DELETE", instance_path(cls, where, sid), where, "delete", client=client)
        return True


def _reject_extra(cls: Type[Resource], operation: str, extra: Any) -> None:
    if extra:
        allowed = ", ".join(["account_sid", "account", "connect"] + [p for p in cls._placeholders if p != "account_sid"])
        raise TypeError(f"{cls.__name__}.{operation}() got unexpected {', '.join(sorted(extra))}; it takes {allowed}.")
