"""The columns of a file of figures, defined once: the import reads them, the template and the
CSV export write them, and a strategy's JSON carries the value fields among them.

A new column of free text needs only a `MeasureValue` text field and its line below: the
import stores its cell (a spreadsheet's formula guard taken off, the length checked against
the field, an empty cell keeping what is there), the preview shows it, the export and the
template write it, the history keeps it and the JSON carries it.
"""

from dataclasses import dataclass

from measures.models import MeasureValue


@dataclass(frozen=True)
class Column:
    name: str  # as the file's header has it
    field: str = ""  # the MeasureValue field it fills; "" if it is not stored
    required: bool = False
    # In the CSV export, in this order. A period's own wording is not among them: it need not
    # be a period the import reads ("published in December 2012"), and an exported file must
    # import back unchanged, so the export adds it last where the import reads it back
    # (exporting.period_cell).
    exported: bool = True
    # Other headings the import reads as this column, where the file has no column of its name.
    other_names: tuple[str, ...] = ()


COLUMNS = [
    # The read API's values CSV calls it "measure", a name Power BI reports are built on.
    Column("measure_code", "measure", required=True, other_names=("measure",)),
    Column("measure_name", exported=False),  # the template's reminder of what a code is
    Column("period", "period_text", exported=False),
    Column("period_end", "period_end"),
    Column("value", "value", required=True),
    Column("note", "note"),
    Column("source", "source"),
]
NAMES = [c.name for c in COLUMNS]
OTHER_NAMES = {other: c.name for c in COLUMNS for other in c.other_names}
PERIOD_COLUMNS = ("period_end", "period")  # a row names its period by either, or both
# Free text, stored as typed: every stored text column but the period's wording.
TEXT_COLUMNS = [
    c
    for c in COLUMNS
    if c.name != "period"
    and c.field
    and MeasureValue._meta.get_field(c.field).get_internal_type() in ("CharField", "TextField")
]
# What an import may change in a stored value (its measure and period are what it is).
WRITTEN_FIELDS = [c.field for c in COLUMNS if c.field not in ("", "measure", "period_end")]
# The stored fields in the model's order: a value's own fields in a strategy's JSON.
VALUE_FIELDS = [
    f.name
    for f in MeasureValue._meta.concrete_fields
    if f.name in {c.field for c in COLUMNS} and f.name != "measure"
]
