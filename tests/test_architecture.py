"""The package's shape: no import cycle, and the emulator a leaf that never reaches into the library.

The imports are read from the source (:mod:`tests.architecture`), at module level and inside
functions, so an import hidden in a function to break a cycle at run time still counts.
"""
from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Dict

import pytest

from tests.architecture import find_cycle, forbidden_imports, import_graph

PACKAGE = Path(__file__).resolve().parents[1] / "flask_twilio_rb"
EMULATOR = "flask_twilio_rb.emulator"
#: What the emulator may import of the library: pure helpers that import nothing Flask-bound.
EMULATOR_MAY_USE = ("flask_twilio_rb.wire", "flask_twilio_rb.signature", "flask_twilio_rb.serving",
                    "flask_twilio_rb.errors")
#: What the emulator must never import, by name.
LIBRARY_LAYERS = ("resources", "client", "extension", "views", "cli")


@pytest.fixture(scope="module")
def graph():
    return import_graph(PACKAGE)


def test_the_package_has_no_import_cycle(graph):
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or ())


def test_the_emulator_imports_only_itself_and_pure_helpers(graph):
    assert forbidden_imports(graph, EMULATOR, EMULATOR_MAY_USE) == []
    reached = {target for module, targets in graph.items() if module.startswith(EMULATOR) for target in targets}
    for layer in LIBRARY_LAYERS:
        assert not any(t == f"flask_twilio_rb.{layer}" or t.startswith(f"flask_twilio_rb.{layer}.") for t in reached)


def test_the_pure_helpers_the_emulator_uses_import_nothing_flask_bound(graph):
    for helper in EMULATOR_MAY_USE:
        assert graph[helper] <= {"flask_twilio_rb", "flask_twilio_rb.errors"}, helper


def test_the_graph_is_read_from_the_real_package(graph):
    # A check that found nothing because it read nothing would pass for the wrong reason.
    assert len(graph) > 60
    assert "flask_twilio_rb.transport.factory" in graph["flask_twilio_rb.client"]
    assert "flask_twilio_rb.local" in graph["flask_twilio_rb.transport.factory"]  # an import inside a function
    assert "flask_twilio_rb.emulator" in graph["flask_twilio_rb.local"]


# -- the checker itself ------------------------------------------------------------------------

def package(tmp_path: Path, files: Dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def test_a_deliberate_cycle_through_a_function_import_is_found(tmp_path):
    root = package(tmp_path, {
        "__init__.py": "",
        "a.py": "from .b import thing\n",
        "b.py": "def thing():\n    from . import a  # hidden in a function: still a cycle\n",
    })
    assert find_cycle(import_graph(root)) == ["pkg.a", "pkg.b", "pkg.a"]


def test_a_cycle_through_a_package_init_is_found(tmp_path):
    root = package(tmp_path, {
        "__init__.py": "",
        "core.py": "from .sub.leaf import x\n",  # importing pkg.sub.leaf runs pkg/sub/__init__.py first
        "sub/__init__.py": "from ..core import y\n",
        "sub/leaf.py": "x = 1\n",
    })
    assert find_cycle(import_graph(root)) == ["pkg.core", "pkg.sub", "pkg.core"]


def test_type_checking_imports_and_own_packages_are_not_cycles(tmp_path):
    root = package(tmp_path, {
        "__init__.py": "from importlib import import_module\n",
        "a.py": "from typing import TYPE_CHECKING\nfrom . import b\nif TYPE_CHECKING:\n    from .c import C\n",
        "b.py": "import os\n",
        "c.py": "from .a import b\n",
        "sub/__init__.py": "from .leaf import x\n",
        "sub/leaf.py": "from . import other\nx = 1\n",  # its own package is already being imported
        "sub/other.py": "",
    })
    graph = import_graph(root)
    assert find_cycle(graph) is None
    assert graph["pkg.a"] == {"pkg.b"} and graph["pkg.c"] == {"pkg.a"}  # b is a name in a, not a module
    assert graph["pkg.sub.leaf"] == {"pkg.sub.other"}


def test_an_import_from_the_leaf_into_the_library_is_reported(tmp_path):
    root = package(tmp_path, {
        "__init__.py": "",
        "client.py": "",
        "wire.py": "",
        "emulator/__init__.py": "from . import server\n",
        "emulator/server.py": "from .. import wire\n\ndef records():\n    from ..client import x\n",
    })
    assert forbidden_imports(import_graph(root), "pkg.emulator", ["pkg.wire"]) == [("pkg.emulator.server", "pkg.client")]
