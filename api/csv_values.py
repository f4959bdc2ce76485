"""Values as a CSV stream, for Power BI's web connector and Excel: every value the filters
pick, read from the database a few thousand rows at a time and sent as it is read, so
memory stays flat however many there are."""

from measures.exporting import line_writer, neutralise

HEADER = ["measure", "period_end", "value", "note", "source", "restated"]
ROWS_PER_CHUNK = 2000


def csv_lines(values):
    """The CSV text of `values` (a MeasureValue queryset), a chunk of rows at a time."""
    writer = line_writer()
    yield "\ufeff" + writer.writerow(HEADER)  # the mark tells Excel the file is UTF-8
    rows = values.values_list("measure__code", "period_end", "value", "note", "source", "restated")
    chunk = []
    for code, period_end, value, note, source, restated in rows.iterator(chunk_size=ROWS_PER_CHUNK):
        number = format(value.normalize(), "f")  # 1200.0000 → 1200: a number stays a number
        cells = [
            neutralise(code),
            period_end.isoformat(),
            number,
            neutralise(note),
            neutralise(source),
        ]
        chunk.append(writer.writerow([*cells, "true" if restated else "false"]))
        if len(chunk) == ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)
