"""Sign requests the way Twilio does, to test webhooks with validation left on.

.. code-block:: python

    from flask_twilio_rb.testing import post_as_twilio

    def test_voice_answers(client):
        response = post_as_twilio(client, "/voice", data={"From": "+15550001111"})
        assert response.status_code == 200
"""
from __future__ import annotations

from typing import Any, Dict, Iterable, Mapping, Optional, Tuple, Union

from flask.testing import EnvironBuilder, FlaskClient
from werkzeug.datastructures import Headers
from werkzeug.test import TestResponse

from ..client import get_client
from ..errors import ConfigurationError
from ..signature import (
    DIGESTS,
    SIGNATURE_HEADER,
    SIGNATURE_SETTINGS_HEADER,
    Params,
    compute_signature,
    with_body_hash,
)
from ..state import get_state
from ..webhooks import signed_params, webhook_url

__all__ = ["post_as_twilio", "sign_request", "signed_headers", "with_body_hash"]

HeadersLike = Union[Headers, Mapping[str, str], Iterable[Tuple[str, str]], None]


def sign_request(url: str, params: Params = None, auth_token: Optional[str] = None, *,
                 algorithm: str = "sha1") -> str:
    """The ``X-Twilio-Signature`` Twilio would send for ``url`` and ``params``.

    :param url: the full URL, as the app validates it (``http://localhost/...`` for Flask's
        test client, or under ``TWILIO_WEBHOOK_BASE_URL`` when that is set).
    :param params: the form parameters; a raw ``str``/``bytes`` body is covered by the URL's
        ``bodySHA256`` instead (see :func:`with_body_hash`).
    :param auth_token: default: the current app's ``TWILIO_AUTH_TOKEN`` (else Config/environment).
    :param algorithm: ``"sha1"`` or ``"sha256"``.
    """
    return compute_signature(url, params, auth_token or _default_auth_token(), algorithm)


def signed_headers(url: str, params: Params = None, auth_token: Optional[str] = None, *,
                   algorithm: str = "sha1") -> Dict[str, str]:
    """The signature headers for a test client call: ``client.post(path, data=params, headers=...)``.

    Takes the arguments of :func:`sign_request`. With ``algorithm="sha256"`` the headers also
    carry ``X-Twilio-Webhooks-Signature-Settings: algorithm=HMAC_SHA256``.
    """
    headers = {SIGNATURE_HEADER: sign_request(url, params, auth_token, algorithm=algorithm)}
    if DIGESTS[algorithm.lower()] == "sha256":
        headers[SIGNATURE_SETTINGS_HEADER] = "algorithm=HMAC_SHA256"
    return headers


def post_as_twilio(
    client: FlaskClient,
    path: str,
    data: Any = None,
    *,
    json: Any = None,
    method: str = "POST",
    url: Optional[str] = None,
    auth_token: Optional[str] = None,
    algorithm: str = "sha1",
    headers: HeadersLike = None,
    **kwargs: Any,
) -> TestResponse:
    """Call ``path`` with ``client`` as Twilio would: form ``data`` (or ``json``), signed.

    The signed URL is the one the app will check: under ``TWILIO_WEBHOOK_BASE_URL`` when that
    is set, else the test client's. A ``json`` body is sent with ``bodySHA256`` added to the
    query string. Other keyword arguments go to :meth:`FlaskClient.open`.

    :param method: ``"GET"`` for webhooks configured as GET (parameters in the query string).
    :param url: sign this URL instead, e.g. the public URL when a test sends ``X-Forwarded-*``
        headers through ``ProxyFix`` (with ``json``, ``bodySHA256`` is added to it too).
    :param auth_token: sign with this token (default: the app's), e.g. a wrong one in a test
        that expects ``403``. With ``algorithm="sha256"`` the default is the app's
        ``TWILIO_WEBHOOK_SIGNING_KEY`` when set, as a Webhook Rule signs.
    """
    app = client.application
    settings = get_state(app).settings
    rule_key = settings.webhook_signing_key if DIGESTS.get(algorithm.lower()) == "sha256" else None
    token = auth_token or rule_key or settings.auth_token
    if not token:
        raise ConfigurationError(
            "post_as_twilio() signs with TWILIO_AUTH_TOKEN: set it on the app or pass auth_token=."
        )
    if json is not None:
        if data is not None:
            raise TypeError("post_as_twilio() takes data= or json=, not both.")
        data = app.json.dumps(json).encode("utf-8")
        path = with_body_hash(path, data)
        url = url and with_body_hash(url, data)
        kwargs.setdefault("content_type", "application/json")
    all_headers = Headers(headers)
    # The same request the client will send, built once more to read its URL and body as the app will.
    builder = EnvironBuilder(app, path=path, method=method, data=data, headers=all_headers, **kwargs)
    try:
        request = app.request_class(builder.get_environ())
        signed_url = url or webhook_url(request, get_state(app).settings.webhook_base_url)
        params = signed_params(request)
    finally:
        builder.close()
    all_headers.update(signed_headers(signed_url, params, token, algorithm=algorithm))
    return client.open(path, method=method, data=data, headers=all_headers, **kwargs)


def _default_auth_token() -> str:
    token = get_client().settings.auth_token
    if not token:
        raise ConfigurationError(
            "No auth token to sign with: pass auth_token=, or set TWILIO_AUTH_TOKEN on the app "
            "(inside its app context), with Config.setup() or in the environment."
        )
    return token
