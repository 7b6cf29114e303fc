"""The descriptions the emulator serves: the 2010-04-01 API, and every other product on first use.

A request names its description by its first path segment: ``/2010-04-01/...`` is the 2010
API (:mod:`.table`); ``/verify/v2/...`` is the ``verify`` product, whose generated tables
(:mod:`.tables`, one module per description) are imported on the first request for it, so a
suite that only uses 2010-04-01 never loads them. Each table has the 2010 table's shape; a
:class:`Domain` reads one, with what differs between them (where records live, their dates,
URLs, JSON bodies) in one place.
"""
from __future__ import annotations

import functools
import importlib
import re
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Dict, FrozenSet, Mapping, Optional, Tuple
from urllib.parse import quote

from ..wire import API_VERSION
from . import table, tables
from .errors import not_found

_PLACEHOLDER = re.compile(r"{(\w+)}")


@dataclass(frozen=True)
class Domain:
    """One description's table, as the generic code reads it.

    ``key`` qualifies its operationIds and record kinds (``verify.v2``: ``verify.v2.CreateService``,
    ``verify.v2.Services``); it is empty for 2010-04-01, whose names stay bare (``CreateCall``).
    """

    key: str
    product: str
    table: ModuleType

    @property
    def prefix(self) -> str:
        """The path prefix of its requests: ``/2010-04-01`` or ``/verify``."""
        return f"/{self.product}" if self.product else API_VERSION

    def qualify(self, name: str) -> str:
        """``CreateService`` -> ``verify.v2.CreateService`` (2010-04-01 names unchanged)."""
        return f"{self.key}.{name}" if self.key else name

    def collection(self, template: str) -> Tuple[str, str, str]:
        """(the field naming an instance, its SID prefix, ``iso`` or ``rfc2822`` dates) of a collection."""
        entry = self.table.COLLECTIONS.get(template, ("sid", ""))
        return (entry[0], entry[1], entry[2] if len(entry) > 2 else "iso" if self.product else "rfc2822")

    def store_template(self, collection: str) -> str:
        """Where a collection's records live: 2010 paths carry their account; the others live under it.

        ``/v2/Services/{ServiceSid}/Entities`` -> ``/Accounts/{AccountSid}/verify/v2/Services/{ServiceSid}/Entities``.
        """
        return f"/Accounts/{{AccountSid}}/{self.product}{collection}" if self.product else collection

    @property
    def json_bodies(self) -> FrozenSet[str]:
        """The operationIds that take a JSON body."""
        return getattr(self.table, "JSON_BODIES", frozenset())

    def url_path(self, store_path: str, ident: Optional[str] = None) -> str:
        """The path a record of the newer APIs is addressed by: ``/verify/v2/Services/VA...``."""
        path = "/" + store_path.split("/", 3)[3]  # /Accounts/AC.../verify/v2/... -> /verify/v2/...
        return path if ident is None else f"{path}/{quote(str(ident), safe='')}"

    def links(self, collection: str, record: Mapping[str, Any]) -> Optional[Dict[str, str]]:
        """The ``links`` of a new record (relative paths), or ``None`` when the collection has none."""
        templates = getattr(self.table, "LINKS", {}).get(collection)
        if not templates:
            return None
        fill = lambda m: quote(str(record.get(m.group(1))), safe="")  # noqa: E731
        return {name: self.prefix + _PLACEHOLDER.sub(fill, path) for name, path in templates.items()}

    @functools.cached_property
    def instance_collections(self) -> FrozenSet[str]:
        """Collections whose records have a path of their own (``/Services/{Sid}``), not only the collection's."""
        found = set()
        for path, by_method in self.table.ROUTES.items():
            bare = path[:-len(".json")] if path.endswith(".json") else path
            for _, verb, collection, *_ in by_method.values():
                if verb != "List" and bare != collection and bare.endswith("}"):
                    found.add(collection)
        return frozenset(found)


#: The 2010-04-01 API.
API = Domain("", "", table)


@functools.lru_cache(maxsize=None)
def of_product(product: str) -> Tuple[Domain, ...]:
    """The descriptions ``product`` serves (``""``: 2010-04-01), their tables imported now."""
    if not product:
        return (API,)
    keys = tables.PRODUCTS.get(product)
    if keys is None:
        raise KeyError(product)
    return tuple(described(key) for key in keys)


@functools.lru_cache(maxsize=None)
def described(key: str) -> Domain:
    """The description ``key`` (``verify.v2``), its table imported now; ``KeyError`` when unknown."""
    product, module = tables.DESCRIPTIONS[key]
    return Domain(key, product, importlib.import_module(f"{tables.__name__}.{module}"))


def product_of(path: str) -> str:
    """The product a request path names (``""`` for ``/2010-04-01/...``); 404 for no known product."""
    if path.startswith(API_VERSION + "/"):
        return ""
    product = path.split("/", 2)[1]
    if product not in tables.PRODUCTS:
        raise not_found(path)
    return product


def split_qualified(operation_id: str) -> Tuple[str, str]:
    """``verify.v2.CreateService`` -> (``verify.v2``, ``CreateService``); a bare id -> (``""``, it)."""
    key, _, name = operation_id.rpartition(".")
    return key, name
