"""The "as at" snapshot of a quarter: at close, everything the board sees of a strategy, judged
as at the quarter's end, written once into SnapshotItem rows that nothing changes afterwards.

Milestones are taken as their owners last reported them when the quarter closes (the returns
are in by then) and judged against the quarter's last day; measures by their latest value for
a period ending in the quarter or before, judged the same way, with their SPC icons."""

import datetime as dt
from decimal import Decimal

from measures.models import MeasureValue
from milestones.models import Submission, SubmissionState
from objectives.models import JobTitle
from objectives.progress import Item, ObjectiveProgress, PriorityProgress, build_progress
from reporting import risk_snapshots
from reporting.charts import chart_data, figure
from reporting.models import Level, ReportingPeriod, SnapshotItem
from strategy_tracker.people import display_name
from strategy_tracker.status import RollUp


def take(period: ReportingPeriod) -> int:
    """Write the period's snapshot (in the caller's transaction); the number of rows."""
    as_at = period.quarter_end
    progress = build_progress(period.strategy, as_at, values_up_to=as_at, at_close=True)
    rows: list[SnapshotItem] = []
    job_titles = _job_titles(progress)

    def add(level: str, object_id: int, **fields) -> None:
        owner_id = fields.pop("owner_id", None)
        if owner_id in job_titles:
            fields["owner_job_title"] = job_titles[owner_id]
        rows.append(
            SnapshotItem(
                period=period, level=level, object_id=object_id, position=len(rows), **fields
            )
        )

    strategy = period.strategy
    add(Level.STRATEGY, strategy.id, title=strategy.title, **_rollup(progress.rollup))
    for priority_progress in progress.priorities:
        _add_priority(add, priority_progress)
    _mark_restatements(period, rows)
    _mark_awaiting_approval(period, rows)
    SnapshotItem.objects.bulk_create(rows)
    risk_snapshots.take(period)
    return len(rows)


def _mark_awaiting_approval(period: ReportingPeriod, rows: list[SnapshotItem]) -> None:
    """Milestones whose update for this quarter (sent since its returns opened, as the return
    counts it: reporting/returns.py) was waiting for sign-off at the close: the report says it
    was sent, not that none came."""
    milestones = {row.object_id: row for row in rows if row.level == Level.MILESTONE}
    waiting = Submission.objects.filter(
        state=SubmissionState.SUBMITTED,
        milestone_id__in=milestones,
        submitted_at__gte=period.returns_from,
    ).values_list("milestone_id", flat=True)
    for milestone_id in waiting:
        milestones[milestone_id].awaiting_approval = True


def _job_titles(progress) -> dict[int, str]:
    """Each milestone owner's job title, by user id, in one query."""
    owners = {
        item.obj.owner_id
        for priority in progress.priorities
        for objective in priority.objectives
        for item in objective.milestones
        if item.obj.owner_id
    }
    titles = JobTitle.objects.filter(user_id__in=owners).values_list("user_id", "title")
    return dict(titles)


def _mark_restatements(period: ReportingPeriod, rows: list[SnapshotItem]) -> None:
    """Each figure the previous quarter's report showed (shown_figures) whose value has
    changed since; of a measure with several, the latest period's (a row has room for one).
    A comparison with any other earlier quarter works its own out (changes.py)."""
    quarter = period.financial_quarter.previous()
    previous = SnapshotItem.objects.filter(
        period__strategy_id=period.strategy_id,
        period__year=quarter.year,
        period__quarter=quarter.number,
        period__state="closed",
        level__in=[Level.MEASURE, Level.CONTEXT],
    ).values_list("object_id", "value_period_end", "value", "chart", "unit")
    shown: dict[tuple[int, dt.date], Decimal] = {}
    unit_then: dict[int, str] = {}
    for measure_id, end, value, chart, unit in previous:
        unit_then[measure_id] = unit
        for day, (figure_then, _) in shown_figures(chart, end, value).items():
            shown[measure_id, day] = figure_then
    if not shown:
        return
    now = MeasureValue.objects.filter(
        measure_id__in={measure_id for measure_id, _ in shown},
        period_end__in={end for _, end in shown},
    ).values_list("measure_id", "period_end", "value", "period_text")
    restated = {}
    for measure_id, end, value, text in sorted(now, key=lambda row: row[1]):  # the latest last
        if (measure_id, end) in shown and value != shown[measure_id, end]:
            restated[measure_id] = (end, text, shown[measure_id, end], value)
    for row in rows:
        if row.level in (Level.MEASURE, Level.CONTEXT) and row.object_id in restated:
            (
                row.restated_period_end,
                row.restated_period_text,
                row.restated_from,
                row.restated_to,
            ) = restated[row.object_id]
            if unit_then[row.object_id] != row.unit:
                row.restated_unit = unit_then[row.object_id]


def shown_figures(
    chart: dict | None, end: dt.date | None, value: Decimal | None, text: str = ""
) -> dict[dt.date, tuple[Decimal, str]]:
    """Each figure a snapshot's measure row showed, by its period end, with the period's
    wording where it has one: its latest (`value` for `end`, worded `text`), every one on its
    chart and every one its chart's words named as not drawn (a year's figure among quarterly
    ones, reporting/charts.py)."""
    chart = chart or {}
    wordings = chart.get("wordings", {})
    figures = {}
    for point in chart.get("points", []):
        # Charted as floats: 5.0 and Decimal("5.0000") are the same figure.
        day = dt.date.fromisoformat(point[0])
        figures[day] = (Decimal(str(point[1])), wordings.get(point[0], ""))
    for point in chart.get("left_out", []):
        figures[dt.date.fromisoformat(point[0])] = (Decimal(str(point[1])), point[2])
    if end is not None and value is not None:
        figures[end] = (value, text)
    return figures


def _add_priority(add, progress: PriorityProgress) -> None:
    priority = progress.priority
    key = priority.key
    add(
        Level.PRIORITY,
        priority.id,
        priority_key=key,
        number=key,
        title=priority.title,
        **_rollup(progress.rollup),
    )
    _add_measures(add, key, progress)
    for objective_progress in progress.objectives:
        _add_objective(add, key, objective_progress)


def _add_objective(add, key: str, progress: ObjectiveProgress) -> None:
    objective = progress.objective
    number = f"{key}.{objective.number}"
    add(
        Level.OBJECTIVE,
        objective.id,
        priority_key=key,
        number=number,
        title=objective.title,
        **_rollup(progress.rollup),
    )
    for item in progress.milestones:
        add(Level.MILESTONE, item.obj.id, priority_key=key, number=number, **_milestone(item))
    _add_measures(add, key, progress)


def _add_measures(add, key: str, progress: PriorityProgress | ObjectiveProgress) -> None:
    """A priority's or objective's own success measures, then its context indicators."""
    for level, items in ((Level.MEASURE, progress.measures), (Level.CONTEXT, progress.context)):
        for item in items:
            add(level, item.obj.id, priority_key=key, **_measure(item))


def _rollup(rollup: RollUp) -> dict:
    counts = {rag.value: n for rag, n in rollup.counts.items() if n}
    return {"rag": rollup.rag.value, "reason": rollup.reason, "counts": counts}


def _status(item: Item) -> dict:
    status = item.status
    return {
        "rag": status.rag.value,
        "finding": status.finding,
        "reason": status.reason,
        "stale": status.stale,
    }


def _milestone(item: Item) -> dict:
    m = item.obj
    owner = display_name(m.owner) if m.owner else ""
    title = f"{m.heading}: {m.title}" if m.heading else m.title
    return {
        "title": title,
        "status": m.status,
        "status_label": m.get_status_display(),
        "commentary": m.commentary,
        "forecast_date": m.forecast_date,
        "due_date": m.due_date,
        "due_text": m.due_text,
        "owner": owner,
        "owner_id": m.owner_id,  # for its job title (take's add)
        "last_updated_at": m.last_updated_at,
        **_status(item),
    }


def _measure(item: Item) -> dict:
    m, spc = item.obj, item.spc
    has_icons = spc is not None and bool(spc.points) and not spc.run_chart_only
    wordings = {row.period_end: row.period_text for row in getattr(m, "series", [])}
    chart = chart_data(spc, m.target_value, wordings)
    return {
        "number": m.code,
        "title": m.name,
        "unit": m.unit,
        "value": m.latest_value,
        "value_period_end": m.latest_period_end,
        "value_period_text": getattr(m, "latest_period_text", None) or "",
        "variation": spc.variation.value if has_icons and spc.variation else "",
        "assurance": spc.assurance.value if has_icons and spc.assurance else "",
        # Only with figures: with none there is nothing to chart (the page says so).
        "run_chart_only": spc is not None and bool(spc.points) and spc.run_chart_only,
        "chart": chart,
        "chart_figure": figure(m.id, m.name, m.code, chart, m.unit),
        "data_quality": m.quality.as_snapshot() if m.quality else {},
        **_status(item),
    }
