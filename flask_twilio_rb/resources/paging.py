"""Lazy paging: records one page at a time, following ``next_page_uri``."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Mapping, Optional, Tuple, Type

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
    listing goes on from there.
    """
    client = get_client()
    page_params = params
    while path:
        page = cls._send("GET", path, scope, "list", params=page_params, client=client)
        path = page.get("next_page_uri") or ""
        yield page.get(cls._list_key) or [], path or None
        page_params = None
