"""Where a resource lives: its scope (account, parents, Connect) and the paths built from it.

A declaration's ``_path`` is a template (``/Accounts/{account_sid}/Calls``) under its
description's prefix (``/2010-04-01``, ``/v2``); the scope fills it. Every value that goes into
a path is checked here first: SIDs must look like SIDs (with the prefix the description gives
them) and anything else is percent-encoded (``+14155552671``, an identity, a unique name), so
nothing leaves its place.
"""
from __future__ import annotations

import datetime as _dt
import re
from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional, Tuple, Type
from urllib.parse import quote

from ..wire import API_VERSION, is_sid

if TYPE_CHECKING:
    from ..client import Client
    from .base import Resource

_ACCOUNTS = API_VERSION + "/Accounts/"
_PLACEHOLDER = re.compile(r"{(\w+)}")


class Scope(dict):
    """Where a resource lives: ``account_sid``, parent ids (``call_sid``, ``service_sid``...), and ``connect``."""


def split_scope(cls: Type["Resource"], client: "Client", kwargs: Dict[str, Any],
                extra: Tuple[str, ...] = ()) -> Tuple[Scope, Dict[str, Any]]:
    """Take the scope keys (account, connect, path values) out of ``kwargs``; the rest are parameters.

    A parent is its id (``service_sid="VA..."``) or the object itself (``service=service``);
    ``extra`` names more path values to take (the id of a create that names its instance).
    """
    scope = Scope()
    if kwargs.pop("connect", False):
        scope["connect"] = True
    for alias, name in cls._path_aliases.items():
        if alias in kwargs:
            kwargs[name] = kwargs.pop(alias)
    for name in cls._placeholders + extra:
        if name in kwargs:
            value = kwargs.pop(name)
            # A path choice is spelled as on the command line too: "toll-free" is "toll_free".
            scope[name] = value.replace("-", "_") if name in cls._choices and isinstance(value, str) else value
        elif name.endswith("_sid") and hasattr(type(kwargs.get(name[:-4])), "qualified_name"):
            scope[name] = kwargs.pop(name[:-4]).id  # service=<a Service> for service_sid
    if "account_sid" in cls._placeholders and not scope.get("account_sid"):
        scope["account_sid"] = client.account_sid
    return scope, kwargs


def list_path(cls: Type["Resource"], scope: Mapping[str, Any]) -> str:
    """The collection's path (``/2010-04-01/Accounts/AC.../Calls.json``, ``/v2/Services``)."""
    api = cls._api
    return api.prefix + fill(cls, cls._path, cls._placeholders, scope) + api.suffix


def instance_path(cls: Type["Resource"], scope: Mapping[str, Any], ident: Any) -> str:
    """The path of the instance named ``ident`` (path choices never apply to an instance)."""
    field = cls._id_field or "id"
    values = {k: v for k, v in scope.items() if k not in cls._choices}
    values[field] = ident
    api = cls._api
    return api.prefix + fill(cls, cls._instance_path, cls._instance_placeholders, values, field) + api.suffix


def placeholders(template: str) -> Tuple[str, ...]:
    """The names a path template takes, in order: ``("account_sid", "call_sid")``."""
    return tuple(_PLACEHOLDER.findall(template))


def fill(cls: Type["Resource"], template: str, names: Tuple[str, ...], scope: Mapping[str, Any],
         ident: Optional[str] = None) -> str:
    """``template`` with the scope's values for ``names`` (checked) and path choices; ``ident`` names the id."""
    values = {}
    for name in names:
        if name == ident:
            values[name] = path_segment(name, scope[name], cls._id_prefix)
            continue
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
        values[name] = path_segment(name, value, cls._prefixes.get(name))
    return template.format(**values)


def path_segment(name: str, value: Any, prefix: Optional[str]) -> str:
    """A checked, percent-encoded path segment: SIDs must look like SIDs; nothing can leave its place.

    Where no SID is expected, a whole number (a list item's index) and a date (an archive's day)
    are written as Twilio reads them.
    """
    if prefix is None and isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    elif prefix is None and isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        value = value.isoformat()
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, not {type(value).__name__}.")
    if prefix is not None:
        if not is_sid(value, prefix):
            raise ValueError(f"{name}={value!r} is not a valid SID: expected {prefix.replace('|', ' or ')} followed by 32 hex digits.")
        return value
    if value in ("", ".", ".."):
        raise ValueError(f"{name}={value!r} cannot be used in a URL.")
    return quote(value, safe="")


def is_valid_id(cls: Type["Resource"], value: Any) -> bool:
    """Whether ``value`` can name an instance of ``cls`` (used by ``find`` to answer None early; ``None`` cannot)."""
    if value is None:
        return False
    try:
        path_segment(cls._id_field or "id", value, cls._id_prefix)
    except ValueError:
        return False
    return True


def account_in_path(path: str) -> Optional[str]:
    """The account SID an Account's own path names (``/2010-04-01/Accounts/AC...``), else ``None``."""
    if not path.startswith(_ACCOUNTS):
        return None
    sid = path[len(_ACCOUNTS):len(_ACCOUNTS) + 34]
    return sid if is_sid(sid, "AC") and path[len(_ACCOUNTS) + 34:][:1] in ("", "/", ".") else None
