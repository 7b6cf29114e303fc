"""Content templates as Twilio keeps and renders them: types, variables, WhatsApp approval.

A template has one or more types (``twilio/text``, ``twilio/media``, ``twilio/card``...) and
``variables``, whose values are the defaults a send falls back to
(https://www.twilio.com/docs/content/using-variables-with-content-api). A message sent with
``ContentSid`` gets its body (and media) from the template, ``{{1}}``-style placeholders filled
from ``ContentVariables`` (a JSON object); an unknown template is 21655
(https://www.twilio.com/docs/api/errors/21655), variables that are not a JSON object of
strings, or a placeholder left without a value, 21656 (https://www.twilio.com/docs/api/errors/21656),
``ContentVariables`` without ``ContentSid`` 21654 (https://www.twilio.com/docs/api/errors/21654).
A template submitted for WhatsApp approval is ``received``; what WhatsApp decides a test says
with ``emulator.review_template()``.
"""
from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional

from ..addressing import check_parent
from ..errors import invalid_parameter, not_found
from ..representation import stamp
from ..routing import Match
from ..store import HIDDEN, hidden

if TYPE_CHECKING:  # pragma: no cover - typing only
    from ..backend import Backend

#: The content types of Twilio's Content API (the key of each entry of ``types``).
TYPES = ("twilio/text", "twilio/media", "twilio/location", "twilio/list-picker", "twilio/call-to-action",
         "twilio/quick-reply", "twilio/card", "twilio/catalog", "twilio/carousel", "twilio/flows", "whatsapp/card",
         "whatsapp/authentication")
#: The members a type cannot do without.
REQUIRED = {"twilio/text": ("body",), "twilio/media": ("media",), "twilio/location": ("latitude", "longitude"),
            "twilio/quick-reply": ("body", "actions"), "twilio/call-to-action": ("body", "actions"),
            "twilio/list-picker": ("body", "button", "items"), "whatsapp/card": ("body",)}
#: Which type a message renders, by channel: SMS falls back to plain text first, WhatsApp to the richest.
SMS_ORDER = ("twilio/text", "twilio/media") + TYPES
WHATSAPP_ORDER = ("whatsapp/authentication", "whatsapp/card", "twilio/card", "twilio/call-to-action",
                  "twilio/quick-reply", "twilio/list-picker", "twilio/media") + TYPES
#: WhatsApp's template categories, and the statuses a review can give.
CATEGORIES = ("UTILITY", "MARKETING", "AUTHENTICATION")
REVIEWS = ("received", "pending", "approved", "rejected", "paused", "disabled")
_NAME = re.compile(r"[a-z0-9_]{1,512}\Z")
_PLACEHOLDER = re.compile(r"{{(.*?)}}")
_KEY = re.compile(r"\s*([0-9A-Za-z_]{1,16})\s*\Z")


def check_types(body: Mapping[str, Any]) -> None:
    """A template's ``types`` (and ``variables``) as the Content API takes them; 400 naming what is wrong."""
    types = body["types"]  # (required by the description for create and update: checked before this)
    unknown = [name for name in types if name not in TYPES]
    if not types or unknown:
        raise invalid_parameter(f"types needs one or more of {', '.join(TYPES)}"
                                + (f", not {', '.join(map(repr, unknown))}." if unknown else "."))
    for name, value in types.items():
        if not isinstance(value, dict):
            raise invalid_parameter(f"types[{name!r}] is an object of the type's members, not {value!r}.")
        missing = [member for member in REQUIRED.get(name, ()) if member not in value]
        if missing:
            raise invalid_parameter(f"types[{name!r}] needs {', '.join(missing)}.")
    variables = body.get("variables")
    if variables is not None and not all(isinstance(v, str) and _KEY.match(k) for k, v in variables.items()):
        raise invalid_parameter("variables maps names (letters, digits, _; at most 16) to default text values.")


def create(backend: "Backend", match: Match, body: Dict[str, Any]) -> Dict[str, Any]:
    """``POST /v1/Content``: a template, its types checked."""
    check_types(body)
    return backend.create(match, body, match.account_sid or "", {"variables": body.get("variables") or {}})


def replace(backend: "Backend", match: Match, body: Dict[str, Any]) -> Dict[str, Any]:
    """``PUT /v1/Content/{Sid}``: the template's types (and name, language, variables) replaced."""
    check_types(body)
    return backend.update(match, body)


def _template(backend: "Backend", account_sid: str, sid: str) -> Optional[Dict[str, Any]]:
    return backend.store.get(f"/Accounts/{account_sid}/content/v1/Content", sid)


def _approval(record: Mapping[str, Any]) -> Dict[str, Any]:
    """The template's WhatsApp approval request (``unsubmitted`` before one was made)."""
    return dict((record.get(HIDDEN) or {}).get("approval") or {"status": "unsubmitted"})


def submit(backend: "Backend", match: Match, body: Dict[str, Any]) -> Dict[str, Any]:
    """``POST /v1/Content/{ContentSid}/ApprovalRequests/whatsapp``: the template goes to WhatsApp's review."""
    check_parent(backend.store, match)
    if not _NAME.match(body["name"]):
        raise invalid_parameter(f"name {body['name']!r} is not a WhatsApp template name: use lowercase letters, "
                                f"digits and underscores.")
    if body["category"].upper() not in CATEGORIES:
        raise invalid_parameter(f"category {body['category']!r} is not one of {', '.join(CATEGORIES)}.")
    with backend.store.lock:
        record = _template(backend, match.account_sid or "", match.values["ContentSid"]) or {}
        approval = {"name": body["name"], "category": body["category"].upper(),
                    "content_type": next(iter(record.get("types") or {}), None), "status": "received",
                    "rejection_reason": "", "allow_category_change": True}
        hidden(record)["approval"] = approval
        return dict(approval)


def approvals(backend: "Backend", match: Match, query: Mapping[str, Any]) -> Dict[str, Any]:
    """``GET /v1/Content/{Sid}/ApprovalRequests``: where the template's WhatsApp review stands."""
    with backend.store.lock:
        record = _template(backend, match.account_sid or "", match.values["Sid"])
        if record is None:
            raise not_found(match.path)
        return {"sid": record["sid"], "account_sid": record["account_sid"],
                "whatsapp": {"type": "whatsapp", **_approval(record)}, "url": match.path}


def with_approvals(backend: "Backend", match: Match, query: Mapping[str, Any]) -> List[Dict[str, Any]]:
    """``GET /v1/ContentAndApprovals``: every template with its approval requests."""
    with backend.store.lock:
        return [{**record, "approval_requests": _approval(record)}
                for record in backend.store.newest_first(f"/Accounts/{match.account_sid}/content/v1/Content")]


def review(backend: "Backend", account_sid: str, sid: str, status: str, rejection_reason: Optional[str]) -> None:
    """WhatsApp's decision on a submitted template (:meth:`TwilioEmulator.review_template`)."""
    if status not in REVIEWS:
        raise ValueError(f"A review ends {', '.join(map(repr, REVIEWS))}, not {status!r}.")
    with backend.store.lock:
        record = _template(backend, account_sid, sid)
        approval = hidden(record).get("approval") if record is not None else None
        if record is None or approval is None:
            raise ValueError(f"{sid} was not submitted for WhatsApp approval: POST "
                             f"/content/v1/Content/{sid}/ApprovalRequests/whatsapp first.")
        approval.update(status=status, rejection_reason=rejection_reason or "")
        record["date_updated"] = stamp(backend.now(), "iso")


# -- sending a template -----------------------------------------------------------------------------

def _variables(text: Optional[str]) -> Dict[str, str]:
    if text is None:
        return {}
    try:
        values = json.loads(text)
    except ValueError:
        values = None
    if not isinstance(values, dict) or not all(isinstance(v, str) and v for v in values.values()):
        raise invalid_parameter("The ContentVariables Parameter is invalid: send a JSON object of non-empty "
                                "strings, e.g. {\"1\": \"Ada\"}.", 21656)
    return values


def _fill(text: str, values: Mapping[str, str], defaults: Mapping[str, str]) -> str:
    def value(found: "re.Match[str]") -> str:
        key = _KEY.match(found.group(1))
        name = key.group(1) if key else ""
        filled = values.get(name) or defaults.get(name)
        if not filled:
            raise invalid_parameter(f"The ContentVariables Parameter is invalid: {{{{{found.group(1)}}}}} has no "
                                    f"value and no default.", 21656)
        return filled
    return _PLACEHOLDER.sub(value, text)


def _text_of(kind: str, entry: Mapping[str, Any]) -> str:
    if kind == "whatsapp/authentication":
        return "{{1}} is your verification code."
    if "body" in entry:
        return str(entry["body"])
    return " ".join(str(entry[name]) for name in ("title", "subtitle", "label") if entry.get(name))


def render(backend: "Backend", account_sid: str, params: Mapping[str, Any]) -> Dict[str, Any]:
    """The ``Body`` (and ``MediaUrl``) a message sent with ``ContentSid`` carries."""
    template = _template(backend, account_sid, params["ContentSid"])
    if template is None:
        raise invalid_parameter(f"The ContentSid {params['ContentSid']} is Invalid: no such template in the "
                                f"account (create it with POST /content/v1/Content).", 21655)
    values = _variables(params.get("ContentVariables"))
    types = template.get("types") or {}
    order = WHATSAPP_ORDER if str(params.get("To", "")).startswith("whatsapp:") else SMS_ORDER
    kind = next(name for name in order if name in types)
    entry = types[kind]
    defaults = template.get("variables") or {}
    rendered: Dict[str, Any] = {"Body": _fill(_text_of(kind, entry), values, defaults)}
    media = [_fill(str(url), values, defaults) for url in entry.get("media") or ()]
    if media:
        rendered["MediaUrl"] = media
    return rendered


#: The operations this module answers.
HANDLERS = {
    "content.v1.CreateContent": create, "content.v1.UpdateContent": replace,
    "content.v1.CreateApprovalCreate": submit, "content.v1.FetchApprovalFetch": approvals,
    "content.v1.ListContentAndApprovals": with_approvals,
}
