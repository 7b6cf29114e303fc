"""Where a resource lives: its scope (account, parents, Connect) and the paths built from it.

A declaration's ``_path`` is a template (``/Accounts/{account_sid}/Calls``); the scope fills
it. Every value that goes into a path is checked here first: SIDs must look like SIDs (with
the prefix the spec gives them) and free text is percent-encoded, so nothing leaves its place.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional, Tuple, Type
from urllib.parse import quote

from ..wire import API_VERSION, is_sid

if TYPE_CHECKING:
    from ..client import Client
    from .base import Resource

#: Two-letter prefixes of the SIDs that parent path values must carry (from the spec's patterns).
PATH_PREFIXES: Dict[str, Optional[str]] = {
    "account_sid": "AC", "address_sid": "AD", "resource_sid": "PN", "assigned_add_on_sid": "XE",
    "message_sid": "SM|MM", "queue_sid": "QU", "reference_sid": "RE", "add_on_result_sid": "XR",
    "payload_sid": "XH", "recording_sid": "RE", "domain_sid": "SD", "credential_list_sid": "CL",
    "ip_access_control_list_sid": "AL", "call_sid": "CA", "conference_sid": "CF",
}

_ACCOUNTS = API_VERSION + "/Accounts/"


class Scope(dict):
    """Where a resource lives: ``account_sid``, parent SIDs (``call_sid``...), and ``connect``."""


def split_scope(cls: Type["Resource"], client: "Client", kwargs: Dict[str, Any]) -> Tuple[Scope, Dict[str, Any]]:
    """Take the scope keys (account, connect, path values) out of ``kwargs``; the rest are parameters."""
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
            value = kwargs.pop(name)
            # A path choice is spelled as on the command line too: "toll-free" is "toll_free".
            scope[name] = value.replace("-", "_") if name in cls._choices and isinstance(value, str) else value
    return scope, kwargs


def list_path(cls: Type["Resource"], scope: Mapping[str, Any]) -> str:
    """The collection's path (``/2010-04-01/Accounts/AC.../Calls.json``)."""
    return API_VERSION + fill(cls, scope) + ".json"


def instance_path(cls: Type["Resource"], scope: Mapping[str, Any], ident: Any) -> str:
    """The path of the instance named ``ident`` (path choices never apply to an instance)."""
    plain = {k: v for k, v in scope.items() if k not in cls._choices}
    return f"{API_VERSION}{fill(cls, plain)}/{path_segment(cls._id_field, ident, cls._id_prefix)}.json"


def fill(cls: Type["Resource"], scope: Mapping[str, Any]) -> str:
    """The declaration's path template with the scope's values (checked) and path choices."""
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


def path_segment(name: str, value: Any, prefix: Optional[str]) -> str:
    """A checked, percent-encoded path segment: SIDs must look like SIDs; nothing can leave its place."""
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
    """Whether ``value`` can name an instance of ``cls`` (used by ``find`` to answer None early)."""
    try:
        path_segment(cls._id_field, value, cls._id_prefix)
    except ValueError:
        return False
    return True


def account_in_path(path: str) -> Optional[str]:
    """The account SID an Account's own path names (``/2010-04-01/Accounts/AC...``), else ``None``."""
    if not path.startswith(_ACCOUNTS):
        return None
    sid = path[len(_ACCOUNTS):len(_ACCOUNTS) + 34]
    return sid if is_sid(sid, "AC") and path[len(_ACCOUNTS) + 34:][:1] in ("", "/", ".") else None
