"""Properties of webhook signatures, checked against twilio-python's ``RequestValidator``."""
from __future__ import annotations

import hashlib
import hmac
from base64 import b64encode
from typing import Any, Dict, List, Tuple
from urllib.parse import urlparse

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator
from werkzeug.datastructures import MultiDict

from flask_twilio_rb import compute_signature, is_valid_signature

TOKEN = "f3c1a9d27b6e4058a1c2d3e4f5a6b7c8"
VALIDATOR = RequestValidator(TOKEN)
DEFAULT_PORTS = {"http": 80, "https": 443}

# Modest counts keep the file at a few seconds; failures are still shrunk and replayed.
modest = settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# URL text: any printable character but the URL delimiters; surrogates cannot be UTF-8 encoded
# (by us or by twilio-python), control characters are dropped by urlparse.
text = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/?#&=")
segment = st.text(text, max_size=8)
label = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789"), min_size=1, max_size=10)


@st.composite
def urls(draw: Any) -> str:
    scheme = draw(st.sampled_from(["http", "https"]))
    host = ".".join(draw(st.lists(label, min_size=1, max_size=3))) + draw(st.sampled_from([".com", ".io", ""]))
    port = draw(st.one_of(st.none(), st.integers(1, 65535), st.sampled_from([80, 443])))
    path = "/" + "/".join(draw(st.lists(segment, max_size=4)))
    pairs = draw(st.lists(st.tuples(segment, segment), max_size=3))
    query = "&".join(f"{key}={value}" for key, value in pairs)
    url = f"{scheme}://{host}{'' if port is None else f':{port}'}{path}{'?' + query if query else ''}"
    assume(urlparse(url).geturl() == url)  # twilio-python re-serialises the URL it checks
    return url


names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)
values = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
param_sets = st.dictionaries(names, st.lists(values, min_size=1, max_size=3), max_size=6)


def multidict(params: Dict[str, List[str]]) -> MultiDict:
    return MultiDict([(name, value) for name, many in params.items() for value in many])


def pairs(params: Dict[str, List[str]]) -> List[Tuple[str, str]]:
    return [(name, value) for name, many in params.items() for value in many]


@modest
@given(urls(), param_sets)
def test_twilio_python_signatures_are_accepted(url: str, params: Dict[str, List[str]]) -> None:
    signature = VALIDATOR.compute_signature(url, multidict(params))
    assert is_valid_signature(url, params, signature, TOKEN)
    assert is_valid_signature(url, multidict(params), signature, TOKEN)
    assert is_valid_signature(url, pairs(params), signature, TOKEN)


@modest
@given(urls(), param_sets)
def test_our_signatures_are_accepted_by_twilio_python(url: str, params: Dict[str, List[str]]) -> None:
    signature = compute_signature(url, params, TOKEN)
    assert signature == VALIDATOR.compute_signature(url, multidict(params))
    assert VALIDATOR.validate(url, multidict(params), signature)


@modest
@given(urls(), param_sets)
def test_sha256_signatures_agree_with_twilio_python(url: str, params: Dict[str, List[str]]) -> None:
    signature = VALIDATOR.compute_signature(url, multidict(params), "HMAC_SHA256")
    assert compute_signature(url, params, TOKEN, "sha256") == signature
    assert is_valid_signature(url, params, signature, TOKEN, algorithm="HMAC_SHA256")
    assert VALIDATOR.validate(url, multidict(params), signature, "HMAC_SHA256")


@modest
@given(urls(), param_sets)
def test_default_port_may_be_added_or_removed(url: str, params: Dict[str, List[str]]) -> None:
    parsed = urlparse(url)
    default = DEFAULT_PORTS[parsed.scheme]
    assume(parsed.port in (None, default))
    host = parsed.netloc.split(":")[0]
    with_port = parsed._replace(netloc=f"{host}:{default}").geturl()
    without_port = parsed._replace(netloc=host).geturl()
    signature = compute_signature(with_port, params, TOKEN)
    assert is_valid_signature(without_port, params, signature, TOKEN)
    assert is_valid_signature(with_port, params, compute_signature(without_port, params, TOKEN), TOKEN)


# Every change below alters the length of the signed text, so no shuffling of characters
# between names and values (which Twilio's scheme cannot tell apart) can make it match.


@modest
@given(urls(), param_sets, st.sampled_from(["append", "host", "scheme"]))
def test_changed_url_is_rejected(url: str, params: Dict[str, List[str]], change: str) -> None:
    signature = compute_signature(url, params, TOKEN)
    if change == "append":
        changed = url + "x"
    elif change == "host":
        scheme, _, rest = url.partition("://")
        changed = f"{scheme}://z{rest}"
    else:
        changed = url.replace("https://", "http://", 1) if url.startswith("https") else "https" + url[4:]
    assert not is_valid_signature(changed, params, signature, TOKEN)


@modest
@given(urls(), param_sets.filter(bool), st.data())
def test_changed_parameter_is_rejected(url: str, params: Dict[str, List[str]], data: Any) -> None:
    signature = compute_signature(url, params, TOKEN)
    name = data.draw(st.sampled_from(sorted(params)))
    change = data.draw(st.sampled_from(["value", "add", "remove"]))
    changed = dict(params)
    if change == "value":
        changed[name] = [value + "x" for value in params[name]]
    elif change == "add":
        changed[name + "\N{SNOWMAN}"] = ["1"]
        assume(name + "\N{SNOWMAN}" not in params)
    else:
        del changed[name]
    assert not is_valid_signature(url, changed, signature, TOKEN)


@modest
@given(urls(), param_sets, st.data())
def test_changed_signature_is_rejected(url: str, params: Dict[str, List[str]], data: Any) -> None:
    signature = compute_signature(url, params, TOKEN)
    at = data.draw(st.integers(0, len(signature) - 2))  # the last character is padding
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    replacement = data.draw(st.sampled_from(alphabet).filter(lambda c: c != signature[at]))
    changed = signature[:at] + replacement + signature[at + 1:]
    assert not is_valid_signature(url, params, changed, TOKEN)
    assert not is_valid_signature(url, params, signature[:-1], TOKEN)


@modest
@given(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=200), names,
       st.sampled_from(["sha1", "sha256"]))
def test_hmac_from_precomputed_states_equals_hmac(token: str, url: str, algorithm: str) -> None:
    expected = b64encode(hmac.new(token.encode(), url.encode(), getattr(hashlib, algorithm)).digest()).decode()
    assert compute_signature(url, None, token, algorithm) == expected


anything = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=40), st.binary(max_size=40),
    st.lists(st.one_of(st.text(max_size=5), st.integers(), st.tuples(st.text(max_size=3))), max_size=4),
    st.dictionaries(st.one_of(st.text(max_size=5), st.integers()),
                    st.one_of(st.text(max_size=5), st.lists(st.one_of(st.text(max_size=3), st.none())),
                              st.integers(), st.none()), max_size=4),
)


@modest
@given(anything, anything, anything, anything, anything)
def test_is_valid_signature_never_raises(url: Any, params: Any, signature: Any, token: Any, algorithm: Any) -> None:
    assert is_valid_signature(url, params, signature, token, algorithm=algorithm) in (True, False)


bodies = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)


@modest
@given(urls(), bodies, bodies)
def test_raw_body_must_match_its_hash(url: str, body: str, other: str) -> None:
    signed_url = f"{url}{'&' if '?' in url else '?'}bodySHA256={hashlib.sha256(body.encode()).hexdigest()}"
    signature = compute_signature(signed_url, body, TOKEN)
    assert is_valid_signature(signed_url, body, signature, TOKEN)
    assert is_valid_signature(signed_url, body.encode(), signature, TOKEN)
    assert VALIDATOR.validate(signed_url, body, signature)
    assert is_valid_signature(signed_url, other, signature, TOKEN) == (other == body)
