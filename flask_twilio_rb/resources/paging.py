"""Lazy paging: records one page at a time, following ``next_page_uri``."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Mapping, Optional, Set, Tuple, Type

from ..client import get_client
from ..errors import APIError
from ..wire import form
from . import params as _params

if TYPE_CHECKING:
    from .base import Resource


def each_record(cls: Type["Resource"], path: str, scope: Mapping[str, Any], params: _params.Encoded,
                limit: Optional[int] = None) -> Iterator[Dict[str, Any]]:
    """Yield raw records page by page, following ``next_page_uri``; one page in memory at a time.

    The records are the JSON decoder's own dicts, not copies: :meth:`Resource._build` keeps them.
    """
    if limit is not None and limit <= 0:
        return
    seen = 0
    for records, _ in each_page(cls, path, scope, params):
        for record in records:
            yield record
            seen += 1
            if seen == limit:
                return


def each_page(cls: Type["Resource"], path: str, scope: Mapping[str, Any],
              params: Optional[_params.Encoded]) -> Iterator[Tuple[List[Dict[str, Any]], Optional[str]]]:
    """Yield ``(records, next_page_uri)`` page by page; ``next_page_uri`` is ``None`` on the last page.

    ``path`` may be a ``next_page_uri`` from an earlier run (with ``params`` ``None``): the
    listing goes on from there. Each next page is checked before it is named (:func:`next_page`).
    """
    client = get_client()
    base_url = client.settings.api_base_url
    visited = {f"{path}?{form(params)}" if params else path}
    page_params = params
    while path:
        page = cls._send("GET", path, scope, "list", params=page_params, client=client)
        path = next_page(page, base_url, visited, path)
        yield page.get(cls._list_key) or [], path or None
        page_params = None


def next_page(page: Mapping[str, Any], base_url: str, visited: Set[str], path: str) -> str:
    """The path of the page after ``page`` (``""`` at the end), checked before it is requested.

    Twilio names it ``next_page_uri`` (a path) or ``next_page_url`` (a URL). Only a path, or
    a URL under ``base_url``, is followed: the request carries the account's credentials, so
    it never goes to another host. A page already read (a page pointing at itself or back)
    stops the listing with an :class:`APIError` instead of looping for ever.
    """
    link = page.get("next_page_uri") or page.get("next_page_url")
    if not link:
        return ""
    if isinstance(link, str) and link.startswith(base_url + "/"):
        link = link[len(base_url):]
    if not isinstance(link, str) or not link.startswith("/") or link.startswith("//"):
        raise APIError(200, f"Twilio's page of {path} names a next page that is not a path on {base_url}: "
                       f"{str(link)[:80]!r}; it was not followed", method="GET", url=path)
    own = page.get("uri")
    if link in visited or link == own:
        raise APIError(200, f"Twilio's page of {path} names a page already read as the next one "
                       f"({link[:80]!r}); the listing stops here instead of looping", method="GET", url=path)
    visited.add(link)
    return link
