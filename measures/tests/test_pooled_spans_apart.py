"""Years pooled over another span (five years beside three, financial beside calendar) are
figures of another period: the import refuses one over the other, and a chart neither joins
them into one run nor lets one break the other's."""

import datetime as dt
from decimal import Decimal

from measures.parsing import pooled_span
from measures.periods import POOLED, one_period_type


def test_pooled_spans_are_told_by_their_length_and_their_kind_of_year():
    assert pooled_span("2018-20") == (3, False)
    assert pooled_span("2017 - 2021") == (5, False)
    assert pooled_span("2019/20 - 2021/22") == (3, True)
    assert pooled_span("2024/25") is None


def test_a_five_year_pooled_rate_does_not_join_a_run_of_three_year_rates():
    values = [
        (dt.date(2020, 12, 31), Decimal(10), "2018-20"),
        (dt.date(2021, 12, 31), Decimal(50), "2017-21"),  # five years pooled
        (dt.date(2022, 12, 31), Decimal(11), "2020-22"),
        (dt.date(2023, 12, 31), Decimal(12), "2021-23"),
    ]
    series = one_period_type(values)
    assert dt.date(2021, 12, 31) not in [d for d, _ in series.points]
    assert ("2017-21", "a figure of 5 calendar years pooled, not 3 calendar years pooled") in [
        (v.period_text, v.why) for v in series.left_out
    ]


def test_a_financial_years_pool_is_not_a_break_in_a_calendar_years_pooled_run():
    values = [
        (dt.date(2022, 12, 31), Decimal(10), "2020-22"),
        (dt.date(2023, 12, 31), Decimal(11), "2021-23"),
        (dt.date(2024, 3, 31), Decimal(12), "2021/22 - 2023/24"),
        (dt.date(2024, 12, 31), Decimal(13), "2022-24"),
        (dt.date(2025, 12, 31), Decimal(14), "2023-25"),
    ]
    series = one_period_type(values)
    assert series.kind == POOLED
    assert len(series.points) == 4, series
    assert [(v.period_text, v.why) for v in series.left_out] == [
        (
            "2021/22 - 2023/24",
            "a figure of 3 financial years pooled, not 3 calendar years pooled",
        )
    ]
