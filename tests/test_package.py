"""The package's public names: all importable, loaded on first use, unknown names refused."""
from __future__ import annotations

import subprocess
import sys

import pytest

import flask_twilio_rb


def test_every_public_name_is_importable():
    for name in flask_twilio_rb.__all__:
        assert getattr(flask_twilio_rb, name) is not None, name
    assert set(flask_twilio_rb.__all__) <= set(dir(flask_twilio_rb))


def test_unknown_name_raises_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'Cal'"):
        flask_twilio_rb.Cal  # noqa: B018


def test_importing_a_resource_does_not_import_flask():
    code = "import sys, flask_twilio_rb; flask_twilio_rb.Call; print('flask' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
