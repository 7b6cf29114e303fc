"""The outbox: a record of every API request a client sends, like Flask-Mail's ``record_messages``.

.. code-block:: python

    with current_app.twilio.record() as outbox:
        Message.create(to="+15005550006", from_="+15005550006", body="Hi")
    assert outbox[0].operation == "CreateMessage"
    assert outbox[0].params["Body"] == "Hi"

An outbox subscribes to :data:`~flask_twilio_rb.signals.request_sent`, which the client sends
before each request with the operation the resource performs, so a request that fails is in
the outbox too. With ``TWILIO_SUPPRESS_SEND`` on, nothing leaves the process: the client
answers from an in-process emulator instead.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Any, Dict, Iterator, List, NamedTuple, Optional, Union

from .signals import request_sent
from .wire import API_HOST, Operation, Params, operation_of_method

ParamValue = Union[str, List[str]]


class SentRequest(NamedTuple):
    """One recorded request: what was sent, and which resource and operation it was."""

    method: str
    path: str
    #: The resource class name (``"Message"``, ``"verify.v2.Service"``), or ``None`` for a request made without one.
    resource: Optional[str]
    #: ``"create"``, ``"list"``, ``"fetch"``, ``"update"``, ``"patch"`` or ``"delete"``.
    action: str
    #: The operationId in Twilio's spec (``"CreateMessage"``, ``"verify.v2.CreateService"``), when the resource declares it.
    operation: Optional[str]
    #: Query and form parameters under Twilio's names; a repeated name gives a list.
    params: Dict[str, ParamValue]
    #: The host of the description the request belongs to (``"verify.twilio.com"``).
    host: str = API_HOST
    #: The JSON body, for the operations that take one (``params`` then holds only the query).
    json: Any = None


class Outbox(List[SentRequest]):
    """The requests recorded while a :meth:`Client.record` block was open, oldest first."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()

    def of(self, resource: str, action: Optional[str] = None) -> List[SentRequest]:
        """The recorded requests of one resource (and, optionally, one action)."""
        return [sent for sent in self if sent.resource == resource and action in (None, sent.action)]

    def add(self, method: str, path: str, params: Optional[Params], data: Optional[Params],
            operation: Optional[Operation] = None, host: str = API_HOST, json: Any = None) -> None:
        """Record one request; ``operation`` is what the resource said it does."""
        done = operation or operation_of_method(method)
        with self.lock:  # one client serves many threads
            self.append(SentRequest(method, path, done.resource, done.action, done.operation_id,
                                    _merge(params, data), host, json))

    @contextmanager
    def recording(self, client: Any) -> Iterator["Outbox"]:
        """Record what ``client`` sends while the block is open (a script client: every script client)."""

        def receive(sender: Any, *, method: str, path: str, params: Optional[Params], data: Optional[Params],
                    operation: Optional[Operation], host: str = API_HOST, json: Any = None) -> None:
            if sender is client or (client.script and getattr(sender, "script", False)):
                self.add(method, path, params, data, operation, host, json)

        request_sent.connect(receive, weak=False)
        try:
            yield self
        finally:
            request_sent.disconnect(receive)


def _merge(*groups: Optional[Params]) -> Dict[str, ParamValue]:
    merged: Dict[str, ParamValue] = {}
    for group in groups:
        for name, value in group or ():
            if name in merged:
                previous = merged[name]
                merged[name] = (previous if isinstance(previous, list) else [previous]) + [value]
            else:
                merged[name] = value
    return merged
