"""The package ships ``py.typed``: mypy must find no error in it, or users' type checks inherit ours;
and what users import from the top level reaches mypy with its real type, not ``Any``."""
from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import flask_twilio_rb

import mypy.api as mypy_api  # noqa: E402  (in the test extra, so this check never skips)

PACKAGE = Path(flask_twilio_rb.__file__).parent


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory) -> Path:
    # A fresh cache: the result cannot come from an earlier run, and nothing is written to the repository.
    # A cold run takes a few seconds (mypy's wheels are compiled); the tests of this module share it.
    return tmp_path_factory.mktemp("mypy_cache")


def test_mypy_finds_no_error_in_the_package(mypy_cache: Path) -> None:
    report, errors, status = mypy_api.run(
        [str(PACKAGE), "--ignore-missing-imports", "--cache-dir", str(mypy_cache)])
    assert status == 0, report + errors


PROBE = """\
from flask import Flask
from flask_twilio_rb import Call, TwiML, TwilioRB, client_for
from flask_twilio_rb.verify import Service

app = Flask(__name__)
twilio = TwilioRB(app)
reveal_type(Call.create)
reveal_type(TwiML.response)
reveal_type(twilio.init_app)
reveal_type(client_for(app))
reveal_type(client_for(app).settings.timeout)
reveal_type(Service.create)
"""


def test_top_level_names_have_their_real_types_for_mypy(tmp_path: Path, mypy_cache: Path) -> None:
    """Run where a user's project is (not this checkout): mypy finds the package through its (editable) install."""
    (tmp_path / "probe.py").write_text(PROBE)
    result = subprocess.run([sys.executable, "-m", "mypy", "probe.py", "--cache-dir", str(mypy_cache)],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    revealed = [line.split("Revealed type is ", 1)[1] for line in result.stdout.splitlines()
                if "Revealed type is" in line]
    assert len(revealed) == 6, result.stdout + result.stderr
    assert not [r for r in revealed if '"Any"' in r], revealed
    assert "flask_twilio_rb.api.v2010.Call" in revealed[0]
    assert "flask_twilio_rb.twiml.builder" in revealed[1]
    assert "flask.app.Flask" in revealed[2]
    assert revealed[3] == '"flask_twilio_rb.client.Client"' and revealed[4] in ('"float"', '"builtins.float"')
    assert "flask_twilio_rb.verify.v2.Service" in revealed[5]  # a domain's lazy export, typed too
    assert "error:" not in result.stdout, result.stdout


def test_every_lazy_name_is_imported_for_type_checkers() -> None:
    """The TYPE_CHECKING imports of ``__init__.py`` and its lazy ``_EXPORTS`` name the same things, from the same modules."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text())
    [block] = [node for node in tree.body if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING"]
    imported = {alias.name: node.module for node in block.body if isinstance(node, ast.ImportFrom)
                for alias in node.names}
    assert imported == flask_twilio_rb._EXPORTS


# -- the generated typing (tools/generate_stubs.py): snippets checked by mypy --strict, in one run ------

ROOT = PACKAGE.parent
#: Snippets that must type-check: every keyword, enum, scope keyword, result and field is known.
GOOD = {
    "good_calls": """\
from datetime import date, datetime, timezone
from typing import Iterator, List, Optional

from flask_twilio_rb import Account, Call, Message

call: Call = Call.create(to="+15005550006", from_="+15005550006", url="https://example.com/voice",
                         status_callback_event=["initiated", "answered"], status_callback_method="POST",
                         timeout=30, record=True)
found: Optional[Call] = Call.find(call.sid)
if found is not None:
    found.status = "canceled"                      # updatable: a setter, typed with the update's enum
    status: Optional[str] = found.status
calls: List[Call] = Call.all(status="completed", started_after=date(2026, 1, 1), page_size=20)
each: Iterator[Message] = Message.each(limit=10, sent_after=datetime.now(timezone.utc))
total: int = Call.count(to="+15005550006")
Call.update(call.sid, status="completed", connect=True)
account = Account.find("AC" + "0" * 32)
if account is not None:
    recordings = account.calls.all()               # an association: the child class, its scope filled in
    first: Call = recordings[0]
    for each_call in account.calls:                # ... and iterating it gives the child's instances
        print(each_call.status)
    call.recordings.create(recording_status_callback_event=["completed"])
""",
    "good_domains": """\
from typing import Optional

from flask_twilio_rb import AvailablePhoneNumber, Call, IncomingPhoneNumber
from flask_twilio_rb.api.v2010 import Balance, UsageRecord
from flask_twilio_rb.lookups import PhoneNumber
from flask_twilio_rb.verify import Service, Verification, VerificationCheck

service = Service.create(friendly_name="Login", code_length=6)
verification: Verification = service.verifications.create(to="+15005550006", channel="sms")
check = VerificationCheck.create(service=service, to="+15005550006", code="123456")
approved: bool = check.status == "approved"
number: Optional[PhoneNumber] = PhoneNumber.find("+14155552671", fields="line_type_intelligence")
balance: Optional[str] = Balance.balance           # a singleton's fields read on the class
daily = UsageRecord.daily.all(category="calls")
numbers = AvailablePhoneNumber.toll_free.all(country="GB", contains="7777")
bought: IncomingPhoneNumber = numbers[0].purchase(voice_url="https://example.com/voice")
cancelled: Call = Call.create(to="+15005550006", from_="+15005550006", twiml="<Response/>").cancel()
""",
}
#: Snippets that must fail, and the message mypy must give (a readable one, naming the fix).
BAD = {
    "bad_keyword": ('from flask_twilio_rb import Call\nCall.create(too="+1", from_="+2")\n',
                    'Unexpected keyword argument "too" for "create" of "Call"; did you mean "to"?'),
    "bad_enum": ('from flask_twilio_rb import Call\nCall.update("CA" + "0" * 32, status="cancelled")\n',
                 'Argument "status" to "update" of "Call" has incompatible type "Literal[\'cancelled\']"; '
                 'expected "Literal[\'canceled\', \'completed\'] | None"'),
    "bad_type": ('from flask_twilio_rb import Call\nCall.create(to=15005550006, from_="+2")\n',
                 'Argument "to" to "create" of "Call" has incompatible type "int"; expected "str"'),
    "bad_required": ('from flask_twilio_rb import Message\nMessage.create(body="Hi")\n',
                     'Missing named argument "to" for "create" of "Message"'),
    "bad_find": ('from flask_twilio_rb import Call\nprint(Call.find("CA" + "0" * 32).status)\n',
                 'Item "None" of "Call | None" has no attribute "status"'),
    "bad_field": ('from flask_twilio_rb import Call\nprint(Call.create(to="+1", from_="+2").stauts)\n',
                  '"Call" has no attribute "stauts"; maybe "status"?'),
    "bad_iteration": ('from flask_twilio_rb import Call\nfor call in Call:\n    pass\n',
                      '"type[Call]" has no attribute "__iter__" (not iterable)'),
    "bad_read_only": ('from flask_twilio_rb import Call\nCall.create(to="+1", from_="+2").sid = "CA1"\n',
                      'Property "sid" defined in "Call" is read-only'),
    "bad_domain_enum": ('from flask_twilio_rb.verify import Service\n'
                        'Service.create(friendly_name="x").verifications.create(to="+1", channel="sms", '
                        'risk_check="maybe")\n',
                        'Argument "risk_check" to "create" of "Verification" has incompatible type'),
}
#: README blocks that go on from another (as their tests run them), and what they need first.
README_CONTINUES = {"webhooks-signal": "webhooks-app", "webhooks-blueprint": "webhooks-app",
                    "webhooks-testing": "webhooks-app"}
README_PREAMBLE = {"request-sent-signal": "from flask import Flask\n\napp = Flask(__name__)\n"}


def _readme_modules() -> dict:
    from tests.readme_blocks import readme_blocks

    blocks = readme_blocks("python")
    modules = {}
    for name, code in blocks.items():
        before = blocks[README_CONTINUES[name]] + "\n" if name in README_CONTINUES else ""
        modules["readme_" + name.replace("-", "_")] = README_PREAMBLE.get(name, "") + before + code + "\n"
    return modules


@pytest.fixture(scope="module")
def strict_report(tmp_path_factory, mypy_cache: Path) -> dict:
    """One ``mypy --strict`` run over every snippet, every README Python example and the example app."""
    folder = tmp_path_factory.mktemp("snippets")
    sources = {**GOOD, **{name: code for name, (code, _) in BAD.items()}, **_readme_modules()}
    for name, code in sources.items():
        (folder / f"{name}.py").write_text(code)
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(mypy_cache),
                             str(folder), str(ROOT / "example_app")],
                            cwd=tmp_path_factory.mktemp("elsewhere"), capture_output=True, text=True, timeout=600)
    by_file: dict = {name: [] for name in [*sources, "example_app"]}
    for line in result.stdout.splitlines():
        path = line.split(":", 1)[0]
        key = "example_app" if "example_app" in Path(path).parts else Path(path).stem
        if key in by_file and ": error:" in line:
            by_file[key].append(line)
    assert "error:" in result.stdout or result.returncode == 0, result.stdout + result.stderr
    return by_file


@pytest.mark.parametrize("name", sorted(GOOD))
def test_snippets_using_the_typed_resources_pass_mypy_strict(strict_report: dict, name: str) -> None:
    assert strict_report[name] == []


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_mistake_is_a_mypy_error_that_says_what_is_wrong(strict_report: dict, name: str) -> None:
    [error] = strict_report[name]
    assert BAD[name][1] in error, error


def test_every_python_example_of_the_readme_passes_mypy_strict(strict_report: dict) -> None:
    names = sorted(_readme_modules())
    assert len(names) >= 25 and "readme_resources" in names and "readme_verify_login" in names
    assert {name: strict_report[name] for name in names if strict_report[name]} == {}


def test_the_example_app_passes_mypy_strict(strict_report: dict) -> None:
    assert strict_report["example_app"] == []


#: What pyright says of each mistake (it reads the same stubs).
PYRIGHT_SAYS = {
    'bad_keyword': 'No parameter named "too"',
    'bad_enum': 'Argument of type "Literal[\'cancelled\']" cannot be assigned to parameter "status"',
    'bad_type': 'Argument of type "Literal[15005550006]" cannot be assigned to parameter "to" of type "str"',
    'bad_required': 'Argument missing for parameter "to"',
    'bad_find': '"status" is not a known attribute of "None"',
    'bad_field': 'Cannot access attribute "stauts" for class "Call"',
    'bad_read_only': 'Cannot assign to attribute "sid" for class "Call"',
    'bad_iteration': '"type[Call]" is not iterable',
    'bad_domain_enum': 'Argument of type "Literal[\'maybe\']" cannot be assigned to parameter "risk_check"',
}


def _pyright() -> str:
    """pyright from the npm registry (``.ci/run`` installs it; ``PYRIGHT`` names another one)."""
    found = os.environ.get("PYRIGHT") or shutil.which("pyright")
    if not found:
        reason = ("pyright is not installed (npm install pyright, then put it on PATH or set PYRIGHT=...): "
                  "the stubs are checked with mypy alone")
        if os.environ.get("CI"):  # .ci/run installs it: in CI its absence is a failure, not a skip
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return found


def test_pyright_reads_the_stubs_as_mypy_does(tmp_path: Path) -> None:
    """One pyright run: the good snippets and two stubs pass, each mistake is the error pyright gives for it."""
    pyright = _pyright()
    assert set(PYRIGHT_SAYS) == set(BAD)
    for name, code in {**GOOD, **{name: code for name, (code, _) in BAD.items()}}.items():
        (tmp_path / f"{name}.py").write_text(code)
    stubs = [PACKAGE / "api" / "v2010.pyi", PACKAGE / "verify" / "v2.pyi", PACKAGE / "resources" / "kinds.pyi"]
    result = subprocess.run([pyright, "--outputjson", "--pythonpath", sys.executable, str(tmp_path), *map(str, stubs)],
                            cwd=tmp_path, capture_output=True, text=True, timeout=600)
    report = json.loads(result.stdout)
    errors: dict = {}
    for diagnostic in report["generalDiagnostics"]:
        if diagnostic["severity"] == "error":
            errors.setdefault(Path(diagnostic["file"]).stem, []).append(diagnostic["message"])
    assert {name: errors[name] for name in [*GOOD, "v2010", "v2", "kinds"] if name in errors} == {}  # the stubs too
    for name, expected in PYRIGHT_SAYS.items():
        assert any(expected in message for message in errors.get(name, [])), (name, errors.get(name))


def test_the_readme_typing_example_runs() -> None:
    """The typed example of "Types and your editor" runs as shown (TWILIO_SUPPRESS_SEND: answered in process)."""
    from flask import Flask

    from flask_twilio_rb import TwilioRB, client_for
    from tests.readme_blocks import readme_blocks

    app = Flask("readme_typing")
    app.config.update(TWILIO_SUPPRESS_SEND=True)
    TwilioRB(app)
    namespace: dict = {"__name__": "readme_typing"}
    with app.app_context(), client_for(app).record() as outbox:
        exec(compile(readme_blocks("python")["typing"], "README.rst (typing)", "exec"), namespace)
    assert namespace["call"].sid.startswith("CA") and namespace["verification"].qualified_name == "verify.v2.Verification"
    sent = [(r.resource, r.action) for r in outbox]
    assert sent == [("Call", "create"), ("Call", "fetch"), ("Call", "update"), ("verify.v2.Service", "create"),
                    ("verify.v2.Verification", "create")]
    assert outbox[0].params["StatusCallbackEvent"] == ["initiated", "completed"] and outbox[0].params["Timeout"] == "30"
    assert outbox[2].params == {"Status": "canceled"}
