"""What each product does beyond storing its records, hooked into the generic operations by operationId.

One small module per product: :mod:`.verify` (codes sent and checked; :mod:`.verify_delivery`
the text or call that carries a code), :mod:`.lookup` (numbers validated, their line and caller
name from the magic numbers), :mod:`.senders` (Messaging Services' sender pools, and the
message create that picks from them and renders templates),
:mod:`.content` (templates and their WhatsApp approval); :mod:`.numbering` reads phone numbers
for all of them. Each exports ``HANDLERS``: qualified operationId -> a function of the backend,
the matched request and its checked parameters, answering with the record (or list) to show,
as :data:`..special.GENERATORS` do for what Twilio computes.
"""
from __future__ import annotations

from typing import Any, Callable, Dict

from . import content, lookup, senders, verify

#: Qualified operationId -> the product's handler (see the module's documentation).
BEHAVIOURS: Dict[str, Callable[..., Any]] = {**verify.HANDLERS, **lookup.HANDLERS, **senders.HANDLERS,
                                             **content.HANDLERS}
