"""``Config.overridden`` is per thread and per task (M4), and ``record()`` blocks nest by identity (M5)."""
from __future__ import annotations

import asyncio
import contextvars
import threading

import pytest
from flask import Flask

from flask_twilio_rb import Config, Message, TwilioRB, get_client
from flask_twilio_rb.testing.emulator import TwilioEmulator

from tests.threads import run_in_threads


def cfg(emulator):
    return dict(account_sid=emulator.account_sid, auth_token=emulator.auth_token, api_base_url=emulator.base_url)


@pytest.fixture
def three():
    emulators = [TwilioEmulator(f"AC{c * 32}", f"token-{c}-0123456789abcdef").start() for c in "cab"]
    yield emulators
    for emulator in emulators:
        emulator.stop()


def test_two_threads_in_their_own_blocks_send_from_their_own_accounts_and_leave_nothing(three):
    main, a, b = three
    Config.setup(**cfg(main))
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()

    def tenant_a():
        with Config.overridden(**cfg(a)):
            a_in.set()
            b_in.wait(5)
            Message.create(to="+15005550006", from_="+15005550006", body="tenant A's text")
        a_out.set()

    def tenant_b():
        a_in.wait(5)
        with Config.overridden(**cfg(b)):
            b_in.set()
            a_out.wait(5)  # A's block ended meanwhile: B's is untouched
            Message.create(to="+15005550006", from_="+15005550006", body="tenant B's text")

    errors = run_in_threads(tenant_a, tenant_b, timeout=10)
    Message.create(to="+15005550006", from_="+15005550006", body="main account's text")
    assert errors == []
    assert [len(e.records("Message")) for e in (main, a, b)] == [1, 1, 1]
    assert [e.records("Message")[0]["body"] for e in (main, a, b)] == \
        ["main account's text", "tenant A's text", "tenant B's text"]
    assert Config.settings().account_sid == main.account_sid and not Config.in_block()


def test_asyncio_tasks_have_blocks_of_their_own():
    Config.setup(account_sid="AC" + "1" * 32, auth_token="t" * 32)
    seen = {}

    async def tenant(name, sid):
        with Config.overridden(account_sid=sid):
            await asyncio.sleep(0.01)  # the other task runs its block meanwhile
            seen[name] = get_client().settings.account_sid

    async def both():
        await asyncio.gather(tenant("a", "AC" + "a" * 32), tenant("b", "AC" + "b" * 32))

    asyncio.run(both())
    assert seen == {"a": "AC" + "a" * 32, "b": "AC" + "b" * 32}
    assert get_client().settings.account_sid == "AC" + "1" * 32


def test_setup_and_reset_inside_a_block_change_the_block_only():
    Config.setup(account_sid="AC" + "1" * 32, auth_token="t" * 32, timeout=7)
    outer = get_client()
    with Config.overridden(timeout=3):
        assert get_client() is get_client() and get_client().settings.timeout == 3  # one client per block
        Config.setup(timeout=4)
        assert get_client().settings.timeout == 4
        with Config.overridden(max_retries=0):
            assert (get_client().settings.timeout, get_client().settings.max_retries) == (4, 0)
        assert get_client().settings.max_retries == 3
        Config.reset()
        assert Config.settings().account_sid is None
    assert Config.settings().timeout == 7 and get_client() is outer


def test_a_thread_started_inside_a_block_sees_it_only_when_handed_the_context():
    Config.setup(account_sid="AC" + "1" * 32, auth_token="t" * 32)
    seen = []
    with Config.overridden(account_sid="AC" + "2" * 32):
        plain = threading.Thread(target=lambda: seen.append(Config.settings().account_sid))
        context = contextvars.copy_context()
        handed = threading.Thread(target=context.run, args=(lambda: seen.append(Config.settings().account_sid),))
        for thread in (plain, handed):
            thread.start()
            thread.join(5)
    assert seen == ["AC" + "1" * 32, "AC" + "2" * 32]


def test_many_blocks_keep_a_bounded_number_of_clients():
    from flask_twilio_rb import client as client_module

    Config.setup(account_sid="AC" + "1" * 32, auth_token="t" * 32)
    for n in range(40):
        with Config.overridden(timeout=n + 1):
            assert get_client().settings.timeout == n + 1
    assert len(client_module._block_clients) <= client_module._BLOCK_CLIENTS_MAX


def test_an_unknown_name_in_a_block_is_refused_and_leaves_no_block():
    with pytest.raises(Exception, match="does not know"):
        with Config.overridden(acount_sid="x"):
            pass  # pragma: no cover - never entered
    assert not Config.in_block()


# -- M5 ---------------------------------------------------------------------------------------------

def test_nested_record_blocks_that_saw_the_same_requests_close_cleanly():
    # The review's r06: outboxes are told apart by identity, not by their (equal) contents.
    app = Flask("nested")
    app.config.update(TWILIO_ACCOUNT_SID="AC" + "0" * 32, TWILIO_AUTH_TOKEN="x" * 32, TWILIO_SUPPRESS_SEND=True)
    TwilioRB(app)
    with app.app_context():
        with app.twilio.record() as outer:
            with app.twilio.record() as inner:
                Message.create(to="+15005550006", from_="+15005550006", body="one")
            Message.create(to="+15005550006", from_="+15005550006", body="two")
            with app.twilio.record() as empty:
                pass
        Message.create(to="+15005550006", from_="+15005550006", body="three")
    assert [r.params["Body"] for r in outer] == ["one", "two"]
    assert [r.params["Body"] for r in inner] == ["one"] and list(empty) == []


def test_record_blocks_of_many_threads_open_and_close_cleanly():
    Config.setup(suppress_send=True, account_sid="AC" + "0" * 32, auth_token="x" * 32)
    client = get_client()

    def work():
        for _ in range(50):
            with client.record():
                pass

    assert run_in_threads(*[work] * 4, timeout=10) == []
    with client.record() as outbox:
        Message.create(to="+15005550006", from_="+15005550006", body="after")
    assert len(outbox) == 1
