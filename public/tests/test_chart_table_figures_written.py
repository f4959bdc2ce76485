"""The public measure page's "figures in the chart" table writes the mean and limits as the
board's measure page does (471.83), never as raw floats ("471.8333333333333")."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from public.models import Publication
from reporting.quarters import Quarter
from reporting.tests.helpers import close_quarter
from tests.factories import make_measure, make_objective, make_priority, make_strategy, make_value

pytestmark = pytest.mark.django_db

# The illustrative example's long waits (18 quarters, one restated to 1,234): mean 471.8333…
WAITS = [420, 405, 398, 410, 392, 385, 379, 388, 376, 381, 402, 431, 456, 478, 495, 512, 1234, 551]


@pytest.fixture
def published():
    strategy = make_strategy(slug="pub", period_start=dt.date(2022, 4, 1))
    objective = make_objective(make_priority(strategy, number=1), number=1)
    measure = make_measure(
        objective, code="WAITS", unit="count", direction="lower", target_value=150
    )
    quarter = Quarter.parse("2022/23 Q1")
    for value in WAITS:
        make_value(measure, quarter.end, value)
        quarter = quarter.next()
    close_quarter(strategy, Quarter.parse("2026/27 Q2"))
    Publication.objects.create(strategy=strategy, is_public=True)
    return strategy


def _table(html: str) -> str:
    return html[html.index('id="figures"') :]


def test_public_chart_table_has_no_raw_float_mean_or_limits(client, published):
    page = client.get(reverse("public:measure", args=["pub", "2026-27-q2", "WAITS"]))
    assert page.status_code == 200
    long_decimals = re.findall(r"\d+\.\d{5,}", _table(page.content.decode()))
    # Before a fix: ['471.8333333333333', '726.4109803921568', '217.25568627450977', ...]
    assert long_decimals == [], long_decimals[:3]


def test_public_chart_table_agrees_with_the_board_measure_page(client, published, board_member):
    public = _table(
        client.get(reverse("public:measure", args=["pub", "2026-27-q2", "WAITS"])).content.decode()
    )
    client.force_login(board_member)
    live = client.get(reverse("measures:detail", args=["WAITS"])).content.decode()
    assert ">471.83<" in live  # the board's SPC table: two places
    assert ">471.83<" in public
