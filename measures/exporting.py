"""Figures out as CSV, in the import's own format, safe to open in a spreadsheet."""

import csv
from collections.abc import Iterable

from django.http import HttpResponse

from measures.models import MeasureValue

EXPORT_COLUMNS = ["measure_code", "period_end", "value", "note", "source"]
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unneutralise(text: str) -> str:
    """The text as it was before neutralise(), so an exported file imports back unchanged."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def values_csv_response(values: Iterable[MeasureValue], file_name: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response.write("\ufeff")  # so Excel reads the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(EXPORT_COLUMNS)
    for v in values:
        writer.writerow(
            [
                v.measure.code,
                v.period_end.isoformat(),
                format(v.value.normalize(), "f"),
                neutralise(v.note),
                neutralise(v.source),
            ]
        )
    return response
