"""Every description beyond 2010-04-01, over raw HTTP: a create/fetch/list round trip on one of its collections.

For each of the descriptions with operations the test picks the collection that has the most
of create, fetch and list (the fewest parents first), makes three records (created as a client
would, or seeded when only Twilio makes them), fetches one, lists them across two pages
following ``meta.next_page_url``, updates and deletes one where the description can, and
fetches one that does not exist. Every answer must carry exactly the fields of the operation's
response schema; what the emulator stores is read back through ``records()``.
"""
from __future__ import annotations

from typing import Any, Dict, List

import pytest
import requests

from flask_twilio_rb.emulator.domains import API, described
from flask_twilio_rb.emulator.routing import router_for
from flask_twilio_rb.emulator.tables import PRODUCTS

from tests.emulator.domain_driver import KEYS, drive

PAGE = 2


@pytest.fixture
def session(emulator) -> Any:
    with requests.Session() as http:
        http.auth = (emulator.account_sid, emulator.auth_token)
        yield http


def test_every_description_with_operations_is_served():
    # 55 descriptions: twilio_api_v2010 is the 2010 table, two have no operation, 50 give one table
    # each, and the two without a version are split as Twilio's SDKs split them (preview in three,
    # preview-iam in two): 55 tables beside the 2010 one.
    assert len(KEYS) == 55
    served = sum(len(router_for(product).operations) for product in {""} | set(PRODUCTS))
    assert served == sum(len(by_method) for key in [""] + KEYS
                         for by_method in (described(key) if key else API).table.ROUTES.values())


@pytest.mark.parametrize("key", KEYS)
def test_a_round_trip_on_each_description(emulator, session, key):
    d = drive(emulator, session, key)
    collection = d.chosen()
    verbs = d.verbs(collection)
    values = d.parents(collection)
    id_field = d.domain.collection(collection)[0]
    create = verbs.get("Create")
    for serial in range(PAGE + 1):
        if create is None:
            d.make(collection, values, serial)
            continue
        answer = d.send(create.method, d.url(create.path, values), create, serial)
        assert answer.status_code == create.status, answer.text
        assert sorted(answer.json()) == sorted(create.fields)
    made = [str(record[id_field]) for record in d.stored(collection, values)]
    assert len(set(made)) == len(made) == PAGE + 1, made
    checked = ["Create"] if create else []
    shown = emulator.records([op.qualified_id for op in verbs.values()])  # what the emulator stores, read back
    fields = next(op.fields for op in verbs.values() if op.fields)
    assert len(shown) == PAGE + 1 and all(sorted(record) == sorted(fields) for record in shown)

    if "Fetch" in verbs:
        fetched(d, verbs["Fetch"], values, id_field, made[0])
        checked.append("Fetch")
    if "List" in verbs:
        first = d.stored(collection, values)[0]
        ids = listed(d, verbs["List"], values, id_field, first)
        assert ids is None or sorted(ids) == sorted(made)
        checked.append("List")
    if "Update" in verbs:
        update = verbs["Update"]
        answer = d.send(update.method, d.url(update.path, address(update, values, made[0])), update)
        assert answer.status_code == update.status, answer.text
        assert sorted(answer.json()) == sorted(update.fields)
        checked.append("Update")
    if "Delete" in verbs:
        delete = verbs["Delete"]
        kept = made[:-1] if delete.is_instance else made[1:]  # a singleton's delete takes the newest
        answer = d.session.delete(d.url(delete.path, address(delete, values, made[-1])), timeout=10)
        assert answer.status_code == delete.status == 204, answer.text
        assert [str(r[id_field]) for r in d.stored(collection, values)] == kept
        if delete.is_instance:
            again = d.session.delete(d.url(delete.path, address(delete, values, made[-1])), timeout=10)
            assert again.status_code == 404 and again.json()["code"] == 20404
        checked.append("Delete")
    assert sorted(checked) == sorted(verbs), (key, collection)  # every operation of the collection exercised


def address(operation, values: Dict[str, str], ident: str) -> Dict[str, str]:
    """The path values naming one record (a singleton's path names none)."""
    if not operation.is_instance:
        return values
    return {**values, operation.path.rsplit("{", 1)[1].split("}")[0]: ident}


def fetched(d, fetch, values: Dict[str, str], id_field: str, ident: str) -> Dict[str, Any]:
    """The record, fetched; one never made is a 404 (a singleton has no other record to miss)."""
    answer = d.session.get(d.url(fetch.path, address(fetch, values, ident)), timeout=10)
    assert answer.status_code == fetch.status, answer.text
    assert sorted(answer.json()) == sorted(fetch.fields)
    if fetch.is_instance:
        assert id_field not in answer.json() or str(answer.json()[id_field]) == ident
        missing = d.session.get(d.url(fetch.path, address(fetch, values, ident[:-4] + "dead")), timeout=10)
        assert missing.status_code == 404 and missing.json()["code"] == 20404
    return answer.json()


def listed(d, listing, values: Dict[str, str], id_field: str, first_made: Dict[str, Any]) -> Any:
    """The ids of every record of the list, read two at a time by following ``meta.next_page_url``."""
    paged = "PageSize" in listing.params  # (a SCIM list pages by its own parameters)
    query = {**d.body(listing, 0, first_made), **({"PageSize": PAGE} if paged else {})}
    answer = d.session.get(d.url(listing.path, values), params=query, timeout=10)
    assert answer.status_code == 200, answer.text
    first = answer.json()
    meta = first["meta"]
    assert meta["key"] == listing.list_key and meta["page"] == 0
    assert meta["previous_page_url"] is None and meta["first_page_url"] == meta["url"]
    records: List[Dict[str, Any]] = first[listing.list_key]
    if paged:
        assert meta["page_size"] == PAGE and len(records) == PAGE
        assert meta["next_page_url"].startswith(d.emu.base_url + d.domain.prefix + "/")
        second = d.session.get(meta["next_page_url"], timeout=10).json()
        assert second["meta"]["next_page_url"] is None and second["meta"]["previous_page_url"] == meta["url"]
        records += second[listing.list_key]
    assert len(records) == PAGE + 1 and (paged or meta["next_page_url"] is None)
    assert all(sorted(record) == sorted(listing.fields) for record in records)
    return [str(record[id_field]) for record in records] if id_field in listing.fields else None
