"""Capabilities, one small mixin each: a resource declaration lists the ones Twilio gives it."""
from __future__ import annotations

from typing import Any, Dict, Iterator, List, Optional, Tuple, Type, TypeVar

from ..client import get_client
from ..errors import APIError
from .base import Resource, field_first_classmethod
from .paging import each_page, each_record, records
from .paths import Scope, is_valid_id, split_scope

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
        scope, params = _scoped(cls, client, "create", params)
        query = _query(cls, "create", params)
        data = cls._send("POST", cls._path_of("create", scope, scope.get(cls._id_field or "")), scope, "create",
                         params=query, client=client, **cls._body("create", params))
        return cls._build(data, scope)


class Fetchable(Resource):
    """``Cls.find(sid)``: GET one instance, ``None`` when Twilio answers 404; ``obj.reload()``."""

    __slots__ = ()

    @classmethod
    def find(cls: Type[R], sid: Optional[str], **scope: Any) -> Optional[R]:
        """The instance named ``sid``, or ``None`` when it does not exist (or ``sid`` is malformed).

        A malformed SID (or ``None``, say from ``request.args.get("sid")``) answers ``None``
        without any request being sent. Keywords are the parents (``service_sid=``, ``service=``)
        and the query parameters the fetch takes (``fields=``).
        """
        if not is_valid_id(cls, sid):
            return None
        client = get_client()
        where, extra = split_scope(cls, client, scope)
        query = _query(cls, "fetch", extra)
        reject_extra(cls, "find", extra)
        try:
            data = cls._send("GET", cls._path_of("fetch", where, sid), where, "fetch", params=query, client=client)
        except APIError as exc:
            if exc.status == 404:
                return None
            raise
        return cls._build(data, _naming(cls, where, sid, data))

    def reload(self: R) -> R:
        """Fetch the instance again and refresh its fields; returns it."""
        self._refresh(self._send("GET", self._self_path("fetch"), self._scope, "fetch"))
        return self


class Listable(Resource):
    """``all``, ``each`` and ``count`` over the list, with filters and date ranges."""

    __slots__ = ()

    @classmethod
    def all(cls: Type[R], **filters: Any) -> List[R]:
        """The instances of one page (``page=``, ``page_size=`` pass through as Page, PageSize)."""
        cls._check_retired("list")
        client = get_client()
        scope, filters = _scoped(cls, client, "list", filters)
        page = cls._send("GET", _list_path(cls, scope), scope, "list", params=cls._encode(filters, "list"),
                         client=client)
        return [cls._build(record, scope) for record in records(cls, page)]

    @classmethod
    def each(cls: Type[R], limit: Optional[int] = None, **filters: Any) -> Iterator[R]:
        """Lazily yield every matching instance across all pages (at most ``limit``)."""
        cls._check_retired("list")
        scope, filters = _scoped(cls, get_client(), "list", filters)
        path = _list_path(cls, scope)
        found = each_record(cls, path, scope, cls._encode(filters, "list"), limit)
        return (cls._build(record, scope) for record in found)

    @classmethod
    def pages(cls, start: Optional[str] = None, **filters: Any) -> Iterator[Tuple[List[Dict[str, Any]], Optional[str]]]:
        """Lazily yield ``(records, next page)``, one page at a time, the records as Twilio sent them.

        The next page is the path (and query) of the page after (a ``next_page_uri``, or the path
        of a ``meta.next_page_url``); ``start`` is one an earlier listing stopped at: the listing
        goes on from there (the filters are in it). Exports resume with it.
        """
        cls._check_retired("list")
        scope, filters = _scoped(cls, get_client(), "list", filters)
        if start is not None:
            return each_page(cls, start, scope, None)
        return each_page(cls, _list_path(cls, scope), scope, cls._encode(filters, "list"))

    @field_first_classmethod  # cls is typed: mypy knows only the builtin classmethod's first argument is a class
    def count(cls: Type[Listable], **filters: Any) -> int:
        """How many instances match, paging with the largest page size and building no objects."""
        cls._check_retired("list")
        filters.setdefault("page_size", MAX_PAGE_SIZE)
        scope, filters = _scoped(cls, get_client(), "list", filters)
        return sum(1 for _ in each_record(cls, _list_path(cls, scope), scope, cls._encode(filters, "list")))


class Updatable(Resource):
    """``obj.update_attributes(**attrs)``, ``obj.field = value``, and ``Cls.update(sid, **attrs)``."""

    __slots__ = ()

    def update_attributes(self: R, **attrs: Any) -> R:
        """Send the changes, refresh the fields from Twilio's answer and return the instance."""
        path = self._self_path("update")
        query = _query(type(self), "update", attrs)
        self._refresh(self._send("POST", path, self._scope, "update", params=query, **self._body("update", attrs)))
        return self

    @classmethod
    def update(cls: Type[R], sid: Optional[str] = None, **attrs: Any) -> R:
        """Update the instance named ``sid`` without fetching it first; returns it.

        A singleton (one instance where it lives) takes no ``sid``: ``Configuration.update(**attrs)``.
        """
        client = get_client()
        scope, attrs = split_scope(cls, client, attrs)
        _need_id(cls, "update", sid)
        query = _query(cls, "update", attrs)
        data = cls._send("POST", cls._path_of("update", scope, sid), scope, "update", params=query, client=client,
                         **cls._body("update", attrs))
        if data is None:  # (no body: what is known)
            data = {cls._id_field: sid} if cls._id_field and sid is not None else {}
        return cls._build(data, _naming(cls, scope, sid, data))


class Patchable(Resource):
    """``obj.patch(**changes)``: PATCH the instance (a partial change where the update replaces it)."""

    __slots__ = ()

    def patch(self: R, **changes: Any) -> R:
        """Send a partial change, refresh the fields from Twilio's answer and return the instance."""
        self._refresh(self._send("PATCH", self._self_path("patch"), self._scope, "patch",
                                 **self._body("patch", changes)))
        return self


class Deletable(Resource):
    """``obj.destroy()`` and ``Cls.delete(sid)``."""

    __slots__ = ()

    def destroy(self) -> bool:
        """DELETE the instance; afterwards it refuses updates and a second destroy."""
        self._check_retired("delete")
        self._send("DELETE", self._self_path("delete"), self._scope, "delete")
        object.__setattr__(self, "_destroyed", True)
        return True

    @classmethod
    def delete(cls, sid: Optional[str] = None, **scope: Any) -> bool:
        """DELETE the instance named ``sid`` without fetching it first (a singleton takes no ``sid``)."""
        cls._check_retired("delete")
        client = get_client()
        where, extra = split_scope(cls, client, scope)
        _need_id(cls, "delete", sid)
        query = _query(cls, "delete", extra)
        reject_extra(cls, "delete", extra)
        cls._send("DELETE", cls._path_of("delete", where, sid), where, "delete", params=query, client=client)
        return True


def _scoped(cls: Type[Resource], client: Any, action: str, kwargs: Dict[str, Any]) -> Tuple[Scope, Dict[str, Any]]:
    """The scope of a create or list; one sent to an instance's path also takes the instance's id."""
    named = (cls._id_field,) if action in cls._instance_ops and cls._id_field else ()
    scope, rest = split_scope(cls, client, kwargs, named)
    if named and scope.get(named[0]) is None:
        raise TypeError(f"{cls.__name__}.{'all' if action == 'list' else action}() names the instance: "
                        f"pass {named[0]}=...")
    return scope, rest


def _list_path(cls: Type[Resource], scope: Scope) -> str:
    return cls._path_of("list", scope, scope.get(cls._id_field or ""))


def _query(cls: Type[Resource], action: str, kwargs: Dict[str, Any]) -> Optional[List[Tuple[str, str]]]:
    """Take the query parameters ``action`` takes out of ``kwargs``, encoded; ``None`` when there are none."""
    names = cls._query.get(action)
    if not names:
        return None
    taken = {name: kwargs.pop(name) for name in list(kwargs) if name in names}
    return cls._encode(taken, action) or None


def _naming(cls: Type[Resource], scope: Scope, ident: Optional[str], data: Any) -> Scope:
    """The scope of an instance found by ``ident``: with the id too when Twilio's answer leaves it out."""
    field = cls._id_field
    if field and ident is not None and isinstance(data, dict) and field not in data:
        scope = Scope(scope, **{field: ident})
    return scope


def _need_id(cls: Type[Resource], action: str, sid: Optional[str]) -> None:
    on_instance = cls._id_field is not None and action not in cls._list_ops
    if on_instance and sid is None:
        raise TypeError(f"{cls.__name__}.{action}() needs the {cls._id_field} of the instance: "
                        f"{cls.__name__}.{action}({cls._id_field}, ...).")
    if not on_instance and sid is not None:
        raise TypeError(f"{cls.__name__} has one instance where it lives: {cls.__name__}.{action}() takes no id.")


def reject_extra(cls: Type[Resource], operation: str, extra: Any) -> None:
    """Refuse keywords ``operation`` does not take, naming the ones it does (parents, ``connect``, its query)."""
    if extra:
        parents = [p for p in cls._placeholders if p not in cls._choices]
        objects = [p[:-4] for p in parents if p.endswith("_sid")]  # service=<Service> for service_sid
        query = sorted(cls._query.get("fetch" if operation == "find" else operation, ()))
        allowed = ", ".join([*parents, *objects, "connect", *query])
        raise TypeError(f"{cls.__name__}.{operation}() got unexpected {', '.join(sorted(extra))}; it takes {allowed}.")
