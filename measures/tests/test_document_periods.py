"""A document's own periods, kept as it words them (found by a pass that built two real
strategies)."""

import datetime as dt
from decimal import Decimal

import pytest

from measures.csv_files import CsvRow
from measures.importing import Figure, MeasureRules, check_row
from measures.models import Measure
from tests.factories import make_measure

TODAY = dt.date(2026, 12, 2)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "end, wording, month",
    [
        # A three-year pooled rate, as suicide and under-75 mortality rates are published.
        (dt.date(2023, 12, 31), "2021-23", "Dec 2023"),
        (dt.date(2023, 12, 31), "2021–2023", "Dec 2023"),
        # An academic year (school readiness, GCSEs), filed under a quarter's end.
        (dt.date(2023, 6, 30), "2022/23 academic year", "Jun 2023"),
        # An annual survey.
        (dt.date(2024, 12, 31), "2024 survey", "Dec 2024"),
    ],
)
def test_the_status_reason_gives_the_baseline_period_the_admin_typed_not_a_month(
    end, wording, month
):
    """The editor's "Baseline period (document wording)" is shown on the measure's page
    ("Baseline 11.2 (2021-23)"), but the status reason on the dashboard, the board report,
    the "as at" and public pages says "the baseline is 11.2 (Dec 2023)": a month's figure,
    which the document never gave."""
    made = make_measure(
        unit="number",
        direction="lower",
        baseline_value=Decimal("11.2"),
        baseline_period=end,
        baseline_period_text=wording,
        target_value=Decimal("10"),
        target_date=dt.date(2028, 3, 31),
    )
    measure = Measure.objects.with_latest_value().get(pk=made.pk)
    reason = measure.rag(TODAY).reason
    assert month not in reason, reason
    assert wording in reason, reason


RULES = {"SMK": MeasureRules(id=7, unit="%", baseline_period=None, low=0, high=100)}


@pytest.mark.parametrize(
    "period_end, period",
    [
        ("2026-03-31", "2025/26"),  # a financial year's figure
        ("2025-12-31", "2025"),  # a calendar year's figure (adult smoking prevalence)
    ],
)
def test_a_years_figure_can_be_imported_with_the_years_own_wording(period_end, period):
    """An annual figure can come in only by its end date: the `period` column refuses
    "2025/26" ("is not a financial quarter such as 2024/25 Q1") without saying how else to
    give it. Filed by date alone, every page then names it by its month ("Latest 14.6%
    (Dec 2025)" in the board report), which reads as December's figure: the README's own
    example of a misstatement ("Mar 2022" for a year)."""
    checked = check_row(
        CsvRow(
            2, {"measure_code": "SMK", "period_end": period_end, "period": period, "value": "14.6"}
        ),
        RULES,
        {},
        TODAY,
    )
    assert isinstance(checked, Figure), checked
    assert checked.texts.get("period_text") == period
