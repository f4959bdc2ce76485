import json
import logging

import pytest

pytestmark = pytest.mark.django_db


def test_each_request_logs_one_json_line_with_user_id_status_and_duration(
    client, board_member, caplog
):
    client.force_login(board_member)
    with caplog.at_level(logging.INFO, logger="strategy_tracker.requests"):
        client.get("/strategies/?q=private-words")
    lines = [
        json.loads(r.getMessage()) for r in caplog.records if r.name == "strategy_tracker.requests"
    ]
    assert len(lines) == 1
    line = lines[0]
    assert (
        line["status"] == 200
        and line["user_id"] == board_member.pk
        and line["path"] == "/strategies/"
    )
    assert line["duration_ms"] >= 0
    # Nothing personal beyond the id: no username, no query string.
    assert "board" not in json.dumps(line) and "private-words" not in json.dumps(line)


def test_an_anonymous_request_logs_no_user(client, caplog):
    with caplog.at_level(logging.INFO, logger="strategy_tracker.requests"):
        client.get("/strategies/")
    line = json.loads(
        next(r.getMessage() for r in caplog.records if r.name == "strategy_tracker.requests")
    )
    assert (line["status"], line["user_id"]) == (302, None)


def test_a_refused_page_is_one_line_of_the_request_log_without_a_traceback(
    client, board_member, caplog
):
    django_request = logging.getLogger("django.request")
    django_request.addHandler(caplog.handler)  # at the level the settings give it
    client.force_login(board_member)
    try:
        with caplog.at_level(logging.INFO, logger="strategy_tracker.requests"):
            assert client.get("/measures/import/history/").status_code == 403
    finally:
        django_request.removeHandler(caplog.handler)
    assert [r.name for r in caplog.records] == ["strategy_tracker.requests"]
    assert json.loads(caplog.records[0].getMessage())["status"] == 403
    assert django_request.isEnabledFor(logging.ERROR)  # a server error keeps its traceback
