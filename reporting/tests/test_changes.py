"""What changed between two closed quarters, read from their snapshots."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from measures.models import MeasureValue
from reporting import changes, cycle
from reporting.models import ReportingPeriod, SnapshotItem
from reporting.quarters import Quarter
from strategy_tracker.people import display_name
from tests.factories import (
    make_measure,
    make_milestone,
    make_objective,
    make_priority,
    make_strategy,
    make_value,
)

pytestmark = pytest.mark.django_db
Q1, Q2 = Quarter(2024, 1), Quarter(2024, 2)


def _period(strategy, quarter, opened):
    opens, closes = cycle.default_window(quarter)
    return ReportingPeriod.objects.create(
        strategy=strategy,
        year=quarter.year,
        quarter=quarter.number,
        opens_on=opens,
        closes_on=closes,
        state="closed",
        opened_at=opened,
        closed_at=opened,
    )


def _row(period, level, object_id, **fields):
    defaults = {"title": f"Item {object_id}", "rag": "green", "reason": "", "position": object_id}
    return SnapshotItem.objects.create(
        period=period, level=level, object_id=object_id, **defaults | fields
    )


@pytest.fixture
def quarters():
    strategy = make_strategy()
    q2_opened = timezone.make_aware(dt.datetime(2024, 9, 16))
    return _period(strategy, Q1, q2_opened - dt.timedelta(days=92)), _period(
        strategy, Q2, q2_opened
    )


def test_every_kind_of_change_is_found(quarters):
    q1, q2 = quarters
    updated = timezone.make_aware(dt.datetime(2024, 9, 20))
    stale = timezone.make_aware(dt.datetime(2024, 6, 20))
    pairs = {
        # object id: (Q1 fields, Q2 fields)
        1: ({"rag": "green"}, {"rag": "red", "finding": "off track", "last_updated_at": updated}),
        2: ({"rag": "amber"}, {"rag": "blue", "status": "complete", "last_updated_at": updated}),
        3: (
            {"forecast_date": dt.date(2024, 12, 1)},
            {"forecast_date": dt.date(2025, 3, 1), "last_updated_at": updated},
        ),
        4: (
            {"finding": "due soon"},
            {"rag": "red", "finding": "overdue", "last_updated_at": stale},
        ),
    }
    for object_id, (then, now) in pairs.items():
        _row(q1, "milestone", object_id, **then)
        _row(q2, "milestone", object_id, **now)
    _row(q1, "measure", 10, value=Decimal(5), value_period_end=dt.date(2024, 6, 30))
    _row(
        q2,
        "measure",
        10,
        value=Decimal(6),
        value_period_end=dt.date(2024, 9, 30),
        variation="concern_high",
        restated_period_end=dt.date(2024, 6, 30),
        restated_from=Decimal(5),
        restated_to=Decimal("5.5"),
    )
    _row(q1, "measure", 11, variation="improvement_low")
    _row(q2, "measure", 11, variation="common_cause")
    found = changes.compare(q1, q2)
    ids = {key: [c.row.object_id for c in items] for key, items in found.found.items()}
    assert ids == {
        "worse": [1, 4],
        "better": [2],
        "completed": [2],
        "slipped": [3],
        "newly_overdue": [4],
        "no_update": [4],
        "new_figure": [10],
        "restated": [10],
        "signal_started": [10],
        "signal_ended": [11],
    }
    assert found.found["worse"][0].detail == "Green → Red"
    assert found.found["slipped"][0].detail == "1 Dec 2024 → 1 Mar 2025"
    assert found.found["restated"][0].detail == "Jun 2024: 5 → 5.5"


def test_a_restated_figure_on_last_quarters_chart_is_found_not_only_its_latest(admin_user):
    strategy = make_strategy(slug="s", period_start=dt.date(2023, 4, 1))
    objective = make_objective(make_priority(strategy, number=1), number=1)
    measure = make_measure(objective, code="WAIT", name="Waits", unit="count")
    make_value(measure, dt.date(2024, 3, 31), 10)
    make_value(measure, dt.date(2024, 6, 30), 12)
    for quarter in (Q1, Q2):
        period = cycle.schedule(strategy, quarter, *cycle.default_window(quarter), by=None)
        cycle.open_period(period, by=None)
        if quarter == Q2:  # the older of Q1's two charted figures, restated
            measure.values.filter(period_end=dt.date(2024, 3, 31)).update(value=Decimal(9))
        cycle.close_period(period, by=admin_user, today=quarter.end + dt.timedelta(days=3))
    waits = ReportingPeriod.objects.get(quarter=2).snapshot.get(level="measure")
    assert (waits.restated_period_end, waits.restated_from, waits.restated_to) == (
        dt.date(2024, 3, 31),
        Decimal(10),
        Decimal(9),
    )


def test_closing_a_quarter_records_restatements_and_counts_its_changes(admin_user, client):
    strategy = make_strategy(slug="s", period_start=dt.date(2023, 4, 1))
    objective = make_objective(make_priority(strategy, number=1), number=1)
    hub = make_milestone(objective, title="Hub", due_date=dt.date(2024, 8, 1))
    measure = make_measure(objective, code="WAIT", name="Waits", unit="count")
    make_value(measure, dt.date(2024, 6, 30), 12)
    for quarter in (Q1, Q2):
        period = cycle.schedule(strategy, quarter, *cycle.default_window(quarter), by=None)
        cycle.open_period(period, by=None)
        if quarter == Q2:
            measure.values.filter(period_end=dt.date(2024, 6, 30)).update(value=Decimal(14))
            make_value(measure, dt.date(2024, 9, 30), 11)
        cycle.close_period(period, by=admin_user, today=quarter.end + dt.timedelta(days=3))
    q2 = ReportingPeriod.objects.get(quarter=2)
    waits = q2.snapshot.get(level="measure")
    assert (waits.restated_from, waits.restated_to) == (Decimal(12), Decimal(14))
    # The milestone fell overdue, and its objective, priority and strategy moved down with it.
    assert q2.change_counts == {
        "worse": 4,
        "newly_overdue": 1,
        "restated": 1,
        "new_figure": 1,
        "no_update": 1,
    }
    assert hub.pk == q2.snapshot.get(level="milestone").object_id
    client.force_login(admin_user)
    report = client.get(f"/strategies/s/periods/{q2.pk}/report/").content.decode()
    assert "What changed since 2024/25 Q1" in report and "Jun 2024: 12 → 14" in report
    # The first quarter has nothing before it: it says what happened during it instead.
    q1 = ReportingPeriod.objects.get(quarter=1)
    first = client.get(f"/strategies/s/periods/{q1.pk}/report/").content.decode()
    assert "What happened during 2024/25 Q1" in first and "changed since" not in first
    summary = first.split('id="summary-changes"')[1].split("</p>")[0]
    assert summary.startswith("><strong>During 2024/25 Q1:</strong>")
    dashboard = client.get("/strategies/s/").content.decode()
    assert "Board report, 2024/25 Q2" in dashboard
    assert "figures restated 1" in dashboard


def test_moves_to_and_from_no_status_and_items_removed_are_found(quarters, client, admin_user):
    q1, q2 = quarters
    updated = timezone.make_aware(dt.datetime(2024, 9, 20))
    _row(q1, "milestone", 1, rag="grey")
    _row(q2, "milestone", 1, rag="amber", status="at_risk", last_updated_at=updated)
    _row(q1, "milestone", 2, rag="red")
    _row(q2, "milestone", 2, rag="grey", status="cancelled", last_updated_at=updated)
    _row(q1, "measure", 3, rag="green")
    _row(q2, "measure", 3, rag="grey")
    _row(q1, "milestone", 4, rag="red", title="Gone")
    # A success measure that became a context indicator is the same item, not a new one.
    _row(q1, "measure", 5, value=Decimal(1), value_period_end=dt.date(2024, 6, 30))
    _row(q2, "context", 5, rag="grey", value=Decimal(1), value_period_end=dt.date(2024, 6, 30))
    found = changes.compare(q1, q2).found
    ids = {key: [c.row.object_id for c in items] for key, items in found.items()}
    assert ids == {
        "worse": [1],
        "cancelled": [2],
        "unjudged": [3, 5],
        "removed": [4],
    }
    assert found["worse"][0].detail == "No status → Amber"
    client.force_login(admin_user)
    page = client.get(f"/strategies/{q2.strategy.slug}/periods/{q2.pk}/report/").content.decode()
    removed = page.split('id="changes-removed"')[1].split("</ul>")[0]
    assert "No longer in the strategy (1)" in removed and "Gone <span" in removed
    assert "(milestone" in removed or "(objective" in removed


def test_the_reports_heading_is_kept_as_it_was_at_close(admin_user, client):
    strategy = make_strategy(slug="s", title="Better Health", period_start=dt.date(2023, 4, 1))
    period = cycle.schedule(strategy, Q2, *cycle.default_window(Q2), by=None)
    cycle.open_period(period, by=None)
    admin_user.first_name, admin_user.last_name = "Ada", "Admin"
    admin_user.save()
    cycle.close_period(period, by=admin_user, today=dt.date(2024, 10, 5))
    client.force_login(admin_user)
    url = f"/strategies/s/periods/{period.pk}/report/"
    before = client.get(url).content.decode()
    strategy.title, strategy.illustrative = "Renamed", True
    strategy.save()
    strategy.organisation.name = "New Org"
    strategy.organisation.save()
    admin_user.first_name = "Renamed"
    admin_user.save()
    after = client.get(url).content.decode()
    main = after.split('<main id="main"')[1].split("</main>")[0]
    assert "Better Health" in main and "Renamed" not in main and "New Org" not in main
    assert "Illustrative data" not in main and "by Ada Admin" in main
    assert before.split('<main id="main"')[1].split("</main>")[0] == main


def test_a_kept_heading_reads_nothing_and_one_never_kept_reads_live_values(
    quarters, admin_user, django_assert_num_queries
):
    _, q2 = quarters
    kept = {"title": "T", "organisation": "Org at close", "illustrative": False, "closed_by": ""}
    ReportingPeriod.objects.filter(pk=q2.pk).update(as_closed=kept, closed_by=admin_user)
    period = ReportingPeriod.objects.select_related("strategy").get(pk=q2.pk)
    with django_assert_num_queries(0):
        heading = period.heading
    assert heading["organisation"] == {"name": "Org at close"} and heading["closed_by"] == ""

    ReportingPeriod.objects.filter(pk=q2.pk).update(as_closed={})  # closed before they were kept
    period = ReportingPeriod.objects.select_related("strategy").get(pk=q2.pk)
    heading = period.heading
    assert heading["organisation"] == {"name": period.strategy.organisation.name}
    assert heading["closed_by"] == display_name(admin_user)
    assert heading["title"] == period.strategy.title


def test_the_quarter_before_is_the_same_found_among_periods_read_or_by_a_query(
    quarters, django_assert_num_queries
):
    q1, q2 = quarters
    later = q2.closed_at + dt.timedelta(days=92)
    q3 = _period(q1.strategy, Quarter(2024, 3), later)
    ReportingPeriod.objects.filter(pk=q3.pk).update(state="open")  # opened, not yet closed
    q4 = _period(q1.strategy, Quarter(2024, 4), later + dt.timedelta(days=92))
    elsewhere = _period(make_strategy(slug="other"), Q1, q1.opened_at)
    read = [elsewhere, *ReportingPeriod.objects.filter(pk__in=[q1.pk, q2.pk, q3.pk, q4.pk])]
    for period in (q1, q2, q4):
        with django_assert_num_queries(0):
            found = changes.previous_closed(period, among=read)
        assert found == changes.previous_closed(period)
    assert changes.previous_closed(q2, among=read) == q1
    assert changes.previous_closed(q4, among=read) is None  # Q3 is open, not closed


def test_with_no_earlier_quarter_only_what_happened_in_this_one_is_reported(quarters):
    _, q2 = quarters  # July to September 2024, and nothing before it to compare with
    inside = timezone.make_aware(dt.datetime(2024, 8, 10))
    before = timezone.make_aware(dt.datetime(2024, 3, 1))
    _row(q2, "milestone", 1, status="complete", rag="blue", last_updated_at=inside)
    _row(q2, "milestone", 2, status="complete", rag="blue", last_updated_at=before)
    _row(q2, "milestone", 3, rag="red", finding="overdue", due_date=dt.date(2024, 8, 1))
    _row(q2, "milestone", 4, rag="red", finding="overdue", due_date=dt.date(2023, 5, 1))
    _row(q2, "measure", 5, value=Decimal(1), value_period_end=dt.date(2024, 9, 30))
    _row(q2, "measure", 6, value=Decimal(1), value_period_end=dt.date(2023, 9, 30))
    _row(q2, "measure", 7, variation="concern_low")
    found = changes.compare(None, q2).found
    ids = {key: [c.row.object_id for c in items] for key, items in found.items()}
    assert ids.get("completed") == [1]
    assert ids.get("newly_overdue") == [3]
    assert ids.get("new_figure") == [5]
    assert "signal_started" not in ids and "signal_ended" not in ids


def test_a_restated_years_figure_is_named_by_its_own_wording_not_the_month_it_ends(
    admin_user, client
):
    """A yearly figure ("2023/24", stored at 31 March 2024) restated after last quarter's
    report is named as the rest of the app names it, not "Mar 2024", a month's figure."""
    strategy = make_strategy(slug="s", period_start=dt.date(2023, 4, 1))
    objective = make_objective(make_priority(strategy, number=1), number=1)
    measure = make_measure(objective, code="WAIT", name="Waits", unit="count")
    MeasureValue.objects.create(
        measure=measure, period_end=dt.date(2024, 3, 31), value=10, period_text="2023/24"
    )
    for quarter in (Q1, Q2):
        period = cycle.schedule(strategy, quarter, *cycle.default_window(quarter), by=None)
        cycle.open_period(period, by=None)
        if quarter == Q2:
            measure.values.filter(period_end=dt.date(2024, 3, 31)).update(value=Decimal(9))
        cycle.close_period(period, by=admin_user, today=quarter.end + dt.timedelta(days=3))
    q1, q2 = ReportingPeriod.objects.order_by("quarter")
    waits = q2.snapshot.get(level="measure")
    assert waits.restated_period_text == "2023/24"
    found = changes.compare(q1, q2)
    assert [c.detail for c in found.found["restated"]] == ["2023/24: 10 → 9"]

    client.force_login(admin_user)
    page = client.get(reverse("reporting:as_at_measure", args=["s", q2.pk, "WAIT"]))
    assert "The figure for 2023/24 was 10" in page.content.decode()
    report = client.get(reverse("reporting:period_report", args=["s", q2.pk]))
    assert "2023/24: 10 → 9" in report.content.decode()
    assert "Mar 2024: 10" not in report.content.decode()


def test_a_restated_figure_without_a_years_wording_is_named_by_its_month(quarters):
    q1, q2 = quarters
    _row(q1, "measure", 10, value=Decimal(5), value_period_end=dt.date(2024, 6, 30))
    _row(
        q2,
        "measure",
        10,
        restated_period_end=dt.date(2024, 6, 30),
        restated_period_text="2024/25 Q1",  # a quarter's wording: the month it ends says it
        restated_from=Decimal(5),
        restated_to=Decimal(6),
    )
    assert changes.compare(q1, q2).found["restated"][0].detail == "Jun 2024: 5 → 6"


def test_a_quarter_closed_before_wordings_were_kept_gets_its_restated_figures_worded(quarters):
    from importlib import import_module

    from django.apps import apps

    word_restated_periods = import_module(
        "reporting.migrations.0018_restated_period_text"
    ).word_restated_periods
    q1, q2 = quarters
    measure = make_measure(code="YEARLY")
    MeasureValue.objects.create(
        measure=measure, period_end=dt.date(2024, 3, 31), value=9, period_text="2023/24"
    )
    restated = {"restated_from": Decimal(10), "restated_to": Decimal(9)}
    _row(q2, "measure", measure.pk, restated_period_end=dt.date(2024, 3, 31), **restated)
    _row(q2, "measure", measure.pk + 1, position=99, restated_period_end=dt.date(2024, 3, 31))
    word_restated_periods(apps, None)
    assert dict(q2.snapshot.values_list("object_id", "restated_period_text")) == {
        measure.pk: "2023/24",
        measure.pk + 1: "",  # no figure of that measure for the period now: left as it was
    }


def test_a_restated_figure_is_written_as_the_status_reasons_write_it(quarters):
    """In thousands, and money with its £: "1234567 → 1300000" hid that it was pounds."""
    q1, q2 = quarters
    _row(q1, "measure", 11, value=Decimal(5), value_period_end=dt.date(2024, 6, 30))
    _row(
        q2,
        "measure",
        11,
        unit="£",
        restated_period_end=dt.date(2024, 6, 30),
        restated_from=Decimal("1234567.0000"),
        restated_to=Decimal("1300000.5000"),
    )
    assert changes.compare(q1, q2).found["restated"][0].detail == (
        "Jun 2024: £1,234,567 → £1,300,000.50"
    )
