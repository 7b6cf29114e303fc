"""Driving any description's collections over raw HTTP, from the emulator's own tables.

The tables are the descriptions' facts (``test_table.py`` holds them in step with the
descriptions when they are present), so these requests are what a spec-valid client sends:
the required parameters with values of their kinds, JSON for the operations that take JSON,
parents made first (created where the description can create them, seeded otherwise).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import quote

import requests

from flask_twilio_rb.emulator.domains import Domain, described
from flask_twilio_rb.emulator.routing import Operation, fill, router_for
from flask_twilio_rb.emulator.tables import DESCRIPTIONS

#: Every description the emulator serves beyond 2010-04-01.
KEYS = sorted(DESCRIPTIONS)
_PLACEHOLDER = re.compile(r"{(\w+)}")


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


#: Values of parameters whose kind alone does not make one Twilio accepts: (description, name) -> value.
EXAMPLES: Dict[Tuple[str, str], Any] = {("content.v1", "types"): {"twilio/text": {"body": "Hello {{1}}"}}}


def example(kind: str, domain: Domain, serial: int = 0, json_body: bool = False, name: str = "") -> Any:
    """A value of the table's ``kind`` Twilio accepts (a form's text, or JSON's own types)."""
    if (domain.key, name) in EXAMPLES:
        return EXAMPLES[(domain.key, name)]
    kind = kind.rstrip("!")
    if kind.startswith("list:"):
        return [example(kind[5:], domain, serial, json_body)] if json_body else example(kind[5:], domain, serial)
    if kind.startswith("enum:"):
        return domain.table.ENUMS[kind[5:]][0]
    if kind.startswith("sid:"):
        return kind[4:] + f"{serial:032x}"
    typed = {"int": 1, "num": 1.5, "bool": True, "obj": {}, "any": {}}
    if json_body and kind in typed:
        return typed[kind]
    texts = {"int": "1", "num": "1.5", "bool": "true", "date": "2026-11-27", "datetime": "2026-11-27T08:00:00Z",
             "uri": "https://example.com/hook", "phone": "+15558675310", "endpoint": "+15558675310",
             "method": "POST", "json": '{"n": 1}'}
    return texts.get(kind, f"value-{serial}")


@dataclass
class Drive:
    """Raw HTTP against a running emulator for one description."""

    emu: Any
    session: requests.Session
    domain: Domain

    @property
    def operations(self) -> List[Operation]:
        return [op for op in router_for(self.domain.product).operations.values() if op.domain == self.domain]

    def url(self, template: str, values: Dict[str, str]) -> str:
        encoded = {name: quote(value, safe="") for name, value in values.items()}
        return f"{self.emu.base_url}{self.domain.prefix}{fill(template, encoded)}"

    def verbs(self, collection: str) -> Dict[str, Operation]:
        """The collection's operations by verb (a create counts when it is made on the list path)."""
        found: Dict[str, Operation] = {}
        for op in self.operations:
            bare = op.path[:-len(".json")] if op.path.endswith(".json") else op.path
            if op.collection == collection and (op.verb != "Create" or bare == collection):
                found.setdefault(op.verb, op)
        return found

    def chosen(self) -> str:
        """The collection a round trip uses: create, fetch and list if any has them, the fewest parents first."""
        collections = sorted({op.collection for op in self.operations})

        def rank(collection: str) -> Tuple[int, int, int, str]:
            verbs = set(self.verbs(collection))
            return (-len(verbs & {"Create", "Fetch", "List"}), -len(verbs), len(_PLACEHOLDER.findall(collection)),
                    collection)

        return min(collections, key=rank)

    # -- making records ------------------------------------------------------------------------
    def body(self, operation: Operation, serial: int, record: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        """The operation's required parameters; a list's filters take the values of ``record`` (it must be kept)."""
        json_body = operation.takes_json
        values = {}
        for name, kind in operation.params.items():
            if not kind.endswith("!") or "#" in name:
                continue
            if name == "AccountSid":
                values[name] = self.emu.account_sid
            elif record is not None and record.get(snake(name)) is not None:
                values[name] = record[snake(name)]
            else:
                values[name] = example(kind, self.domain, serial, json_body, name)
        return values

    def stored(self, collection: str, values: Dict[str, str]) -> List[Dict[str, Any]]:
        """The raw records of the collection under ``values``, oldest first (ids a representation may not show)."""
        path = fill(self.domain.store_template(collection), {**values, "AccountSid": self.emu.account_sid})
        return list(reversed(self.emu._backend.store.newest_first(path)))

    def send(self, method: str, url: str, operation: Optional[Operation], serial: int = 0,
             extra: Optional[Dict[str, Any]] = None) -> requests.Response:
        body = {**(self.body(operation, serial) if operation else {}), **(extra or {})}
        if operation is not None and operation.takes_json:
            return self.session.request(method, url, json=body, timeout=10)
        return self.session.request(method, url, data=body, timeout=10)

    def parents(self, collection: str) -> Dict[str, str]:
        """Path values for ``collection``: parent records made (created or seeded), other segments named."""
        values: Dict[str, str] = {}
        for name in _PLACEHOLDER.findall(collection):
            parent = collection.split("/{%s}" % name)[0]
            if name.endswith("Sid") and parent in self.domain.table.COLLECTIONS:
                values[name] = self.make(parent, values)
            else:
                values[name] = f"{snake(name)}-1" if "Number" not in name else "+15558675310"
        return values

    def make(self, collection: str, values: Dict[str, str], serial: int = 0) -> str:
        """A record of ``collection`` under ``values``: created where the description can, else seeded; its id."""
        verbs = self.verbs(collection)
        id_field = self.domain.collection(collection)[0]
        values = {**values, **{k: v for k, v in self.parents(collection).items() if k not in values}}
        create = verbs.get("Create")
        if create is not None:
            answer = self.send(create.method, self.url(create.path, values), create, serial)
            assert answer.status_code == create.status, (create.qualified_id, answer.status_code, answer.text)
        else:
            anyone = next(iter(verbs.values()))
            self.emu.seed(anyone.qualified_id, **{snake(k): v for k, v in values.items()})
        return str(self.stored(collection, values)[-1][id_field])


def drive(emu: Any, session: requests.Session, key: str) -> Drive:
    return Drive(emu, session, described(key))
