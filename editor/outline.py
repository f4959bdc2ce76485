"""A strategy's outline, for the editor's side panel: every live priority, objective,
milestone and measure, numbered, in four queries whatever the strategy's size."""

from dataclasses import dataclass, field

from django.urls import reverse

from measures.models import Measure
from milestones.models import Milestone
from objectives.models import Objective, Priority, Strategy
from strategy_tracker.numbering import shown


@dataclass
class Node:
    label: str
    url: str
    level: str
    pk: int
    children: list["Node"] = field(default_factory=list)


def outline(strategy: Strategy) -> list[Node]:
    slug = strategy.slug

    def url(level, pk):
        return reverse("editor:item", args=[slug, level, pk])

    def measure_nodes(rows):
        return [Node(f"{m.code}: {m.name}", url("measure", m.pk), "measure", m.pk) for m in rows]

    priorities = list(Priority.objects.filter(strategy=strategy).order_by("part", "number"))
    objectives = list(
        Objective.objects.filter(priority__in=priorities).order_by("priority_id", "number")
    )
    milestones = Milestone.objects.filter(objective__in=objectives).order_by(
        "objective_id", "position", "id"
    )
    measures = Measure.objects.filter(priority__in=priorities) | Measure.objects.filter(
        objective__in=objectives
    )
    by_objective: dict[int, list[Node]] = {}
    for m in milestones.only("id", "title", "position", "objective_id"):
        by_objective.setdefault(m.objective_id, []).append(
            Node(f"{m.position}. {_cut(m.title, 80)}", url("milestone", m.pk), "milestone", m.pk)
        )
    measures_of: dict[tuple[str, int], list] = {}
    listed = measures.only("id", "code", "name", "priority_id", "objective_id")
    for m in listed.order_by("position", "id"):
        key = ("objective", m.objective_id) if m.objective_id else ("priority", m.priority_id)
        measures_of.setdefault(key, []).append(m)
    objective_nodes: dict[int, list[Node]] = {}
    priority_of = {p.pk: p for p in priorities}
    for o in objectives:
        priority = priority_of[o.priority_id]
        label = f"{shown(priority.key)}.{o.number} {_cut(o.title, 80)}"
        node = Node(label, url("objective", o.pk), "objective", o.pk)
        node.children = by_objective.get(o.pk, []) + measure_nodes(
            measures_of.get(("objective", o.pk), [])
        )
        objective_nodes.setdefault(o.priority_id, []).append(node)
    return [
        Node(
            _cut(p.label, 100),
            url("priority", p.pk),
            "priority",
            p.pk,
            objective_nodes.get(p.pk, []) + measure_nodes(measures_of.get(("priority", p.pk), [])),
        )
        for p in priorities
    ]


def _cut(text: str, most: int) -> str:
    """A long title cut at a word, with "…" to show it is cut (two alike in their first
    words would otherwise read the same)."""
    if len(text) <= most:
        return text
    return text[:most].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
