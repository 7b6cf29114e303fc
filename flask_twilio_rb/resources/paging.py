"""Lazy paging: records one page at a time, following ``next_page_uri``."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Iterator, Mapping, Optional, Type

from ..client import get_client
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
    client = get_client()
    seen = 0
    page_params: Optional[_params.Encoded] = params
    while path:
        page = cls._send("GET", path, scope, "list", params=page_params, client=client)
        for record in page.get(cls._list_key) or ():
            yield record
            seen += 1
            if seen == limit:
                return
        path = page.get("next_page_uri") or ""
        page_params = None
