"""README.rst's "Developing without a Twilio account" and "Testing your app" sections: examples run as shown."""
from __future__ import annotations

from typing import Any, Dict

import pytest
from tests.readme_blocks import readme_blocks

pytest_plugins = ["pytester"]


def test_the_fixture_examples_pass_in_a_project_of_their_own(pytester: pytest.Pytester):
    blocks = readme_blocks()
    pytester.makeconftest(blocks["testing-conftest"])
    pytester.makepyfile(test_orders=blocks["testing-tests"])
    pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_the_phone_menu_example_passes_in_a_project_of_its_own(pytester: pytest.Pytester):
    blocks = readme_blocks()
    pytester.mkdir("templates").joinpath("menu.voice").write_text(blocks["phone-menu-template"] + "\n")
    pytester.makeconftest(blocks["phone-conftest"])
    pytester.makepyfile(test_menu=blocks["phone-tests"])
    pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider").assert_outcomes(passed=3)


def test_the_two_factor_login_example_passes_in_a_project_of_its_own(pytester: pytest.Pytester):
    blocks = readme_blocks()
    pytester.makeconftest(blocks["verify-conftest"])
    pytester.makepyfile(test_login=blocks["verify-tests"])
    pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider").assert_outcomes(passed=2)


@pytest.mark.parametrize("name", ["testing-outbox", "testing-end-to-end"])
def test_the_context_manager_examples_run(name):
    namespace: Dict[str, Any] = {"__name__": f"readme_{name.replace('-', '_')}"}
    exec(readme_blocks()[name], namespace)
    assert namespace["app"].extensions["twilio_rb"]


@pytest.mark.parametrize("name", ["emulator-app", "emulator-script", "emulator-domains", "emulator-products"])
def test_the_emulator_examples_run(name):
    exec(readme_blocks()[name], {"__name__": f"readme_{name.replace('-', '_')}"})
