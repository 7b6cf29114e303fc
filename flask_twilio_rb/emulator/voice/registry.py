"""Which verb runs how: the table a call looks its verbs up in (the others are "not simulated")."""
from __future__ import annotations

from typing import Dict

from .dial import dial
from .queue import enqueue
from .verbs import Verb, gather, hangup, leave, record, redirect, reject, say, sms

#: Verb -> its runner.
VERBS: Dict[str, Verb] = {
    "Say": say, "Play": say, "Pause": say, "Gather": gather, "Record": record, "Redirect": redirect,
    "Hangup": hangup, "Reject": reject, "Sms": sms, "Message": sms, "Leave": leave, "Dial": dial,
    "Enqueue": enqueue,
}
