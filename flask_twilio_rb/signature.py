"""Webhook signatures, computed and checked without Flask: ``X-Twilio-Signature`` and ``bodySHA256``.

Twilio signs every webhook request with HMAC-SHA1 (or HMAC-SHA256 when the request's
``X-Twilio-Webhooks-Signature-Settings`` header says ``algorithm=HMAC_SHA256``), keyed with
the account's auth token, over the full URL it called followed by each POST parameter name
and value, sorted by name. :func:`compute_signature` makes such a signature and
:func:`is_valid_signature` checks one. The Flask guard (:mod:`flask_twilio_rb.webhooks`), the
testing helpers and the emulator all use this module.
"""
from __future__ import annotations

import hashlib
import hmac
from binascii import b2a_base64
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, Union
from urllib.parse import parse_qsl

from .errors import SignatureError

#: The request header that carries the signature.
SIGNATURE_HEADER = "X-Twilio-Signature"
#: The request header that names the signing algorithm (absent means HMAC-SHA1).
SIGNATURE_SETTINGS_HEADER = "X-Twilio-Webhooks-Signature-Settings"
#: The query parameter carrying the SHA-256 of a body that is not form-encoded (e.g. JSON).
BODY_HASH_PARAM = "bodySHA256"

#: POST parameters: a mapping of names to a value or a list of values, a ``MultiDict``
#: (anything with ``getlist``), or ``(name, value)`` pairs. A ``str`` or ``bytes`` is a raw
#: body instead, authenticated through ``bodySHA256`` in the URL.
Params = Union[Mapping[str, Any], Iterable[Tuple[str, str]], str, bytes, None]

#: Spellings of the two algorithms, lower-cased, and the hashlib name of each.
DIGESTS = {
    "sha1": "sha1", "hmac_sha1": "sha1", "hmac-sha1": "sha1",
    "sha256": "sha256", "hmac_sha256": "sha256", "hmac-sha256": "sha256",
}
_IPAD = bytes(x ^ 0x36 for x in range(256))
_OPAD = bytes(x ^ 0x5C for x in range(256))
_DEFAULT_PORTS = {"http": 80, "https": 443}

# Hash states already fed the padded key, by (auth token, digest). HMAC costs four
# compression rounds on short messages, and two of them depend on the key alone, so
# copying these states instead of starting from the key halves the work per request.
_keyed_states: Dict[Tuple[str, str], Tuple[Any, Any]] = {}
_KEYED_STATES_MAX = 32


def compute_signature(url: str, params: Params, auth_token: str, algorithm: str = "sha1") -> str:
    """The ``X-Twilio-Signature`` Twilio sends for a request to ``url`` with ``params``.

    :param url: the full URL Twilio calls, query string included.
    :param params: the POST parameters (see :data:`Params`); multi-valued parameters
        contribute each distinct value, sorted. A ``str``/``bytes`` raw body is not part of
        the signature: it is covered by the ``bodySHA256`` query parameter of ``url``.
    :param auth_token: the account's auth token.
    :param algorithm: ``"sha1"`` (Twilio's default) or ``"sha256"``; ``"HMAC_SHA256"``
        as written in ``X-Twilio-Webhooks-Signature-Settings`` works too.
    :raises SignatureError: for an unknown algorithm, an empty auth token or parameters
        whose names and values are not strings.
    """
    digest = DIGESTS.get(str(algorithm).lower())
    if digest is None:
        raise SignatureError(f"Unknown signature algorithm {algorithm!r}: use 'sha1' or 'sha256'.")
    if not auth_token or not isinstance(auth_token, str):
        raise SignatureError("compute_signature() needs the account's auth token (a non-empty string).")
    try:
        text = "" if isinstance(params, (str, bytes)) else _param_text(params)
        data = (url + text).encode("utf-8")
    except (TypeError, ValueError, AttributeError):
        raise SignatureError(
            "Signature parameters must map string names to a string or a list of strings, or be (name, value) pairs."
        ) from None
    return _sign(_keyed(auth_token, digest), data).decode("ascii")


def is_valid_signature(
    url: str, params: Params, signature: Optional[Union[str, bytes]], auth_token: str, *, algorithm: str = "sha1"
) -> bool:
    """Whether ``signature`` is Twilio's signature of a request to ``url`` with ``params``.

    The URL is accepted with and without its scheme's default port (``:443`` for https,
    ``:80`` for http), since Twilio signs either form. When ``params`` is a raw body
    (``str``/``bytes``, e.g. JSON), the URL's ``bodySHA256`` must be the body's SHA-256 and
    the signature covers the URL alone; a non-empty raw body without ``bodySHA256`` is
    rejected. Comparisons take constant time. Never raises: bad input of any kind, including
    a missing or malformed signature, is simply invalid.

    :param algorithm: ``"sha1"`` (default) or ``"sha256"``; see :func:`compute_signature`.
    """
    try:
        return signature_problem(url, params, signature, auth_token, algorithm) is None
    except (TypeError, ValueError, AttributeError):
        return False


def signature_problem(url: str, params: Params, signature: Any, auth_token: Any, algorithm: str = "sha1") -> Optional[str]:
    """Why ``signature`` is not valid (a short phrase for logs), or ``None`` when it is.

    Raises ``TypeError``/``ValueError``/``AttributeError`` on malformed input, which
    :func:`is_valid_signature` reads as invalid.
    """
    if not signature:
        return "missing signature"
    digest = DIGESTS.get(algorithm.lower())
    if digest is None:
        return "unsupported signature algorithm"
    if not auth_token or not isinstance(auth_token, str):
        return "no auth token to check against"
    if isinstance(signature, str):
        expected = signature.encode("ascii")
    elif isinstance(signature, (bytes, bytearray)):
        expected = bytes(signature)
    else:
        return "malformed signature"
    if isinstance(params, (str, bytes)):
        reason = _body_problem(url, params.encode("utf-8") if isinstance(params, str) else params)
        if reason is not None:
            return reason
        text = ""
    else:
        text = _param_text(params)
    keyed = _keyed(auth_token, digest)
    if hmac.compare_digest(_sign(keyed, (url + text).encode("utf-8")), expected):
        return None
    # Only when the URL as given fails, so a valid request costs one HMAC, not two.
    other = _other_port_form(url)
    if other is not None and hmac.compare_digest(_sign(keyed, (other + text).encode("utf-8")), expected):
        return None
    return "signature does not match"


def _body_problem(url: str, body: bytes) -> Optional[str]:
    claimed = _query_value(url, BODY_HASH_PARAM) if BODY_HASH_PARAM in url else None
    if claimed is None:
        # The signature covers the URL only; accepting a body nothing vouches for would let
        # anyone replay a signed URL with a body of their own.
        return "body not covered by bodySHA256" if body else None
    actual = hashlib.sha256(body).hexdigest().encode("ascii")
    if not hmac.compare_digest(actual, claimed.lower().encode("ascii")):
        return "body does not match bodySHA256"
    return None


def _query_value(url: str, name: str) -> Optional[str]:
    query = url.partition("?")[2].partition("#")[0]
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key == name:
            return value
    return None


def _param_text(params: Any) -> str:
    """Each parameter name followed by its value, sorted by name then value."""
    if not params:
        return ""
    parts: List[str] = []
    append = parts.append
    for name, value in sorted(_by_name(params)):  # names are distinct: values are never compared here
        if type(value) is list and len(value) == 1:  # how request.form holds most parameters
            append(name)
            append(value[0])
        elif isinstance(value, str):
            append(name)
            append(value)
        else:
            # Distinct values, as twilio-python and Twilio's other libraries sign them.
            for one in sorted(set(value)):
                append(name)
                append(one)
    return "".join(parts)


def _by_name(params: Any) -> Iterable[Tuple[str, Any]]:
    """``(name, value or values)`` of each distinct parameter name."""
    if type(params) is dict:
        return params.items()
    lists = getattr(params, "lists", None)  # Werkzeug's MultiDict (e.g. request.form), Django's QueryDict
    if lists is not None:
        return lists()  # type: ignore[no-any-return]
    getlist = getattr(params, "getlist", None)  # other multi-valued mappings
    if getlist is not None:
        return [(name, getlist(name)) for name in params.keys()]
    if isinstance(params, Mapping):
        return params.items()
    grouped: Dict[str, List[str]] = {}
    for name, value in params:
        grouped.setdefault(name, []).append(value)
    return grouped.items()


def _keyed(auth_token: str, digest: str) -> Tuple[Any, Any]:
    states = _keyed_states.get((auth_token, digest))
    if states is None:
        new = getattr(hashlib, digest)
        block = new().block_size
        key = auth_token.encode("utf-8")
        if len(key) > block:
            key = new(key).digest()
        key = key.ljust(block, b"\0")
        states = (new(key.translate(_IPAD)), new(key.translate(_OPAD)))
        if len(_keyed_states) >= _KEYED_STATES_MAX:
            _keyed_states.clear()
        _keyed_states[(auth_token, digest)] = states
    return states


def _sign(keyed: Tuple[Any, Any], data: bytes) -> bytes:
    """Base64 of HMAC(key, data), from the precomputed inner and outer states (RFC 2104)."""
    inner = keyed[0].copy()
    inner.update(data)
    outer = keyed[1].copy()
    outer.update(inner.digest())
    return b2a_base64(outer.digest(), newline=False)


def _other_port_form(url: str) -> Optional[str]:
    """``url`` with its default port removed, or added when absent; ``None`` for other ports.

    Parsed by hand: ``urlsplit`` and ``geturl`` would normalise the rest of the URL, which
    must stay byte for byte as Twilio signed it.
    """
    scheme, sep, rest = url.partition("://")
    default = _DEFAULT_PORTS.get(scheme.lower()) if sep else None
    if default is None:
        return None
    end = len(rest)
    for stop in "/?#":
        at = rest.find(stop, 0, end)
        if at != -1:
            end = at
    authority = rest[:end]
    host, colon, port = authority.rpartition(":")
    if not colon or "]" in port or "@" in port:  # no port: "[::1]" or "user:pw@host"
        return f"{scheme}://{authority}:{default}{rest[end:]}" if authority else None
    if port.isascii() and port.isdigit() and int(port) == default:
        return f"{scheme}://{host}{rest[end:]}"
    return None


def algorithm_of(settings_header: Optional[str]) -> str:
    """The algorithm named in ``X-Twilio-Webhooks-Signature-Settings`` (``key=...,algorithm=...``)."""
    for part in (settings_header or "").split(","):
        name, sep, value = part.partition("=")
        if sep and name.strip().lower() == "algorithm" and value.strip():
            return value.strip()
    return "sha1"


def with_body_hash(url: str, body: Union[str, bytes]) -> str:
    """``url`` with the ``bodySHA256`` query parameter Twilio adds for JSON and other raw bodies."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}{BODY_HASH_PARAM}={hashlib.sha256(data).hexdigest()}"
