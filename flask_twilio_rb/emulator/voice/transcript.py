"""What happened on a call, step by step, and how to print it (the ``flask twilio phone`` command does)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional


@dataclass(frozen=True)
class Step:
    """One step of a call.

    ``verb`` is a TwiML verb or noun as written (``"Say"``, ``"Gather"``, ``"Number"``) or, in
    lower case, something that happened: ``fetch`` (a TwiML request and its answer), ``press``,
    ``speak``, ``wait``, ``hangup``, ``error``, ``warning``. ``text`` is what was said, played,
    dialled or requested; ``url`` the document that held the verb; ``source`` the template line
    that wrote it (``"menu.voice:3"``) when the app runs in debug or testing; ``note`` what the
    emulator made of it (``"not simulated"``, ``"no input"``, ``"DialCallStatus=no-answer"``...);
    ``at`` the virtual second it happened; ``depth`` how deep it is nested (a <Say> in a <Gather>: 1).
    """

    verb: str
    text: str = ""
    attributes: Dict[str, str] = field(default_factory=dict)
    url: Optional[str] = None
    source: Optional[str] = None
    note: Optional[str] = None
    at: float = 0.0
    depth: int = 0


def describe(step: Step) -> str:
    """One line for a person: ``Say "Hello"  [menu.voice:3]``, ``press 1``, ``fetch POST http://... -> 200``."""
    parts = [step.verb]
    if step.text:
        parts.append(f'"{step.text}"' if step.verb in ("Say", "speak") else step.text)
    if step.attributes:
        parts.append(" ".join(f"{name}={value}" for name, value in sorted(step.attributes.items())))
    if step.note:
        parts.append(f"({step.note})")
    if step.source:
        parts.append(f"[{step.source}]")
    return " ".join(parts)


def transcript_lines(steps: Iterable[Step], *, indent: str = "  ") -> List[str]:
    """The lines of :func:`describe` for ``steps``, those inside a <Gather> indented (e.g. for a page).

    .. code-block:: python

        call = emulator.dial("+15005550006")
        print("\\n".join(transcript_lines(call.transcript)))
    """
    return [indent * step.depth + describe(step) for step in steps]
