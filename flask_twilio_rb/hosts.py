"""Where a request goes: each description's host, with a Twilio region and edge, or one base URL.

* Twilio (``TWILIO_API_BASE_URL`` unset, or a Twilio API host such as ``https://api.twilio.com``):
  a request goes to its description's own host, ``https://verify.twilio.com/v2/...``, with
  ``TWILIO_EDGE`` and ``TWILIO_REGION`` inserted as Twilio's SDKs insert them:
  ``verify.dublin.ie1.twilio.com`` (an edge without a region means region ``us1``; a region
  alone gives ``verify.ie1.twilio.com``). A regional base URL (``https://api.dublin.ie1.twilio.com``)
  gives its edge and region to every host, as the settings would.
* Any other base URL (an emulator, a proxy): the 2010-04-01 API goes to ``BASE/2010-04-01/...``
  and every other description to ``BASE/{product}{path}``, the product being the first label of
  its host (``BASE/verify/v2/Services``), so each domain stays distinguishable there.

Pure functions of the settings' values: the client computes each origin once per host.
"""
from __future__ import annotations

import re
from typing import Optional, Tuple

from .wire import API_HOST

#: The base URL that means "Twilio itself".
TWILIO_BASE_URL = "https://api.twilio.com"

#: Twilio's processing regions (https://www.twilio.com/docs/global-infrastructure).
REGIONS = ("au1", "ie1", "us1")

#: Twilio's edge locations, public and private Interconnect ones
#: (https://www.twilio.com/docs/global-infrastructure/edge-locations).
EDGES = ("ashburn", "dublin", "frankfurt", "roaming", "sao-paulo", "singapore", "sydney", "tokyo", "umatilla",
         "ashburn-ix", "frankfurt-ix", "london-ix", "san-jose-ix", "sao-paulo-ix", "singapore-ix", "sydney-ix",
         "tokyo-ix")

#: ``https://api[.edge][.region].twilio.com``: a base URL that is Twilio's API host itself.
_TWILIO_API = re.compile(r"https://api(?:\.([a-z0-9-]+))?(?:\.([a-z0-9-]+))?\.twilio\.com\Z")


def twilio_routing(base_url: str) -> Optional[Tuple[Optional[str], Optional[str]]]:
    """``(edge, region)`` when ``base_url`` is Twilio's API host (either may be ``None``); else ``None``.

    ``https://api.ie1.twilio.com`` names a region, ``https://api.dublin.ie1.twilio.com`` an edge
    and a region, as in Twilio's SDKs.
    """
    match = _TWILIO_API.match(base_url)
    if match is None:
        return None
    first, second = match.groups()
    return (first, second) if second else (None, first)


def origin(base_url: str, host: str, edge: Optional[str] = None, region: Optional[str] = None) -> str:
    """The scheme, host and path prefix a request to ``host`` starts with.

    >>> origin("https://api.twilio.com", "verify.twilio.com", edge="dublin")
    'https://verify.dublin.us1.twilio.com'
    >>> origin("http://127.0.0.1:8080", "verify.twilio.com")
    'http://127.0.0.1:8080/verify'
    """
    routing = twilio_routing(base_url)
    if routing is None:  # an emulator or a proxy: one place, each domain under its product
        return base_url if host == API_HOST else f"{base_url}/{host.split('.', 1)[0]}"
    edge = edge or routing[0]
    region = region or routing[1] or ("us1" if edge else None)
    product, _, domain = host.partition(".")
    return "https://" + ".".join(part for part in (product, edge, region, domain) if part)
