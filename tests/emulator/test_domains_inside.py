"""The newer descriptions from the inside: records()/seed() by qualified operationId, the library's
adapter, hooks for one product's behaviour, the library's local modes, and what loads when."""
from __future__ import annotations

import json
import subprocess
import sys
from typing import Any, Dict, Mapping
from urllib.parse import parse_qsl, urlsplit

import pytest

from flask_twilio_rb import Config, get_client
from flask_twilio_rb.emulator import TwilioEmulator as LeafEmulator
from flask_twilio_rb.emulator import domains, routing, special
from flask_twilio_rb.testing.emulator import TwilioEmulator
from flask_twilio_rb.wire import Operation


def test_records_and_seed_name_operations_qualified_by_their_description(emulator):
    service = emulator.seed("verify.v2.FetchService", friendly_name="seeded")
    assert service["sid"].startswith("VA") and service["url"].startswith(emulator.base_url + "/verify/v2/")
    made = emulator.seed(["verify.v2.FetchVerification", "verify.v2.CreateVerification"],
                         service_sid=service["sid"], to="+15558675310", status="pending")
    assert made["service_sid"] == service["sid"] and made["sid"].startswith("VE")
    assert [r["sid"] for r in emulator.records("verify.v2.CreateVerification")] == [made["sid"]]
    assert emulator.records("verify.v2.FetchService") == [service]
    other = emulator.seed("verify.v2.FetchService", friendly_name="second")
    assert [r["sid"] for r in emulator.records("verify.v2.ListService")] == [other["sid"], service["sid"]]


def test_seed_names_what_it_needs(emulator):
    with pytest.raises(TypeError, match=r"needs the parent: pass service_sid=\.\.\."):
        emulator.seed("verify.v2.FetchVerification", to="+15558675310")
    with pytest.raises(TypeError, match="no field colour"):
        emulator.seed("verify.v2.FetchService", colour="red")


@pytest.mark.parametrize("name", ["verify.v2.NoSuchOperation", "nowhere.v1.FetchThing", "FetchNothing"])
def test_an_unknown_operation_is_refused_with_the_spelling_to_use(emulator, name):
    with pytest.raises(ValueError, match="qualified by its description for the others: \"verify.v2.FetchService\""):
        emulator.records(name)


def test_the_library_adapter_takes_classes_declaring_qualified_operations(emulator):
    operations = {"create": "verify.v2.CreateService", "fetch": "verify.v2.FetchService",
                  "list": "verify.v2.ListService", "delete": "verify.v2.DeleteService"}

    class Service:  # a newer description's class: its operations as declared, and as its requests name them
        _operations = operations
        _wire_operations = {action: Operation("verify.v2.Service", action, op) for action, op in operations.items()}

    assert emulator.operations_for(Service) == ("verify.v2.FetchService", "verify.v2.ListService",
                                                "verify.v2.CreateService", "verify.v2.DeleteService")
    seeded = emulator.seed(Service, friendly_name="by class")
    assert emulator.records(Service) == [seeded]


def test_a_product_hook_answers_any_verb(emulator, monkeypatch):
    calls = []

    def lookup(backend: Any, match: routing.Match, query: Mapping[str, Any]) -> Dict[str, Any]:
        calls.append((match.operation.qualified_id, match.instance_id, dict(query)))
        return {"phone_number": match.instance_id, "valid": True, "url": match.path}

    def check(backend: Any, match: routing.Match, body: Mapping[str, Any]) -> Dict[str, Any]:
        return {"to": body["To"], "status": "approved", "valid": True}

    def forget(backend: Any, match: routing.Match, query: Mapping[str, Any]) -> None:
        calls.append("deleted")

    monkeypatch.setitem(special.GENERATORS, "lookups.v2.FetchPhoneNumber", lookup)
    monkeypatch.setitem(special.GENERATORS, "verify.v2.CreateVerificationCheck", check)
    monkeypatch.setitem(special.GENERATORS, "verify.v2.DeleteService", forget)
    monkeypatch.setitem(special.GENERATORS, "verify.v2.ListService",
                        lambda backend, match, query: [{"sid": f"VA{n:032x}"} for n in range(3)])
    client = emulator.app.test_client()
    auth = {"Authorization": "Basic " + __import__("base64").b64encode(
        f"{emulator.account_sid}:{emulator.auth_token}".encode()).decode()}
    found = client.get("/lookups/v2/PhoneNumbers/%2B14155552671?Fields=caller_name", headers=auth)
    assert found.status_code == 200 and found.json["valid"] is True
    assert found.json["url"] == "http://localhost/lookups/v2/PhoneNumbers/%2B14155552671"  # on the request's origin
    assert sorted(found.json) == sorted(routing.operation_named("lookups.v2.FetchPhoneNumber").fields)
    assert calls == [("lookups.v2.FetchPhoneNumber", "+14155552671", {"Fields": "caller_name"})]
    checked = client.post(f"/verify/v2/Services/VA{'0' * 32}/VerificationCheck", data={"To": "+1", "Code": "9"},
                          headers=auth)
    assert (checked.status_code, checked.json["status"], checked.json["sid"]) == (201, "approved", None)
    assert client.delete(f"/verify/v2/Services/VA{'0' * 32}", headers=auth).status_code == 204
    assert calls[-1] == "deleted"
    page = client.get("/verify/v2/Services?PageSize=2", headers=auth).json
    assert len(page["services"]) == 2 and page["meta"]["next_page_url"].startswith("http://localhost/verify/")
    with pytest.raises(ValueError, match="stores no"):  # computed: nothing of it is stored
        emulator.records(["verify.v2.ListService"])


def test_a_product_declares_what_its_new_records_look_like_by_qualified_kind(emulator, monkeypatch):
    from flask_twilio_rb.emulator import declarations

    monkeypatch.setitem(declarations.DEFAULTS, "verify.v2.Webhooks", {"status": "disabled", "version": "v1"})
    monkeypatch.setitem(declarations.DERIVED, "verify.v2.Webhooks",
                        lambda params: {"webhook_method": "GET" if "get" in params["WebhookUrl"] else "POST"})
    service = emulator.seed("verify.v2.FetchService")
    client = emulator.app.test_client()
    made = client.post(f"/verify/v2/Services/{service['sid']}/Webhooks", auth=(emulator.account_sid, emulator.auth_token),
                       data={"FriendlyName": "hook", "EventTypes": "*", "WebhookUrl": "https://example.com/get"})
    assert (made.json["status"], made.json["version"]) == ("disabled", "v1")
    assert made.json["webhook_method"] == "GET"
    assert emulator.seed("FetchMessage", to="+1", from_="+2", body="b")["status"] == "queued"  # 2010 kinds bare


# -- the library's local modes ----------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["suppress_send", "emulator"])
def test_the_local_modes_answer_the_other_products(mode):
    Config.setup(**{mode: True})
    client = get_client()
    try:
        made = client.request("POST", "/verify/v2/Services", data=[("FriendlyName", "via the client")])
        assert made["sid"].startswith("VA") and made["friendly_name"] == "via the client"
        for n in range(2):
            client.request("POST", "/verify/v2/Services", data=[("FriendlyName", f"more {n}")])
        seen, query = [], [("PageSize", "2")]
        for _ in range(3):  # follow meta.next_page_url on the origin the client sent to
            page = client.request("GET", "/verify/v2/Services", params=query)
            seen += [s["sid"] for s in page["services"]]
            url = page["meta"]["next_page_url"]
            if url is None:
                break
            assert url.startswith(client.settings.api_base_url + "/verify/v2/Services?")
            query = parse_qsl(urlsplit(url).query)
        assert len(seen) == 3 and seen[-1] == made["sid"]
        fetched = client.request("GET", f"/verify/v2/Services/{made['sid']}")
        assert fetched["url"] == f"{client.settings.api_base_url}/verify/v2/Services/{made['sid']}"
    finally:
        client.close()


# -- what loads when -------------------------------------------------------------------------------

def run_python(code: str) -> Any:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_product_s_tables_load_with_its_first_request_and_no_others():
    loaded = run_python(
        "import json, sys\n"
        "from flask_twilio_rb.emulator import TwilioEmulator\n"
        "emu = TwilioEmulator()\n"
        "tables = lambda: sorted(m.rsplit('.', 1)[1] for m in sys.modules "
        "if m.startswith('flask_twilio_rb.emulator.tables.'))\n"
        "client = emu.app.test_client()\n"
        "auth = (emu.account_sid, emu.auth_token)\n"
        "import base64; h = {'Authorization': 'Basic ' + base64.b64encode(':'.join(auth).encode()).decode()}\n"
        "client.get(f'/2010-04-01/Accounts/{emu.account_sid}/Calls.json', headers=h)\n"
        "before = tables()\n"
        "client.get('/numbers/v2/RegulatoryCompliance/Bundles', headers=h)\n"
        "print(json.dumps([before, tables()]))\n")
    assert loaded == [[], ["numbers_v1", "numbers_v2", "numbers_v3"]]


def test_descriptions_and_products_unknown_to_the_index():
    with pytest.raises(KeyError):
        domains.of_product("nowhere")
    with pytest.raises(KeyError):
        domains.described("nowhere.v1")
    assert routing.operation_named("nowhere.v1.FetchThing") is None
    assert domains.split_qualified("preview_iam.versionless.ListOrganizationUsers") == (
        "preview_iam.versionless", "ListOrganizationUsers")
    assert routing.operation_named("preview.hosted_numbers.FetchHostedNumbersHostedNumberOrder").domain.product \
        == "preview"
    assert domains.of_product("") == (domains.API,) and domains.API.prefix == "/2010-04-01"


def test_the_leaf_emulator_names_operations_only():
    with LeafEmulator() as emu:
        emu.seed("verify.v2.FetchService", friendly_name="x")
        assert [r["friendly_name"] for r in emu.records("verify.v2.ListService")] == ["x"]
        assert isinstance(emu, LeafEmulator) and not isinstance(emu, TwilioEmulator)


# -- the app around the backend --------------------------------------------------------------------

def test_the_emulator_mounted_under_a_prefix_serves_there(emulator):
    from werkzeug.middleware.dispatcher import DispatcherMiddleware
    from werkzeug.test import Client

    mounted = Client(DispatcherMiddleware(lambda environ, start: [], {"/twilio": emulator.app}))
    answer = mounted.post("/twilio/verify/v2/Services", data={"FriendlyName": "mounted"},
                          auth=(emulator.account_sid, emulator.auth_token))
    assert answer.status_code == 201 and answer.json["url"].startswith("http://localhost/verify/v2/Services/VA")


def test_a_server_without_the_raw_uri_is_served_from_the_decoded_path(emulator):
    from werkzeug.test import EnvironBuilder, run_wsgi_app

    environ = EnvironBuilder("/lookups/v2/PhoneNumbers/%2B14155550100",
                             auth=(emulator.account_sid, emulator.auth_token)).get_environ()
    del environ["RAW_URI"], environ["REQUEST_URI"]
    emulator.seed("lookups.v2.FetchPhoneNumber", phone_number="+14155550100")
    body, status, _ = run_wsgi_app(emulator.app, environ)
    assert status.startswith("200") and json.loads(b"".join(body))["phone_number"] == "+14155550100"


def test_what_no_route_takes_answers_in_twilios_json(emulator):
    client = emulator.app.test_client()
    root = client.get("/")
    assert (root.status_code, root.json["code"]) == (404, 20404)
    traced = client.open("/verify/v2/Services", method="TRACE")
    assert (traced.status_code, traced.json["code"]) == (405, 20004)


def test_the_backend_answers_a_call_without_an_origin_on_the_last_one(emulator):
    backend = emulator._backend
    credentials = (emulator.account_sid, emulator.auth_token)
    status, made = backend.handle("POST", "/verify/v2/Services", [], [("FriendlyName", "direct")], credentials)
    assert status == 201 and made["url"] == f"{emulator.base_url}/verify/v2/Services/{made['sid']}"
