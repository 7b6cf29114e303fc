"""Fixtures of the transport tests: a TLS certificate for 127.0.0.1, made when the tests run."""
from __future__ import annotations

import shutil
import ssl
import subprocess
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: Any) -> Path:
    """A folder with ``cert.pem`` and ``key.pem``: a self-signed certificate for IP 127.0.0.1 (its own CA).

    Made with the ``openssl`` command for this run (Debian and every CI image have it); never committed.
    """
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a test certificate (apt-get install openssl)")
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(folder / "key.pem"),
                    "-out", str(folder / "cert.pem")], check=True, capture_output=True, timeout=60)
    return folder


@pytest.fixture(scope="session")
def tls_context(certificate: Path) -> ssl.SSLContext:
    """A server-side TLS context with the test certificate."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate / "cert.pem", certificate / "key.pem")
    return context
