"""A figure stored by its period end alone is of its series' period type, judged from the
figures either side of it before anything is written; figures of years pooled and the others
left out of each other's chart say why in words true of them."""

import datetime as dt
from decimal import Decimal

import pytest

from measures.models import MeasureValue
from measures.periods import POOLED, one_period_type
from measures.tests.test_a_year_and_its_last_quarter import _import, _suicides, _value

YEARS = [  # a yearly series stored by its period ends alone (every export before period_text)
    (dt.date(2022, 3, 31), "11.0"),
    (dt.date(2023, 3, 31), "10.8"),
    (dt.date(2024, 3, 31), "10.5"),
    (dt.date(2025, 3, 31), "10.1"),
]


@pytest.mark.django_db
def test_a_quarter_over_an_unworded_yearly_series_figure_is_refused(client, admin_user):
    """The reverse of test_years_over_an_unworded_quarter: 2024/25's figure, stored by its
    end alone in a yearly run, is relabelled "2024/25 Q4" and replaced by a quarter's."""
    _, measure = _suicides()
    for end, value in YEARS:
        _value(measure, end, "", value)
    client.force_login(admin_user)

    preview, _ = _import(client, "measure_code,period,value\nSUI,2024/25 Q4,2.4\n", tick=True)

    stored = MeasureValue.objects.get(measure=measure, period_end=dt.date(2025, 3, 31))
    assert (stored.period_text, stored.value) == ("", Decimal("10.1")), (
        stored.period_text,
        stored.value,
    )


def test_a_figure_inside_the_pooled_run_is_not_said_to_come_after_it():
    """A pooled run (2016-18 … 2019-21) is charted over two unworded yearly figures ending in
    it: the chart words say 31 Mar 2020's figure is "after the latest pooled run", which ends
    21 months later, and 31 Mar 2016's is "before a break in the series" of pooled figures,
    which it never belonged to."""
    pooled = [
        (dt.date(y, 12, 31), Decimal(10 + y - 2018), f"{y - 2}-{y % 100:02d}")
        for y in range(2018, 2022)
    ]
    others = [(dt.date(2016, 3, 31), Decimal(7), ""), (dt.date(2020, 3, 31), Decimal(8), "")]
    series = one_period_type(pooled + others)
    assert series.kind == POOLED
    whys = {v.period_end: v.why for v in series.left_out}
    assert not whys[dt.date(2020, 3, 31)].startswith("after the latest"), whys
    assert not whys[dt.date(2016, 3, 31)].startswith("before a break"), whys


@pytest.mark.django_db
def test_years_over_an_unworded_quarter_before_a_missed_quarter_are_refused(client, admin_user):
    """As test_years_over_an_unworded_quarter_are_refused, but 2025/26 Q1 was never reported:
    the series' run is now the two quarters after the gap, 31 Dec 2024 is "before a break",
    _kind_in_series calls it no period type, and "2024" takes the quarter's figure over."""
    _, measure = _suicides()
    for end, value in [
        (dt.date(2024, 6, 30), "2.1"),
        (dt.date(2024, 9, 30), "2.3"),
        (dt.date(2024, 12, 31), "2.5"),
        (dt.date(2025, 3, 31), "2.4"),
        # 30 Jun 2025 missing
        (dt.date(2025, 9, 30), "2.2"),
        (dt.date(2025, 12, 31), "2.0"),
    ]:
        _value(measure, end, "", value)
    client.force_login(admin_user)

    preview, _ = _import(client, "measure_code,period,value\nSUI,2024,9.9\n", tick=True)

    stored = MeasureValue.objects.get(measure=measure, period_end=dt.date(2024, 12, 31))
    assert (stored.period_text, stored.value) == ("", Decimal("2.5")), (
        stored.period_text,
        stored.value,
    )
    assert "another period ending that day" in preview


@pytest.mark.django_db
def test_a_row_the_preview_passes_is_not_refused_by_the_confirm(client, admin_user, monkeypatch):
    """_kind_in_series reads a measure's values at its first year-worded row. The preview
    writes nothing, so it reads the stored lone figure (no series: "2024" is its wording);
    the confirm reads it after the earlier batches were written, sees a quarterly series, and
    refuses what the preview showed as fine. (BATCH_ROWS is 2000: a file of 2,001 rows.)"""
    from measures import importing

    monkeypatch.setattr(importing, "BATCH_ROWS", 3)
    _, measure = _suicides()
    _value(measure, dt.date(2024, 12, 31), "", "2.5")
    client.force_login(admin_user)
    text = (
        "measure_code,period_end,period,value\n"
        "SUI,2024-06-30,,2.1\nSUI,2024-09-30,,2.3\nSUI,2025-03-31,,2.4\nSUI,,2024,2.5\n"
    )
    preview, confirmed = _import(client, text, tick=True)
    assert "another period ending that day" not in preview  # the preview: fine
    assert MeasureValue.objects.filter(measure=measure).count() == 4, "the confirm refused it"
