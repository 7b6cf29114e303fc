"""Subaccounts and API keys authenticate as they do on Twilio."""
from __future__ import annotations

import pytest
import requests

from flask_twilio_rb import Account, APIError, Config, Key, Message, NewKey

from tests.emulator.emulator_helpers import FROM, TO


def get(emu, path, auth):
    return requests.get(f"{emu.base_url}/2010-04-01{path}", auth=auth, timeout=5)


def test_a_subaccounts_own_token_works_on_its_paths_only(emulator):
    sub = Account.create(friendly_name="customer")
    assert sub.owner_account_sid == emulator.account_sid and sub.status == "active"
    own = (sub.sid, sub.auth_token)
    assert get(emulator, f"/Accounts/{sub.sid}/Messages.json", own).status_code == 200
    assert get(emulator, f"/Accounts/{emulator.account_sid}/Messages.json", own).status_code == 404
    assert [a["sid"] for a in get(emulator, "/Accounts.json", own).json()["accounts"]] == [sub.sid]


def test_the_main_credentials_work_on_a_subaccounts_paths(emulator):
    sub = Account.create(friendly_name="customer")
    message = Message.create(account_sid=sub.sid, to=TO, from_=FROM, body="for the customer")
    assert message.account_sid == sub.sid
    assert [m["sid"] for m in emulator.records("Message", account_sid=sub.sid)] == [message.sid]
    assert emulator.records("Message") == []  # the main account's own list is separate


def test_a_subaccount_can_be_renamed_and_closed(emulator):
    sub = Account.create(friendly_name="customer")
    sub.update_attributes(friendly_name="renamed", status="closed")
    assert (Account.find(sub.sid).friendly_name, Account.find(sub.sid).status) == ("renamed", "closed")
    assert get(emulator, f"/Accounts/{sub.sid}.json", (sub.sid, sub.auth_token)).status_code == 403


def test_records_of_accounts_are_an_account_and_its_subaccounts(emulator):
    sub = Account.create(friendly_name="customer")
    assert [a["sid"] for a in emulator.records("Account")] == [sub.sid, emulator.account_sid]
    assert [a["sid"] for a in emulator.records("Account", account_sid=sub.sid)] == [sub.sid]


def test_a_new_key_authenticates_with_its_secret(emulator):
    key = NewKey.create(friendly_name="deploy")
    assert key.sid.startswith("SK") and len(key.secret) == 32
    assert get(emulator, f"/Accounts/{emulator.account_sid}/Messages.json", (key.sid, key.secret)).status_code == 200
    assert get(emulator, f"/Accounts/{emulator.account_sid}/Messages.json", (key.sid, "wrong")).status_code == 401
    Config.setup(api_key=key.sid, api_secret=key.secret, auth_token=None)
    assert Message.create(to=TO, from_=FROM, body="sent with a key").status == "queued"


def test_a_key_shows_no_secret_once_created_and_stops_working_when_deleted(emulator):
    key = NewKey.create(friendly_name="deploy")
    fetched = Key.find(key.sid)
    assert "secret" not in fetched.to_dict() and fetched.friendly_name == "deploy"
    assert "secret" not in emulator.records("Key")[0]
    fetched.destroy()
    assert get(emulator, f"/Accounts/{emulator.account_sid}/Messages.json", (key.sid, key.secret)).status_code == 401


def test_a_subaccounts_key_works_for_that_subaccount_only(emulator):
    sub = Account.create(friendly_name="customer")
    key = NewKey.create(account_sid=sub.sid, friendly_name="customer key")
    auth = (key.sid, key.secret)
    assert get(emulator, f"/Accounts/{sub.sid}/Calls.json", auth).status_code == 200
    assert get(emulator, f"/Accounts/{emulator.account_sid}/Calls.json", auth).status_code == 404


def test_a_subaccount_creating_an_account_gives_it_to_the_main_account(emulator):
    sub = Account.create(friendly_name="customer")
    Config.setup(account_sid=sub.sid, auth_token=sub.auth_token)
    sibling = Account.create(friendly_name="created by the customer")
    assert sibling.owner_account_sid == emulator.account_sid


def test_an_unknown_subaccount_is_404(emulator):
    with pytest.raises(APIError) as caught:
        Message.all(account_sid="AC" + "e" * 32)
    assert caught.value.code == 20404


def test_a_suspended_subaccount_can_do_nothing_until_its_owner_reactivates_it(emulator):
    sub = Account.create(friendly_name="customer")
    sub.update_attributes(status="suspended")
    with pytest.raises(APIError) as caught:
        Message.all(account_sid=sub.sid)
    assert (caught.value.status, caught.value.code) == (403, 20403)
    assert get(emulator, f"/Accounts/{sub.sid}/Calls.json", (sub.sid, sub.auth_token)).json()["code"] == 20403
    assert Account.find(sub.sid).status == "suspended"  # the owner still sees it ...
    sub.update_attributes(status="active")  # ... and can bring it back
    assert Message.all(account_sid=sub.sid) == []


def test_twilio_connect_acts_as_the_connected_account_with_the_main_token(emulator):
    sub = Account.create(friendly_name="connected customer")
    account = Account.find(sub.sid, connect=True)  # user: the connected SID, password: our auth token
    message = account.messages.create(to=TO, from_=FROM, body="through Connect")
    assert (account.sid, message.account_sid) == (sub.sid, sub.sid)
    assert get(emulator, f"/Accounts/{sub.sid}.json", (sub.sid, emulator.auth_token)).status_code == 200
    # Connect reaches the connected account only, and needs the main account's own token.
    assert get(emulator, f"/Accounts/{emulator.account_sid}/Messages.json", (sub.sid, emulator.auth_token)).status_code == 404
    assert get(emulator, f"/Accounts/{sub.sid}.json", (sub.sid, "not-the-token")).status_code == 401
    assert get(emulator, f"/Accounts/{sub.sid}.json", ("AC" + "0" * 32, emulator.auth_token)).status_code == 401
