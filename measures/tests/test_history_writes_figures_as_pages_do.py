"""The measure page's history writes a restated figure as the board report does, "£1,950,000
→ £1,987,000" (not "1950000 → 1987000"), and names a year's figure by its wording, not the day
it ends (README: figures in words, £1,234,567, "for pages and status reasons alike")."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from measures.models import MeasureValue
from tests.factories import make_measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def restated():
    measure = make_measure(code="SAVE", unit="£", direction="higher", target_value=3_000_000)
    value = MeasureValue.objects.create(
        measure=measure, period_end=dt.date(2025, 3, 31), value=1_950_000, period_text="2024/25"
    )
    value.value = Decimal(1_987_000)
    value.save()
    return measure


def _history(page: str) -> str:
    return page[page.index("History of changes") :]


def test_history_writes_a_restated_money_figure_as_pages_do(signed_in, restated):
    history = _history(signed_in.get(reverse("measures:detail", args=["SAVE"])).content.decode())
    assert "1950000" not in history, history[:1500]
    assert "£1,950,000" in history and "£1,987,000" in history


def test_history_names_a_years_figure_by_its_wording(signed_in, restated):
    history = _history(signed_in.get(reverse("measures:detail", args=["SAVE"])).content.decode())
    assert "period ending 31 Mar 2025" not in history
    assert "2024/25" in history
