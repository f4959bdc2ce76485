"""The read API's values CSV goes straight back through Import figures, as it downloads:
its `measure` column is read as the import's `measure_code`, `restated` is ignored, and
`period` carries each figure's own wording where the import reads it back."""

import csv
import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from api.models import ApiToken
from measures.models import MeasureValue
from objectives.models import Organisation
from strategy_tracker.roles import ADMIN
from tests.factories import make_measure, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db

FIGURES = [
    # period_end, period_text, value, note, source
    (dt.date(2023, 3, 31), "2022/23", Decimal("1200"), "=risky", "'-5 against plan"),
    (dt.date(2023, 6, 30), "2023/24 Q1", Decimal("12.3456"), "A note, with a comma", ""),
    (dt.date(2023, 9, 30), "", Decimal("-3"), "", "Local return"),
    (dt.date(2023, 12, 31), "2023", Decimal("7"), "Line one\nline two", ""),
]


@pytest.fixture
def admin(make_member):
    trust = Organisation.objects.create(name="Trust")
    strategy = make_strategy(slug="plan", organisation=trust)
    objective = make_objective(make_priority(strategy))
    measure = make_measure(objective, code="M1", unit="number")
    for period_end, wording, value, note, source in FIGURES:
        MeasureValue.objects.create(
            measure=measure,
            period_end=period_end,
            period_text=wording,
            value=value,
            note=note,
            source=source,
        )
    return make_member("ada", {trust: [ADMIN]})


def _values_csv(client, user) -> bytes:
    _, key = ApiToken.issue(user, "Round trip", days=5)
    response = client.get("/api/v1/values.csv", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _preview(client, data: bytes):
    upload = SimpleUploadedFile("values.csv", data)
    response = client.post(reverse("measures:import_start"), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"])


def _stored() -> list[tuple]:
    return list(
        MeasureValue.objects.order_by("period_end").values_list(
            "period_end", "period_text", "value", "note", "source"
        )
    )


def test_the_api_values_csv_imports_back_unchanged(client, admin):
    data = _values_csv(client, admin)
    client.force_login(admin)

    page = _preview(client, data)

    report = page.context["report"]
    assert report.totals == {"new": 0, "update": 0, "unchanged": 4, "error": 0}
    assert report.csv.extra_columns == ["restated", "illustrative"]  # shown as ignored
    assert report.csv.read_as == [("measure", "measure_code")]
    assert "Column measure read as measure_code." in page.content.decode()


def test_the_api_values_csv_rebuilds_the_figures_it_was_read_from(client, admin):
    before = _stored()
    data = _values_csv(client, admin)
    MeasureValue.objects.all().delete()
    client.force_login(admin)

    page = _preview(client, data)
    assert page.context["report"].totals == {"new": 4, "update": 0, "unchanged": 0, "error": 0}
    batch = page.context["batch"]
    response = client.post(reverse("measures:import_confirm", args=[batch.pk]))

    assert response.status_code == 302
    assert _stored() == before  # wording, note, source and value, each as it was


def test_a_wording_the_import_would_refuse_is_left_out_and_kept_on_import(client, admin):
    """A document's own wording ("April 2021 onwards") is no period the import reads: its
    cell is empty, which the import reads as "keep what is stored"."""
    MeasureValue.objects.filter(period_end=dt.date(2023, 9, 30)).update(
        period_text="April 2023 onwards"
    )
    data = _values_csv(client, admin)
    rows = list(csv.DictReader(StringIO(data.decode("utf-8-sig"))))
    assert [r["period"] for r in rows] == ["2022/23", "2023/24 Q1", "", "2023"]
    client.force_login(admin)

    page = _preview(client, data)
    batch = page.context["batch"]
    client.post(reverse("measures:import_confirm", args=[batch.pk]))

    assert page.context["report"].totals["unchanged"] == 4
    kept = MeasureValue.objects.get(period_end=dt.date(2023, 9, 30))
    assert kept.period_text == "April 2023 onwards"
