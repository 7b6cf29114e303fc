"""What list commands write: tables, streamed JSON, CSV, lazy paging and the progress bar of exports."""
from __future__ import annotations

import csv
import io
import json
import sys

import pytest
import responses
from click.testing import _NamedTextIOWrapper
from tests.cli.cli_helpers import API, PAGE, api, app, call, message, page, sid, twilio  # noqa: F401  (fixtures)

MESSAGES = [message(1), message(2, body="A" * 60, status="undelivered"), message(3, date_sent=None, date_created=None)]


@pytest.fixture
def three_messages(api):
    api.get(f"{API}/Messages.json", json=page("messages", MESSAGES))
    return api


def test_the_table_has_a_header_and_aligned_columns(runner, three_messages):
    result = twilio(runner, "sms", "list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == ("SID                                 DATE SENT            FROM              TO"
                        "                STATUS       BODY")
    assert lines[1] == (f"{sid('SM', 1)}  2026-11-27 08:01:05  +15005550006      +15558675310      delivered"
                        "    Hello 1")
    for line in lines[1:]:  # every column starts where its header does
        assert [line[lines[0].index(h)- 1] for h in ("DATE", "FROM", "TO ", "STATUS", "BODY")] == [" "] * 5


def test_the_table_cuts_long_values_and_leaves_missing_ones_blank(runner, three_messages):
    lines = twilio(runner, "sms", "list").stdout.splitlines()
    assert lines[2].endswith("undelivered  " + "A" * 37 + "...")
    assert lines[3][36:55] == " " * 19  # no date at all


def test_json_is_one_array_of_twilios_records(runner, three_messages):
    result = twilio(runner, "sms", "list", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == MESSAGES
    assert result.stdout.startswith("[\n  {") and result.stdout.endswith("}\n]\n")


def test_json_of_nothing_is_an_empty_array(runner, api):
    api.get(f"{API}/Calls.json", json=page("calls", []))
    assert twilio(runner, "call", "list", "--json").stdout == "[]\n"


def test_csv_has_a_header_row_and_parses_back(runner, three_messages):
    result = twilio(runner, "sms", "list", "--csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["sid", "date_sent", "from", "to", "status", "body"]
    assert [(r["sid"], r["date_sent"], r["body"]) for r in rows] == [
        (sid("SM", 1), "2026-11-27 08:01:05", "Hello 1"),
        (sid("SM", 2), "2026-11-27 08:02:05", "A" * 60),  # whole values: CSV is for machines
        (sid("SM", 3), "", "Hello 3"),
    ]


@pytest.mark.parametrize("sent, shown", [
    ("Fri, 27 Nov 2026 09:00:01 +0100", "2026-11-27 08:00:01"),  # in UTC
    ("Fri, 27 Nov 2026 09:00:01 -0000", "2026-11-27 09:00:01"),  # no zone: Twilio's are UTC
    ("soon", "soon"),                                               # not a date: as sent
])
def test_dates_are_shown_in_utc(runner, api, sent, shown):
    api.get(f"{API}/Calls.json", json=page("calls", [call(1, start_time=sent)]))
    rows = list(csv.DictReader(io.StringIO(twilio(runner, "call", "list", "--csv").stdout)))
    assert rows[0]["start_time"] == shown


def _calls_in_pages(api, pages: int, per_page: int = 2) -> None:
    for index in range(pages):
        records = [call(index * per_page + n + 1) for n in range(per_page)]
        following = f"{PAGE}/Calls.json?PageSize={per_page}&Page={index + 1}&PageToken=PA{index + 1}"
        match = [responses.matchers.query_param_matcher({"PageSize": str(per_page)})] if index == 0 else [
            responses.matchers.query_param_matcher(
                {"PageSize": str(per_page), "Page": str(index), "PageToken": f"PA{index}"})]
        api.get(f"{API}/Calls.json", match=match,
                json=page("calls", records, following if index < pages - 1 else None))


def test_a_limit_of_3_with_pages_of_2_requests_exactly_2_pages(runner):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as api:
        _calls_in_pages(api, pages=3)
        result = twilio(runner, "call", "list", "--limit", "3", "--page-size", "2", "--json")
        assert result.exit_code == 0
        assert len(api.calls) == 2
    assert [record["sid"] for record in json.loads(result.stdout)] == [sid("CA", n) for n in (1, 2, 3)]
    assert result.stderr == "Stopped at --limit 3; --limit 0 lists them all.\n"  # stdout stays clean JSON


def test_no_limit_hint_when_the_list_ended_first(runner, api):
    _calls_in_pages(api, pages=1)
    result = twilio(runner, "call", "list", "--limit", "5", "--page-size", "2", "--json")
    assert (result.exit_code, len(json.loads(result.stdout)), result.stderr) == (0, 2, "")


def test_a_limit_of_0_pages_through_everything(runner, api):
    _calls_in_pages(api, pages=3)
    result = twilio(runner, "call", "list", "--limit", "0", "--page-size", "2", "--csv")
    assert result.exit_code == 0 and len(api.calls) == 3
    assert len(result.stdout.splitlines()) == 1 + 6
    assert result.stderr == ""


def test_records_are_written_before_the_next_page_is_fetched(runner, api):
    written_before_page_2 = []

    def second_page(request):
        sys.stdout.flush()
        written_before_page_2.append(sys.stdout.buffer.getvalue().decode())
        return 200, {}, json.dumps(page("calls", [call(3)]))

    api.get(f"{API}/Calls.json", match=[responses.matchers.query_param_matcher({})],
            json=page("calls", [call(1), call(2)], f"{PAGE}/Calls.json?Page=1&PageToken=PA1"))
    api.add_callback("GET", f"{API}/Calls.json", callback=second_page,
                     match=[responses.matchers.query_param_matcher({"Page": "1", "PageToken": "PA1"})])
    result = twilio(runner, "call", "list", "--json")
    assert sid("CA", 2) in written_before_page_2[0] and sid("CA", 3) not in written_before_page_2[0]
    assert len(json.loads(result.stdout)) == 3


@pytest.fixture
def terminal(monkeypatch):
    """Make the runner's streams named in ``terminal.streams`` say they are terminals."""

    class Terminal:
        streams: tuple = ()

    monkeypatch.setattr(_NamedTextIOWrapper, "isatty", lambda stream: stream.name in Terminal.streams)
    return Terminal


def test_an_export_to_a_file_shows_a_progress_bar_on_a_terminals_stderr(runner, three_messages, terminal):
    terminal.streams = ("<stderr>",)
    result = twilio(runner, "sms", "list", "--json", "--limit", "3")
    assert result.exit_code == 0
    assert "Exporting" in result.stderr and "1/3" in result.stderr and result.stderr.endswith("3/3\x1b[?25h\nStopped at --limit 3; --limit 0 lists them all.\n")
    assert json.loads(result.stdout) == MESSAGES  # the bar stays out of the data


def test_the_progress_bar_counts_records_when_there_is_no_limit(runner, three_messages, terminal):
    terminal.streams = ("<stderr>",)
    result = twilio(runner, "sms", "list", "--csv", "--limit", "0")
    assert "Exporting" in result.stderr and "  3" in result.stderr and "%" not in result.stderr
    assert len(result.stdout.splitlines()) == 4


def test_there_is_no_progress_bar_when_stderr_is_not_a_terminal(runner, three_messages, terminal):
    terminal.streams = ()
    result = twilio(runner, "sms", "list", "--json")
    assert result.stderr == "" and json.loads(result.stdout) == MESSAGES


def test_there_is_no_progress_bar_when_the_output_is_the_terminal(runner, three_messages, terminal):
    terminal.streams = ("<stdout>", "<stderr>")
    result = twilio(runner, "sms", "list")
    assert result.stderr == "" and len(result.stdout.splitlines()) == 4
