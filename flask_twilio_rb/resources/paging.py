"""Lazy paging: records one page at a time, following ``next_page_uri`` or ``meta.next_page_url``.

The 2010-04-01 API names the next page by its path (``next_page_uri``); the newer descriptions
by an absolute URL in ``meta`` (``meta.next_page_url``, ``meta.key`` naming the records' key).
A next page is followed only where the first one was asked (the description's path prefix;
for an absolute URL, the origin the request went to), and a page that points back to one
already read ends the paging with an error instead of looping.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Mapping, Optional, Set, Tuple, Type

from ..client import Client, get_client
from ..errors import APIError
from ..wire import form
from . import params as _params

if TYPE_CHECKING:
    from .base import Resource


def records(cls: Type["Resource"], page: Mapping[str, Any]) -> Any:
    """The records of one page: under ``meta.key`` when the page names it, else the declared list key."""
    meta = page.get("meta")
    key = meta.get("key") if isinstance(meta, dict) else None
    return page.get(key or cls._list_key) or ()


def each_record(cls: Type["Resource"], path: str, scope: Mapping[str, Any], params: _params.Encoded,
                limit: Optional[int] = None) -> Iterator[Dict[str, Any]]:
    """Yield raw records page by page, following the next page; one page in memory at a time.

    The records are the JSON decoder's own dicts, not copies: :meth:`Resource._build` keeps them.
    """
    if limit is not None and limit <= 0:
        return
    seen = 0
    for page, _ in each_page(cls, path, scope, params):
        for record in page:
            yield record
            seen += 1
            if seen == limit:
                return


def each_page(cls: Type["Resource"], path: str, scope: Mapping[str, Any],
              params: Optional[_params.Encoded]) -> Iterator[Tuple[List[Dict[str, Any]], Optional[str]]]:
    """Yield ``(records, next page)`` page by page; the next page is ``None`` after the last page.

    The next page is a checked path (and query) of the description (see :func:`next_page`);
    ``path`` may be one from an earlier run (with ``params`` ``None``): the listing goes on from there.
    """
    client = get_client()
    read: Set[str] = {f"{path}?{form(params)}" if params else path}
    page_params = params
    next_path: Optional[str] = path
    while next_path:
        page = cls._send("GET", next_path, scope, "list", params=page_params, client=client)
        next_path = next_page(cls, client, page, read, next_path)
        yield list(records(cls, page)), next_path
        page_params = None


def next_page(cls: Type["Resource"], client: Client, page: Mapping[str, Any], read: Set[str],
              path: str) -> Optional[str]:
    """The path (and query) of the page after ``page`` (``None`` at the end), checked before it is requested.

    Twilio names it ``meta.next_page_url`` (a URL) in the newer descriptions, ``next_page_uri``
    (a path) in the 2010-04-01 API. Only a path of the description, on the origin the pages
    come from, is followed: the request carries the account's credentials, so it never goes to
    another host. A page already read (a page pointing at itself or back) stops the listing
    with an :class:`APIError` instead of looping for ever.
    """
    meta = page.get("meta")
    if isinstance(meta, dict):
        link, own = meta.get("next_page_url"), meta.get("url")
    else:
        link, own = page.get("next_page_uri") or page.get("next_page_url"), page.get("uri")
    if not link:
        return None
    found = _as_path(cls, client, link)
    if found is None:
        raise APIError(200, f"Twilio's page of {path} names a next page that is not a path on "
                       f"{client.origin(cls._api.host)}: {str(link)[:80]!r}; it was not followed",
                       method="GET", url=path)
    if found in read or found == _as_path(cls, client, own):
        raise APIError(200, f"Twilio's page of {path} names a page already read as the next one "
                       f"({found[:80]!r}); the listing stops here instead of looping", method="GET", url=path)
    read.add(found)
    return found


def _as_path(cls: Type["Resource"], client: Client, link: Any) -> Optional[str]:
    """``link`` as a path of the description on the pages' origin, or ``None`` when it is not one.

    An absolute URL must be on the origin the pages come from; Twilio may name its host
    without the region and edge the request went to (``https://verify.twilio.com`` for
    ``https://verify.dublin.ie1.twilio.com``): both are Twilio's.
    """
    if not isinstance(link, str):
        return None
    origin = client.origin(cls._api.host)
    for where in (origin, f"https://{cls._api.host}" if origin.endswith(".twilio.com") else origin):
        if link.startswith(where + "/"):
            link = link[len(where):]
            break
    if link.startswith("//") or not link.startswith(cls._api.prefix + "/"):
        return None
    return link
