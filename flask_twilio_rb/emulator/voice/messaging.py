"""An arriving text whose answer runs: each <Message> a real outgoing text, <Redirect> followed.

The number's ``sms_url`` gets Twilio's parameters (media as ``NumMedia``, ``MediaUrl0``,
``MediaContentType0``...); a failure is a Notification with Twilio's code and the number's
``sms_fallback_url`` is tried; nobody hears an application error (there is no caller).
"""
from __future__ import annotations

import mimetypes
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence

from ..incoming import arrive, message_parameters
from . import records
from .document import MESSAGING_VERBS, Node, warnings
from .webhook import Fetched, Request, fetch, resolve

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .board import Switchboard

#: Documents one arriving text may lead to (<Redirect> and actions included).
MAX_DOCUMENTS = 10


def text(board: "Switchboard", account_sid: str, to: str, body: str, from_: str,
         media: Sequence[str] = ()) -> List[str]:
    """A text arrives at the account's number ``to``; the bodies of the texts the app answered with."""
    def arrival() -> List[str]:
        number, record = arrive(board.backend, "Messages", account_sid, to, from_, body,
                                {"MediaUrl": list(media)} if media else None)
        params = {**message_parameters(record), **_media(media)}
        url = number["sms_url"]
        request = Request(url, (number.get("sms_method") or "POST").upper(), params)
        fallback = number.get("sms_fallback_url")
        replies: List[str] = []
        for _ in range(MAX_DOCUMENTS):
            fetched = _fetch(board, account_sid, request)
            if fetched.document is None:
                if not fallback or request.fallback:
                    return replies
                request = Request(fallback, (number.get("sms_fallback_method") or "POST").upper(),
                                  {**params, "ErrorCode": str(fetched.code), "ErrorUrl": request.url}, fallback=True)
                continue
            following = _run(board, account_sid, record, fetched.document, fetched.request.url, replies)
            if following is None:
                return replies
            request = following
        records.notify(board, account_sid, None, 11215, f"More than {MAX_DOCUMENTS} documents for one arriving "
                                                        "text: stopped (a <Redirect> loop?).", request)
        return replies

    return board.run(arrival)


def _media(media: Sequence[str]) -> Dict[str, str]:
    found = {"NumMedia": str(len(media))}
    for index, url in enumerate(media):
        found[f"MediaUrl{index}"] = url
        found[f"MediaContentType{index}"] = mimetypes.guess_type(url)[0] or "image/jpeg"
    return found


def _fetch(board: "Switchboard", account_sid: str, request: Request) -> Fetched:
    fetched = fetch(request, board.backend.token_of(account_sid), board.backend.local,
                    delay=board.delay_for(request.url))
    board.backend.record_callbacks([fetched.record])
    if fetched.code is not None:
        records.notify(board, account_sid, None, fetched.code, fetched.message, request, fetched.answer)
    return fetched


def _run(board: "Switchboard", account_sid: str, arrived: Mapping[str, Any], document: Node, url: str,
         replies: List[str]) -> Optional[Request]:
    """Run a messaging document; the request it leads to (a <Redirect>, an action), or ``None``."""
    skipped = set()
    for node, problem in warnings(document, verbs=MESSAGING_VERBS):
        records.notify(board, account_sid, None, 12200, f"Schema validation warning: {problem}", url=url)
        if problem.startswith(f"<{node.tag}> is not allowed"):
            skipped.add(node.index)
    for node in document.children:
        if node.index in skipped:
            continue
        if node.tag == "Redirect":
            target = resolve(url, node.text)
            return Request(target, (node.get("method") or "POST").upper(), message_parameters(arrived)) \
                if target else None
        bodies = [child.text for child in node.children if child.tag == "Body"]
        body = " ".join(bodies) if bodies else node.text
        media = [child.text for child in node.children if child.tag == "Media"]
        reply = records.message(board, account_sid, node.get("to") or arrived["from"],
                                node.get("from") or arrived["to"], body, media=media,
                                status_callback=resolve(url, node.get("statusCallback") or ""))
        replies.append(body)
        action = resolve(url, node.get("action") or "")
        if action:
            sent = {**message_parameters(reply), "MessageStatus": reply["status"], "SmsStatus": reply["status"]}
            return Request(action, (node.get("method") or "POST").upper(), sent)
    return None
