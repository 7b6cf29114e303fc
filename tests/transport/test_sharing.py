"""One client shared by threads and across ``fork``: pooled connections, never a parent's socket."""
from __future__ import annotations

import json
import os
import threading
from typing import Any, Iterator, List

import pytest
from tests.threads import run_in_threads
from tests.transport.local_http import KeepAlive, serve

from flask_twilio_rb import Client, Settings
from flask_twilio_rb.transport.http_requests import RequestsTransport
from flask_twilio_rb.transport.http_urllib3 import Urllib3Transport

SID = "AC" + "a" * 32
TOKEN = "sharing-token-" + "2" * 18
PATH = f"/2010-04-01/Accounts/{SID}.json"


class EchoPort(KeepAlive):
    """Answers with the client's port: one port per TCP connection."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's spelling
        self.answer(200, {"sid": SID, "port": self.client_address[1]})


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve(EchoPort) as url:
        yield url


@pytest.fixture(params=["requests", "urllib3"])
def client(request: Any, base_url: str) -> Iterator[Client]:
    client = Client(Settings(account_sid=SID, auth_token=TOKEN, api_base_url=base_url, transport=request.param))
    yield client
    client.close()


def port(client: Client) -> int:
    return client.request("GET", PATH)["port"]


@pytest.mark.no_contract  # a made-up echo server
def test_many_threads_share_one_client_and_at_most_pool_size_connections(client):
    ports: List[int] = []

    def work() -> None:
        for _ in range(25):
            ports.append(port(client))

    errors = run_in_threads(*[work] * 16)
    assert errors == [] and len(ports) == 16 * 25
    assert len(set(ports)) <= client.transport.pool_size  # connections are reused, never one per call


@pytest.mark.no_contract
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_worker_opens_its_own_connection(client):
    parent_port = port(client)
    assert port(client) == parent_port  # pooled: the parent reuses its connection
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report the port it was given, then leave without pytest's teardown
        try:
            os.write(write, json.dumps([port(client), port(client)]).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        child_ports = json.loads(pipe.read() or "[]")
    os.waitpid(pid, 0)
    assert len(child_ports) == 2 and child_ports[0] == child_ports[1]  # the child pools its own
    assert child_ports[0] != parent_port
    assert port(client) == parent_port  # and the parent's connection was left alone


@pytest.mark.parametrize("make, attribute", [(RequestsTransport, "session"), (Urllib3Transport, "pool")])
def test_threads_that_wait_for_the_first_connection_setup_share_the_one_built_meanwhile(make, attribute):
    import time

    transport = make()
    results: List[Any] = []
    with transport._lock:
        thread = threading.Thread(target=lambda: results.append(getattr(transport, attribute)))
        thread.start()
        time.sleep(0.05)  # the thread now waits for the lock
        built = object()
        setattr(transport, f"_{attribute}", built)
        transport._pid = os.getpid()
    thread.join(5)
    assert results == [built]
