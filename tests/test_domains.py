"""One package per domain, each version a module: lazy exports, the registry's names, and import isolation."""
from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

import flask_twilio_rb
from flask_twilio_rb import registry
from flask_twilio_rb.catalog import MODULES
from flask_twilio_rb.registry import REGISTRY, classes, lookup

PACKAGES = sorted({module.split(".")[0] for module in MODULES})


def test_every_description_with_operations_has_a_module():
    assert len(PACKAGES) == 38 and len(MODULES) == 56
    assert {"verify", "lookups", "messaging", "content", "conversations", "studio", "sync", "taskrouter", "video",
            "voice", "numbers", "trusthub", "serverless", "api"} <= set(PACKAGES)
    assert MODULES["verify.v2"] == "twilio_verify_v2.json" and MODULES["api.v2010"] == "twilio_api_v2010.json"


@pytest.mark.parametrize("package", PACKAGES)
def test_each_domain_exports_its_classes_lazily(package):
    domain = importlib.import_module(f"flask_twilio_rb.{package}")
    assert domain.__all__ == sorted(domain.EXPORTS)
    assert set(domain.EXPORTS) <= set(dir(domain))
    for name, version in domain.EXPORTS.items():
        cls = getattr(domain, name)
        assert cls is getattr(importlib.import_module(f"flask_twilio_rb.{package}.{version}"), name)
        assert cls.__doc__ and cls.__module__ == f"flask_twilio_rb.{package}.{version}"
    with pytest.raises(AttributeError, match=f"module 'flask_twilio_rb.{package}' has no attribute 'Nothing'"):
        getattr(domain, "Nothing")


def test_a_domain_exports_the_newest_version_that_does_what_the_older_ones_did():
    from flask_twilio_rb import content, lookups, studio

    assert lookups.PhoneNumber is lookups.v2.PhoneNumber
    assert studio.Flow is studio.v2.Flow and studio.v1.Flow is not studio.v2.Flow
    # content v2's Content only lists; v1's creates, updates and deletes too: the domain keeps v1's.
    assert content.Content is content.v1.Content and hasattr(content.Content, "create")
    assert content.v2.Content.all and not hasattr(content.v2.Content, "create")


def test_the_2010_api_stays_importable_from_the_package_and_from_resources():
    from flask_twilio_rb.api import v2010
    from flask_twilio_rb.resources import Call as from_resources

    assert flask_twilio_rb.Call is v2010.Call is from_resources is flask_twilio_rb.api.Call
    with pytest.raises(AttributeError, match="module 'flask_twilio_rb.resources' has no attribute 'Nothing'"):
        importlib.import_module("flask_twilio_rb.resources").Nothing


def test_the_registry_keys_classes_by_description_and_keeps_the_2010_names_bare():
    from flask_twilio_rb import messaging, verify

    assert lookup("verify.v2.Service") is verify.Service
    assert lookup("messaging.v1.Service") is messaging.Service is not verify.Service
    assert lookup("Call") is lookup("api.v2010.Call") is flask_twilio_rb.Call
    assert REGISTRY["Call"] is flask_twilio_rb.Call and "api.v2010.Call" not in REGISTRY
    assert verify.Service.qualified_name == "verify.v2.Service" and flask_twilio_rb.Call.qualified_name == "Call"
    with pytest.raises(KeyError, match="no resource class is named 'verify.v2.Nothing'"):
        lookup("verify.v2.Nothing")
    with pytest.raises(KeyError, match="no resource class is named 'nowhere.v9.Thing'"):
        lookup("nowhere.v9.Thing")


def test_classes_lists_a_modules_classes_or_all_of_them():
    verify_classes = classes(["verify.v2"])
    assert {cls.qualified_name for cls in verify_classes} == {
        name for name in REGISTRY if name.startswith("verify.v2.")}
    assert {cls.__name__ for cls in classes(["api.v2010"])} == {n for n in REGISTRY if "." not in n}
    every = classes()
    assert len(every) == len(REGISTRY) and len({cls.qualified_name for cls in every}) == len(every)


def _loaded_after(statement: str) -> list:
    code = (f"{statement}\nimport sys, json\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith('flask_twilio_rb'))))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def test_importing_one_domain_loads_nothing_of_the_others():
    loaded = _loaded_after("from flask_twilio_rb.verify import Service")
    domains = {name.split(".")[1] for name in loaded if name.count(".") >= 1} & set(PACKAGES)
    assert domains == {"verify"}, loaded
    assert "flask_twilio_rb.verify.v2" in loaded and "flask_twilio_rb.api.v2010" not in loaded


def test_the_2010_api_loads_no_other_domain():
    loaded = _loaded_after("from flask_twilio_rb import Call")
    assert {name.split(".")[1] for name in loaded if name.count(".") >= 1} & set(PACKAGES) == {"api"}, loaded


def test_looking_a_class_up_imports_its_module():
    loaded = _loaded_after("from flask_twilio_rb.registry import lookup\nassert lookup('sync.v1.Document').__name__"
                           " == 'Document'")
    assert "flask_twilio_rb.sync.v1" in loaded and "flask_twilio_rb.verify.v2" not in loaded


def test_the_registry_module_imports_none_of_the_library():
    assert registry.__name__ == "flask_twilio_rb.registry"
    loaded = _loaded_after("import flask_twilio_rb.registry")
    assert loaded == ["flask_twilio_rb", "flask_twilio_rb.registry"]
