"""A figure's own period wording is drawn into the board report's SVG unescaped."""

import datetime as dt

import pytest

from measures.models import MeasureValue
from reporting import cycle
from reporting.quarters import Quarter
from tests.factories import make_measure, make_objective, make_priority, make_strategy

HOSTILE = '<img src=x onerror="alert(1)"> from April 2021'  # a one-off period's wording


@pytest.mark.django_db
def test_a_figures_period_wording_is_escaped_in_the_board_reports_chart(client, admin_user):
    """A one-off period's wording ("... from April 2021") names its point on the kept SVG chart
    (axis label and each mark's title), which reporting/charts.py writes with mark_safe as
    "numbers, dates and our own words only". The wording is typed: a strategy JSON's values
    (import_strategy) or the Django admin's value inline store it as given."""
    strategy = make_strategy(slug="s", period_start=dt.date(2022, 4, 1))
    objective = make_objective(make_priority(strategy, number=1), number=1)
    measure = make_measure(objective, code="WAIT", unit="count")
    MeasureValue.objects.create(
        measure=measure, period_end=dt.date(2024, 6, 30), value=10, period_text=HOSTILE
    )
    quarter = Quarter(2024, 3)
    period = cycle.schedule(strategy, quarter, *cycle.default_window(quarter), by=None)
    cycle.open_period(period, by=None)
    cycle.close_period(period, by=admin_user, today=quarter.end + dt.timedelta(days=3))
    client.force_login(admin_user)
    page = client.get(f"/strategies/s/periods/{period.pk}/report/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "onerror" in html  # the wording is on the page ...
    assert '<img src=x onerror="alert(1)">' not in html  # ... but never as markup
