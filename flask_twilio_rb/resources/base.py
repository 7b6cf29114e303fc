"""The object model every resource shares: declaration, fields, state, repr, equality and sending.

A resource class is a declaration: the API description it belongs to (:class:`~flask_twilio_rb.wire.Api`),
a path template, the capability mixins it has (:mod:`~flask_twilio_rb.resources.mixins`) and a
few facts read off Twilio's OpenAPI description. Everything that acts lives here and in the
mixins, once; scopes and paths are built by :mod:`~flask_twilio_rb.resources.paths`, pages
followed by :mod:`~flask_twilio_rb.resources.paging`. A new domain is new declarations, never new code.
"""
from __future__ import annotations

from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    Dict,
    FrozenSet,
    List,
    Mapping,
    Optional,
    Tuple,
    Type,
    TypeVar,
)

from ..client import Client, get_client
from ..errors import InvalidStateError, RetiredOperationError
from ..registry import REGISTRY, register
from ..wire import API_2010, Api, Operation
from . import params as _params
from . import paths
from .paths import Scope

__all__ = ["REGISTRY", "Resource", "Scope", "field_first_classmethod"]

R = TypeVar("R", bound="Resource")

class Resource:
    """Base of every resource. Holds a copy of Twilio's JSON; fields read as attributes or items.

    Subclasses declare:

    * ``_api``: the description (host, path prefix such as ``/v2``, ``.json`` for 2010-04-01);
    * ``_path``: the list path under the prefix, e.g. ``/Accounts/{account_sid}/Calls``;
    * ``_instance_path``: an instance's path, when it is not ``_path/{<id field>}``;
    * ``_list_key``: the key of the records in a list page (``"calls"``);
    * ``_id_field``: the field naming an instance in its path (``"sid"``; ``"call_sid"`` for
      participants, ``"phone_number"`` for a lookup); ``None`` for a singleton;
    * ``_id_prefix``: the two letters its SIDs start with, checked before a URL is built;
    * ``_prefixes``: the SID prefixes of the parents in its path (``{"service_sid": "VA"}``);
    * ``_updatable``: the fields the update operation accepts (assigning one updates at once);
    * ``_names``: keywords whose Twilio name :func:`~.params.twilio_name` would not give
      (``{"config_app_id": "Config.AppId"}``, JSON keys such as ``{"raw_id": "rawId"}``);
      ``_action_names`` those of one operation, where a keyword means another name elsewhere;
    * ``_query``: the query parameters an operation other than ``list`` takes (``find(..., fields=...)``);
    * ``_lower_methods``: the ``*Method`` parameters whose description spells the method in lower case;
      ``_objects`` the form fields that take a JSON object (``data={"a": 1}`` for Sync's ``Data``);
    * ``_json``: the operations whose body is JSON; ``_methods`` the ones not sent with their usual
      method (``{"update": "PUT"}``); ``_list_ops`` / ``_instance_ops`` the ones sent to the other
      path than usual (a fetch by query parameter, a create that names the new instance);
    * ``_date_filters``: ``{"started": "StartTime"}`` gives ``started_after=`` / ``started_before=``;
    * ``_choices``: path segments picked by a keyword (``type="toll_free"``, ``period="daily"``);
    * ``_operations``: capability -> the spec's operationId, the contract the tests check.
    """

    __slots__ = ("_data", "_scope", "_destroyed")
    _data: Dict[str, Any]
    _scope: Scope
    _destroyed: bool

    _api: ClassVar[Api] = API_2010
    _path: ClassVar[str] = ""
    _instance_path: ClassVar[str] = ""
    _list_key: ClassVar[str] = ""
    _id_field: ClassVar[Optional[str]] = "sid"
    _id_prefix: ClassVar[Optional[str]] = None
    _prefixes: ClassVar[Mapping[str, str]] = {}
    _updatable: ClassVar[FrozenSet[str]] = frozenset()
    _names: ClassVar[Mapping[str, str]] = {}
    _action_names: ClassVar[Mapping[str, Mapping[str, str]]] = {}
    _query: ClassVar[Mapping[str, FrozenSet[str]]] = {}
    _json: ClassVar[FrozenSet[str]] = frozenset()
    _methods: ClassVar[Mapping[str, str]] = {}
    _lower_methods: ClassVar[FrozenSet[str]] = frozenset()
    _objects: ClassVar[FrozenSet[str]] = frozenset()
    _list_ops: ClassVar[FrozenSet[str]] = frozenset()
    _instance_ops: ClassVar[FrozenSet[str]] = frozenset()
    _date_filters: ClassVar[Mapping[str, str]] = {}
    _choices: ClassVar[Mapping[str, Mapping[Optional[str], str]]] = {}
    _defaults: ClassVar[Mapping[str, str]] = {}
    _path_aliases: ClassVar[Mapping[str, str]] = {}
    _operations: ClassVar[Mapping[str, str]] = {}
    _retired: ClassVar[Mapping[str, str]] = {}
    # Derived once per class by __init_subclass__:
    _aliases: ClassVar[Dict[str, str]] = {}
    _action_aliases: ClassVar[Dict[str, Dict[str, str]]] = {}
    _placeholders: ClassVar[Tuple[str, ...]] = ()
    _instance_placeholders: ClassVar[Tuple[str, ...]] = ()
    _wire_operations: ClassVar[Dict[str, Operation]] = {}
    #: ``"verify.v2.Service"``; a 2010-04-01 class's bare name (``"Call"``).
    qualified_name: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        type.__setattr__(cls, "qualified_name", cls._api.qualify(cls.__name__))  # (singletons' classes are read-only)
        if cls._path:  # capability mixins declare no path and are not resources
            register(cls)
        cls._aliases = {**cls._names, **_params.date_filter_names(cls._date_filters)}
        cls._action_aliases = {action: {**cls._aliases, **names} for action, names in cls._action_names.items()}
        cls._placeholders = paths.placeholders(cls._path)
        if "_instance_path" not in vars(cls):  # declared only where it is not the list path and the id
            cls._instance_path = f"{cls._path}/{{{cls._id_field}}}" if cls._id_field else cls._path
        cls._instance_placeholders = paths.placeholders(cls._instance_path)
        # What each request of the class says it does (outboxes record it, errors name it).
        cls._wire_operations = {
            capability: Operation(cls.qualified_name, capability.partition("[")[0], cls._api.qualify(operation_id))
            for capability, operation_id in cls._operations.items()}

    def __init__(self, data: Mapping[str, Any], scope: Optional[Mapping[str, Any]] = None) -> None:
        object.__setattr__(self, "_data", dict(data))
        object.__setattr__(self, "_scope", Scope(scope or {}))
        object.__setattr__(self, "_destroyed", False)

    # -- fields ---------------------------------------------------------------------------
    # Hidden from type checkers: the generated stubs (``calls.pyi``...) give each class its typed
    # fields, so a misspelt one is an error there, not ``Any``; ``obj["field"]`` reads any field.
    if not TYPE_CHECKING:  # pragma: no branch
        def __getattr__(self, name: str) -> Any:
            try:
                return self[name]
            except KeyError:
                raise AttributeError(f"{type(self).__name__} has no field {name!r}; "
                                     f"it has {', '.join(sorted(self._data))}") from None

    def __getitem__(self, name: str) -> Any:
        """Any field by Twilio's name (``call["status"]``; ``call["from_"]`` is ``call["from"]``)."""
        data = self._data
        if name in data:
            return data[name]
        if name.endswith("_") and name[:-1] in data:  # ``call.from_`` for Twilio's "from"
            return data[name[:-1]]
        raise KeyError(name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self._updatable:
            getattr(self, "update_attributes")(**{name: value})  # (what _updatable names, Updatable updates)
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
        """The value that names this instance in its URL (usually ``sid``; ``None`` for a singleton)."""
        field = self._id_field
        if field is None:
            return None
        # An answer without its own id (some descriptions leave it out) keeps the one it was found by.
        return self._data.get(field, self._scope.get(field))

    def __repr__(self) -> str:
        if self._id_field is None:  # a singleton: where it lives names it
            where = " ".join(f"{k}={v!r}" for k, v in self._scope.items() if k != "connect")
            return f"<{type(self).qualified_name}{' ' if where else ''}{where}>"
        return f"<{type(self).__name__} {self._id_field}={self.id!r}>"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.id == other.id and self.id is not None

    def __hash__(self) -> int:
        return hash((type(self).qualified_name, self.id))

    # -- sending -------------------------------------------------------------------------------
    @classmethod
    def _send(cls, method: str, path: str, scope: Mapping[str, Any], action: str, *,
              params: Optional[_params.Encoded] = None, data: Optional[_params.Encoded] = None,
              json: Any = None, client: Optional[Client] = None) -> Any:
        """Send one request of the class; ``action`` (``"create"``...) names the operation it performs."""
        client = client or get_client()
        # With Twilio Connect the connected account's SID is the user name; an Account's own
        # paths (/Accounts/AC...) name it in the path rather than in the scope.
        connect = (scope.get("account_sid") or paths.account_in_path(path)) if scope.get("connect") else None
        return client.request(cls._methods.get(action, method), path, host=cls._api.host, params=params, data=data,
                              json=json, connect_account_sid=connect, operation=cls._operation(action, scope),
                              records=cls._list_key if action == "list" else None)

    @classmethod
    def _body(cls, action: str, values: Mapping[str, Any]) -> Dict[str, Any]:
        """``data=`` (a form) or ``json=`` (for the operations the description gives a JSON body)."""
        if action in cls._json:
            return {"json": _params.json_object(values, cls._action_aliases.get(action, cls._names))}
        return {"data": cls._encode(values, action)}

    @classmethod
    def _path_of(cls, action: str, scope: Mapping[str, Any], ident: Any = None) -> str:
        """Where ``action`` goes: the list, or the instance ``ident`` (the declaration says which)."""
        on_list = action in ("create", "list") or action in cls._list_ops or cls._id_field is None
        if on_list and action not in cls._instance_ops:
            return paths.list_path(cls, scope)
        return paths.instance_path(cls, scope, ident)

    @classmethod
    def _operation(cls, action: str, scope: Mapping[str, Any]) -> Operation:
        """The operation of ``action`` in ``scope``: a path choice (``type="toll_free"``) picks its own."""
        capability = action
        if action in ("create", "list"):
            for name in cls._choices:
                choice = scope.get(name, cls._defaults.get(name))
                if choice is not None:
                    capability = f"{action}[{name}={choice}]"
        known = cls._wire_operations.get(capability)
        return known if known is not None else Operation(cls.qualified_name, action)

    @classmethod
    def _encode(cls, kwargs: Mapping[str, Any], action: str = "") -> _params.Encoded:
        return _params.encode(kwargs, cls._action_aliases.get(action, cls._aliases), cls._lower_methods,
                              cls._objects)

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
            raise RetiredOperationError(cls._retired[operation])

    def _self_path(self, action: str = "fetch") -> str:
        if self._destroyed:
            raise InvalidStateError(f"{type(self).__name__} has already been destroyed")
        return self._path_of(action, self._scope, self.id)

    def _refresh(self, data: Any) -> None:
        if isinstance(data, dict):
            self._data.clear()
            self._data.update(data)


_new = object.__new__
_set_data = Resource._data.__set__  # type: ignore[attr-defined,misc]
_set_scope = Resource._scope.__set__  # type: ignore[attr-defined,misc]
_set_destroyed = Resource._destroyed.__set__  # type: ignore[attr-defined,misc]


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
