"""Which items the public may not see: those an Admin keeps private, with everything under
them (archived items too, so a quarter that showed them before they were archived hides them
as well)."""

from django.db.models import Q

from measures.models import Measure
from milestones.models import Milestone
from objectives.models import Objective
from public.models import Kind, Publication
from reporting.models import Level

# A snapshot row's level as an item kind: a context indicator is a measure.
KIND_OF_LEVEL = {
    Level.PRIORITY: Kind.PRIORITY,
    Level.OBJECTIVE: Kind.OBJECTIVE,
    Level.MILESTONE: Kind.MILESTONE,
    Level.MEASURE: Kind.MEASURE,
    Level.CONTEXT: Kind.MEASURE,
}


def hidden_items(publication: Publication) -> set[tuple[str, int]]:
    """(kind, id) of every item kept private or sitting under one."""
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
    """A snapshot row (or an earlier quarter's) of an item the public may not see."""
    kind = KIND_OF_LEVEL.get(level)
    return kind is not None and (kind, object_id) in hidden
