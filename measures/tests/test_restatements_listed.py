"""A file restating more figures than the preview lists says so beside the tick (found by a
third reading of the session's change)."""

import datetime as dt
from decimal import Decimal

import pytest

from measures.models import MeasureValue
from measures.tests.test_import import _preview
from tests.factories import make_measure, make_objective

pytestmark = pytest.mark.django_db


def _quarter_ends(n):
    year, ends = 2001, []
    while len(ends) < n:
        for month, day in ((3, 31), (6, 30), (9, 30), (12, 31)):
            ends.append(dt.date(year, month, day))
        year += 1
    return ends[:n]


def test_a_preview_restating_more_than_it_lists_says_how_many_are_not_listed(signed_in_admin):
    """A file restating 250 figures lists 200 of them (every update listed cost a fifth of
    the page); the tick's own words say that 50 more are not listed, and how to see each."""
    objective = make_objective()
    lines = ["measure_code,period_end,value"]
    for m in range(5):
        measure = make_measure(objective, code=f"R-{m}", unit="count")
        for end in _quarter_ends(50):
            MeasureValue.objects.create(measure=measure, period_end=end, value=Decimal(1))
            lines.append(f"R-{m},{end.isoformat()},2")
    page = _preview(signed_in_admin, "\r\n".join(lines) + "\r\n")
    report = page.context["report"]
    listed = [r for r in report.rows if r.outcome == "update"]
    assert (report.restated, len(listed)) == (250, 200)
    said = page.content.decode()
    tick = said.split('id="restatements"')[1].split("</div>")[0]
    assert "The first 200 are listed below; 50 more are not." in tick
