"""Changed since publication: how a published strategy's structure was edited between two
reports (items added, archived, restored, renumbered, reworded, re-dated, re-targeted), read
from the items' history, which is never rewritten, so a closed report always says the same.

Leads' quarterly updates (status, commentary, forecast) and owners are progress, not
structure, and are not listed here.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Max, Q

from measures.models import Measure
from milestones.models import Milestone
from objectives.models import Objective, Priority, Strategy
from reporting.models import ReportingPeriod
from strategy_tracker.dates import long_day
from strategy_tracker.numbering import shown
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
}


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
    sources = [
        ("Priority", Priority.history.filter(strategy_id=strategy.pk)),
        ("Objective", Objective.history.filter(priority_id__in=priorities)),
        ("Milestone", Milestone.history.filter(objective_id__in=objectives)),
        (
            "Measure",
            Measure.history.filter(Q(priority_id__in=priorities) | Q(objective_id__in=objectives)),
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
        for record in rows:
            what = _what(record, previous.get(record.id))
            previous[record.id] = record
            if what:
                who = display_name(record.history_user) if record.history_user else "the system"
                title = getattr(record, "title", "") or getattr(record, "name", "")
                found.append(StructureChange(record.history_date, who, level, title, what))
    return sorted(found, key=lambda c: c.when)


def _what(record, previous) -> str:
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
        elif field.is_relation:
            said.append(f"moved to {_parent(record, field)}")
        else:
            said.append(f"{field.verbose_name} changed from “{_shown(old)}” to “{_shown(new)}”")
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


def _shown(value) -> str:
    if value in (None, ""):
        return "nothing"
    if isinstance(value, dt.date):
        return f"{long_day(value)}"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"  # 70, not 70.0000
    text = str(value)
    return text if len(text) <= 120 else text[:119] + "…"
