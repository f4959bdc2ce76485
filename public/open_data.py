"""A public strategy's open data: its figures as CSV and its structure as the project's JSON
format, each stating the organisation's licence. Figures are those the closed quarters'
reports showed (never a figure entered since). The structure is the strategy's items as they
stand, the document's wording, dates, targets and definitions, limited to the items the
latest closed quarter showed the public: no private item, person, progress or value."""

import json

from measures.exporting import ILLUSTRATIVE, line_writer, neutralise
from measures.periods import own_wording
from objectives.strategy_json import export_strategy, strategy_queryset
from public.models import Kind, Licence
from public.pages import PublicStrategy
from public.privacy import KIND_OF_LEVEL, withheld
from reporting.models import Level

FIGURES_HEADER = [
    "measure",
    "name",
    "unit",
    "period_end",
    "value",
    "reported_in",
    "licence",
    "illustrative",
    # Last, so the columns before it keep their places: the source's wording of a year's or
    # a one-off period's figure ("2023/24"), which its period end alone would misstate as a
    # quarter's; empty for any other.
    "period",
]
# The structure without progress: leads' reports and figures are in the public pages and the
# figures file, as the closed quarters showed them.
LIVE_MILESTONE_FIELDS = (
    "status",
    "forecast_date",
    "commentary",
    "owner",
    "delegates",
    "last_updated_at",
    "last_updated_by",
)
LIVE_MEASURE_FIELDS = ("values",)


def reported_figures(public: PublicStrategy) -> dict[tuple[str, str], tuple]:
    """Each published measure's figures as the closed quarters' reports showed them, by
    (code, period end): those charted, and those each chart's words name as of another
    period type (a year's figure among quarterly ones, reporting/charts.py); the latest
    report's figure for a period, which a restatement may have changed. Quarters are read
    newest first, so the first figure found is kept."""
    figures: dict[tuple[str, str], tuple] = {}
    for period in public.periods():  # newest first
        rows = period.snapshot_rows().only("level", "object_id", "number", "title", "unit", "chart")
        for row, hidden in withheld(rows, public.hidden):
            if hidden or row.level not in (Level.MEASURE, Level.CONTEXT):
                continue
            chart = row.chart or {}
            wordings = chart.get("wordings", {})
            shown = [(p[0], p[1], wordings.get(p[0], "")) for p in chart.get("points", [])]
            shown += [
                (day, value, own_wording(words))
                for day, value, words, _ in chart.get("left_out", [])
            ]
            for day, value, wording in shown:
                figures.setdefault(
                    (row.number, day), (row.title, row.unit, value, period.label, wording)
                )
    return figures


def figures_csv(public: PublicStrategy):
    """The figures file's lines, sorted by measure and period."""
    writer = line_writer()
    yield "\ufeff" + writer.writerow(FIGURES_HEADER)  # the mark tells Excel the file is UTF-8
    licence = Licence(public.open_data.licence).label
    illustrative = ILLUSTRATIVE if public.strategy.illustrative else ""
    for (code, period_end), (name, unit, value, reported_in, wording) in sorted(
        reported_figures(public).items()
    ):
        yield writer.writerow(
            [
                neutralise(code),
                neutralise(name),
                neutralise(unit),
                period_end,
                _number(value),
                reported_in,
                licence,
                illustrative,
                neutralise(wording),
            ]
        )


def _number(value) -> str:
    """A charted figure (a float made from the stored decimal, whose shortest form is the
    figure as entered) as a spreadsheet reads it: 1200, not 1200.0; 23.2 stays 23.2."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value)


UNSHOWN_STRATEGY_TEXT = ("purpose", "aims", "values", "summary")


def structure_json(public: PublicStrategy) -> str:
    """The strategy's structure as the project's JSON format, with its licence."""
    strategy = strategy_queryset().get(pk=public.strategy.pk)
    data = export_strategy(strategy)
    del data["strategy"]["status"]  # whether it is a draft is the app's business
    data["strategy"].pop("sign_off", None)  # the approvers are people, and how it signs off too
    # Free text no public page shows, which may name an item kept private ("Our aims: …, a
    # great place to work"): the file says what the pages say.
    for name in UNSHOWN_STRATEGY_TEXT:
        data["strategy"].pop(name, None)
    data["licence"] = {
        "name": Licence(public.open_data.licence).label,
        "url": public.open_data.licence_url,
        "publisher": strategy.organisation.name,
    }
    shown = _Shown(public.hidden, _reported_items(public))
    data["priorities"] = [
        shown.priority(priority, part)
        for priority, part in zip(strategy.priorities.all(), data["priorities"], strict=True)
        if shown.includes(Kind.PRIORITY, priority)
    ]
    return json.dumps(data, indent=2, ensure_ascii=False)


class _Shown:
    """Prunes the export's dicts, walked beside the items they were made from (in the same
    order), of private items and of progress."""

    def __init__(self, hidden: set[tuple[str, int]], reported: set[tuple[str, int]]):
        self.hidden, self.reported = hidden, reported

    def includes(self, kind: str, item) -> bool:
        return (kind, item.pk) in self.reported and (kind, item.pk) not in self.hidden

    def priority(self, priority, data: dict) -> dict:
        data["objectives"] = [
            self.objective(objective, part)
            for objective, part in zip(priority.objectives.all(), data["objectives"], strict=True)
            if self.includes(Kind.OBJECTIVE, objective)
        ]
        data["measures"] = self.measures(priority.measures.all(), data["measures"])
        return data

    def objective(self, objective, data: dict) -> dict:
        data["milestones"] = [
            _without(part, LIVE_MILESTONE_FIELDS)
            for milestone, part in zip(objective.milestones.all(), data["milestones"], strict=True)
            if self.includes(Kind.MILESTONE, milestone)
        ]
        data["measures"] = self.measures(objective.measures.all(), data["measures"])
        return data

    def measures(self, measures, parts: list[dict]) -> list[dict]:
        return [
            _without(part, LIVE_MEASURE_FIELDS)
            for measure, part in zip(measures, parts, strict=True)
            if self.includes(Kind.MEASURE, measure)
        ]


def _reported_items(public: PublicStrategy) -> set[tuple[str, int]]:
    """(kind, id) of the items the latest closed quarter's report showed the public: an item
    added since, which an Admin may not yet have kept private, waits for the next close."""
    periods = public.periods()
    if not periods:
        return set()
    rows = periods[0].snapshot_rows().only("level", "object_id")
    return {
        (KIND_OF_LEVEL[row.level], row.object_id)
        for row, hidden in withheld(rows, public.hidden)
        if not hidden and row.level in KIND_OF_LEVEL
    }


def _without(data: dict, names: tuple[str, ...]) -> dict:
    return {key: value for key, value in data.items() if key not in names}
