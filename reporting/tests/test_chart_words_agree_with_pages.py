"""A board report's chart in words against the same report's measures table and the measure's
page: the same latest, and means and limits written alike (thousands, money with its £)."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from measures.models import MeasureValue
from reporting.quarters import Quarter
from reporting.tests.helpers import close_quarter
from tests.factories import make_measure, make_objective, make_priority, make_strategy, make_value

pytestmark = pytest.mark.django_db


def _strategy():
    strategy = make_strategy(slug="w", period_start=dt.date(2022, 4, 1))
    return strategy, make_objective(make_priority(strategy, number=1), number=1)


def _report(client, strategy, period):
    url = reverse("reporting:period_report", args=[strategy.slug, period.pk])
    return client.get(url).content.decode()


def _chart_words(page: str, code: str) -> str:
    start = page.index(f"({code}) Trend and SPC chart") if f"({code}) Trend" in page else 0
    at = page.index("Chart of", start)
    return re.sub(r"<[^>]+>", "", page[at : page.index("</", at)])


def test_money_chart_words_give_mean_and_limits_with_the_pound(signed_in):
    """The chart's words write the latest and the target as £…, but the mean and the limits
    of the same £ measure as bare numbers ("Mean 1,553,000. Process limits … Target
    £3,000,000.")."""
    strategy, objective = _strategy()
    measure = make_measure(
        objective, code="SAVE", unit="£", direction="higher", target_value=3_000_000
    )
    quarter = Quarter.parse("2022/23 Q1")
    for i in range(16):
        make_value(measure, quarter.end, 1_500_000 + (i % 4) * 37_000 + i * 1_000)
        quarter = quarter.next()
    period = close_quarter(strategy, Quarter.parse("2025/26 Q4"))
    words = _chart_words(_report(signed_in, strategy, period), "SAVE")
    assert "Target £3,000,000" in words, words
    assert re.search(r"Mean £[\d,]+", words), words
    assert re.search(r"Process limits £[\d,]+ to £[\d,]+", words), words


def test_chart_words_latest_agrees_with_the_measures_latest(signed_in):
    """A quarterly series whose latest figure is the year's (2024/25): the report's measures
    table, exceptions and status say latest 12,450 (2024/25); the chart's words under it say
    "latest 3,100 in Dec 2024"."""
    strategy, objective = _strategy()
    measure = make_measure(
        objective, code="CHECKS", unit="count", direction="higher", target_value=15_000
    )
    quarter = Quarter.parse("2023/24 Q1")
    for value in [2500, 2600, 2700, 2800, 2900, 3000, 3100]:
        make_value(measure, quarter.end, value)
        quarter = quarter.next()
    MeasureValue.objects.create(
        measure=measure, period_end=dt.date(2025, 3, 31), value=12450, period_text="2024/25"
    )
    period = close_quarter(strategy, Quarter.parse("2024/25 Q4"))
    page = _report(signed_in, strategy, period)
    assert "12,450" in page and "2024/25" in page  # the table's latest value
    words = _chart_words(page, "CHECKS")
    assert "latest 3,100" not in words, words


def test_measure_page_spc_table_groups_thousands_in_mean_and_limits(signed_in):
    """The measure page's SPC table writes each value with thousands (1,626,000) but the mean
    and limits on the same row without them (1563083.33)."""
    strategy, objective = _strategy()
    measure = make_measure(
        objective, code="SAVE2", unit="£", direction="higher", target_value=3_000_000
    )
    quarter = Quarter.parse("2022/23 Q1")
    for i in range(16):
        make_value(measure, quarter.end, 1_500_000 + (i % 4) * 37_000 + i * 1_000)
        quarter = quarter.next()
    page = signed_in.get(reverse("measures:detail", args=["SAVE2"])).content.decode()
    table = page[page.index("SPC chart as a table") :]
    table = table[: table.index("</table>")]
    assert "1,626,000" in table  # the value column
    assert not re.search(r">\d{4,}\.\d\d<", table), re.findall(r">\d{4,}\.\d\d<", table)[:3]
