"""A year and its last quarter end the same day, and a measure keeps one figure per period end:
a file giving one where the other is stored is refused, not passed as a change of wording
(found by a pass following a rate per 100,000 with yearly figures end to end)."""

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from measures.models import MeasureValue
from tests.factories import make_measure, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    page = body.decode("utf-8-sig")
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def _suicides(slug="s"):
    strategy = make_strategy(slug=slug, period_start=dt.date(2023, 4, 1))
    objective = make_objective(make_priority(strategy, number=1), number=1)
    measure = make_measure(
        objective,
        code="SUI",
        name="Suicide rate",
        unit="rate per 100,000",
        direction="lower",
        baseline_value=Decimal("11.2"),
        baseline_period=dt.date(2023, 12, 31),
        baseline_period_text="2021-23",
        target_value=Decimal("9.5"),
        target_date=dt.date(2028, 3, 31),
        tolerance=Decimal("0.5"),
    )
    return strategy, measure


def _value(measure, end, words, value):
    return MeasureValue.objects.create(
        measure=measure, period_end=end, period_text=words, value=Decimal(value)
    )


def _import(client, text: str, tick: bool = False):
    response = client.post(
        "/measures/import/", {"file": SimpleUploadedFile("f.csv", text.encode())}, follow=True
    )
    page = response.content.decode()
    seen = re.search(r'name="restatements_seen" value="([^"]*)"', page)
    data = {"restatements_confirmed": "on"} if tick else {}
    if seen:
        data["restatements_seen"] = seen.group(1)
    pk = response.resolver_match.kwargs["pk"]
    return _text(response), client.post(f"/measures/import/{pk}/confirm/", data)


@pytest.mark.parametrize(
    "stored, imported",
    [
        ("2024/25 Q4", "2024/25"),  # the year over its last quarter
        ("2024/25", "2024/25 Q4"),  # the quarter over its year
    ],
)
def test_a_year_imported_over_its_last_quarter_is_not_passed_as_a_change_of_wording(
    client, admin_user, stored, imported
):
    """2024/25 Q4 and the year 2024/25 both end on 31 March 2025, and a measure holds one
    figure per period end. A file giving the year (or the quarter) where the other is stored,
    with the same number, is previewed as "Update: the period's wording, note or source only
    … the figure stays as it is", needs no tick, and on confirm the quarter's figure is
    gone: the board now reads a quarterly rate as the year's (or the year's as a quarter's),
    and the quarterly SPC run loses its latest point, unasked."""
    _, measure = _suicides()
    _value(measure, dt.date(2025, 3, 31), stored, "2.5")
    client.force_login(admin_user)
    preview, confirmed = _import(client, f"measure_code,period,value\nSUI,{imported},2.5\n")
    assert "the figure stays as it is" not in preview, preview[preview.find("Preview") :][:600]
    assert MeasureValue.objects.get(measure=measure).period_text == stored, (
        f"{stored}'s figure replaced by {imported}'s without a tick or a word"
    )
    assert "another period ending that day" in preview
