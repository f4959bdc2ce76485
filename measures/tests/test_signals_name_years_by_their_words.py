"""A measure's SPC signals name a year's figures by their words ("2008/09 to 2012/13"), as
the SPC table beside them does, not by the days they are filed under ("31 Mar 2009")."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from measures.models import MeasureValue
from tests.factories import make_measure, make_objective

pytestmark = pytest.mark.django_db

YEARS = [
    (dt.date(y + 1, 3, 31), Decimal(100 + i), f"{y}/{(y + 1) % 100:02d}")
    for i, y in enumerate(range(2008, 2024))
]


def test_the_spc_signals_name_a_years_figures_by_their_words(client, board_member):
    measure = make_measure(make_objective(), code="ADM", name="Admissions", direction="lower")
    for end, value, words in YEARS:
        MeasureValue.objects.create(measure=measure, period_end=end, period_text=words, value=value)
    client.force_login(board_member)

    html = client.get("/measures/ADM/").content.decode()

    signals = re.search(r'id="spc-signals">(.*?)</ul>', html, re.S).group(1)
    assert "2008/09" in signals or "2023/24" in signals, signals
    assert not re.search(r"\d{1,2} Mar 20\d\d", signals), signals
