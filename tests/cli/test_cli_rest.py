"""``flask twilio config|sms|call|numbers``: the commands that call Twilio's REST API."""
from __future__ import annotations

import csv
import io
import json
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests

from flask_twilio_rb import get_client
from tests.cli.cli_helpers import (  # noqa: F401  (fixtures)
    ACCOUNT_SID, API, API_KEY, API_SECRET, AUTH_TOKEN, PAGE, api, app, available, call, message, number, page,
    make_app, sid, twilio,
)


def query(recorded):
    return parse_qsl(urlsplit(recorded.request.url).query)


def form(recorded):
    return parse_qsl(recorded.request.body)


def path(recorded):
    return urlsplit(recorded.request.url).path


AUTHENTICATE = {"code": 20003, "message": "Authenticate", "more_info": "https://www.twilio.com/docs/errors/20003",
                "status": 401}
BAD_TO = {"code": 21211, "message": "The 'To' number 123 is not a valid phone number.",
          "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}


# -- config --------------------------------------------------------------------------------------

def test_config_shows_settings_with_the_auth_token_masked(runner):
    result = twilio(runner, "config")
    assert result.exit_code == 0
    lines = dict((line[:18].rstrip(), line[19:]) for line in result.stdout.splitlines())
    assert lines == {
        "Account SID": f"{ACCOUNT_SID}  (app config)", "Auth token": "********9999  (app config)",
        "API key": "<not set>  (default)", "API secret": "<not set>  (default)",
        "API base URL": "https://api.twilio.com  (default)",
        "Region, edge": "<not set>, <not set> (Verify at https://verify.twilio.com)  (default)",
        "Timeout": "15 s  (default)",
        "Max retries": "3  (default)", "Transport": "requests, 16 connections  (default)",
        "Sending": "to the API base URL  (default)", "Validate webhooks": "on  (default)",
        "Webhook base URL": "<not set>  (default)", "Bulk backend": "threads  (default)",
    }


def test_config_names_where_each_value_comes_from(monkeypatch):
    from flask_twilio_rb import Config

    monkeypatch.setenv("TWILIO_TIMEOUT", "7")
    Config.setup(max_retries=1)
    app = make_app(TWILIO_TRANSPORT="urllib3")
    result = twilio(app.test_cli_runner(), "config")
    assert f"Account SID        {ACCOUNT_SID}  (app config)\n" in result.stdout
    assert "Timeout            7 s  (environment)\n" in result.stdout
    assert "Max retries        1  (Config.setup)\n" in result.stdout
    assert "Transport          urllib3, 16 connections  (app config)\n" in result.stdout
    assert "Validate webhooks  on  (default)\n" in result.stdout


def test_config_shows_the_region_and_edge_and_where_a_domain_goes():
    regional = make_app(TWILIO_REGION="ie1", TWILIO_EDGE="dublin")
    result = regional.test_cli_runner().invoke(args=["twilio", "config"])
    assert "Region, edge       ie1, dublin (Verify at https://verify.dublin.ie1.twilio.com)  (app config)" \
        in result.stdout


@pytest.mark.parametrize("config, sending", [
    ({"TWILIO_SUPPRESS_SEND": True}, "suppressed (TWILIO_SUPPRESS_SEND: answered in-process, nothing sent)"),
    ({"TWILIO_EMULATOR": True}, "to the app's emulator (TWILIO_EMULATOR; statuses step on emulator.advance())"),
    ({"TWILIO_EMULATOR": True, "TWILIO_EMULATOR_STEP": 0.5},
     "to the app's emulator (TWILIO_EMULATOR; statuses step every 0.5 s)"),
])
def test_config_says_where_requests_go(config, sending):
    app = make_app(**config)
    try:
        result = twilio(app.test_cli_runner(), "config")
        mode = "TWILIO_EMULATOR" if "TWILIO_EMULATOR" in config else "TWILIO_SUPPRESS_SEND"
        assert f"Sending            {sending}  (app config)\n" in result.stdout
        assert f"Account SID        {app.twilio.settings.account_sid}  (the emulator of {mode})\n" in result.stdout
        assert f"API base URL       {app.twilio.settings.api_base_url}  (the emulator of {mode})\n" in result.stdout
        assert AUTH_TOKEN not in result.output
    finally:
        if app.twilio.emulator is not None:
            app.twilio.emulator.stop()


def test_config_shows_the_api_key_and_masks_its_secret():
    app = make_app(TWILIO_API_KEY=API_KEY, TWILIO_API_SECRET=API_SECRET, TWILIO_VALIDATE_WEBHOOKS=False,
                   TWILIO_WEBHOOK_BASE_URL="https://abc.ngrok.io", TWILIO_TRANSPORT="urllib3")
    result = twilio(app.test_cli_runner(), "config")
    assert f"API key            {API_KEY}  (app config)\n" in result.stdout
    assert "API secret         ********7777  (app config)\n" in result.stdout
    assert "Validate webhooks  OFF  (app config)\n" in result.stdout
    assert "Webhook base URL   https://abc.ngrok.io  (app config)\n" in result.stdout
    assert "Transport          urllib3, 16 connections  (app config)\n" in result.stdout


def test_config_check_fetches_the_account(runner, api):
    api.get(f"{API}.json", json={"sid": ACCOUNT_SID, "friendly_name": "My project", "status": "active"})
    result = twilio(runner, "config", "--check")
    assert result.exit_code == 0
    assert result.stdout.endswith("Credentials OK: My project (active).\n")
    assert len(api.calls) == 1 and path(api.calls[0]) == f"{PAGE}.json"


def test_config_check_with_wrong_credentials_exits_1_with_twilios_error(runner, api):
    api.get(f"{API}.json", status=401, json=AUTHENTICATE, headers={"Twilio-Request-Id": "RQ123"})
    result = twilio(runner, "config", "--check")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error 20003: Authenticate\n"
        f"HTTP 401, GET {PAGE}.json\n"
        "More info: https://www.twilio.com/docs/errors/20003\n"
        "Request id: RQ123\n"
        "Twilio refused the credentials: check TWILIO_AUTH_TOKEN (and TWILIO_ACCOUNT_SID); this command used "
        "TWILIO_ACCOUNT_SID from the app config, TWILIO_AUTH_TOKEN from the app config. "
        "Copy them from the Twilio Console.\n"
    )
    assert "Credentials OK" not in result.stdout


def test_a_list_refused_for_its_credentials_prints_no_table_header_and_names_the_settings(api, monkeypatch):
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
    app = make_app(TWILIO_AUTH_TOKEN=None, TWILIO_API_KEY=None)
    api.get(f"{API}/Messages.json", status=401, json=AUTHENTICATE)
    result = twilio(app.test_cli_runner(), "sms", "list")
    assert result.exit_code == 1
    assert result.stdout == ""  # no header before the error
    assert "check TWILIO_AUTH_TOKEN (and TWILIO_ACCOUNT_SID); this command used TWILIO_ACCOUNT_SID from the app " \
           "config, TWILIO_AUTH_TOKEN from the environment." in result.stderr


def test_an_api_key_refused_names_the_key_settings(api):
    app = make_app(TWILIO_API_KEY=API_KEY, TWILIO_API_SECRET=API_SECRET)
    api.get(f"{API}/Calls.json", status=401, json=AUTHENTICATE)
    result = twilio(app.test_cli_runner(), "call", "list", "--csv")
    assert result.exit_code == 1 and result.stdout == ""
    assert "check TWILIO_API_SECRET (and TWILIO_API_KEY); this command used TWILIO_API_KEY from the app config, " \
           "TWILIO_API_SECRET from the app config." in result.stderr


def test_a_list_with_no_records_still_prints_its_header(runner, api):
    api.get(f"{API}/Messages.json", json=page("messages", []))
    result = twilio(runner, "sms", "list")
    assert result.exit_code == 0 and result.stdout.startswith("SID ") and len(result.stdout.splitlines()) == 1


def test_config_check_of_an_unknown_account_exits_1(runner, api):
    api.get(f"{API}.json", status=404, json={"code": 20404, "message": "Not found", "status": 404})
    result = twilio(runner, "config", "--check")
    assert result.exit_code == 1
    assert result.stderr == f"Error: Twilio knows no account {ACCOUNT_SID}.\n"


def test_config_check_without_credentials_exits_2_naming_the_setting():
    app = make_app(TWILIO_AUTH_TOKEN=None)
    result = twilio(app.test_cli_runner(), "config", "--check")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: TWILIO_AUTH_TOKEN not set (the Flask app config).")
    assert "Auth token         <not set>  (default)\n" in result.stdout


# -- sms -----------------------------------------------------------------------------------------

def test_sms_send_posts_the_message_and_prints_it(runner, api):
    api.post(f"{API}/Messages.json", status=201, json=message(7, status="queued", date_sent=None))
    result = twilio(runner, "sms", "send", "--to", "+15558675310", "--from", "+15005550006", "--body", "Hi",
                    "--media-url", "https://x/1.png", "--media-url", "https://x/2.png",
                    "--status-callback", "https://example.com/status")
    assert result.exit_code == 0, result.output
    assert form(api.calls[0]) == [("To", "+15558675310"), ("From", "+15005550006"), ("Body", "Hi"),
                                  ("MediaUrl", "https://x/1.png"), ("MediaUrl", "https://x/2.png"),
                                  ("StatusCallback", "https://example.com/status")]
    header, row = result.stdout.splitlines()
    assert header.split() == ["SID", "DATE", "SENT", "FROM", "TO", "STATUS", "BODY"]
    assert row.split() == [sid("SM", 7), "2026-11-27", "08:00:00", "+15005550006", "+15558675310", "queued",
                           "Hello", "7"]


def test_sms_send_with_media_only(runner, api):
    api.post(f"{API}/Messages.json", status=201, json=message(1, body=""))
    result = twilio(runner, "sms", "send", "--to", "+15558675310", "--from", "+15005550006",
                    "--media-url", "https://x/1.png", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["sid"] == sid("SM", 1)  # one object, not an array
    assert ("Body", "") not in form(api.calls[0])


def test_sms_send_without_body_or_media_is_a_usage_error(runner, api):
    result = twilio(runner, "sms", "send", "--to", "+15558675310", "--from", "+15005550006")
    assert result.exit_code == 2
    assert "Give --body, --media-url or both." in result.stderr
    assert result.stdout == "" and len(api.calls) == 0


def test_sms_send_rejected_by_twilio_exits_1_with_code_message_and_link(runner, api):
    api.post(f"{API}/Messages.json", status=400, json=BAD_TO)
    result = twilio(runner, "sms", "send", "--to", "123", "--from", "+15005550006", "--body", "Hi")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error 21211: The 'To' number 123 is not a valid phone number.",
        f"HTTP 400, POST {PAGE}/Messages.json",
        "More info: https://www.twilio.com/docs/errors/21211",
    ]
    assert result.stdout == ""


def test_sms_list_sends_the_filters_as_twilio_names(runner, api):
    api.get(f"{API}/Messages.json", json=page("messages", [message(1)]))
    result = twilio(runner, "sms", "list", "--to", "+15558675310", "--from", "+15005550006",
                    "--sent-after", "2026-11-01", "--sent-before", "2026-11-27T10:00:00+01:00", "--page-size", "20")
    assert result.exit_code == 0
    assert query(api.calls[0]) == [("To", "+15558675310"), ("From", "+15005550006"),
                                   ("DateSent>", "2026-11-01"), ("DateSent<", "2026-11-27T09:00:00Z"),
                                   ("PageSize", "20")]


@pytest.mark.parametrize("value, problem", [
    ("yesterday", "'yesterday' is not a date: use YYYY-MM-DD or an ISO 8601 date-time with a zone"),
    ("2026-13-01", "'2026-13-01' is not a date"),
    ("2026-11-01T09:00:00", "'2026-11-01T09:00:00' has no time zone: add one, e.g. 2026-11-01T09:00:00Z"),
])
def test_sms_list_with_a_bad_date_is_a_usage_error(runner, api, value, problem):
    result = twilio(runner, "sms", "list", "--sent-after", value)
    assert result.exit_code == 2
    assert "Invalid value for '--sent-after'" in result.stderr and problem in result.stderr
    assert len(api.calls) == 0


def test_a_date_time_in_utc_may_end_in_z(runner, api):
    api.get(f"{API}/Messages.json", json=page("messages", []))
    assert twilio(runner, "sms", "list", "--sent-after", "2026-11-01T09:30:00Z").exit_code == 0
    assert query(api.calls[0]) == [("DateSent>", "2026-11-01T09:30:00Z")]


def test_a_connection_failure_exits_1(api):
    runner = make_app(TWILIO_MAX_RETRIES=0).test_cli_runner()
    api.get(f"{API}/Messages.json", body=requests.ConnectionError("connection refused"))
    result = twilio(runner, "sms", "list")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "https://api.twilio.com" in result.stderr
    assert len(result.stderr.splitlines()) == 1  # a message, not a traceback


# -- call ----------------------------------------------------------------------------------------

def test_call_create_with_a_url(runner, api):
    api.post(f"{API}/Calls.json", status=201, json=call(3, status="queued", start_time=None))
    result = twilio(runner, "call", "create", "--to", "+15558675310", "--from", "+15005550006",
                    "--url", "https://example.com/ivr", "--csv")
    assert result.exit_code == 0
    assert form(api.calls[0]) == [("To", "+15558675310"), ("From", "+15005550006"), ("Url", "https://example.com/ivr")]
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows == [{"sid": sid("CA", 3), "start_time": "2026-11-27 09:00:00", "from": "+15005550006",
                     "to": "+15558675310", "status": "queued", "duration": "30"}]


def test_call_create_with_twiml(runner, api):
    api.post(f"{API}/Calls.json", status=201, json=call(3, status="queued"))
    twiml = "<Response><Say>Hi</Say></Response>"
    result = twilio(runner, "call", "create", "--to", "+15558675310", "--from", "+15005550006", "--twiml", twiml)
    assert result.exit_code == 0
    assert ("Twiml", twiml) in form(api.calls[0]) and "Url" not in dict(form(api.calls[0]))


@pytest.mark.parametrize("extra", [[], ["--url", "https://example.com/ivr", "--twiml", "<Response/>"]])
def test_call_create_needs_exactly_one_of_url_and_twiml(runner, api, extra):
    result = twilio(runner, "call", "create", "--to", "+15558675310", "--from", "+15005550006", *extra)
    assert result.exit_code == 2
    assert "Give exactly one of --url" in result.stderr and len(api.calls) == 0


def test_call_list_filters_by_status_and_start_time(runner, api):
    api.get(f"{API}/Calls.json", json=page("calls", [call(1), call(2, status="busy")]))
    result = twilio(runner, "call", "list", "--status", "busy", "--started-after", "2026-11-01",
                    "--started-before", "2026-11-30", "--limit", "10")
    assert result.exit_code == 0
    assert query(api.calls[0]) == [("Status", "busy"), ("StartTime>", "2026-11-01"), ("StartTime<", "2026-11-30")]
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["SID", sid("CA", 1), sid("CA", 2)]


def test_call_list_refuses_an_unknown_status(runner, api):
    result = twilio(runner, "call", "list", "--status", "ringin")
    assert result.exit_code == 2 and "'ringin' is not one of 'queued', 'ringing'" in result.stderr


@pytest.mark.parametrize("command, status", [("cancel", "canceled"), ("complete", "completed")])
def test_call_cancel_and_complete_post_the_status(runner, api, command, status):
    call_sid = sid("CA", 5)
    api.post(f"{API}/Calls/{call_sid}.json", json=call(5, status=status))
    result = twilio(runner, "call", command, call_sid)
    assert result.exit_code == 0
    assert form(api.calls[0]) == [("Status", status)] and len(api.calls) == 1
    assert result.stdout.splitlines()[1].split()[5] == status


def test_call_cancel_of_an_answered_call_says_to_complete_it(runner, api):
    call_sid = sid("CA", 5)
    api.post(f"{API}/Calls/{call_sid}.json", json=call(5, status="in-progress"))  # Twilio leaves it alone
    result = twilio(runner, "call", "cancel", call_sid)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (f"Error: call {call_sid} was answered (in progress): cancel ends only queued or ringing "
                             f"calls. Hang it up with: flask twilio call complete {call_sid}\n")


@pytest.mark.parametrize("command", ["cancel", "complete"])
def test_ending_a_call_that_has_ended_says_so_not_cannot_redirect(runner, api, command):
    call_sid = sid("CA", 5)
    api.post(f"{API}/Calls/{call_sid}.json", status=400,
             json={"code": 21220, "message": "Call is not in-progress. Cannot redirect.", "status": 400})
    result = twilio(runner, "call", command, call_sid)
    assert result.exit_code == 1
    assert result.stderr == f"Error: call {call_sid} has already ended: there is nothing to {command}.\n"
    assert "redirect" not in result.output


def test_other_errors_of_ending_a_call_are_twilios(runner, api):
    call_sid = sid("CA", 5)
    api.post(f"{API}/Calls/{call_sid}.json", status=404, json={"code": 20404, "message": "Not found", "status": 404})
    result = twilio(runner, "call", "complete", call_sid)
    assert result.exit_code == 1 and result.stderr.startswith("Error 20404: Not found\n")


@pytest.mark.no_contract  # the emulator checks the requests itself
def test_cancel_and_complete_against_the_emulator():
    from flask_twilio_rb.testing import TwilioEmulator

    with TwilioEmulator() as emu:
        app = make_app(TWILIO_ACCOUNT_SID=emu.account_sid, TWILIO_AUTH_TOKEN=emu.auth_token,
                       TWILIO_API_BASE_URL=emu.base_url)
        runner = app.test_cli_runner()
        created = twilio(runner, "call", "create", "--to", "+15558675310", "--from", "+15005550006",
                         "--twiml", "<Response><Pause length='60'/></Response>", "--json")
        call_sid = json.loads(created.stdout)["sid"]
        emu.advance(call_sid), emu.advance(call_sid)  # ringing, then answered
        assert emu.records("Call")[0]["status"] == "in-progress"
        assert "call complete" in twilio(runner, "call", "cancel", call_sid).stderr
        assert twilio(runner, "call", "complete", call_sid).exit_code == 0
        ended = twilio(runner, "call", "complete", call_sid)
        assert ended.exit_code == 1 and "has already ended" in ended.stderr


def test_call_cancel_checks_the_sid_before_any_request(runner, api):
    result = twilio(runner, "call", "cancel", "CA123")
    assert result.exit_code == 2
    assert "'CA123' is not a valid Call SID: expected CA followed by 32 hex digits." in result.stderr
    assert len(api.calls) == 0


# -- numbers -------------------------------------------------------------------------------------

def test_numbers_search_uses_country_type_and_filters(runner, api):
    api.get(f"{API}/AvailablePhoneNumbers/GB/TollFree.json",
            json=page("available_phone_numbers", [available(1), available(2)]))
    result = twilio(runner, "numbers", "search", "--country", "GB", "--type", "toll-free",
                    "--area-code", "800", "--contains", "77")
    assert result.exit_code == 0
    assert query(api.calls[0]) == [("AreaCode", "800"), ("Contains", "77")]
    assert result.stdout.splitlines() == [
        "PHONE NUMBER      FRIENDLY NAME     LOCALITY          REGION  CAPABILITIES",
        "+19175557771      (917) 555-7771    New York          NY      voice,sms",
        "+19175557772      (917) 555-7772    New York          NY      voice,sms",
    ]


@pytest.mark.parametrize("spelling, segment", [
    ("toll_free", "TollFree"), ("TOLL-FREE", "TollFree"), ("machine-to-machine", "MachineToMachine"),
    ("shared_cost", "SharedCost"), ("national", "National"), ("voip", "Voip"), ("mobile", "Mobile"),
])
def test_numbers_search_takes_every_type_twilio_has_in_either_spelling(runner, api, spelling, segment):
    api.get(f"{API}/AvailablePhoneNumbers/US/{segment}.json", json=page("available_phone_numbers", []))
    assert twilio(runner, "numbers", "search", "--type", spelling, "--json").exit_code == 0


def test_numbers_search_lists_the_types_in_its_help_and_errors(runner, api):
    help_text = twilio(runner, "numbers", "search", "--help").stdout
    assert "[local|machine-to-machine|mobile|national|shared-cost|toll-free|voip]" in " ".join(help_text.split())
    result = twilio(runner, "numbers", "search", "--type", "landline")
    assert result.exit_code == 2
    assert "'landline' is not one of local, machine-to-machine, mobile, national, shared-cost, toll-free, voip" \
        in result.stderr
    assert len(api.calls) == 0


def test_python_takes_both_spellings_of_a_type_too(app_ctx, api):
    from flask_twilio_rb import AvailablePhoneNumber

    api.get(f"{API}/AvailablePhoneNumbers/US/TollFree.json", json=page("available_phone_numbers", []))
    api.get(f"{API}/AvailablePhoneNumbers/US/TollFree.json", json=page("available_phone_numbers", []))
    with get_client().record() as outbox:
        assert AvailablePhoneNumber.all(type="toll-free") == AvailablePhoneNumber.all(type="toll_free") == []
    assert [sent.operation for sent in outbox] == ["ListAvailablePhoneNumberTollFree"] * 2


def test_numbers_search_defaults_to_local_us_numbers(runner, api):
    api.get(f"{API}/AvailablePhoneNumbers/US/Local.json", json=page("available_phone_numbers", []))
    result = twilio(runner, "numbers", "search", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout) == []


def test_numbers_buy(runner, api):
    api.post(f"{API}/IncomingPhoneNumbers.json", status=201, json=number(6))
    result = twilio(runner, "numbers", "buy", "+15005550006", "--voice-url", "https://example.com/voice",
                    "--sms-url", "https://example.com/sms", "--json")
    assert result.exit_code == 0
    assert form(api.calls[0]) == [("PhoneNumber", "+15005550006"), ("VoiceUrl", "https://example.com/voice"),
                                  ("SmsUrl", "https://example.com/sms")]
    assert json.loads(result.stdout) == number(6)


def test_numbers_list(runner, api):
    api.get(f"{API}/IncomingPhoneNumbers.json", json=page("incoming_phone_numbers", [number(1)]))
    result = twilio(runner, "numbers", "list", "--phone-number", "555", "--friendly-name", "Support")
    assert result.exit_code == 0
    assert query(api.calls[0]) == [("PhoneNumber", "555"), ("FriendlyName", "Support")]
    assert result.stdout.splitlines()[1].split() == [sid("PN", 1), "+15005550001", "(500)", "555-0001",
                                                    "https://example.com/voice", "https://example.com/sms"]
