"""Where requests go: each description's host, TWILIO_REGION and TWILIO_EDGE as Twilio's SDKs insert them, or one base URL."""
from __future__ import annotations

import pytest
import responses
from flask import Flask

from flask_twilio_rb import Call, Config, ConfigurationError, TwilioRB, get_client, verify
from flask_twilio_rb.config import Settings
from flask_twilio_rb.hosts import EDGES, REGIONS, origin, twilio_routing

from tests.accounts import ACCOUNT_SID, AUTH_TOKEN

SERVICE = "VA" + "1" * 32


@pytest.mark.parametrize("base, host, edge, region, expected", [
    ("https://api.twilio.com", "verify.twilio.com", None, None, "https://verify.twilio.com"),
    ("https://api.twilio.com", "api.twilio.com", None, None, "https://api.twilio.com"),
    ("https://api.twilio.com", "verify.twilio.com", "dublin", "ie1", "https://verify.dublin.ie1.twilio.com"),
    ("https://api.twilio.com", "verify.twilio.com", "sydney", None, "https://verify.sydney.us1.twilio.com"),
    ("https://api.twilio.com", "verify.twilio.com", None, "ie1", "https://verify.ie1.twilio.com"),
    ("https://api.twilio.com", "api.twilio.com", "dublin", "ie1", "https://api.dublin.ie1.twilio.com"),
    ("https://api.twilio.com", "flex-api.twilio.com", "tokyo", "us1", "https://flex-api.tokyo.us1.twilio.com"),
    # A Twilio base URL with a region (and edge) gives them to every host; the settings win.
    ("https://api.ie1.twilio.com", "lookups.twilio.com", None, None, "https://lookups.ie1.twilio.com"),
    ("https://api.dublin.ie1.twilio.com", "lookups.twilio.com", None, None, "https://lookups.dublin.ie1.twilio.com"),
    ("https://api.dublin.ie1.twilio.com", "lookups.twilio.com", "sydney", "au1", "https://lookups.sydney.au1.twilio.com"),
    # Any other base URL: one place; the 2010-04-01 API as before, every other domain under its product.
    ("http://127.0.0.1:8080", "api.twilio.com", None, None, "http://127.0.0.1:8080"),
    ("http://127.0.0.1:8080", "verify.twilio.com", None, None, "http://127.0.0.1:8080/verify"),
    ("https://proxy.example/twilio", "preview-iam.twilio.com", None, None, "https://proxy.example/twilio/preview-iam"),
    ("http://api.twilio.com", "verify.twilio.com", None, None, "http://api.twilio.com/verify"),  # not https: a proxy
])
def test_origin(base, host, edge, region, expected):
    assert origin(base, host, edge, region) == expected


def test_twilio_routing_reads_a_twilio_base_url():
    assert twilio_routing("https://api.twilio.com") == (None, None)
    assert twilio_routing("https://api.ie1.twilio.com") == (None, "ie1")
    assert twilio_routing("https://api.dublin.ie1.twilio.com") == ("dublin", "ie1")
    assert twilio_routing("http://127.0.0.1:8080") is None
    assert twilio_routing("https://verify.twilio.com") is None


@responses.activate
def test_region_and_edge_route_every_domain(configured):
    Config.setup(region="ie1", edge="dublin")
    responses.get(f"https://verify.dublin.ie1.twilio.com/v2/Services/{SERVICE}", json={"sid": SERVICE})
    responses.get(f"https://api.dublin.ie1.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json",
                  json={"calls": [], "next_page_uri": None})
    assert verify.Service.find(SERVICE).sid == SERVICE
    assert Call.all() == []
    assert [c.request.url.split("/")[2] for c in responses.calls] == ["verify.dublin.ie1.twilio.com",
                                                                      "api.dublin.ie1.twilio.com"]


@responses.activate
def test_an_edge_alone_means_us1_and_a_region_alone_has_no_edge(configured):
    Config.setup(edge="ashburn")
    responses.get(f"https://verify.ashburn.us1.twilio.com/v2/Services/{SERVICE}", json={"sid": SERVICE})
    verify.Service.find(SERVICE)
    Config.setup(edge=None, region="au1")
    responses.get(f"https://verify.au1.twilio.com/v2/Services/{SERVICE}", json={"sid": SERVICE})
    verify.Service.find(SERVICE)
    assert len(responses.calls) == 2


@responses.activate
def test_a_base_url_keeps_each_domain_distinguishable(configured):
    Config.setup(api_base_url="https://proxy.example/twilio/")
    responses.get(f"https://proxy.example/twilio/verify/v2/Services/{SERVICE}", json={"sid": SERVICE})
    responses.get(f"https://proxy.example/twilio/2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json",
                  json={"calls": [], "next_page_uri": None})
    verify.Service.find(SERVICE)
    Call.all()
    assert len(responses.calls) == 2


def test_region_and_edge_from_the_flask_config_and_the_environment(monkeypatch):
    app = Flask(__name__)
    app.config.update(TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN, TWILIO_REGION="IE1",
                      TWILIO_EDGE=" Dublin ")
    TwilioRB(app)
    with app.app_context():
        assert (get_client().settings.region, get_client().settings.edge) == ("ie1", "dublin")
        assert get_client().origin("verify.twilio.com") == "https://verify.dublin.ie1.twilio.com"
    monkeypatch.setenv("TWILIO_REGION", "au1")
    assert Config.settings().region == "au1"


@pytest.mark.parametrize("name, value, accepted", [
    ("region", "eu1", REGIONS), ("edge", "paris", EDGES), ("region", "de1", ("au1", "ie1", "us1")),
])
def test_unknown_regions_and_edges_are_refused_naming_the_known_ones(name, value, accepted):
    with pytest.raises(ConfigurationError) as info:
        Settings.from_mapping({f"TWILIO_{name.upper()}": value})
    assert f"TWILIO_{name.upper()} is {value!r} (" in str(info.value)
    assert f"; set it to one of {', '.join(repr(a) for a in accepted)}." in str(info.value)
    with pytest.raises(ConfigurationError, match=f"TWILIO_{name.upper()} is {value!r} .from Config.setup"):
        Config.setup(**{name: value})


def test_a_region_with_a_proxy_base_url_is_refused():
    with pytest.raises(ConfigurationError, match="TWILIO_REGION routes requests to Twilio's regional hosts, but "
                                                 "TWILIO_API_BASE_URL sends them to 'http://127.0.0.1:8080'"):
        Settings.from_mapping({"TWILIO_REGION": "ie1", "TWILIO_API_BASE_URL": "http://127.0.0.1:8080"})
    with pytest.raises(ConfigurationError, match="TWILIO_REGION and TWILIO_EDGE route requests"):
        Settings.from_mapping({"TWILIO_REGION": "ie1", "TWILIO_EDGE": "dublin", "TWILIO_API_BASE_URL": "http://x"})
    assert Settings.from_mapping({"TWILIO_EDGE": None}).region is None


def test_config_setup_knows_region_and_edge():
    Config.setup(region="us1", edge="umatilla")
    assert (Config.settings().region, Config.settings().edge) == ("us1", "umatilla")


def test_suppressed_sending_ignores_the_region_of_production_settings():
    app = Flask(__name__)
    app.config.update(TWILIO_REGION="ie1", TWILIO_SUPPRESS_SEND=True)
    TwilioRB(app)
    with app.app_context():
        client = get_client()
        assert client.origin("verify.twilio.com") == "http://suppressed.twilio.localhost/verify"
        assert client.origin() == "http://suppressed.twilio.localhost"
