"""A board member's reading of a quarter's report: a restated figure the last report named
beside its chart, axis labels in millions, money in "Changed since publication" and a due
day read from the document's words."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from measures.models import MeasureValue
from reporting import changes, cycle, structure_changes
from reporting.charts import LEFT, chart_data, drawing
from reporting.models import ReportingPeriod
from reporting.quarters import Quarter
from tests.factories import (
    make_measure,
    make_milestone,
    make_objective,
    make_priority,
    make_strategy,
)

pytestmark = pytest.mark.django_db
Q1, Q2 = Quarter(2024, 1), Quarter(2024, 2)


def _close_two_quarters(strategy, admin_user, between):
    for quarter in (Q1, Q2):
        period = cycle.schedule(strategy, quarter, *cycle.default_window(quarter), by=None)
        cycle.open_period(period, by=None)
        if quarter == Q2:
            between()
        cycle.close_period(period, by=admin_user, today=quarter.end + dt.timedelta(days=3))
    return ReportingPeriod.objects.order_by("quarter")


def test_a_restated_years_figure_named_in_last_quarters_chart_words_is_listed_as_restated(
    admin_user, client
):
    """The README's own example: a 2022/23 figure among quarterly ones is named in Q1's chart
    words ("2022/23: 1,950 (an annual figure, not quarterly)"); restated before Q2 closes, Q2's
    "what changed" must say so ("2022/23: 1,950 → 1,987"). It lists nothing: the close
    compares only the chart's points and the latest, not the figures its words name."""
    strategy = make_strategy(slug="s", period_start=dt.date(2023, 4, 1))
    objective = make_objective(make_priority(strategy, number=1), number=1)
    measure = make_measure(objective, code="ADM", name="Admissions", unit="count")
    MeasureValue.objects.create(
        measure=measure, period_end=dt.date(2023, 3, 31), value=1950, period_text="2022/23"
    )
    for end, text, value in [
        (dt.date(2023, 6, 30), "2023/24 Q1", 480),
        (dt.date(2023, 9, 30), "2023/24 Q2", 470),
        (dt.date(2023, 12, 31), "2023/24 Q3", 500),
        (dt.date(2024, 3, 31), "2023/24 Q4", 495),
        (dt.date(2024, 6, 30), "2024/25 Q1", 510),
    ]:
        MeasureValue.objects.create(measure=measure, period_end=end, value=value, period_text=text)

    def restate():
        measure.values.filter(period_end=dt.date(2023, 3, 31)).update(value=Decimal(1987))

    q1, q2 = _close_two_quarters(strategy, admin_user, restate)
    q1_chart = q1.snapshot.get(level="measure").chart_figure
    assert "2022/23: 1,950 (an annual figure, not quarterly)" in q1_chart  # the board saw it

    found = changes.compare(q1, q2)
    assert [c.detail for c in found.found.get("restated", [])] == ["2022/23: 1,950 → 1,987"]
    client.force_login(admin_user)
    report = client.get(reverse("reporting:period_report", args=["s", q2.pk])).content.decode()
    assert "2022/23: 1,950 → 1,987" in report


class _Point:
    def __init__(self, period, value):
        self.period, self.value = period, value
        self.mean = self.upper = self.lower = None
        self.verdict, self.rule = None, None


class _Spc:
    run_chart_only = True
    signals: list = []
    variation = assurance = None

    def __init__(self, values):
        ends = [dt.date(2023, 6, 30), dt.date(2023, 9, 30), dt.date(2023, 12, 31)]
        self.points = [_Point(end, v) for end, v in zip(ends, values, strict=True)]


# DejaVu Sans (the PDF's font, and Chromium's fallback here): a digit is 0.636 em, a comma
# 0.318 em; the chart's tick labels are 11 px, right-aligned at LEFT - 6.
def _label_width(label: str, size: float = 11) -> float:
    return sum((0.636 if c.isdigit() else 0.318) * size for c in label)


def test_a_charts_axis_labels_in_millions_fit_left_of_the_axis():
    """A £ measure in millions (agency spend, a budget): its axis reads "1,800,000", 56 px
    wide, right-aligned at x = 52 of the SVG, so its first digit falls outside the chart and
    is cut off on the page and in the PDF (",800,000")."""
    chart = chart_data(_Spc([1_650_000.0, 1_540_000.0, 1_390_250.0]), Decimal(1_200_000))
    d = drawing(chart, "£")
    widest = max(d.y_ticks, key=lambda t: _label_width(t["label"]))["label"]
    assert _label_width(widest) <= LEFT - 6, f"{widest!r} does not fit in {LEFT - 6} px"


def test_changed_since_publication_writes_a_money_target_as_every_page_does():
    """A £ measure re-targeted between reports: the report's "Changed since publication" says
    “1200000” to “1150000”, where every other page and the status reasons say £1,200,000."""
    strategy = make_strategy(slug="s", published_at=timezone.now() - dt.timedelta(days=1))
    objective = make_objective(make_priority(strategy, number=1), number=1)
    measure = make_measure(
        objective, code="SPEND", name="Agency spend", unit="£", target_value=Decimal(1_200_000)
    )
    start = timezone.now()
    measure.target_value = Decimal(1_150_000)
    measure.save()
    [change] = structure_changes.changes_between(strategy, start, timezone.now())
    assert "£1,200,000" in change.what and "£1,150,000" in change.what, change.what


def test_the_reports_exceptions_give_a_due_day_read_from_the_documents_words_with_them(
    admin_user, client
):
    """EPUT's "in Year 1" milestone is filed under 31 March 2024. The dashboard's exceptions
    and the report's own appendix give the words beside the day ("31 Mar 2024 (“in Year
    1”)"); the report's exceptions, the part a board reads first, give the made-up day alone."""
    strategy = make_strategy(slug="s", period_start=dt.date(2023, 4, 1))
    objective = make_objective(make_priority(strategy, number=1), number=1)
    make_milestone(
        objective, title="Open the hub", due_date=dt.date(2024, 3, 31), due_text="in Year 1"
    )
    quarter = Q1
    period = cycle.schedule(strategy, quarter, *cycle.default_window(quarter), by=None)
    cycle.open_period(period, by=None)
    cycle.close_period(period, by=admin_user, today=quarter.end + dt.timedelta(days=3))
    client.force_login(admin_user)
    page = client.get(reverse("reporting:period_report", args=["s", period.pk])).content.decode()
    exceptions = page[page.index('id="exceptions"') : page.index('id="changes"')]
    assert "Open the hub" in exceptions
    assert "in Year 1" in exceptions, exceptions


def test_kept_charts_are_drawn_again_with_their_labels_in_millions_and_escaped():
    """Closed quarters keep their charts as drawn (chart_figure): the upgrade draws them again
    from the data kept with them."""
    from importlib import import_module

    from django.apps import apps

    from reporting.models import SnapshotItem

    redraw = import_module("reporting.migrations.0019_redraw_kept_charts").redraw
    strategy = make_strategy(slug="s")
    quarter = Q1
    period = cycle.schedule(strategy, quarter, *cycle.default_window(quarter), by=None)
    chart = chart_data(_Spc([1_650_000.0, 1_540_000.0, 1_390_250.0]), Decimal(1_200_000))
    row = SnapshotItem.objects.create(
        period=period,
        level="measure",
        object_id=1,
        position=1,
        title="Spend",
        number="SPEND",
        unit="£",
        rag="green",
        reason="",
        chart=chart,
        chart_figure="<svg>1,800,000</svg>",
    )
    redraw(apps, None)
    row.refresh_from_db()
    assert "1,800,000" not in row.chart_figure and "m</text>" in row.chart_figure


def test_a_report_whose_measures_have_no_figures_says_so_in_place_of_charts(admin_user, client):
    strategy = make_strategy(slug="s", period_start=dt.date(2023, 4, 1))
    make_measure(make_objective(make_priority(strategy, number=1), number=1), code="NEW")
    period = cycle.schedule(strategy, Q1, *cycle.default_window(Q1), by=None)
    cycle.open_period(period, by=None)
    cycle.close_period(period, by=admin_user, today=Q1.end + dt.timedelta(days=3))
    client.force_login(admin_user)
    page = client.get(reverse("reporting:period_report", args=["s", period.pk])).content.decode()
    assert "Trend and SPC charts" not in page
    assert "no trend or SPC charts" in page
