"""A figure's own wording and its period end name one period: the figures import reads both
from one cell; a strategy file, which gives them apart, is refused where the wording names
another period ("2020-22" on 30 June 2024), so no page names a figure by another period's
words (the Django admin shows figures read only)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from measures.models import MeasureValue
from objectives.models import Strategy
from objectives.strategy_json import StrategyImportError, export_strategy, import_strategy
from tests.factories import make_measure, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def measure():
    strategy = make_strategy(slug="words", title="Words")
    return make_measure(make_objective(make_priority(strategy, number=1), number=1), code="W-1")


def _value(measure, end, text) -> MeasureValue:
    return MeasureValue(measure=measure, period_end=end, period_text=text, value=Decimal(3))


@pytest.mark.parametrize(
    "end, text",
    [
        (dt.date(2024, 6, 30), "2020-22"),
        (dt.date(2024, 6, 30), "2023/24"),
        (dt.date(2024, 6, 30), "2024/25 Q2"),
        (dt.date(2024, 3, 31), "2024"),
    ],
)
def test_a_wording_of_another_period_is_refused(measure, end, text):
    with pytest.raises(ValidationError) as refused:
        _value(measure, end, text).full_clean()
    assert f"“{text}” ends on" in " ".join(refused.value.message_dict["period_text"])


@pytest.mark.parametrize(
    "end, text",
    [
        (dt.date(2022, 12, 31), "2020-22"),
        (dt.date(2024, 3, 31), "2023/24"),
        (dt.date(2024, 3, 31), "FY2023/24"),
        (dt.date(2024, 6, 30), "2024/25 Q1"),
        (dt.date(2023, 3, 31), "April 2021 onwards"),  # a document's wording, no period read
        (dt.date(2023, 3, 31), ""),
    ],
)
def test_a_wording_of_its_own_period_or_of_none_is_kept(measure, end, text):
    _value(measure, end, text).full_clean()


def test_a_strategy_file_naming_a_figure_by_another_period_loads_nothing(measure):
    _value(measure, dt.date(2024, 6, 30), "2024/25 Q1").save()
    data = export_strategy(measure.strategy)
    Strategy.objects.all().delete()
    data["priorities"][0]["objectives"][0]["measures"][0]["values"][0]["period_text"] = "2020-22"

    with pytest.raises(StrategyImportError, match="value 1: period_text: “2020-22” ends on"):
        import_strategy(data, today=dt.date(2025, 1, 1))
    assert not MeasureValue.objects.exists()
