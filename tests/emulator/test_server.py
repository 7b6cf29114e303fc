"""The emulator's lifecycle: ports, threads, the in-process app, credentials and reset."""
from __future__ import annotations

import base64
import re
import threading

import pytest
import requests

from flask_twilio_rb import Message
from flask_twilio_rb.testing import TwilioEmulator

from tests.emulator.emulator_helpers import FROM, TO


def test_generated_credentials_look_like_twilios():
    emu = TwilioEmulator()
    assert re.fullmatch(r"AC[0-9a-f]{32}", emu.account_sid)
    assert re.fullmatch(r"[0-9a-f]{32}", emu.auth_token)


def test_repr_names_the_account_and_address_but_never_the_token():
    emu = TwilioEmulator("AC" + "1" * 32, "s3cret-token-value-0000")
    assert repr(emu) == f"<TwilioEmulator account_sid='AC{'1' * 32}' not started>"
    with emu:
        assert repr(emu) == f"<TwilioEmulator account_sid='AC{'1' * 32}' {emu.base_url}>"
        assert "s3cret" not in repr(emu)


def test_start_serves_on_an_ephemeral_local_port_and_stop_frees_it():
    emu = TwilioEmulator().start()
    assert emu.start() is emu  # starting twice keeps the one server
    url = emu.base_url
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url) and not url.endswith(":0")
    answer = requests.get(f"{url}/2010-04-01/Accounts/{emu.account_sid}.json",
                          auth=(emu.account_sid, emu.auth_token), timeout=5)
    assert answer.json()["sid"] == emu.account_sid
    emu.stop()
    emu.stop()  # stopping twice is harmless
    try:
        requests.get(url, timeout=1)
        raise AssertionError("the port still answers after stop()")
    except requests.ConnectionError:
        pass


def test_base_url_before_start_takes_the_port_the_server_then_uses():
    emu = TwilioEmulator()
    url = emu.base_url  # e.g. printed by `flask twilio emulator` before serving
    with emu:
        assert emu.base_url == url
    emu.stop()


def test_state_survives_a_restart(emulator):
    message = Message.create(to=TO, from_=FROM, body="kept")
    emulator.stop()
    emulator.start()
    assert [m["sid"] for m in emulator.records("Message")] == [message.sid]


def test_serve_forever_blocks_until_stop_from_another_thread():
    emu = TwilioEmulator()
    url = emu.base_url
    serving = threading.Thread(target=emu.serve_forever)
    serving.start()
    answer = requests.get(f"{url}/2010-04-01/Accounts.json", auth=(emu.account_sid, emu.auth_token), timeout=5)
    assert answer.status_code == 200
    emu.stop()
    serving.join(5)
    assert not serving.is_alive()


def test_serve_forever_ends_quietly_on_ctrl_c(monkeypatch):
    emu = TwilioEmulator()
    server = emu._bound()

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(server, "serve_forever", interrupted)
    emu.serve_forever()  # returns instead of raising
    assert repr(emu).endswith("not started>")


def test_the_app_works_in_process_without_a_socket():
    emu = TwilioEmulator(callbacks=False)
    token = base64.b64encode(f"{emu.account_sid}:{emu.auth_token}".encode()).decode()
    client = emu.app.test_client()
    created = client.post(f"/2010-04-01/Accounts/{emu.account_sid}/Messages.json",
                          data={"To": TO, "From": FROM, "Body": "no socket"},
                          headers={"Authorization": f"Basic {token}"})
    assert created.status_code == 201
    assert created.headers["Twilio-Request-Id"].startswith("RQ")
    assert emu.records("Message")[0]["body"] == "no socket"


def test_reset_forgets_everything_but_the_main_account(emulator):
    from flask_twilio_rb import Account

    Message.create(to=TO, from_=FROM, body="gone")
    sub = Account.create(friendly_name="gone too")
    emulator.advance()
    emulator.reset()
    assert emulator.records("Message") == []
    assert [a["sid"] for a in emulator.records("Account")] == [emulator.account_sid]
    assert Account.find(sub.sid) is None
    assert emulator.callbacks == []
    assert Message.create(to=TO, from_=FROM, body="the main account still works").status == "queued"


def test_flask_twilio_rb_testing_loads_the_emulator_only_when_asked():
    import subprocess
    import sys

    probe = ("import sys, flask_twilio_rb.testing as t; loaded = 'flask_twilio_rb.emulator' in sys.modules; "
             "t.TwilioEmulator; print(loaded, 'flask_twilio_rb.emulator' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True).stdout
    assert out.split() == ["False", "True"]


def test_flask_twilio_rb_testing_has_no_other_lazy_names():
    import flask_twilio_rb.testing as testing

    with pytest.raises(AttributeError, match="has no attribute 'Emulator'"):
        testing.Emulator  # noqa: B018


def test_the_leaf_emulator_names_resources_by_operation_id_and_the_library_by_class():
    from flask_twilio_rb import Call
    from flask_twilio_rb.emulator import TwilioEmulator as LeafEmulator

    leaf = LeafEmulator()
    seeded = leaf.seed("FetchConference", friendly_name="standup")
    assert [c["sid"] for c in leaf.records(["FetchConference", "ListConference"])] == [seeded["sid"]]
    # The leaf knows no classes, but a resource's name names its operations (FetchConference...):
    assert leaf.operations_for("Conference") == ("FetchConference", "ListConference", "UpdateConference")
    assert [c["sid"] for c in leaf.records("Conference")] == [seeded["sid"]]
    with pytest.raises(ValueError, match=r"knows no operation 'Conferenc'.*TwilioEmulator.*\"FetchCall\""):
        leaf.records("Conferenc")
    with pytest.raises(ValueError, match="knows no operation"):
        leaf.records(42)
    adapter = TwilioEmulator()
    assert adapter.operations_for(Call) == ("FetchCall", "ListCall", "CreateCall", "UpdateCall", "DeleteCall")
    assert adapter.operations_for("Call") == adapter.operations_for(Call)
    assert adapter.operations_for("FetchCall") == ("FetchCall",)  # an operationId still reads as one
    with pytest.raises(ValueError, match="knows no operation 'Cal'"):
        adapter.records("Cal")
