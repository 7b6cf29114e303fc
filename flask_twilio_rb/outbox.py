"""The outbox: a record of every API request a client sends, like Flask-Mail's ``record_messages``.

.. code-block:: python

    with current_app.twilio.record() as outbox:
        Message.create(to="+15005550006", from_="+15005550006", body="Hi")
    assert outbox[0].operation == "CreateMessage"
    assert outbox[0].params["Body"] == "Hi"

Requests are recorded before they are sent, so a request that fails is in the outbox too.
With ``TWILIO_SUPPRESS_SEND`` on, nothing leaves the process: the client answers from an
in-process emulator instead (see :mod:`flask_twilio_rb.local`).
"""
from __future__ import annotations

import re
import threading
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple, Union

from .client import API_VERSION
from .resources.singleton import Singleton

ParamValue = Union[str, List[str]]


class SentRequest(NamedTuple):
    """One recorded request: what was sent, and which resource and operation it was."""

    method: str
    path: str
    #: The resource class name (``"Message"``), or ``None`` for a request made without one.
    resource: Optional[str]
    #: ``"create"``, ``"list"``, ``"fetch"``, ``"update"`` or ``"delete"``.
    action: str
    #: The operationId in Twilio's spec (``"CreateMessage"``), when the resource declares it.
    operation: Optional[str]
    #: Query and form parameters under Twilio's names; a repeated name gives a list.
    params: Dict[str, ParamValue]


class Outbox(List[SentRequest]):
    """The requests recorded while a :meth:`Client.record` block was open, oldest first."""

    def of(self, resource: str, action: Optional[str] = None) -> List[SentRequest]:
        """The recorded requests of one resource (and, optionally, one action)."""
        return [sent for sent in self if sent.resource == resource and action in (None, sent.action)]

    def add(self, method: str, path: str, params: Optional[Sequence[Tuple[str, str]]],
            data: Optional[Sequence[Tuple[str, str]]], resource: Any) -> None:
        """Record one request (called by the client before it sends)."""
        action, operation = _operation(method, path.partition("?")[0], resource)
        with _lock:  # one client serves many threads
            self.append(SentRequest(method, path, getattr(resource, "__name__", None), action, operation,
                                    _merge(params, data)))


_lock = threading.Lock()
_LIST_PATTERNS: Dict[str, "re.Pattern[str]"] = {}


def _list_pattern(resource: Any) -> "re.Pattern[str]":
    """A regex matching the list path of ``resource``; a choice (``{period}``) is a named group."""
    template = resource._path
    pattern = _LIST_PATTERNS.get(template)
    if pattern is None:
        def slot(match: "re.Match[str]") -> str:
            name = match.group(1)
            options = resource._choices.get(name)
            if options is None:
                return "[^/]+"
            return f"(?P<{name}>" + "|".join(re.escape(v) for v in sorted(options.values(), key=len, reverse=True)) + ")"

        pattern = re.compile(re.escape(API_VERSION) + re.sub(r"\\{(\w+)\\}", slot, re.escape(template)) + r"\.json\Z")
        _LIST_PATTERNS[template] = pattern
    return pattern


def _operation(method: str, path: str, resource: Any) -> Tuple[str, Optional[str]]:
    """The action (``"create"``...) and the spec's operationId of a request sent by ``resource``."""
    match = _list_pattern(resource).match(path) if getattr(resource, "_path", "") else None
    if method == "DELETE":
        action = "delete"
    elif method == "POST":
        action = "create" if match else "update"
    else:
        action = "list" if match and not issubclass(resource, Singleton) else "fetch"
    if resource is None:
        return action, None
    capability = action
    for name, value in (match.groupdict() if match else {}).items():
        chosen = next(key for key, option in resource._choices[name].items() if option == value)
        if chosen is not None:
            capability = f"{action}[{name}={chosen}]"
    return action, resource._operations.get(capability)


def _merge(*groups: Optional[Sequence[Tuple[str, str]]]) -> Dict[str, ParamValue]:
    merged: Dict[str, ParamValue] = {}
    for group in groups:
        for name, value in group or ():
            if name in merged:
                previous = merged[name]
                merged[name] = (previous if isinstance(previous, list) else [previous]) + [value]
            else:
                merged[name] = value
    return merged
