"""A public strategy's open data: its figures as CSV and its structure as the project's JSON
format, each stating the organisation's licence. Both say only what the public pages say:
figures as the closed quarters' reports showed them (never a figure entered since), and no
private item, owner or progress in the structure."""

import csv
import json

from measures.exporting import neutralise
from objectives.strategy_json import export_strategy, strategy_queryset
from public.models import Kind, Licence
from public.pages import PublicStrategy
from public.privacy import is_hidden
from reporting.models import Level, SnapshotItem
from reporting.quarters import Quarter

FIGURES_HEADER = [
    "measure",
    "name",
    "unit",
    "period_end",
    "value",
    "reported_in",
    "licence",
    "illustrative",
]
ILLUSTRATIVE = "Illustrative data: made up, not from a published document"
# The structure without progress: leads' reports and figures are in the public pages and the
# figures file, as the closed quarters showed them.
LIVE_MILESTONE_FIELDS = ("status", "forecast_date", "commentary", "owner", "delegates")
LIVE_MEASURE_FIELDS = ("values",)


class _Line:
    def write(self, line: str) -> str:
        return line


def reported_figures(public: PublicStrategy) -> dict[tuple[str, str], tuple]:
    """Each measure's figures as the closed quarters' reports charted them, by (code, period
    end): the latest report's figure for a period, which a restatement may have changed.
    Read newest quarter first, so the first figure found for a period is the one kept."""
    rows = (
        SnapshotItem.objects.filter(
            period__strategy=public.strategy,
            period__state="closed",
            level__in=[Level.MEASURE, Level.CONTEXT],
        )
        .order_by("-period__year", "-period__quarter", "position")
        .values_list(
            "level",
            "object_id",
            "number",
            "title",
            "unit",
            "chart",
            "period__year",
            "period__quarter",
        )
    )
    figures: dict[tuple[str, str], tuple] = {}
    for level, object_id, code, name, unit, chart, year, quarter in rows.iterator():
        if is_hidden(level, object_id, public.hidden):
            continue
        for point in (chart or {}).get("points", []):
            period_end, value = point[0], point[1]
            figures.setdefault((code, period_end), (name, unit, value, year, quarter))
    return figures


def figures_csv(public: PublicStrategy):
    """The figures file's lines, sorted by measure and period."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(FIGURES_HEADER)  # the mark tells Excel the file is UTF-8
    licence = Licence(public.open_data.licence).label
    illustrative = ILLUSTRATIVE if public.strategy.illustrative else ""
    for (code, period_end), (name, unit, value, year, quarter) in sorted(
        reported_figures(public).items()
    ):
        yield writer.writerow(
            [
                neutralise(code),
                neutralise(name),
                neutralise(unit),
                period_end,
                _number(value),
                Quarter(year, quarter).label,
                licence,
                illustrative,
            ]
        )


def _number(value) -> str:
    """A charted figure as it was entered: 23.2, not 23.200000000000003; 1200, not 1200.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value)


def structure_json(public: PublicStrategy) -> str:
    """The strategy's structure as the project's JSON format, with its licence."""
    strategy = strategy_queryset().get(pk=public.strategy.pk)
    data = export_strategy(strategy)
    del data["strategy"]["status"]  # whether it is a draft is the app's business
    data["licence"] = {
        "name": Licence(public.open_data.licence).label,
        "url": public.open_data.licence_url,
        "publisher": strategy.organisation.name,
    }
    shown = _Shown(public.hidden)
    data["priorities"] = [
        shown.priority(priority, part)
        for priority, part in zip(strategy.priorities.all(), data["priorities"], strict=True)
        if shown.includes(Kind.PRIORITY, priority)
    ]
    return json.dumps(data, indent=2, ensure_ascii=False)


class _Shown:
    """Prunes the export's dicts, walked beside the items they were made from (in the same
    order), of private items and of progress."""

    def __init__(self, hidden: set[tuple[str, int]]):
        self.hidden = hidden

    def includes(self, kind: str, item) -> bool:
        return (kind, item.pk) not in self.hidden

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


def _without(data: dict, names: tuple[str, ...]) -> dict:
    return {key: value for key, value in data.items() if key not in names}
