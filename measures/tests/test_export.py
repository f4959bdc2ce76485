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
        ["measure_code", "period_end", "value", "note", "source", "period"],
        ["CNT", "2024-06-30", "1200", "Q1", "", ""],
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


# period_end, period_text: a financial year, a calendar year, years pooled, a quarter, a
# document's own wording the import would refuse, no wording, and a quarter's wording with
# its spaces not closed up (the import would store it otherwise).
WORDED = [
    (dt.date(2021, 6, 30), "April 2021 onwards"),
    (dt.date(2022, 12, 31), "2020-22"),
    (dt.date(2023, 3, 31), "2022/23"),
    (dt.date(2023, 6, 30), "2023/24 Q1"),
    (dt.date(2023, 9, 30), ""),
    (dt.date(2023, 12, 31), "2023"),
    (dt.date(2024, 3, 31), "2023 /  24 Q4"),
]


@pytest.fixture
def worded(measures):
    for n, (end, wording) in enumerate(WORDED):
        MeasureValue.objects.create(
            measure=measures["CNT"], period_end=end, period_text=wording, value=Decimal(n)
        )
    return measures["CNT"]


def _stored() -> list[tuple]:
    return list(
        MeasureValue.objects.order_by("period_end").values_list(
            "period_end", "period_text", "value", "note", "source"
        )
    )


def _import(client, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/measures/import/", {"file": SimpleUploadedFile("back.csv", data)})
    return response["Location"], client.get(response["Location"]).context["report"]


@pytest.mark.parametrize("url", ["/measures/CNT/values.csv", "/strategies/{slug}/figures.csv"])
def test_the_export_gives_each_period_in_its_own_words_last_where_the_import_reads_them(
    client, admin_user, worded, url
):
    """A yearly figure exported by its period end alone came back from an emptied
    installation named by its month ("Dec 2023"), as a month's figure."""
    client.force_login(admin_user)
    rows = _rows(client.get(url.format(slug=worded.strategy.slug)))
    assert rows[0][-1] == "period"
    assert [row[-1] for row in rows[1:]] == ["", "2020-22", "2022/23", "2023/24 Q1", "", "2023", ""]


def test_an_export_with_its_wordings_imports_back_unchanged(client, admin_user, worded):
    client.force_login(admin_user)
    exported = client.get(f"/strategies/{worded.strategy.slug}/figures.csv").content
    _, report = _import(client, exported)
    assert report.summary == f"0 new, 0 updated, {len(WORDED)} unchanged"


def test_an_export_rebuilds_an_emptied_installations_figures_with_their_wordings(
    client, admin_user, worded
):
    before = _stored()
    client.force_login(admin_user)
    exported = client.get("/measures/CNT/values.csv").content
    MeasureValue.objects.all().delete()
    location, report = _import(client, exported)
    assert report.summary == f"{len(WORDED)} new, 0 updated, 0 unchanged"
    client.post(location.rstrip("/") + "/confirm/")
    # Each wording as it was, but those the import would refuse or store otherwise, which
    # stay with the figure's source document.
    refused = {"April 2021 onwards", "2023 /  24 Q4"}
    assert _stored() == [(e, "" if w in refused else w, *rest) for e, w, *rest in before]
