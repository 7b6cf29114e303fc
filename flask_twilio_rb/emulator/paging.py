"""Lists as Twilio pages them: filters, newest first, ``Page``/``PageSize`` and the page URIs."""
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

    A filter naming no field of the records (``AreaCode``, ``IncludeSubaccounts``) keeps them all.
    """
    tests = [_test(operation, name, raw) for name, raw in filters if name not in _PAGING]
    active = [test for test in tests if test is not None]
    return [record for record in records if all(test(record) for test in active)]


def _test(operation: Operation, name: str, raw: str) -> Any:
    base = name.rstrip("<>")
    field = snake(base)
    kind = operation.params.get(name, "").rstrip("!")
    if kind in ("date", "datetime"):
        if name == base and base + ">" not in operation.params:
            return None  # a period's bound (StartDate of usage records), not a filter on a field
        return _date_test(field, name[-1] if name != base else "=", raw)
    return lambda record: field not in record or _text(record[field]) == raw


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


def page(records: Sequence[Mapping[str, Any]], list_key: str, path: str, query: Mapping[str, Any],
         filters: Sequence[Tuple[str, str]]) -> Dict[str, Any]:
    """One page of ``records`` (already filtered, newest first) with Twilio's page fields.

    :param path: the list's URI (``/2010-04-01/Accounts/AC.../Calls.json``).
    :param query: the checked query (``Page``, ``PageSize``).
    :param filters: the request's filters as sent, kept in every page URI.
    """
    size = min(max(query.get("PageSize", DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE)
    number = max(query.get("Page", 0), 0)
    start = number * size
    chunk = list(records[start:start + size])
    kept = [(name, value) for name, value in filters if name not in _PAGING]
    more = start + size < len(records)
    token = chunk[-1].get("sid") if chunk else None

    def uri(page_number: int, page_token: Optional[str] = None) -> str:
        pairs = kept + [("PageSize", str(size)), ("Page", str(page_number))]
        pairs += [("PageToken", "PA" + page_token)] if page_token else []
        return f"{path}?{urlencode(pairs)}"

    return {
        list_key: chunk,
        "end": start + len(chunk) - 1 if chunk else start,
        "first_page_uri": uri(0),
        "next_page_uri": uri(number + 1, token) if more else None,
        "page": number,
        "page_size": size,
        "previous_page_uri": uri(number - 1) if number > 0 else None,
        "start": start,
        "uri": uri(number),
    }
