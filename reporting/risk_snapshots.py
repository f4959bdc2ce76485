"""Strategic risks in the quarter's close and its board report: each open risk copied as it
stood at close (RiskSnapshot), and the report's view of them: above appetite, scores moved
since the quarter compared with, new and closed risks."""

from dataclasses import dataclass, field

from reporting.models import ReportingPeriod, RiskSnapshot
from risks.models import Risk, threatened
from risks.scoring import heat_map
from strategy_tracker.people import display_name

RISKS_KEPT = "risks_kept"  # in ReportingPeriod.as_closed
COPIED = [
    "number",
    "title",
    "inherent_likelihood",
    "inherent_impact",
    "current_likelihood",
    "current_impact",
    "target_likelihood",
    "target_impact",
    "appetite",
    "review_date",
]


def take(period: ReportingPeriod) -> int:
    """Copy the strategy's open risks into the period's snapshot (in the caller's
    transaction); how many."""
    risks = list(Risk.objects.open().filter(strategy_id=period.strategy_id).select_related("owner"))
    texts = threatened([risk.id for risk in risks])
    rows = [
        RiskSnapshot(
            period=period,
            risk_id=risk.id,
            owner=display_name(risk.owner) if risk.owner else "",
            threatens=texts[risk.id],
            review_overdue=risk.review_date <= period.quarter_end,
            **{name: getattr(risk, name) for name in COPIED},
        )
        for risk in risks
    ]
    RiskSnapshot.objects.bulk_create(rows)
    # Quarters closed before risks were kept have none to show or compare with.
    period.as_closed[RISKS_KEPT] = True
    return len(rows)


@dataclass
class Moved:
    row: RiskSnapshot
    before: RiskSnapshot

    @property
    def direction(self) -> str:
        return "up" if self.row.current_score > self.before.current_score else "down"


@dataclass
class RiskReport:
    rows: list[RiskSnapshot]
    earlier: ReportingPeriod | None
    moved: list[Moved] = field(default_factory=list)
    new: list[RiskSnapshot] = field(default_factory=list)
    closed: list[RiskSnapshot] = field(default_factory=list)  # open then, not at this close
    # The quarter compared with, when it closed before risks were kept: nothing to compare.
    unkept: ReportingPeriod | None = None

    @property
    def above_appetite(self) -> list[RiskSnapshot]:
        return sorted(
            (r for r in self.rows if r.above_appetite),
            key=lambda r: (-r.current_score, r.number),
        )

    @property
    def review_overdue(self) -> list[RiskSnapshot]:
        return [r for r in self.rows if r.review_overdue]

    @property
    def heat_map(self):
        return heat_map(self.rows)


def risk_report(period: ReportingPeriod, earlier: ReportingPeriod | None) -> RiskReport | None:
    """The period's risks, compared with `earlier`'s (a closed quarter, or None); None for a
    quarter closed before risks were kept."""
    if not period.as_closed.get(RISKS_KEPT):
        return None
    unkept = None
    if earlier is not None and not earlier.as_closed.get(RISKS_KEPT):
        earlier, unkept = None, earlier
    report = RiskReport(list(period.risk_snapshot.all()), earlier, unkept=unkept)
    if earlier is None:
        return report
    before = {r.risk_id: r for r in earlier.risk_snapshot.all()}
    now = {r.risk_id for r in report.rows}
    for row in report.rows:
        was = before.get(row.risk_id)
        if was is None:
            report.new.append(row)
        elif was.current_score != row.current_score:
            report.moved.append(Moved(row, was))
    report.closed = [r for risk_id, r in before.items() if risk_id not in now]
    return report
