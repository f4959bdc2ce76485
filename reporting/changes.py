"""What changed between two closed quarters of a strategy, from their snapshots alone: RAG
movers up and down at every level, milestones completed, slipped and newly overdue, new
figures and restated ones, SPC signals that started or ended, and milestones still without
an update this quarter."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from measures.periods import period_words
from reporting.models import Level, PeriodState, ReportingPeriod, SnapshotItem
from reporting.snapshots import shown_figures
from strategy_tracker.dates import short_day
from strategy_tracker.numbers import money_or_number
from strategy_tracker.status import SEVERITY, Rag

# (key, heading, phrase): the kinds of change, in the order the report lists them; the phrase
# reads after "Since 2024/25 Q1:" in a summary line.
KINDS = [
    ("worse", "Moved down", "moved down"),
    ("better", "Moved up", "moved up"),
    ("newly_overdue", "Newly overdue", "newly overdue"),
    ("slipped", "Slipped: expected later than last quarter", "slipped"),
    ("completed", "Completed", "completed"),
    ("cancelled", "Cancelled", "cancelled"),
    # Each item says why (its reason): no figure, target or date, nothing reported yet, or
    # made a context indicator, which is shown but never judged.
    ("unjudged", "Now without a status", "now unjudged"),
    ("removed", "No longer in the strategy", "removed"),
    ("restated", "Figures restated since that quarter's report", "figures restated"),
    ("new_figure", "New figures", "new figures"),
    ("signal_started", "SPC signals that started", "SPC signals started"),
    ("signal_ended", "SPC signals that ended", "SPC signals ended"),
    ("awaiting_approval", "Updated, but waiting for an approver's sign-off", "awaiting sign-off"),
    # Counted from when the quarter's returns opened (ReportingPeriod.returns_from), as the
    # return counts them: an update between the last close and then is not this quarter's.
    (
        "no_update",
        "Still without an update since this quarter's returns opened",
        "without an update",
    ),
]
COMMON = ("", "common_cause")


class EarlierItem:
    """What a comparison reads of the earlier quarter's item: read as plain values, which is
    several times faster than making a model instance of each of hundreds of rows."""

    FIELDS = (
        "level",
        "object_id",
        "number",
        "title",
        "rag",
        "status",
        "finding",
        "forecast_date",
        "due_date",
        "value_period_end",
        "variation",
        "unit",
    )

    def __init__(self, values: dict):
        self.__dict__.update(values)

    def get_level_display(self) -> str:
        return Level(self.level).label


@dataclass
class Change:
    row: "SnapshotItem | EarlierItem"  # an earlier item only when it was removed
    before: EarlierItem | None
    detail: str = ""


@dataclass
class QuarterChanges:
    earlier: ReportingPeriod | None
    later: ReportingPeriod
    found: dict[str, list[Change]] = field(default_factory=dict)

    @property
    def sections(self) -> list[tuple[str, str, list[Change]]]:
        return [(key, heading, self.found.get(key, [])) for key, heading, _ in KINDS]

    @property
    def counts(self) -> dict[str, int]:
        return {key: len(self.found[key]) for key, _, _ in KINDS if self.found.get(key)}

    @property
    def summary(self) -> list[tuple[str, int]]:
        """(phrase, how many) of each kind found, in order."""
        return [(phrase, len(self.found[key])) for key, _, phrase in KINDS if self.found.get(key)]


# Kept in change_counts in place of the counts by reporting/migrations/0017: counts kept at
# close under rules that have since changed are counted again when first read.
RECOUNT = "recount"


def kept_counts(period: ReportingPeriod) -> dict[str, int]:
    """The counts of each kind of change kept with a closed period, as its report lists them."""
    counts = period.change_counts
    if counts.get(RECOUNT):
        counts = compare(previous_closed(period), period).counts
        ReportingPeriod.objects.filter(pk=period.pk).update(change_counts=counts)
        period.change_counts = counts
    return counts


def previous_closed(
    period: ReportingPeriod, among: list[ReportingPeriod] | None = None
) -> ReportingPeriod | None:
    """The strategy's closed period of the quarter before `period`'s, if any: looked for
    `among` the strategy's closed periods where a page has read them already."""
    quarter = period.financial_quarter.previous()
    if among is not None:
        found = (
            p
            for p in among
            if p.strategy_id == period.strategy_id
            and p.state == PeriodState.CLOSED
            and p.financial_quarter == quarter
        )
        return next(found, None)
    return ReportingPeriod.objects.filter(
        strategy_id=period.strategy_id,
        year=quarter.year,
        quarter=quarter.number,
        state=PeriodState.CLOSED,
    ).first()


def compare(
    earlier: ReportingPeriod | None, later: ReportingPeriod, later_rows=None
) -> QuarterChanges:
    """The changes from `earlier`'s snapshot to `later`'s (all of `later` new if there is no
    earlier one); `later_rows`, in document order, if already read."""
    later_start = later.returns_from
    before = {}
    if earlier is not None:
        earlier_rows = earlier.snapshot_rows().values(*EarlierItem.FIELDS)
        before = {item_key(item): item for item in map(EarlierItem, earlier_rows)}
    changes = QuarterChanges(earlier, later)
    # With no quarter to compare with, only what happened within this one is reported.
    alone = later.financial_quarter if earlier is None else None
    restated = restated_between(earlier, later)

    def add(kind: str, row, old: EarlierItem | None, detail: str = "") -> None:
        changes.found.setdefault(kind, []).append(Change(row, old, detail))

    if later_rows is None:  # a close counting them: the charts, most of the bytes, unread
        later_rows = later.snapshot_rows().defer("chart", "chart_figure")
    seen = set()
    for row in later_rows:
        seen.add(item_key(row))
        old = before.get(item_key(row))
        if old is not None:
            _moved(add, row, old)
        if row.level == Level.MILESTONE:
            _milestone(add, row, old, later_start, later.financial_quarter)
        elif row.level in (Level.MEASURE, Level.CONTEXT):
            found = restated.get(row.object_id) if restated is not None else _kept(row)
            _measure(add, row, old, alone, found)
    for key, old in before.items():
        if key not in seen:
            add("removed", old, old)
    return changes


# A figure restated: its period's end and wording, the value the earlier report showed and
# the value now.
Restated = tuple[dt.date, str, Decimal, Decimal]


def _kept(row: SnapshotItem) -> Restated | None:
    """The restatement kept at close, against the quarter before (snapshots.py)."""
    if not row.restated_period_end:
        return None
    return row.restated_period_end, row.restated_period_text, row.restated_from, row.restated_to


def restated_between(
    earlier: ReportingPeriod | None, later: ReportingPeriod
) -> dict[int, Restated] | None:
    """Against a quarter other than the one before (kept at close: None), each measure's
    restated figure, by its id: of the figures `earlier`'s report showed (shown_figures),
    the latest whose period `later`'s report also showed, with another value. Two queries,
    of the measures' rows only: a report's rows are read without their charts."""
    if earlier is None or earlier.financial_quarter == later.financial_quarter.previous():
        return None
    fields = ("object_id", "chart", "value_period_end", "value", "value_period_text")
    measures = [Level.MEASURE, Level.CONTEXT]
    then = {
        measure_id: shown_figures(chart, end, value)
        for measure_id, chart, end, value, _ in (
            earlier.snapshot_rows().filter(level__in=measures).values_list(*fields)
        )
    }
    restated = {}
    for measure_id, chart, end, value, text in (
        later.snapshot_rows().filter(level__in=measures, object_id__in=then).values_list(*fields)
    ):
        shown_then = then[measure_id]
        for day, (figure, words) in sorted(shown_figures(chart, end, value, text).items()):
            if day in shown_then and figure != shown_then[day][0]:
                restated[measure_id] = (day, words, shown_then[day][0], figure)
    return restated


def item_key(row: "SnapshotItem | EarlierItem") -> tuple[str, int]:
    """An item across quarters: a measure stays itself when it becomes a context indicator."""
    level = Level.MEASURE if row.level == Level.CONTEXT else row.level
    return level, row.object_id


def _moved(add, row: SnapshotItem, old: EarlierItem) -> None:
    """A move between judged colours (red, amber, green, complete); from no status to red or
    amber (worse); from a colour to none (cancelled, or no longer judged: why, its reason)."""
    judged = [rag.value for rag in SEVERITY]
    if row.rag == old.rag:
        return
    detail = f"{Rag(old.rag).label} → {Rag(row.rag).label}"
    if row.rag in judged and old.rag in judged:
        kind = "better" if judged.index(row.rag) > judged.index(old.rag) else "worse"
        add(kind, row, old, detail)
    elif old.rag == Rag.GREY.value and row.rag in (Rag.RED.value, Rag.AMBER.value):
        add("worse", row, old, detail)
    elif row.rag == Rag.GREY.value:
        if row.level == Level.MILESTONE and row.status == "cancelled":
            add("cancelled", row, old, detail)
        elif row.level == Level.CONTEXT and old.level == Level.MEASURE:
            # It still has its figures and target: it is no longer judged against them.
            add("unjudged", row, old, f"{detail}: made a context indicator (not judged)")
        else:
            add("unjudged", row, old, f"{detail}: {row.reason}" if row.reason else detail)


def _milestone(add, row: SnapshotItem, old: EarlierItem | None, later_start, quarter) -> None:
    """`quarter`: the later one's. A milestone not in the earlier snapshot (new, restored, or
    there is none before) was completed, or fell overdue, this quarter only if it did so
    within the quarter: one restored after an archive may have been complete for years."""
    completed_now = old is not None or (
        row.last_updated_at is not None
        and timezone.localtime(row.last_updated_at).date() >= quarter.start
    )
    if row.status == "complete" and (old is None or old.status != "complete") and completed_now:
        add("completed", row, old)
    due_now = old is not None or (row.due_date is not None and quarter.start <= row.due_date)
    if row.finding == "overdue" and (old is None or old.finding != "overdue") and due_now:
        add("newly_overdue", row, old)
    closed = row.status in ("complete", "cancelled")
    if old is not None and not closed:  # finished with: it did not slip
        then, now = old.forecast_date or old.due_date, row.forecast_date or row.due_date
        if then and now and now > then:
            add("slipped", row, old, f"{short_day(then)} → {short_day(now)}")
    if not closed and (row.last_updated_at is None or row.last_updated_at < later_start):
        add("awaiting_approval" if row.awaiting_approval else "no_update", row, old)


def _measure(add, row: SnapshotItem, old: EarlierItem | None, alone, restated) -> None:
    """`alone`: the quarter, when there is none before it: its own figures are new, and no
    signal can be said to have started or ended. `restated`: its figure restated, if any."""
    end = row.value_period_end
    if end and (old is None or old.value_period_end is None or end > old.value_period_end):
        if alone is None or end >= alone.start:
            add("new_figure", row, old)
    if restated:
        day, words, figure_then, figure_now = restated
        add(
            "restated",
            row,
            old,
            # A year's figure by its own wording ("2023/24"), not the month it ends; the
            # figure then in the unit the board saw it in, if the measure's has changed since
            # (a measure always has one: a blank unit is a row that kept none).
            f"{period_words(day, words)}: "
            f"{money_or_number(figure_then, (old and old.unit) or row.unit)} → "
            f"{money_or_number(figure_now, row.unit)}",
        )
    if alone is not None:
        return
    was, now = (old.variation if old else ""), row.variation
    if now not in COMMON and was != now:
        add("signal_started", row, old)
    if was not in COMMON and now in COMMON:
        add("signal_ended", row, old)
