"""Type aliases the generated stubs share (a stub only: nothing imports it at run time)."""
import datetime
from typing import List, Tuple, TypeVar, Union

_T = TypeVar("_T")

#: A repeated parameter: a list (or tuple) of its values.
Many = Union[List[_T], Tuple[_T, ...]]
#: A date-time parameter: an aware datetime, a date (its day), or the ISO 8601 text Twilio reads.
DateTime = Union[datetime.datetime, datetime.date, str]
#: A date parameter: a date, or its ISO 8601 text.
Date = Union[datetime.date, str]

