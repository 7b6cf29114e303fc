"""Which operation a request is: the generated table's paths matched against the request path."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from ..wire import API_VERSION
from . import table
from .errors import TwilioAPIError, not_found

_PLACEHOLDER = re.compile(r"{(\w+)}")


@dataclass(frozen=True)
class Operation:
    """One operation of the table: ``verb`` is Create, Fetch, List, Update or Delete; ``status`` its HTTP success."""

    operation_id: str
    verb: str
    path: str
    collection: str
    schema: Optional[str]
    list_key: Optional[str]
    status: int
    params: Dict[str, str] = field(default_factory=dict)

    @property
    def fields(self) -> Tuple[str, ...]:
        """The response schema's field names (none for a delete)."""
        return table.FIELDS.get(self.schema or "", ())

    @property
    def kind(self) -> str:
        """The collection's last segment (``Calls``, ``Messages``): the key of per-resource rules."""
        return self.collection.rsplit("/", 1)[-1]

    @property
    def is_instance(self) -> bool:
        """Whether the path names one instance (``/Calls/{Sid}.json``) rather than the collection."""
        return self.path[:-len(".json")] != self.collection and self.path.endswith("}.json")


@dataclass(frozen=True)
class Match:
    """A request resolved: its operation, the path values, the concrete collection and the instance id."""

    operation: Operation
    values: Dict[str, str]
    collection_path: str
    instance_id: Optional[str]

    @property
    def account_sid(self) -> Optional[str]:
        """The account the request acts on (``None`` for ``/Accounts.json``)."""
        if "AccountSid" in self.values:
            return self.values["AccountSid"]
        return self.instance_id if self.operation.collection == "/Accounts" else None


def fill(template: str, values: Dict[str, str]) -> str:
    """``/Accounts/{AccountSid}/Calls`` with the values of the request's path."""
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


class Router:
    """Matches ``METHOD /2010-04-01/...`` to an operation; literal segments win over placeholders."""

    def __init__(self) -> None:
        self._routes: List[Tuple[re.Pattern, Dict[str, Operation]]] = []
        for path, by_method in table.ROUTES.items():
            operations = {
                method: Operation(op_id, verb, path, collection, schema, list_key, status, params)
                for method, (op_id, verb, collection, schema, list_key, status, params) in by_method.items()
            }
            escaped = re.escape(path).replace(r"\{", "{").replace(r"\}", "}")
            pattern = re.compile("^" + _PLACEHOLDER.sub(r"(?P<\1>[^/]+)", escaped) + "$")
            self._routes.append((pattern, operations))
        self._routes.sort(key=lambda route: route[0].pattern.count("(?P<"))
        self.operations = {op.operation_id: op for _, ops in self._routes for op in ops.values()}

    def match(self, method: str, path: str) -> Match:
        """The operation ``method path`` performs; 404 (20404) or 405 (20004) when there is none."""
        relative = path[len(API_VERSION):] if path.startswith(API_VERSION + "/") else None
        for pattern, operations in self._routes if relative else ():
            found = pattern.match(relative)
            if not found:
                continue
            operation = operations.get(method)
            if operation is None:
                raise TwilioAPIError(405, 20004, f"Method not allowed: {method} {path}")
            values = found.groupdict()
            instance_id = None
            collection_template = operation.collection
            if operation.is_instance:
                instance_id = values[_PLACEHOLDER.findall(operation.path)[-1]]
            return Match(operation, values, fill(collection_template, values), instance_id)
        raise not_found(path)
