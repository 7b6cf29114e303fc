"""Wait music: the ``waitUrl`` of a conference or a queue, fetched and run once."""
from __future__ import annotations

from typing import Generator, Mapping, Optional

from .document import Node
from .events import Event, Wait
from .session import Session
from .webhook import Request, resolve


def wait_music(call: Session, node: Node, url: Optional[str], attribute: str, method_attribute: str,
                params: Mapping[str, str]) -> Generator[Wait, Event, Optional[str]]:
    """Fetch and run the wait music once (Say, Play, Pause and Redirect; <Leave> returns ``"leave"``)."""
    target = resolve(url, node.get(attribute) or "")
    if target is None:
        call.step("Play", "(Twilio's hold music)", note="not fetched: the emulator plays none")
        return None
    request: Optional[Request] = Request(target, (node.get(method_attribute) or "POST").upper(), dict(params))
    call.depth += 1
    try:
        while request is not None:
            fetched = yield from call.fetch(request, kind="wait")
            request = None
            for verb in fetched.document.children if fetched.document is not None else ():
                if verb.tag == "Leave":
                    call.step("Leave", node=verb, url=fetched.request.url)
                    return "leave"
                if verb.tag == "Redirect" and verb.text:
                    call.step("Redirect", verb.text, node=verb, url=fetched.request.url)
                    request = Request(resolve(fetched.request.url, verb.text) or "", (verb.get("method") or "POST")
                                      .upper(), dict(params))
                    break
                if verb.tag in ("Say", "Play", "Pause"):
                    if verb.tag == "Say":
                        call.say(verb.spoken())
                    call.step(verb.tag, verb.spoken() if verb.tag == "Say" else verb.text, node=verb,
                              url=fetched.request.url)
                else:
                    call.step(verb.tag, node=verb, url=fetched.request.url, note="not allowed in wait music (13238)")
    finally:
        call.depth -= 1
    return None
