"""Values as a CSV stream, for Power BI's web connector and Excel: every value the filters
pick, read from the database a few thousand rows at a time and sent as it is read, so
memory stays flat however many there are.

The file imports back as it is (Import figures): `measure` is another name of the import's
`measure_code`, and `restated` and `illustrative` are ignored there. `period`, the import's own
column for a period's wording, and `illustrative` (true for the example strategy's made-up
figures) came last, so a report that reads the columns by place reads them as before."""

from measures.exporting import line_writer, neutralise, period_cell

HEADER = ["measure", "period_end", "value", "note", "source", "restated", "period", "illustrative"]
ROWS_PER_CHUNK = 2000


def csv_lines(values):
    """The CSV text of `values` (a MeasureValue queryset), a chunk of rows at a time."""
    writer = line_writer()
    yield "\ufeff" + writer.writerow(HEADER)  # the mark tells Excel the file is UTF-8
    rows = values.values_list(
        "measure__code",
        "period_end",
        "value",
        "note",
        "source",
        "restated",
        "period_text",
        "illustrative",
    )
    chunk = []
    for code, period_end, value, note, source, restated, wording, made_up in rows.iterator(
        chunk_size=ROWS_PER_CHUNK
    ):
        number = format(value.normalize(), "f")  # 1200.0000 → 1200: a number stays a number
        cells = [
            neutralise(code),
            period_end.isoformat(),
            number,
            neutralise(note),
            neutralise(source),
        ]
        restated_cell = _yes(restated)
        wording = period_cell(wording, period_end)
        chunk.append(writer.writerow([*cells, restated_cell, wording, _yes(made_up)]))
        if len(chunk) == ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def _yes(flag: bool) -> str:
    return "true" if flag else "false"
