"""Closing a quarter freezes what the board sees, as at the quarter's end, and its report reads
only that: later edits, restated figures and new values leave it as it was."""

import datetime as dt
from decimal import Decimal
from importlib import import_module

import pytest

from measures.models import MeasureValue
from reporting import cycle
from reporting.charts import figure
from reporting.models import SnapshotItem
from reporting.quarters import Quarter
from reporting.tests.helpers import q2_strategy
from tests.factories import (
    make_measure,
    make_milestone,
    make_objective,
    make_priority,
    make_strategy,
    make_value,
)

pytestmark = pytest.mark.django_db
Q2 = Quarter(2024, 2)  # July to September 2024
AFTER = dt.date(2024, 10, 5)  # the day the Admin closes it


@pytest.fixture
def strategy(programme_lead):
    return q2_strategy(programme_lead)


def _close(strategy, admin_user):
    period = cycle.schedule(strategy, Q2, *cycle.default_window(Q2), by=admin_user)
    cycle.open_period(period, by=admin_user)
    return cycle.close_period(period, by=admin_user, today=AFTER)


def _main(response) -> str:
    """The page's own content, without the layout (whose sign-out form has a fresh token)."""
    return response.content.decode().split('<main id="main"')[1].split("</main>")[0]


def _rows(period):
    return list(period.snapshot.order_by("position").values())


def test_closing_freezes_every_item_as_at_the_quarters_end(strategy, admin_user):
    period = _close(strategy, admin_user)
    rows = {(r.level, r.title): r for r in period.snapshot.all()}
    hub = rows["milestone", "Open the hub"]
    assert (hub.rag, hub.finding, hub.owner) == ("red", "overdue", "Lee Lead")
    assert (hub.commentary, hub.forecast_date) == (
        "Builders delayed by a month.",
        dt.date(2024, 11, 1),
    )
    assert rows["milestone", "Agree the plan"].rag == "blue"
    waits = rows["measure", "Waits"]
    assert (waits.value, waits.value_period_end) == (Decimal(12), dt.date(2024, 9, 30))
    assert waits.rag == "red" and "target 10" in waits.reason
    assert rows["strategy", strategy.title].rag == "red"
    assert [r.level for r in period.snapshot.order_by("position")][:3] == [
        "strategy",
        "priority",
        "objective",
    ]


def test_a_milestone_due_on_the_quarters_last_day_and_not_done_is_overdue_at_its_close(
    strategy, admin_user
):
    objective = strategy.priorities.first().objectives.first()
    make_milestone(objective, title="Due at the close", due_date=Q2.end, status="on_track")
    period = _close(strategy, admin_user)
    row = period.snapshot.get(level="milestone", title="Due at the close")
    assert (row.rag, row.finding) == ("red", "overdue")
    assert row.reason == "overdue: was due 30 September 2024, the quarter's last day"


def test_later_edits_and_restated_figures_leave_the_closed_quarter_as_it_was(
    strategy, admin_user, client
):
    period = _close(strategy, admin_user)
    client.force_login(admin_user)
    url = f"/strategies/s/periods/{period.pk}/report/"
    page, rows = _main(client.get(url)), _rows(period)
    hub = strategy.priorities.get().objectives.get().milestones.get(title="Open the hub")
    hub.status, hub.commentary = "complete", "Opened at last."
    hub.save()
    MeasureValue.objects.filter(period_end=dt.date(2024, 9, 30)).update(value=Decimal(8))
    make_value(hub.objective.measures.get(), dt.date(2024, 6, 30), 2)
    assert _rows(period) == rows
    assert _main(client.get(url)) == page
    assert "Builders delayed by a month." in page and "Opened at last." not in page


def test_a_refused_close_writes_no_snapshot(strategy, admin_user):
    period = cycle.schedule(strategy, Q2, *cycle.default_window(Q2), by=admin_user)
    cycle.open_period(period, by=admin_user)
    with pytest.raises(cycle.PeriodRefused):
        cycle.close_period(period, by=admin_user, today=Q2.end)
    assert not SnapshotItem.objects.exists()


def test_a_milestone_due_next_quarter_shows_its_reason_not_a_bare_colour(
    strategy, admin_user, client
):
    period = _close(strategy, admin_user)
    client.force_login(admin_user)
    page = client.get(f"/strategies/s/periods/{period.pk}/report/").content.decode()
    due_next = page.split('id="due-next"')[1].split('id="appendix"')[0]
    row = next(r for r in period.snapshot.all() if r.title == "Hire the team")
    assert row.reason and row.reason in due_next.replace("&#x27;", "'")


def test_due_next_quarter_leaves_out_milestones_cancelled_or_complete(strategy, admin_user, client):
    """Neither falls due: listed, they read as work the board should expect next quarter."""
    objective = strategy.priorities.get().objectives.get()
    for title, status in (("Dropped plan", "cancelled"), ("Done early", "complete")):
        make_milestone(objective, title=title, due_date=dt.date(2024, 11, 1), status=status)
    period = _close(strategy, admin_user)
    client.force_login(admin_user)
    page = client.get(f"/strategies/s/periods/{period.pk}/report/").content.decode()
    due_next = page.split('id="due-next"')[1].split('id="appendix"')[0]
    assert "Hire the team" in due_next
    assert "Dropped plan" not in due_next and "Done early" not in due_next
    assert "Dropped plan" in page.split('id="appendix"')[1]


def test_the_report_puts_exceptions_first_with_the_owners_report(strategy, admin_user, client):
    period = _close(strategy, admin_user)
    client.force_login(admin_user)
    response = client.get(f"/strategies/s/periods/{period.pk}/report/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "As at 30 September 2024" in page
    exceptions = page.split('id="exceptions"')[1].split('id="changes"')[0]
    assert "Open the hub" in exceptions and "Builders delayed by a month." in exceptions
    assert "forecast 1 Nov 2024" in exceptions and "Waits" in exceptions
    assert "Agree the plan" not in exceptions
    due_next = page.split('id="due-next"')[1].split('id="appendix"')[0]
    assert "Hire the team" in due_next and "Open the hub" not in due_next
    appendix = page.split('id="appendix"')[1]
    assert all(t in appendix for t in ("Open the hub", "Hire the team", "Agree the plan"))
    report = response.context["report"]
    assert [r.title for r in report.exceptions] == ["Open the hub", "Waits"]


def test_the_reports_chart_shows_the_quarters_values_as_svg_with_words(
    strategy, admin_user, client
):
    period = _close(strategy, admin_user)
    client.force_login(admin_user)
    page = client.get(f"/strategies/s/periods/{period.pk}/report/").content.decode()
    chart = page.split('class="spc-chart"')[1].split("</figure>")[0]
    assert "<svg" in chart and 'role="img"' in chart and "<title" in chart
    assert chart.count("<path d=") >= 3  # a mark for each of the quarter's three values
    assert "Sep 2024: 12 (common cause)" in chart and "Oct 2024" not in chart
    assert "Chart of 3 values, Jul 2024 to Sep 2024; latest 12 in Sep 2024." in chart
    assert "Target 10." in chart


def test_a_quarter_with_nothing_in_it_says_so(admin_user, client):
    empty = make_strategy(slug="empty", period_start=dt.date(2023, 4, 1))
    period = _close(empty, admin_user)
    client.force_login(admin_user)
    page = client.get(f"/strategies/empty/periods/{period.pk}/report/").content.decode()
    assert "there is nothing to report for the quarter" in page


def test_only_a_closed_quarter_of_this_strategy_has_a_report(strategy, admin_user, client):
    period = cycle.schedule(strategy, Q2, *cycle.default_window(Q2), by=admin_user)
    client.force_login(admin_user)
    assert client.get(f"/strategies/s/periods/{period.pk}/report/").status_code == 404
    other = _close(make_strategy(slug="other", period_start=dt.date(2023, 4, 1)), admin_user)
    assert client.get(f"/strategies/s/periods/{other.pk}/report/").status_code == 404


def test_the_reports_queries_do_not_grow_with_the_strategy(strategy, admin_user, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(admin_user)
    small = _close(strategy, admin_user)
    big = make_strategy(slug="big", period_start=dt.date(2023, 4, 1))
    for p in range(1, 4):
        objective = make_objective(make_priority(big, number=p), number=1)
        for n in range(10):
            make_milestone(objective, title=f"M{p}.{n}", due_date=dt.date(2024, 8, n + 1))
        make_value(make_measure(objective, unit="count"), dt.date(2024, 9, 30), p)
    large = _close(big, admin_user)
    counts = []
    for slug, period in (("s", small), ("big", large)):
        url = f"/strategies/{slug}/periods/{period.pk}/report/"
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 13  # 13: its strategic risks (issue 21)


@pytest.mark.pdf
def test_the_report_as_pdf_has_the_quarter_and_every_exception_with_its_commentary(
    strategy, admin_user, client
):
    import io

    from pypdf import PdfReader

    period = _close(strategy, admin_user)
    client.force_login(admin_user)
    response = client.get(f"/strategies/s/periods/{period.pk}/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="s-2024-25-q2.pdf"'
    pdf = PdfReader(io.BytesIO(response.content))
    assert len(pdf.pages) >= 1
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert strategy.title in text and "Board report: 2024/25 Q2" in text
    assert "As at 30 September 2024" in text
    for title, words in (("Open the hub", "Builders delayed by a month."), ("Waits", "Latest 12")):
        assert title in text and words in text
    assert "Chart of 3 values, Jul 2024 to Sep 2024" in text  # the chart's words
    assert "Page 1 of" in text


def test_with_no_browser_to_print_with_the_pdf_link_says_so(strategy, admin_user, client, settings):
    period = _close(strategy, admin_user)
    settings.PDF_BROWSER = "/nowhere/chromium"
    client.force_login(admin_user)
    response = client.get(f"/strategies/s/periods/{period.pk}/report.pdf")
    assert response.status_code == 503
    page = response.content.decode()
    assert "No browser to print with at /nowhere/chromium" in page
    assert f"/strategies/s/periods/{period.pk}/report/" in page


@pytest.mark.pdf
def test_what_changed_can_be_counted_since_any_earlier_closed_quarter(strategy, admin_user, client):
    from reporting.tests.helpers import close_quarter

    q1 = close_quarter(strategy, Q2.previous(), admin_user)
    q2 = close_quarter(strategy, Q2, admin_user)
    hub = strategy.priorities.get().objectives.get().milestones.get(title="Open the hub")
    hub.status, hub.commentary = "complete", "Opened."
    hub.save()
    q3 = close_quarter(strategy, Q2.next(), admin_user)
    client.force_login(admin_user)
    url = f"/strategies/s/periods/{q3.pk}/report/"
    default = client.get(url)
    assert default.context["changes"].earlier == q2
    page = default.content.decode()
    assert "What changed since 2024/25 Q2" in page
    assert f'<option value="{q1.pk}">2024/25 Q1</option>' in page
    chosen = client.get(url, {"since": q1.pk})
    assert chosen.context["changes"].earlier == q1
    assert "What changed since 2024/25 Q1" in chosen.content.decode()
    assert f"report.pdf?since={q1.pk}" in chosen.content.decode()
    for bad in ("x", "", str(q3.pk), "99999"):
        assert client.get(url, {"since": bad}).status_code == 404, bad
    assert (
        client.get(f"/strategies/s/periods/{q3.pk}/report.pdf", {"since": q1.pk}).status_code == 200
    )


def test_when_too_many_pdfs_are_printing_the_reader_is_asked_to_wait(
    strategy, admin_user, client, monkeypatch
):
    import threading

    from reporting import pdf

    period = _close(strategy, admin_user)
    busy = threading.BoundedSemaphore(1)
    busy.acquire()
    monkeypatch.setattr(pdf, "_printing", busy)
    monkeypatch.setattr(pdf, "BUSY_WAIT_S", 0.01)
    client.force_login(admin_user)
    response = client.get(f"/strategies/s/periods/{period.pk}/report.pdf")
    assert response.status_code == 503
    assert "Too many reports are being printed at this moment" in response.content.decode()


def test_a_row_read_whole_is_the_row_django_would_build(strategy, admin_user, monkeypatch):
    """SnapshotItem.from_db sets a whole row's fields in one step, without Model.__init__:
    each row read so must hold what Django would have given it, and a row read with fields
    deferred is still built the usual way."""
    period = _close(strategy, admin_user)
    fields = [f.attname for f in SnapshotItem._meta.concrete_fields]
    stored = list(period.snapshot.order_by("position").values(*fields))

    def no_init(*args, **kwargs):
        raise AssertionError("a whole row was built through Model.__init__")

    with monkeypatch.context() as patched:
        patched.setattr(SnapshotItem, "__init__", no_init)
        rows = list(period.snapshot.order_by("position"))
        with_period = list(SnapshotItem.objects.filter(period=period).select_related("period"))
    assert len(rows) == len(stored) > 5 and len(with_period) == len(rows)
    for row, values in zip(rows, stored, strict=True):
        assert {name: getattr(row, name) for name in fields} == values
        assert (row._state.adding, row._state.db) == (False, "default")
        assert row.period == period and row.get_level_display()
    assert all(row.period == period for row in with_period)
    measure = next(row for row in rows if row.level == "measure")
    deferred = period.snapshot.defer("chart").get(pk=measure.pk)
    assert "chart" not in deferred.__dict__ and deferred.chart == measure.chart


def test_the_chart_is_drawn_once_at_close_and_shown_as_drawn(strategy, admin_user, client):
    """The figure is kept with the quarter: its report shows what was drawn then (a later
    change to the chart data or to how charts are drawn leaves it), and reads no chart data."""
    period = _close(strategy, admin_user)
    waits = period.snapshot.get(level="measure", title="Waits")
    assert waits.chart_figure == figure(
        waits.object_id, waits.title, waits.number, waits.chart, waits.unit
    )
    assert waits.chart_figure.startswith(f'<figure class="spc-chart" id="chart-{waits.object_id}"')
    kept = waits.chart_figure.replace("Chart of 3 values", "Chart of three values")
    SnapshotItem.objects.filter(pk=waits.pk).update(chart={}, chart_figure=kept)
    client.force_login(admin_user)
    for url in (
        f"/strategies/s/periods/{period.pk}/report/",
        f"/strategies/s/periods/{period.pk}/board/measures/{waits.number}/",
    ):
        page = client.get(url).content.decode()
        assert "Chart of three values, Jul 2024 to Sep 2024" in page, url
        assert "Chart of 3 values" not in page, url


def test_a_quarter_closed_before_figures_were_kept_has_its_charts_drawn_by_the_migration(
    strategy, admin_user
):
    from django.apps import apps

    draw_kept_charts = import_module(
        "reporting.migrations.0010_snapshot_chart_figure"
    ).draw_kept_charts
    period = _close(strategy, admin_user)
    drawn = dict(period.snapshot.values_list("pk", "chart_figure"))
    period.snapshot.update(chart_figure="")
    draw_kept_charts(apps, None)
    assert dict(period.snapshot.values_list("pk", "chart_figure")) == drawn
    assert sum(1 for f in drawn.values() if f) == period.snapshot.exclude(chart={}).count() > 0


def test_a_board_page_that_draws_no_chart_reads_no_kept_chart(strategy, admin_user, client):
    """The kept charts are most of a snapshot's bytes: the as-at dashboard leaves them
    unread; the report and the as-at measure page read them, and the as-at measure page the
    figures of the one measure it shows too (its chart's table)."""
    period = _close(strategy, admin_user)
    client.force_login(admin_user)
    base = f"/strategies/s/periods/{period.pk}"
    for url, reads, reads_figures in (
        (f"{base}/board/", False, False),
        (f"{base}/board/measures/WAIT/", True, True),
        (f"{base}/report/", True, False),
    ):
        rows = client.get(url).context["report"].rows
        measure = next(r for r in rows if r.level == "measure")
        assert ("chart_figure" not in measure.get_deferred_fields()) is reads, url
        assert ("chart" not in measure.get_deferred_fields()) is reads_figures, url


def test_a_reports_rows_are_read_without_their_period_and_empty_objects_without_json(
    strategy, admin_user, monkeypatch
):
    """A report reads its snapshot's rows bare: no row is given the period (a report has it
    already), and the empty roll-up counts and data-quality ratings most rows hold are not
    decoded; a row's non-empty ones are, and every row holds what is stored."""
    import json

    from django.db.models.fields import json as json_fields

    period = _close(strategy, admin_user)
    stored = list(period.snapshot.order_by("position").values("pk", "counts", "data_quality"))
    assert any(r["counts"] for r in stored) and any(not r["counts"] for r in stored)
    decoded, loads = [], json.loads

    def counted(text, **kwargs):
        decoded.append(text)
        return loads(text, **kwargs)

    monkeypatch.setattr(json_fields.json, "loads", counted)
    rows = list(period.snapshot_rows().defer("chart", "chart_figure"))
    assert [(r.pk, r.counts, r.data_quality) for r in rows] == [
        (r["pk"], r["counts"], r["data_quality"]) for r in stored
    ]
    non_empty = sum(bool(r["counts"]) + bool(r["data_quality"]) for r in stored)
    assert "{}" not in decoded and len(decoded) == non_empty
    assert all("period" not in row._state.fields_cache for row in rows)
    assert rows[0].period == period  # read when asked for


def test_closing_counts_the_changes_without_reading_the_charts_back(strategy, admin_user):
    """The close draws and keeps each measure's chart, then counts what changed since the
    quarter before from the rows it wrote: the drawn charts, most of a snapshot's bytes, are
    not read back for that. (The quarter before's charted figures are read, once, to find
    any it showed that were restated since.)"""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        period = _close(strategy, admin_user)
    reads = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and 'FROM "reporting_snapshotitem"' in q["sql"]
    ]
    assert reads and not [sql for sql in reads if '"chart_figure"' in sql]
    assert len([sql for sql in reads if '"chart"' in sql]) <= 1
    assert period.change_counts
