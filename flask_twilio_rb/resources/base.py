"""The object model every resource shares: declaration, scope, paths, state, repr and equality.

A resource class is a declaration: a path template, the capability mixins it has
(:mod:`~flask_twilio_rb.resources.mixins`) and a few facts read off the Twilio spec.
Everything that acts lives here and in the mixins, once.
"""
from __future__ import annotations

import re
from typing import Any, ClassVar, Dict, FrozenSet, Iterator, List, Mapping, Optional, Tuple, Type, TypeVar
from urllib.parse import quote

from ..client import API_VERSION, Client, get_client
from ..errors import InvalidStateError
from . import params as _params

R = TypeVar("R", bound="Resource")

#: Every declared resource class by name; associations and the API map resolve names here.
REGISTRY: Dict[str, Type["Resource"]] = {}

_PLACEHOLDER = re.compile(r"{(\w+)}")
_SID = re.compile(r"[A-Z]{2}[0-9a-fA-F]{32}\Z")


class Scope(dict):
    """Where a resource lives: ``account_sid``, parent SIDs (``call_sid``...), and ``connect``."""


class Resource:
    """Base of every resource. Holds a copy of Twilio's JSON; fields read as attributes or items.

    Subclasses declare:

    * ``_path``: the list path under ``/2010-04-01``, e.g. ``/Accounts/{account_sid}/Calls``;
    * ``_list_key``: the key of the records in a list page (``"calls"``);
    * ``_id_field``: the field naming an instance in its path (``"sid"``; ``"call_sid"`` for participants);
    * ``_id_prefix``: the two letters its SIDs start with, checked before a URL is built;
    * ``_updatable``: the fields the update operation accepts (assigning one updates at once);
    * ``_date_filters``: ``{"started": "StartTime"}`` gives ``started_after=`` / ``started_before=``;
    * ``_choices``: path segments picked by a keyword (``type="toll_free"``, ``period="daily"``);
    * ``_operations``: capability -> the spec's operationId, the contract the tests check.
    """

    __slots__ = ("_data", "_scope", "_destroyed")

    _path: ClassVar[str] = ""
    _list_key: ClassVar[str] = ""
    _id_field: ClassVar[str] = "sid"
    _id_prefix: ClassVar[Optional[str]] = None
    _updatable: ClassVar[FrozenSet[str]] = frozenset()
    _date_filters: ClassVar[Mapping[str, str]] = {}
    _choices: ClassVar[Mapping[str, Mapping[Optional[str], str]]] = {}
    _defaults: ClassVar[Mapping[str, str]] = {}
    _path_aliases: ClassVar[Mapping[str, str]] = {}
    _operations: ClassVar[Mapping[str, str]] = {}
    _retired: ClassVar[Mapping[str, str]] = {}
    # Derived once per class by __init_subclass__:
    _aliases: ClassVar[Dict[str, str]] = {}
    _placeholders: ClassVar[Tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls._path:  # capability mixins declare no path and are not resources
            REGISTRY[cls.__name__] = cls
        cls._aliases = _params.date_filter_names(cls._date_filters)
        cls._placeholders = tuple(_PLACEHOLDER.findall(cls._path))

    def __init__(self, data: Mapping[str, Any], scope: Optional[Mapping[str, Any]] = None) -> None:
        object.__setattr__(self, "_data", dict(data))
        object.__setattr__(self, "_scope", Scope(scope or {}))
        object.__setattr__(self, "_destroyed", False)

    # -- fields ---------------------------------------------------------------------------
    def __getattr__(self, name: str) -> Any:
        data = object.__getattribute__(self, "_data")
        try:
            return data[name]
        except KeyError:
            pass
        if name.endswith("_") and name[:-1] in data:  # ``call.from_`` for Twilio's "from"
            return data[name[:-1]]
        raise AttributeError(f"{type(self).__name__} has no field {name!r}; it has {', '.join(sorted(data))}")

    def __getitem__(self, name: str) -> Any:
        try:
            return self.__getattr__(name)
        except AttributeError as exc:
            raise KeyError(name) from exc

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self._updatable:
            self.update_attributes(**{name: value})
            return
        updatable = ", ".join(sorted(self._updatable)) or "nothing"
        raise AttributeError(f"{type(self).__name__}.{name} is read-only; {type(self).__name__} can update: {updatable}")

    def __dir__(self) -> List[str]:
        return sorted(set(super().__dir__()) | set(self._data))

    def to_dict(self) -> Dict[str, Any]:
        """A copy of the resource's fields as Twilio sent them."""
        return dict(self._data)

    @property
    def id(self) -> Optional[str]:
        """The value that names this instance in its URL (usually ``sid``)."""
        return self._data.get(self._id_field)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._id_field}={self.id!r}>"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.id == other.id and self.id is not None

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.id))

    # -- scope and paths --------------------------------------------------------------------
    @classmethod
    def _split(cls, client: Client, kwargs: Dict[str, Any]) -> Tuple[Scope, Dict[str, Any]]:
        """Take the scope keys (account, connect, path values) out of ``kwargs``."""
        scope = Scope()
        account = kwargs.pop("account", None)
        account_sid = kwargs.pop("account_sid", None) or getattr(account, "sid", None)
        if "account_sid" in cls._placeholders:
            scope["account_sid"] = account_sid or client.account_sid
        if kwargs.pop("connect", False):
            scope["connect"] = True
        for alias, name in cls._path_aliases.items():
            if alias in kwargs:
                kwargs[name] = kwargs.pop(alias)
        for name in cls._placeholders:
            if name in kwargs:
                scope[name] = kwargs.pop(name)
        return scope, kwargs

    @classmethod
    def _list_path(cls, scope: Mapping[str, Any]) -> str:
        return API_VERSION + cls._fill(scope) + ".json"

    @classmethod
    def _instance_path(cls, scope: Mapping[str, Any], ident: Any) -> str:
        plain = {k: v for k, v in scope.items() if k not in cls._choices}
        return f"{API_VERSION}{cls._fill(plain)}/{path_segment(cls._id_field, ident, cls._id_prefix)}.json"

    @classmethod
    def _fill(cls, scope: Mapping[str, Any]) -> str:
        values = {}
        for name in cls._placeholders:
            if name in cls._choices:
                options = cls._choices[name]
                choice = scope.get(name, cls._defaults.get(name))
                if choice not in options:
                    valid = ", ".join(repr(k) for k in options if k is not None)
                    raise ValueError(f"{cls.__name__}: {name}={choice!r} is not one of {valid}.")
                values[name] = options[choice]
                continue
            value = scope.get(name, cls._defaults.get(name))
            if value is None:
                raise TypeError(
                    f"{cls.__name__} lives under a parent: pass {name}=... "
                    f"(or use the association on the parent object)."
                )
            values[name] = path_segment(name, value, PATH_PREFIXES.get(name))
        return cls._path.format(**values)

    # -- sending -------------------------------------------------------------------------------
    @classmethod
    def _send(cls, method: str, path: str, scope: Mapping[str, Any], *,
              params: Optional[_params.Encoded] = None, data: Optional[_params.Encoded] = None,
              client: Optional[Client] = None) -> Any:
        client = client or get_client()
        # With Twilio Connect the connected account's SID is the user name; an Account's own
        # paths (/Accounts/AC...) name it in the path rather than in the scope.
        connect = (scope.get("account_sid") or _account_in_path(path)) if scope.get("connect") else None
        return client.request(method, path, params=params, data=data, connect_account_sid=connect, resource=cls)

    @classmethod
    def _encode(cls, kwargs: Mapping[str, Any]) -> _params.Encoded:
        return _params.encode(kwargs, cls._aliases)

    @classmethod
    def _build(cls: Type[R], data: Dict[str, Any], scope: Scope) -> R:
        # Hot path of paging: the record is a fresh dict from the JSON decoder and the scope
        # is never mutated, so both are taken as they are instead of copied (see __init__).
        obj = _new(cls)
        _set_data(obj, data)
        _set_scope(obj, scope)
        _set_destroyed(obj, False)
        return obj

    @classmethod
    def _check_retired(cls, operation: str) -> None:
        if operation in cls._retired:
            from ..errors import RetiredOperationError

            raise RetiredOperationError(cls._retired[operation])

    def _self_path(self) -> str:
        if self._destroyed:
            raise InvalidStateError(f"{type(self).__name__} has already been destroyed")
        return self._instance_path(self._scope, self.id)

    def _refresh(self, data: Any) -> None:
        if isinstance(data, dict):
            self._data.clear()
            self._data.update(data)


_new = object.__new__
_set_data = Resource._data.__set__  # type: ignore[attr-defined]
_set_scope = Resource._scope.__set__  # type: ignore[attr-defined]
_set_destroyed = Resource._destroyed.__set__  # type: ignore[attr-defined]

#: Two-letter prefixes of the SIDs that parent path values must carry (from the spec's patterns).
PATH_PREFIXES: Dict[str, Optional[str]] = {
    "account_sid": "AC", "address_sid": "AD", "resource_sid": "PN", "assigned_add_on_sid": "XE",
    "message_sid": "SM|MM", "queue_sid": "QU", "reference_sid": "RE", "add_on_result_sid": "XR",
    "payload_sid": "XH", "recording_sid": "RE", "domain_sid": "SD", "credential_list_sid": "CL",
    "ip_access_control_list_sid": "AL", "call_sid": "CA", "conference_sid": "CF",
}


_ACCOUNT_PATH = re.compile(re.escape(API_VERSION) + r"/Accounts/(AC[0-9a-fA-F]{32})\b")


def _account_in_path(path: str) -> Optional[str]:
    match = _ACCOUNT_PATH.match(path)
    return match.group(1) if match else None


class field_first_classmethod(classmethod):  # noqa: N801 (used like the builtin it extends)
    """A class method that, read on an instance with a field of the same name, gives the field.

    ``UsageRecord.count(category="calls")`` counts records, while ``record.count`` is the usage
    record's own ``count`` field, as Twilio sent it.
    """

    def __get__(self, instance: Any, owner: Optional[type] = None) -> Any:
        if instance is not None:
            data = object.__getattribute__(instance, "_data")
            name = self.__func__.__name__
            if name in data:
                return data[name]
        return super().__get__(instance, owner)


def path_segment(name: str, value: Any, prefix: Optional[str]) -> str:
    """A checked, percent-encoded path segment: SIDs must look like SIDs; nothing can leave its place."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, not {type(value).__name__}.")
    if prefix is not None:
        if not (_SID.match(value) and value[:2] in prefix.split("|")):
            raise ValueError(f"{name}={value!r} is not a valid SID: expected {prefix.replace('|', ' or ')} followed by 32 hex digits.")
        return value
    if value in ("", ".", ".."):
        raise ValueError(f"{name}={value!r} cannot be used in a URL.")
    return quote(value, safe="")


def is_valid_id(cls: Type[Resource], value: Any) -> bool:
    """Whether ``value`` can name an instance of ``cls`` (used by ``find`` to answer None early)."""
    try:
        path_segment(cls._id_field, value, cls._id_prefix)
    except ValueError:
        return False
    return True


def each_record(cls: Type[Resource], path: str, scope: Mapping[str, Any], params: _params.Encoded,
                limit: Optional[int] = None) -> Iterator[Dict[str, Any]]:
    """Yield raw records page by page, following ``next_page_uri``; one page in memory at a time.

    The records are the JSON decoder's own dicts, not copies: :meth:`Resource._build` keeps them.
    """
    if limit is not None and limit <= 0:
        return
    client = get_client()
    seen = 0
    page_params: Optional[_params.Encoded] = params
    while path:
        page = cls._send("GET", path, scope, params=page_params, client=client)
        for record in page.get(cls._list_key) or ():
            yield record
            seen += 1
            if seen == limit:
                return
        path = page.get("next_page_uri") or ""
        page_params = None
