"""The emulator as the library uses it: resource classes and names resolved to the emulator's operations.

The emulator (:mod:`flask_twilio_rb.emulator`) knows Twilio's API by paths and operationIds
only; it never imports the library's resources. This thin adapter lets tests and the local
modes (``TWILIO_SUPPRESS_SEND``, ``TWILIO_EMULATOR``) say ``emulator.records("Call")`` or
``emulator.seed(Conference, ...)``: a name or class becomes the operationIds it declares.
"""
from __future__ import annotations

from typing import Any, Tuple

from . import emulator
from .registry import lookup

#: The order a class's operations are offered in: the one whose answer shows a record best first.
_ORDER = ("fetch", "list", "create", "update", "patch", "delete")


class TwilioEmulator(emulator.TwilioEmulator):
    """The emulator, with :meth:`records` and :meth:`seed` taking a resource class or its name.

    See :class:`flask_twilio_rb.emulator.TwilioEmulator` for everything else.
    """

    def operations_for(self, resource: Any) -> Tuple[str, ...]:
        """The operationIds of a resource class (``Call``) or class name (``"Call"``, ``"verify.v2.Service"``).

        Qualified like the API map's (``verify.v2.CreateService``; the 2010-04-01 API's bare);
        anything else is read as the emulator reads it.
        """
        cls = resource
        if isinstance(resource, str):
            try:
                cls = lookup(resource)
            except KeyError:
                cls = None
        operations = getattr(cls, "_wire_operations", None)
        if not isinstance(operations, dict):
            return super().operations_for(resource)
        ranked = sorted(operations.items(), key=lambda item: (_ORDER.index(item[0].partition("[")[0]), item[0]))
        return tuple(operation.operation_id for _, operation in ranked)
