"""TWILIO_SUPPRESS_SEND for every domain: the library's classes against the in-process emulator.

For each description's module, the first top-level class that can be created, found and listed
does all three through the library (its required fields from the contract); a module whose
top-level classes only list lists. Nothing leaves the process: the emulator answers each domain
under its product, where the URL scheme puts it (``BASE/verify/v2/...``).
"""
from __future__ import annotations

from typing import Any, List, Tuple

import pytest
from flask import Flask

from flask_twilio_rb import TwilioRB
from flask_twilio_rb.catalog import MODULES
from flask_twilio_rb.registry import classes
from flask_twilio_rb.resources.mixins import Creatable, Fetchable, Listable
from flask_twilio_rb.resources.params import python_name

from tests.spec_contract import contract, example_value


def _round_trips() -> List[Tuple[str, Any, bool]]:
    cases = []
    for module in MODULES:
        tops = sorted((c for c in classes([module]) if not c._placeholders), key=lambda c: c.__name__)
        full = [c for c in tops if issubclass(c, Creatable) and issubclass(c, Fetchable) and issubclass(c, Listable)
                and c._id_field == "sid" and not c._instance_ops]
        lists = [c for c in tops if issubclass(c, Listable) and not c._instance_ops]
        if full:
            cases.append((module, full[0], True))
        elif lists:
            cases.append((module, lists[0], False))
    return cases


CASES = _round_trips()


#: Values the emulator checks as Twilio does (a template needs one of its types, with that type's members).
CHECKED = {"types": {"twilio/text": {"body": "Hello"}}}


def _required(operation: Any, cls: Any, where: str) -> dict:
    """Values of the operation's required body fields or query parameters, by the keyword that sends each."""
    fields = operation.form_fields if where == "body" else operation.query_params
    required = operation.required_form if where == "body" else operation.required_query
    values = {python_name(name): {} if name in cls._objects else example_value(name, fields[name])
              for name in sorted(required) if name in fields}
    return {name: CHECKED.get(name, value) for name, value in values.items()}


@pytest.fixture(scope="module")
def app() -> Flask:
    app = Flask(__name__)
    app.config.update(TWILIO_SUPPRESS_SEND=True)
    TwilioRB(app)
    return app


def test_most_domains_have_a_top_level_collection_here():
    assert len(CASES) >= 40 and {"verify.v2", "messaging.v1", "content.v1", "sync.v1", "api.v2010"} <= {
        module for module, _, _ in CASES}


@pytest.mark.parametrize("module, cls, creates", CASES, ids=[m for m, _, _ in CASES])
def test_a_domain_answers_its_classes_in_process(app, module, cls, creates):
    listing = contract().operations[str(cls._wire_operations["list"].operation_id)]
    filters = _required(listing, cls, "query")
    with app.app_context():
        if creates:
            operation = contract().operations[str(cls._wire_operations["create"].operation_id)]
            made = cls.create(**_required(operation, cls, "body"))
            listed = list(cls.each(**filters))
            assert listed, f"{cls.qualified_name}: created, then not listed"
            if made.id is not None and all(record.id for record in listed):  # (monitor v2's records: no sid)
                assert cls.find(made.id) == made
                assert made.id in [record.id for record in listed]
        assert isinstance(cls.all(**filters), list)
    sent = app.extensions["twilio_rb"].client.emulator  # the app's own emulator answered, nothing was sent
    assert sent is not None


def test_pages_are_followed_in_process_for_both_kinds_of_next_page(app):
    """A next page that carries its own query (``meta.next_page_url``, ``next_page_uri``) is read in process too."""
    from flask_twilio_rb import Message
    from flask_twilio_rb.messaging import Service

    with app.app_context():
        for i in range(5):
            Service.create(friendly_name=f"paged {i}")
            Message.create(to="+15005550006", from_="+15005550006", body=f"paged {i}")
        outbox = app.extensions["twilio_rb"].client
        with outbox.record() as sent:
            services = [s.friendly_name for s in Service.each(page_size=2) if s.friendly_name.startswith("paged")]
            messages = [m.body for m in Message.each(page_size=2) if m.body.startswith("paged")]
    assert sorted(services) == [f"paged {i}" for i in range(5)]
    assert sorted(messages) == [f"paged {i}" for i in range(5)]
    followed = [r for r in sent if "Page=" in r.path]  # the pages after the first, each asked by its own query
    assert {r.operation for r in followed} == {"messaging.v1.ListService", "ListMessage"}
    assert all("PageSize=2" in r.path and not r.params for r in followed)
