"""A figure of years pooled between two financial years
breaks the yearly run it sits in."""

import datetime as dt
from decimal import Decimal

from measures.periods import YEAR, one_period_type

# 16 financial years, 2008/09 … 2023/24, each ending 31 March.
YEARS = [
    (dt.date(y + 1, 3, 31), Decimal(100 + i), f"{y}/{(y + 1) % 100:02d}")
    for i, y in enumerate(range(2008, 2024))
]
# Calendar years 2020-22, as Fingertips words them: ends 31 December 2022, between 2021/22
# (31 Mar 2022) and 2022/23 (31 Mar 2023).
POOLED = (dt.date(2022, 12, 31), Decimal(150), "2020-22")


def test_a_pooled_figure_between_two_years_leaves_the_yearly_run_whole():
    series = one_period_type([*YEARS, POOLED])
    assert series.kind == YEAR
    # 2021/22 and 2022/23 are one year apart: there is no break in the yearly series.
    assert [d for d, _ in series.points] == [d for d, _, _ in YEARS]
    assert [(v.period_text, v.why) for v in series.left_out] == [
        ("2020-22", "a pooled figure, not annual")
    ]
