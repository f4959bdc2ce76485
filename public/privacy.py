"""Which items the public may not see: those an Admin keeps private, with everything under
them, both as the strategy stands today (archived items too) and as each closed quarter's
snapshot recorded them, so an item moved since is hidden where it was and where it is."""

from collections.abc import Iterable, Iterator

from django.db.models import Q

from measures.models import Measure
from milestones.models import Milestone
from objectives.models import Objective
from public.models import Kind, Publication
from reporting.models import Level, SnapshotItem

# A snapshot row's level as an item kind: a context indicator is a measure.
KIND_OF_LEVEL = {
    Level.PRIORITY: Kind.PRIORITY,
    Level.OBJECTIVE: Kind.OBJECTIVE,
    Level.MILESTONE: Kind.MILESTONE,
    Level.MEASURE: Kind.MEASURE,
    Level.CONTEXT: Kind.MEASURE,
}


def hidden_items(publication: Publication) -> set[tuple[str, int]]:
    """(kind, id) of every item kept private or sitting under one today."""
    private = set(publication.private_items.values_list("kind", "object_id"))
    if not private:
        return set()
    priorities = {pk for kind, pk in private if kind == Kind.PRIORITY}
    objectives = {pk for kind, pk in private if kind == Kind.OBJECTIVE}
    objectives |= set(
        Objective._base_manager.filter(priority_id__in=priorities).values_list("id", flat=True)
    )
    milestones = Milestone._base_manager.filter(objective_id__in=objectives)
    measures = Measure._base_manager.filter(
        Q(priority_id__in=priorities) | Q(objective_id__in=objectives)
    )
    return (
        private
        | {(Kind.OBJECTIVE, pk) for pk in objectives}
        | {(Kind.MILESTONE, pk) for pk in milestones.values_list("id", flat=True)}
        | {(Kind.MEASURE, pk) for pk in measures.values_list("id", flat=True)}
    )


def is_hidden(level: str, object_id: int, hidden: set[tuple[str, int]]) -> bool:
    """A row (of a snapshot, or an earlier quarter's) of an item in `hidden`."""
    kind = KIND_OF_LEVEL.get(level)
    return kind is not None and (kind, object_id) in hidden


def withheld(
    rows: Iterable[SnapshotItem], hidden: set[tuple[str, int]]
) -> Iterator[tuple[SnapshotItem, bool]]:
    """Each row of a quarter's snapshot, in document order, with whether the public may not
    see it: its item is hidden, or it sat under a hidden priority or objective when the
    quarter closed. A hidden parent therefore never leaves a child shown without it."""
    priority_hidden = objective_hidden = in_objective = False
    for row in rows:
        own = is_hidden(row.level, row.object_id, hidden)
        if row.level == Level.PRIORITY:
            priority_hidden, objective_hidden, in_objective = own, False, False
            yield row, own
        elif row.level == Level.OBJECTIVE:
            objective_hidden, in_objective = priority_hidden or own, True
            yield row, objective_hidden
        elif row.level == Level.STRATEGY:
            yield row, False
        else:  # a milestone, measure or context indicator, under its objective or priority
            yield row, own or (objective_hidden if in_objective else priority_hidden)
