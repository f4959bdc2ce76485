import csv
import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest

from measures.models import MeasureValue

pytestmark = pytest.mark.django_db


def _rows(response) -> list[list[str]]:
    return list(csv.reader(StringIO(response.content.decode("utf-8-sig"))))


def test_a_measures_figures_download_in_the_import_format(client, board_member, measures):
    MeasureValue.objects.create(
        measure=measures["CNT"],
        period_end=dt.date(2024, 6, 30),
        value=Decimal("1200.0000"),
        note="Q1",
    )
    client.force_login(board_member)
    response = client.get("/measures/CNT/values.csv")
    assert response["Content-Disposition"] == 'attachment; filename="CNT.csv"'
    assert _rows(response) == [
        ["measure_code", "period_end", "value", "note", "source"],
        ["CNT", "2024-06-30", "1200", "Q1", ""],
    ]


@pytest.mark.parametrize("text", ["=1+1", "+44 1234", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(
    client, board_member, measures, text
):
    MeasureValue.objects.create(
        measure=measures["NUM"],
        period_end=dt.date(2024, 6, 30),
        value=Decimal("-3"),
        note=text,
        source=text,
    )
    client.force_login(board_member)
    row = _rows(client.get("/measures/NUM/values.csv"))[1]
    assert row[3] == "'" + text and row[4] == "'" + text
    assert row[2] == "-3"  # a number we wrote is left a number


def test_a_strategys_figures_download_together(client, board_member, measures):
    strategy = measures["CNT"].strategy
    for code in ("CNT", "PCT"):
        MeasureValue.objects.create(
            measure=measures[code], period_end=dt.date(2024, 6, 30), value=Decimal(5)
        )
    client.force_login(board_member)
    rows = _rows(client.get(f"/strategies/{strategy.slug}/figures.csv"))
    assert [r[0] for r in rows[1:]] == ["CNT", "PCT"]


def test_an_exported_file_imports_back_unchanged(client, admin_user, measures):
    from django.core.files.uploadedfile import SimpleUploadedFile

    MeasureValue.objects.create(
        measure=measures["CNT"], period_end=dt.date(2024, 6, 30), value=Decimal(7), note="=risky"
    )
    client.force_login(admin_user)
    exported = client.get("/measures/CNT/values.csv").content
    response = client.post("/measures/import/", {"file": SimpleUploadedFile("back.csv", exported)})
    report = client.get(response["Location"]).context["report"]
    assert report.summary == "0 new, 0 updated, 1 unchanged"
