from objectives.progress import Item
from strategy_tracker.status import DISPLAY_ORDER


def spc_summary_rows(items: list[Item]) -> list[dict]:
    """One row per measure, with sort keys for every column (None sorts last)."""
    rows = []
    for item in items:
        measure, spc = item.obj, item.spc
        variation = spc.variation.label if spc and spc.variation else "~ none"
        assurance = spc.assurance.label if spc and spc.assurance else "~ none"
        rows.append(
            {
                "item": item,
                "name": measure.name,
                "rag": DISPLAY_ORDER.index(item.status.rag),
                "variation": variation,
                "assurance": assurance,
                "latest": float(measure.latest_value)
                if measure.latest_value is not None
                else float("-inf"),
            }
        )
    return rows


# (sort key, heading): the SPC summary's columns, each sortable.
SPC_COLUMNS = [
    ("name", "Measure"),
    ("rag", "RAG"),
    ("variation", "Variation"),
    ("assurance", "Assurance"),
    ("latest", "Latest value"),
]


class SpcSummary:
    """The dashboard's SPC summary: spc_summary_rows() sorted by the `spc-sort` query
    parameter (a column's key, "-" first for descending; worst RAG first by default).

    A plain template draws it: as a django-tables2 table, rendering its cells one call each
    was a third of the dashboard's time."""

    def __init__(self, items: list[Item], sort: str = ""):
        self.rows = spc_summary_rows(items)
        descending, key = sort.startswith("-"), sort.lstrip("-")
        if key not in dict(SPC_COLUMNS):
            descending, key = False, "rag"
        self.sort_key, self.descending = key, descending
        self.rows.sort(key=lambda row: row[key], reverse=descending)

    @property
    def columns(self) -> list[dict]:
        """Each heading with the sort its link asks for and its aria-sort."""
        columns = []
        for key, heading in SPC_COLUMNS:
            current = key == self.sort_key
            columns.append(
                {
                    "key": key,
                    "heading": heading,
                    "sort": f"-{key}" if current and not self.descending else key,
                    "aria_sort": ("descending" if self.descending else "ascending")
                    if current
                    else "none",
                }
            )
        return columns
