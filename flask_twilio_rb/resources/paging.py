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


def records(cls: Type["Resource"], page: Any) -> Any:
    """The records of one page: under ``meta.key`` when the page names it, else the declared list key."""
    if not isinstance(page, dict):
        return ()
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
    read: Set[str] = set()
    page_params = params
    next_path: Optional[str] = path
    while next_path:
        page = cls._send("GET", next_path, scope, "list", params=page_params, client=client)
        read.add(next_path if page_params is None else f"{next_path}?{form(page_params)}")
        next_path = next_page(cls, client, page, read)
        yield list(records(cls, page)), next_path
        page_params = None


def next_page(cls: Type["Resource"], client: Client, page: Any, read: Set[str]) -> Optional[str]:
    """The path (and query) of the page after ``page``, checked; ``None`` after the last page."""
    meta = page.get("meta") if isinstance(page, dict) else None
    if isinstance(meta, dict):
        url = meta.get("next_page_url")
        if not url:
            return None
        path = _on_origin(cls, client, str(url))
    else:
        uri = page.get("next_page_uri") if isinstance(page, dict) else None
        if not uri:
            return None
        path = str(uri)
        if not path.startswith(cls._api.prefix + "/"):
            raise APIError(200, f"The page's next_page_uri {path!r} is not a path of the {cls._api.prefix} API; "
                                "it was not followed.", method="GET", url=path)
    if path in read:
        raise APIError(200, f"The next page {path!r} is one already read; paging stopped instead of looping.",
                       method="GET", url=path)
    return path


def _on_origin(cls: Type["Resource"], client: Client, url: str) -> str:
    """The path of an absolute next-page URL on the origin the pages come from; anything else is refused.

    Twilio may name its host without the region and edge the request went to
    (``https://verify.twilio.com`` for ``https://verify.dublin.ie1.twilio.com``): both are Twilio's.
    """
    host = cls._api.host
    origins = {client.origin(host)}
    if client.origin(host).endswith(".twilio.com"):
        origins.add(f"https://{host}")
    for origin in origins:
        if url.startswith(origin + "/"):
            path = url[len(origin):]
            if path.startswith(cls._api.prefix + "/"):
                return path
    raise APIError(200, f"The page's next_page_url {url!r} is not on {client.origin(host)}; it was not followed.",
                   method="GET", url=url)
