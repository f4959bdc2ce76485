"""One period type per SPC chart: what kind of period a value covers, and which values make
the charted run (measures/periods.py), and that the limits use only that run."""

import datetime as dt
from decimal import Decimal as D

import pytest

from measures.models import MeasureValue
from measures.periods import MONTH, OTHER, QUARTER, YEAR, one_period_type
from measures.periods import kind_of_text as kind
from measures.tests.test_spc import quarters
from tests.factories import make_measure, make_value


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2024/25 Q1", QUARTER),
        ("2019/20", YEAR),
        ("2019/2020", YEAR),
        ("FY2019/20", YEAR),
        ("2011-12", YEAR),
        ("March 2024", MONTH),
        ("April 2021 onwards", OTHER),
        ("", None),
        ("   ", None),
        ("2024-04", MONTH),
        ("Jan-23", MONTH),
        ("Apr-Jun 2024", QUARTER),
        ("Quarter 1 2024/25", QUARTER),
        ("2024-06-30", None),  # a date names no type: the spacing of the dates decides
        ("Winter 2020", None),
    ],
)
def test_it_reads_the_period_type_from_the_sources_wording(text, expected):
    assert kind(text) == expected


# An annual 2019/20 baseline, a one-off "April 2021 onwards" figure, then quarterly values
# two years later: the EPUT demand figures' shape.
ANNUAL = (dt.date(2020, 3, 31), D(588), "2019/20")
ONE_OFF = (dt.date(2021, 4, 30), D(700), "April 2021 onwards")
QUARTERLY = [(end, D(600 + n), "") for n, end in enumerate(quarters(5, dt.date(2023, 6, 30)))]


def test_a_quarterly_run_after_an_annual_baseline_and_a_one_off_figure_keeps_only_the_run():
    series = one_period_type([ONE_OFF, *QUARTERLY, ANNUAL])  # any order in

    assert series.kind == QUARTER
    assert series.points == [(end, value) for end, value, _ in QUARTERLY]
    assert [(v.period_end, v.value, v.period_text) for v in series.left_out] == [ANNUAL, ONE_OFF]


def test_it_says_why_each_other_value_is_left_out():
    annual, one_off = one_period_type([ANNUAL, ONE_OFF, *QUARTERLY]).left_out

    assert annual.why == "an annual figure, not quarterly"
    assert "one-off figure, not quarterly" in one_off.why


def test_a_one_off_figure_reads_a_one_off_not_an_one_off():
    one_off = one_period_type([ANNUAL, ONE_OFF, *QUARTERLY]).left_out[1]
    assert one_off.why == "a one-off figure, not quarterly"


def test_an_annual_figure_one_quarter_before_the_run_is_still_left_out():
    """Its end date is exactly a quarter before the first quarterly value; its wording says
    it is a year's figure."""
    first_quarters = [
        (end, D(10 + n), "") for n, end in enumerate(quarters(4, dt.date(2020, 6, 30)))
    ]
    series = one_period_type([ANNUAL, *first_quarters])

    assert series.kind == QUARTER
    assert series.points[0] == (dt.date(2020, 6, 30), D(10))
    assert [v.period_end for v in series.left_out] == [ANNUAL[0]]
    assert series.left_out[0].why == "an annual figure, not quarterly"


def test_a_latest_figure_of_another_period_type_does_not_join_the_run():
    year_total = (dt.date(2024, 3, 31), D(45))
    series = one_period_type(
        [
            (dt.date(2023, 6, 30), D(10), "2023/24 Q1"),
            (dt.date(2023, 9, 30), D(11), "2023/24 Q2"),
            (dt.date(2023, 12, 31), D(12), "2023/24 Q3"),
            (*year_total, "2023/24"),
        ]
    )
    assert year_total not in series.points or series.points == [year_total]


def test_a_two_year_gap_breaks_the_run():
    early = [(end, D(n), "") for n, end in enumerate(quarters(3, dt.date(2019, 6, 30)))]
    late = [(end, D(50 + n), "") for n, end in enumerate(quarters(4, dt.date(2021, 9, 30)))]

    series = one_period_type(early + late)

    assert series.kind == QUARTER
    assert series.points == [(end, value) for end, value, _ in late]
    assert [v.period_end for v in series.left_out] == [end for end, _, _ in early]
    assert all(
        v.why == "before a break in the series (the next value is for 30 Sep 2021)"
        for v in series.left_out
    )


def test_a_single_value_is_the_whole_series_with_no_kind():
    series = one_period_type([ANNUAL])
    assert series.kind is None
    assert series.points == [(ANNUAL[0], ANNUAL[1])]
    assert series.left_out == []


def test_no_values_is_an_empty_series():
    series = one_period_type([])
    assert (series.kind, series.points, series.left_out) == (None, [], [])


def test_a_monthly_run_is_kept_whole():
    months = [
        (dt.date(2024, 1, 31), D(1), "January 2024"),
        (dt.date(2024, 2, 29), D(2), "Feb 2024"),
        (dt.date(2024, 3, 31), D(3), "March 2024"),
        (dt.date(2024, 4, 30), D(4), ""),
    ]
    series = one_period_type(months)
    assert series.kind == MONTH
    assert series.points == [(end, value) for end, value, _ in months]
    assert series.left_out == []


def test_an_annual_run_is_kept_whole():
    years = [
        (dt.date(2020, 3, 31), D(1), "2019/20"),
        (dt.date(2021, 3, 31), D(2), "2020/21"),
        (dt.date(2022, 3, 31), D(3), "2021/22"),
        (dt.date(2023, 3, 31), D(4), "2022/23"),
        (dt.date(2024, 3, 31), D(5), "2023/24"),  # 366 days after the last: a leap year
    ]
    series = one_period_type(years)
    assert series.kind == YEAR
    assert series.points == [(end, value) for end, value, _ in years]
    assert series.left_out == []


@pytest.mark.django_db
def test_the_spc_limits_ignore_an_annual_baseline_far_from_the_quarterly_values():
    measure = make_measure(unit="count", direction="lower")
    MeasureValue.objects.create(
        measure=measure, period_end=dt.date(2020, 3, 31), value=D(5000), period_text="2019/20"
    )
    calm = [11, 9] * 8  # mean 10, every moving range 2
    for end, value in zip(quarters(len(calm), dt.date(2020, 6, 30)), calm, strict=True):
        make_value(measure, end, value)

    reading = measure.spc_reading()

    assert not reading.run_chart_only
    assert [p.period for p in reading.points][0] == dt.date(2020, 6, 30)
    assert len(reading.points) == 16
    assert reading.points[0].mean == pytest.approx(10)
    assert reading.points[0].upper == pytest.approx(10 + 2.66 * 2)
    assert [(v.period_end, v.value) for v in reading.left_out] == [(dt.date(2020, 3, 31), 5000)]
    assert reading.kind == QUARTER


def _run(texts_and_dates) -> tuple[int, int]:
    series = one_period_type([(d, D(10 + i % 3), t) for i, (d, t) in enumerate(texts_and_dates)])
    return len(series.points), len(series.left_out)


def test_monthly_values_worded_year_dash_month_make_one_run():
    months = [dt.date(2024, m, 28) for m in range(1, 13)]
    assert _run([(d, f"{d:%Y-%m}") for d in months]) == (12, 0)


def test_weekly_values_make_one_run():
    weeks = [dt.date(2024, 1, 7) + dt.timedelta(weeks=n) for n in range(20)]
    assert _run([(d, "") for d in weeks]) == (20, 0)


def test_values_worded_in_a_way_it_does_not_know_follow_their_spacing():
    ends = quarters(16)
    assert _run([(d, f"Quarter ending {d:%d/%m/%Y}") for d in ends]) == (16, 0)


def test_values_with_no_regular_spacing_are_charted_as_they_are():
    dates = [dt.date(2020, 1, 5), dt.date(2020, 8, 1), dt.date(2021, 2, 14), dt.date(2022, 6, 1)]
    series = one_period_type([(d, D(5), "") for d in dates])
    assert (series.kind, len(series.points), series.left_out) == (None, 4, [])


def test_a_figures_period_is_its_own_wording_for_a_year_or_a_one_off_else_its_month():
    import datetime as dt

    from measures.periods import period_words

    end = dt.date(2022, 3, 31)
    assert period_words(end, "FY2021/22") == "FY2021/22"
    assert period_words(end, "April 2021 onwards") == "April 2021 onwards"
    assert period_words(dt.date(2022, 12, 31), "2022") == "2022"
    assert period_words(dt.date(2024, 6, 30), "2024/25 Q1") == "Jun 2024"
    assert period_words(end, "") == "Mar 2022"
    assert period_words(None, "FY2021/22") == ""


def _month_ends(n: int, year: int) -> list[dt.date]:
    return [
        dt.date(year + (m + 1) // 12, (m + 1) % 12 + 1, 1) - dt.timedelta(days=1) for m in range(n)
    ]


def test_a_latest_value_after_a_missed_quarter_keeps_an_annual_figure_out_of_the_limits():
    """An annual "2019/20", sixteen quarters, one missed, the latest: every value, the annual
    one too, went into one set of limits, which read the quarters as a 17-point shift of
    concern (found by an audit of the SPC rules)."""
    ends = quarters(18, dt.date(2021, 3, 31))
    values = [(dt.date(2020, 3, 31), D(80), "2019/20")]
    values += [(d, D(20 + i % 3), "") for i, d in enumerate(ends[:16])]
    values += [(ends[17], D(21), "")]
    series = one_period_type(values)
    assert (series.kind, series.points) == (QUARTER, [(ends[17], D(21))])
    whys = {v.period_end: v.why for v in series.left_out}
    assert whys[dt.date(2020, 3, 31)] == "an annual figure, not quarterly"
    assert whys[ends[15]] == "before a break in the series (the next value is for 30 Jun 2025)"
    assert len(series.left_out) == 17


@pytest.mark.parametrize("worded", [True, False])
def test_a_measure_moving_from_quarterly_to_monthly_figures_charts_its_monthly_run(worded):
    """Charted on the sixteen quarterly figures, ten newer monthly ones set aside (the icon
    described December 2022 while the status judged October 2023); without wording, both
    kinds in one set of limits."""
    ends, months = quarters(16, dt.date(2019, 3, 31)), _month_ends(10, 2023)
    values = [
        (d, D(100 + i % 2), f"{d.year} Q{i % 4 + 1}" if worded else "") for i, d in enumerate(ends)
    ]
    values += [(d, D(50 + i % 3), f"{d:%B %Y}" if worded else "") for i, d in enumerate(months)]
    series = one_period_type(values)
    assert series.kind == MONTH
    assert series.points[-1][0] == months[-1]
    assert len(series.points) == (10 if worded else 11)  # December 2022 is a month before


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Apr - Mar 2023/24", YEAR),
        ("April-March", YEAR),
        ("Apr-Jun 2024", QUARTER),
        ("Oct–Dec 2024", QUARTER),
        ("Apr-Sep 2024", None),
    ],
)
def test_a_span_of_months_is_the_period_type_its_length_is(text, expected):
    """A whole financial year written as a span of months read as quarterly (found by an audit
    of the SPC rules)."""
    assert kind(text) == expected
