"""Lists as Twilio pages them: filters, newest first, ``Page``/``PageSize`` and the page URIs.

The 2010-04-01 API puts the page fields beside the records (``next_page_uri``, relative); the
newer APIs put them under ``meta`` (``next_page_url``, absolute, ``key`` naming the records).
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple
from urllib.parse import urlencode

from .representation import parse_rfc2822, snake
from .routing import Operation

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000
_PAGING = ("Page", "PageSize", "PageToken")


def select(records: Sequence[Mapping[str, Any]], operation: Operation,
           filters: Sequence[Tuple[str, str]]) -> List[Mapping[str, Any]]:
    """The records every filter keeps: equality on a field, or a date range (``StartTime>``...).

    A filter naming no field of the records (``AreaCode``, ``IncludeSubaccounts``) keeps them all;
    one sent several times (``AssignmentStatus=pending&AssignmentStatus=reserved``) keeps any of its values.
    """
    grouped: Dict[str, List[str]] = {}
    for name, raw in filters:
        if name not in _PAGING:
            grouped.setdefault(name, []).append(raw)
    tests = [_test(operation, name, raws) for name, raws in grouped.items()]
    active = [test for test in tests if test is not None]
    return [record for record in records if all(test(record) for test in active)]


def _test(operation: Operation, name: str, raws: List[str]) -> Any:
    base = name.rstrip("<>")
    field = snake(base)
    kind = operation.params.get(name, "").rstrip("!")
    if kind in ("date", "datetime"):
        if name == base and base + ">" not in operation.params:
            return None  # a period's bound (StartDate of usage records), not a filter on a field
        return _date_test(field, name[-1] if name != base else "=", raws[0])
    return lambda record: field not in record or _text(record[field]) in raws


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _date_test(field: str, how: str, raw: str) -> Any:
    whole_days = len(raw) == 10
    bound: Any = _dt.date.fromisoformat(raw) if whole_days else _moment(raw)

    def test(record: Mapping[str, Any]) -> bool:
        text = record.get(field)
        if not text:
            return False
        moment = parse_rfc2822(text)
        value = moment.date() if whole_days else moment
        # Twilio's ranges include their bounds: StartTime>=2026-11-01 is read as "StartTime>".
        return value >= bound if how == ">" else value <= bound if how == "<" else value == bound

    return test


def _moment(raw: str) -> _dt.datetime:
    moment = _dt.datetime.fromisoformat(raw.replace("Z", "+00:00").replace(" ", "T"))
    return moment if moment.tzinfo else moment.replace(tzinfo=_dt.timezone.utc)


def _window(records: Sequence[Mapping[str, Any]], query: Mapping[str, Any]) -> Tuple[int, int, int, List[Any], bool]:
    """(page size, page number, first index, the page's records, whether more follow) of a checked query."""
    size = min(max(query.get("PageSize", DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE)
    number = max(query.get("Page", 0), 0)
    start = number * size
    return size, number, start, list(records[start:start + size]), start + size < len(records)


def _uri(path: str, kept: Sequence[Tuple[str, str]], size: int, number: int, token: Optional[str] = None) -> str:
    pairs = list(kept) + [("PageSize", str(size)), ("Page", str(number))]
    pairs += [("PageToken", "PA" + token)] if token else []
    return f"{path}?{urlencode(pairs)}"


def _kept(filters: Sequence[Tuple[str, str]]) -> List[Tuple[str, str]]:
    return [(name, value) for name, value in filters if name not in _PAGING]


def page(records: Sequence[Mapping[str, Any]], list_key: str, path: str, query: Mapping[str, Any],
         filters: Sequence[Tuple[str, str]]) -> Dict[str, Any]:
    """One page of ``records`` (already filtered, newest first) with the 2010-04-01 API's page fields.

    :param path: the list's URI (``/2010-04-01/Accounts/AC.../Calls.json``).
    :param query: the checked query (``Page``, ``PageSize``).
    :param filters: the request's filters as sent, kept in every page URI.
    """
    size, number, start, chunk, more = _window(records, query)
    kept = _kept(filters)
    token = chunk[-1].get("sid") if chunk else None
    return {
        list_key: chunk,
        "end": start + len(chunk) - 1 if chunk else start,
        "first_page_uri": _uri(path, kept, size, 0),
        "next_page_uri": _uri(path, kept, size, number + 1, token) if more else None,
        "page": number,
        "page_size": size,
        "previous_page_uri": _uri(path, kept, size, number - 1) if number > 0 else None,
        "start": start,
        "uri": _uri(path, kept, size, number),
    }


def meta_page(records: Sequence[Mapping[str, Any]], list_key: str, url: str, query: Mapping[str, Any],
              filters: Sequence[Tuple[str, str]], id_field: str = "sid") -> Dict[str, Any]:
    """One page as the newer APIs answer it: the records under ``list_key``, the page fields under ``meta``.

    :param url: the list's absolute URL (``http://127.0.0.1:8080/verify/v2/Services``); the page
        URLs are built on it, so a client follows them back to where it sent the request.
    :param id_field: the field naming a record, whose value (after ``PA``) is the next page's token.
    """
    size, number, start, chunk, more = _window(records, query)
    kept = _kept(filters)
    last = str(chunk[-1].get(id_field)) if chunk else None
    return {
        list_key: chunk,
        "meta": {
            "page": number,
            "page_size": size,
            "first_page_url": _uri(url, kept, size, 0),
            "previous_page_url": _uri(url, kept, size, number - 1) if number > 0 else None,
            "url": _uri(url, kept, size, number),
            "next_page_url": _uri(url, kept, size, number + 1, last) if more else None,
            "key": list_key,
        },
    }
