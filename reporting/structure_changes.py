"""Changed since publication: how a published strategy's structure was edited between two
reports (the strategy's own details; items added, archived, restored, renumbered, reworded,
re-dated, re-targeted, a measure's planned trajectory re-planned), read from the history,
which is never rewritten, so a closed report always says the same.

Leads' quarterly updates (status, commentary, forecast) and owners are progress, not
structure, and are not listed here.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Max, Q

from measures.models import Measure, TrajectoryPoint
from milestones.models import Milestone
from objectives.models import Objective, Organisation, Priority, Strategy
from reporting.models import ReportingPeriod
from strategy_tracker.dates import long_day
from strategy_tracker.numbering import shown
from strategy_tracker.numbers import number, with_unit
from strategy_tracker.people import display_name

# Fields whose change is not a change of the strategy's structure.
NOT_STRUCTURE = {
    "id",
    "version",
    "status",
    "forecast_date",
    "commentary",
    "last_updated_at",
    "last_updated_by",
    "owner",
    "owner_assigned_at",
    "spc_baseline_points",
    "spc_rebase_from",
    # The strategy's own: its steps through publication and sign-off are not its structure.
    "slug",
    "published_at",
    "published_by",
    "closed_at",
    "closed_by",
    "requires_approval",
    "illustrative",
}
# Organisations named by an item or a strategy, as a report words a change of them.
ORGANISATION_FIELDS = {"responsible": "responsible partner", "organisation": "lead organisation"}


@dataclass
class StructureChange:
    when: dt.datetime
    who: str
    level: str
    title: str
    what: str


KEPT = "structure_changes"  # in ReportingPeriod.as_closed


def keep(period: ReportingPeriod) -> None:
    """At close: the window and its changes, kept with the period as they read then, so the
    report never changes (a person renamed, an objective renumbered since)."""
    found = window(period)
    changes = changes_between(period.strategy, *found) if found else []
    period.as_closed[KEPT] = {
        "window": [moment.isoformat() for moment in found] if found else None,
        "changes": [
            {"when": c.when.isoformat(), "who": c.who, "level": c.level, "title": c.title,
             "what": c.what}
            for c in changes
        ],
    }  # fmt: skip


def of_report(period: ReportingPeriod) -> tuple[tuple | None, list[StructureChange]]:
    """The report's window and changes: as kept at close, or (a quarter closed before they
    were kept) worked out now."""
    kept = period.as_closed.get(KEPT)
    if kept is None:
        found = window(period)
        return found, changes_between(period.strategy, *found) if found else []
    found = tuple(map(dt.datetime.fromisoformat, kept["window"])) if kept["window"] else None
    changes = [
        StructureChange(**(c | {"when": dt.datetime.fromisoformat(c["when"])}))
        for c in kept["changes"]
    ]
    return found, changes


def window(period: ReportingPeriod) -> tuple[dt.datetime, dt.datetime] | None:
    """From publication or the last closed report, whichever is later, to this report's
    close; None if the strategy was not published before it closed."""
    strategy = period.strategy
    if not strategy.published_at or not period.closed_at:
        return None
    if strategy.published_at >= period.closed_at:
        return None
    earlier = (
        ReportingPeriod.objects.filter(
            strategy=strategy, state="closed", closed_at__lt=period.closed_at
        )
        .exclude(pk=period.pk)
        .order_by("-closed_at")
        .values_list("closed_at", flat=True)
        .first()
    )
    return max(filter(None, [strategy.published_at, earlier])), period.closed_at


def changes_between(
    strategy: Strategy, start: dt.datetime, end: dt.datetime
) -> list[StructureChange]:
    """Every structural change in the window, oldest first (three queries per level: its
    history rows in the window, and the row before the window of each item changed)."""
    priorities = Priority.everything.filter(strategy=strategy).values("pk")
    objectives = Objective.everything.filter(priority__strategy=strategy).values("pk")
    measures = Q(priority_id__in=priorities) | Q(objective_id__in=objectives)
    sources = [
        ("Strategy", Strategy.history.filter(id=strategy.pk)),
        ("Priority", Priority.history.filter(strategy_id=strategy.pk)),
        ("Objective", Objective.history.filter(priority_id__in=priorities)),
        ("Milestone", Milestone.history.filter(objective_id__in=objectives)),
        ("Measure", Measure.history.filter(measures)),
        (
            "Measure",
            TrajectoryPoint.history.filter(
                measure_id__in=Measure.everything.filter(measures).values("pk")
            ),
        ),
    ]
    found = []
    for level, history in sources:
        rows = list(
            history.filter(history_date__gt=start, history_date__lte=end)
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
        if not rows:
            continue
        before = (
            history.model.objects.filter(id__in={r.id for r in rows}, history_date__lte=start)
            .values("id")
            .annotate(last=Max("history_id"))
            .values("last")
        )
        previous = {r.id: r for r in history.model.objects.filter(history_id__in=before)}
        # A planned point is named by its measure's name, and written in its unit, read once
        # for all of them.
        of_measure = (
            {
                pk: (name, unit)
                for pk, name, unit in Measure.everything.filter(
                    pk__in={r.measure_id for r in rows}
                ).values_list("pk", "name", "unit")
            }
            if history.model.instance_type is TrajectoryPoint
            else {}
        )
        for record in rows:
            name, unit = of_measure.get(getattr(record, "measure_id", None), ("", ""))
            what = _what(record, previous.get(record.id), unit)
            previous[record.id] = record
            if what:
                who = display_name(record.history_user) if record.history_user else "the system"
                title = getattr(record, "title", "") or getattr(record, "name", "")
                if of_measure:
                    title = name
                found.append(StructureChange(record.history_date, who, level, title, what))
    return sorted(found, key=lambda c: c.when)


def _planned_point(record, previous, unit: str) -> str:
    """A measure's planned trajectory point: what it is judged against before its target
    date, so re-planning it re-targets the measure."""
    point = f"trajectory: the planned point for {long_day(record.period_end)}"
    if record.history_type == "+":
        return f"{point} added ({_shown(record.value, unit)})"
    if record.history_type == "-":
        return f"{point} removed (it was {_shown(record.value, unit)})"
    if previous is not None and previous.value != record.value:
        return (
            f"{point} changed from “{_shown(previous.value, unit)}” to "
            f"“{_shown(record.value, unit)}”"
        )
    return ""


def _what(record, previous, unit: str = "") -> str:
    """What changed in `record` since `previous`, in words; `unit`: a planned point's
    measure's."""
    if record.instance_type is TrajectoryPoint:
        return _planned_point(record, previous, unit)
    if record.history_type == "+":
        return "added"
    if record.history_type == "-":
        return "deleted"
    if previous is None:
        return ""
    said = []
    for field in previous.tracked_fields:
        if field.name in NOT_STRUCTURE:
            continue
        old, new = getattr(previous, field.attname), getattr(record, field.attname)
        if old == new:
            continue
        if field.name == "archived_at":
            said.append("archived" if new else "restored")
        elif field.name == "position" and record.instance_type is Measure:
            said.append("moved in its list")
        elif field.name in ("number", "position"):
            said.append(f"renumbered {old} → {new}")
        elif field.name in ORGANISATION_FIELDS:
            label = ORGANISATION_FIELDS[field.name]
            said.append(f"{label} changed from “{_organisation(old)}” to “{_organisation(new)}”")
        elif field.is_relation:
            said.append(f"moved to {_parent(record, field)}")
        else:
            # A measure's figures written as its pages write them, each in its own unit.
            was_in, now_in = getattr(previous, "unit", ""), getattr(record, "unit", "")
            if field.name == "tolerance" and "%" in (was_in, now_in):
                was_in = now_in = ""  # a % measure's tolerance is in percentage points
            was, now = _shown(old, was_in), _shown(new, now_in)
            said.append(f"{field.verbose_name} changed from “{was}” to “{now}”")
    return "; ".join(said)


def _parent(record, field) -> str:
    """Where an item was moved to: "objective 2.1", "priority 3"."""
    try:
        target = getattr(record, field.name)
    except ObjectDoesNotExist:  # deleted since
        target = None
    if isinstance(target, Objective):
        return f"objective {shown(target.priority.key)}.{target.number}"
    if isinstance(target, Priority):
        return f"priority {shown(target.key)}"
    return f"another {field.verbose_name}"


def _organisation(pk: int | None) -> str:
    if pk is None:
        return "as for what it sits under"
    found = Organisation.objects.filter(pk=pk).values_list("name", flat=True).first()
    return found or "an organisation since removed"


def _shown(value, unit: str = "") -> str:
    if value in (None, ""):
        return "nothing"
    if isinstance(value, dt.date):
        return f"{long_day(value)}"
    if isinstance(value, Decimal):
        return with_unit(value, unit) if unit else number(value)  # £1,200,000, 70% (not 70.0000)
    text = str(value)
    return text if len(text) <= 120 else text[:119] + "…"
