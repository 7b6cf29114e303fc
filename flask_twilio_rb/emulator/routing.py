"""Which operation a request is: the generated tables' paths matched against the request path.

Paths are matched as sent (percent-encoded); the values of their placeholders are decoded, so
an instance id may be anything Twilio names instances by: a SID, ``+14155552671``, an identity,
a country code, a date.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Sequence, Tuple
from urllib.parse import quote, unquote

from . import domains
from .domains import API, Domain
from .errors import TwilioAPIError, not_found

_PLACEHOLDER = re.compile(r"{(\w+)}")


@dataclass(frozen=True)
class Operation:
    """One operation of a table: ``verb`` is Create, Fetch, List, Update or Delete; ``status`` its HTTP success."""

    operation_id: str
    verb: str
    path: str
    collection: str
    schema: Optional[str]
    list_key: Optional[str]
    status: int
    params: Dict[str, str] = field(default_factory=dict)
    #: The description it belongs to (2010-04-01 unless said otherwise).
    domain: Domain = API
    #: Its HTTP method (``POST``...).
    method: str = ""

    @property
    def fields(self) -> Tuple[str, ...]:
        """The response schema's field names (none for a delete)."""
        return self.domain.table.FIELDS.get(self.schema or "", ())

    @property
    def kind(self) -> str:
        """The collection's last segment (``Calls``; ``verify.v2.Verifications``): the key of per-resource rules."""
        return self.domain.qualify(self.collection.rsplit("/", 1)[-1])

    @property
    def qualified_id(self) -> str:
        """``CreateCall`` for 2010-04-01, ``verify.v2.CreateService`` for the others: unique across descriptions."""
        return self.domain.qualify(self.operation_id)

    @property
    def is_instance(self) -> bool:
        """Whether the path names one instance (``/Calls/{Sid}.json``) rather than the collection."""
        bare = self.path[:-len(".json")] if self.path.endswith(".json") else self.path
        return bare != self.collection and bare.endswith("}") and self.verb != "List"

    @property
    def takes_json(self) -> bool:
        """Whether its request body is JSON rather than a form."""
        return self.operation_id in self.domain.json_bodies

    @property
    def store_template(self) -> str:
        """The template of the store path of its collection's records (see :meth:`Domain.store_template`)."""
        return self.domain.store_template(self.collection)


@dataclass(frozen=True)
class Match:
    """A request resolved: its operation, the path values, the concrete collection and the instance id.

    ``scope`` is the account whose records a request of the newer APIs reads (their paths name
    none: it is the authenticated account); ``origin`` is where the request was sent
    (``http://127.0.0.1:8080``), the base of the absolute URLs those APIs answer with.
    """

    operation: Operation
    values: Dict[str, str]
    collection_path: str
    instance_id: Optional[str]
    scope: Optional[str] = None
    origin: str = ""

    @property
    def account_sid(self) -> Optional[str]:
        """The account the request acts on (``None`` for ``/Accounts.json``)."""
        if self.scope is not None:
            return self.scope
        if "AccountSid" in self.values:
            return self.values["AccountSid"]
        return self.instance_id if self.operation.collection == "/Accounts" else None

    @property
    def record_values(self) -> Dict[str, str]:
        """The path values a new record takes, its account's among them."""
        return {**self.values, "AccountSid": self.scope} if self.scope is not None else dict(self.values)

    @property
    def path(self) -> str:
        """The request's path as the emulator names it in errors (``/verify/v2/Services/VA...``)."""
        encoded = {name: quote(value, safe="") for name, value in self.values.items()}
        return self.operation.domain.prefix + fill(self.operation.path, encoded)


def fill(template: str, values: Mapping[str, str]) -> str:
    """``/Accounts/{AccountSid}/Calls`` with the values of the request's path."""
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


class Router:
    """Matches ``METHOD /2010-04-01/...`` (or ``/verify/v2/...``) to an operation; literal segments win.

    :param serving: the descriptions of one product (default: 2010-04-01).
    """

    def __init__(self, serving: Sequence[Domain] = (API,)) -> None:
        self.prefix = serving[0].prefix
        self._routes: List[Tuple[re.Pattern, Dict[str, Operation]]] = []
        for domain in serving:
            for path, by_method in domain.table.ROUTES.items():
                operations = {
                    method: Operation(op_id, verb, path, collection, schema, list_key, status, params, domain, method)
                    for method, (op_id, verb, collection, schema, list_key, status, params) in by_method.items()
                }
                escaped = re.escape(path).replace(r"\{", "{").replace(r"\}", "}")
                pattern = re.compile("^" + _PLACEHOLDER.sub(r"(?P<\1>[^/]+)", escaped) + "$")
                self._routes.append((pattern, operations))
        self._routes.sort(key=lambda route: route[0].pattern.count("(?P<"))
        #: Every operation by its qualified operationId.
        self.operations = {op.qualified_id: op for _, ops in self._routes for op in ops.values()}

    def match(self, method: str, path: str, scope: Optional[str] = None, origin: str = "") -> Match:
        """The operation ``method path`` performs; 404 (20404) or 405 (20004) when there is none.

        :param path: as sent (percent-encoded); :param scope: the authenticated account, which
            owns the records of the newer APIs; :param origin: where the request was sent.
        """
        relative = path[len(self.prefix):] if path.startswith(self.prefix + "/") else None
        for pattern, operations in self._routes if relative else ():
            found = pattern.match(relative)
            if not found:
                continue
            operation = operations.get(method)
            if operation is None:
                raise TwilioAPIError(405, 20004, f"Method not allowed: {method} {unquote(path)}")
            values = {name: unquote(value) for name, value in found.groupdict().items()}
            instance_id = values[_PLACEHOLDER.findall(operation.path)[-1]] if operation.is_instance else None
            owner = scope if operation.domain.product else None
            store = fill(operation.store_template, {**values, "AccountSid": owner} if owner else values)
            return Match(operation, values, store, instance_id, owner, origin)
        raise not_found(unquote(path))


@functools.lru_cache(maxsize=None)
def router_for(product: str) -> Router:
    """The router of ``product`` (``""``: 2010-04-01), made on first use and shared: it never changes."""
    return Router(domains.of_product(product))


def operation_named(operation_id: str) -> Optional[Operation]:
    """The operation of a qualified operationId (``verify.v2.CreateService``, or bare ``CreateCall``)."""
    key, name = domains.split_qualified(operation_id)
    try:
        domain = domains.described(key) if key else API
    except KeyError:
        return None
    return router_for(domain.product).operations.get(operation_id if key else name)
