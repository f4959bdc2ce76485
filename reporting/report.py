"""A closed quarter's board report, read from its snapshot alone (never from live data, so a
later edit cannot change it): the summary, exceptions first, measures, what falls due next
quarter, and every milestone."""

from dataclasses import dataclass, field

from milestones.status import CLOSED
from objectives.models import MADE_UP
from reporting import changes, structure_changes
from reporting.models import Level, ReportingPeriod, SnapshotItem
from reporting.risk_snapshots import risk_report
from strategy_tracker.status import DISPLAY_ORDER, Rag

EXCEPTION_RAGS = (Rag.RED.value, Rag.AMBER.value)


@dataclass
class ObjectivePart:
    row: SnapshotItem
    milestones: list[SnapshotItem] = field(default_factory=list)
    measures: list[SnapshotItem] = field(default_factory=list)  # and context indicators


@dataclass
class PriorityPart:
    row: SnapshotItem
    objectives: list[ObjectivePart] = field(default_factory=list)
    measures: list[SnapshotItem] = field(default_factory=list)  # its own, not its objectives'


@dataclass
class QuarterReport:
    period: ReportingPeriod
    overall: SnapshotItem | None = None
    priorities: list[PriorityPart] = field(default_factory=list)
    measures: list[SnapshotItem] = field(default_factory=list)
    context: list[SnapshotItem] = field(default_factory=list)
    milestones: list[SnapshotItem] = field(default_factory=list)
    rows: list[SnapshotItem] = field(default_factory=list)  # every row, in document order

    @property
    def exceptions(self) -> list[SnapshotItem]:
        """Red and amber milestones and measures: red first, then the soonest due."""
        rows = [r for r in self.milestones + self.measures if r.rag in EXCEPTION_RAGS]
        return sorted(
            rows,
            key=lambda r: (r.rag != Rag.RED.value, r.due_date is None, r.due_date, r.position),
        )

    @property
    def due_next_quarter(self) -> list[SnapshotItem]:
        following = self.period.financial_quarter.next()
        return [
            r
            for r in self.milestones
            if r.due_date
            and following.start <= r.due_date <= following.end
            and r.status not in CLOSED  # done with, or never to be done: nothing falls due
        ]

    @property
    def charted(self) -> list[SnapshotItem]:
        """The measures with a chart kept at close (one with no figures has none)."""
        return [r for r in self.measures if r.chart_figure]

    @property
    def is_empty(self) -> bool:
        return not (self.milestones or self.measures or self.context)


def quarter_report(
    period: ReportingPeriod, rows: list[SnapshotItem] | None = None, charts: bool = True
) -> QuarterReport:
    """The report of a closed period, in one query; of `rows` of its snapshot (in document
    order) if given: the public view's, without its private items. With `charts=False` (a
    page that draws none), the measures' kept charts are not read: they are most of a
    snapshot's bytes."""
    report = QuarterReport(period)
    priority = objective = None
    if rows is None:  # the charts are drawn already (chart_figure): their data is not read
        unread = ("chart",) if charts else ("chart", "chart_figure")
        rows = list(period.snapshot_rows().defer(*unread))
    report.rows = rows
    for row in report.rows:
        if row.level == Level.STRATEGY:
            report.overall = row
        elif row.level == Level.PRIORITY:
            priority, objective = PriorityPart(row), None
            report.priorities.append(priority)
        elif row.level == Level.OBJECTIVE:
            objective = ObjectivePart(row)
            priority.objectives.append(objective)
        elif row.level == Level.MILESTONE:
            if objective is not None:  # a snapshot always has one; a hand-made row may not
                objective.milestones.append(row)
            report.milestones.append(row)
        else:  # a measure or context indicator: its priority's own, or its objective's
            if objective or priority:
                (objective or priority).measures.append(row)
            (report.measures if row.level == Level.MEASURE else report.context).append(row)
    report.measures.sort(key=lambda r: (DISPLAY_ORDER.index(Rag(r.rag)), r.position))
    return report


def report_context(
    period: ReportingPeriod,
    since: ReportingPeriod | None = None,
    closed_before: list[ReportingPeriod] | None = None,
) -> dict:
    """What the report's templates read: the page, its PDF and a board pack's part. What
    changed is counted since `since`, an earlier closed quarter, or else the one before
    (found among `closed_before`, the strategy's earlier closed quarters, if read already)."""
    report = quarter_report(period)
    earlier = since or changes.previous_closed(period, among=closed_before)
    risks = risk_report(period, earlier)
    window, structure = structure_changes.of_report(period)
    return {
        "structure_window": window,
        "structure_changes": structure,
        "strategy": period.strategy,
        "period": period,
        "heading": period.heading,
        "report": report,
        "changes": changes.compare(earlier, period, report.rows),
        "risks": risks,
    }


def earlier_closed(period: ReportingPeriod):
    """The strategy's closed quarters before `period`, newest first: what it can be compared
    with."""
    return (
        ReportingPeriod.objects.filter(strategy_id=period.strategy_id, state="closed")
        .before(period.financial_quarter)
        .order_by("-year", "-quarter")
    )


def pdf_title(context: dict) -> str:
    """The name in a report's PDF footer, on every page: a page taken out of the board
    papers still says when the strategy is made up."""
    title = f"Board report {context['period'].label}: {context['heading']['title']}"
    if context["heading"].get("illustrative"):
        title += MADE_UP
    return title
