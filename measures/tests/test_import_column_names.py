"""Headings the import reads by another name: the read API's values CSV calls the measure's
code `measure` (measures/columns.py, `other_names`)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measures.csv_files import CsvFileError, open_csv
from measures.models import MeasureValue

pytestmark = pytest.mark.django_db
LIMIT = 10_000_000


def test_a_measure_column_is_read_as_measure_code(signed_in_admin, measures):
    data = b"measure,period_end,value\r\nCNT,2024-06-30,1200\r\n"
    response = signed_in_admin.post(
        reverse("measures:import_start"), {"file": SimpleUploadedFile("f.csv", data)}
    )
    page = signed_in_admin.get(response["Location"])

    assert page.context["report"].totals["new"] == 1
    assert page.context["report"].csv.extra_columns == []
    assert "Column measure read as measure_code." in page.content.decode()
    assert not MeasureValue.objects.filter(period_end=dt.date(2024, 6, 30)).exists()


def test_beside_a_measure_code_column_a_measure_column_is_ignored():
    parsed = open_csv(b"measure_code,measure,period_end,value\r\nCNT,x,2024-06-30,1\r\n", LIMIT)
    assert parsed.columns == ["measure_code", "measure", "period_end", "value"]
    assert parsed.extra_columns == ["measure"] and parsed.read_as == []


def test_a_heading_twice_is_named_as_the_file_has_it():
    with pytest.raises(CsvFileError, match="The header names measure more than once"):
        open_csv(b"measure,measure,period_end,value\r\nCNT,CNT,2024-06-30,1\r\n", LIMIT)
