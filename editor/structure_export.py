"""A strategy as the rows of a workbook (editor/columns.py): the export, and the template
pre-filled from an existing strategy. The import reads these rows back to the same strategy."""

import hashlib

from django.db.models import Prefetch

from editor import trajectory_text
from editor.columns import FIELDS_ADDED_LATER
from measures.models import Measure
from milestones.models import Milestone, MilestoneDelegate
from objectives.models import Objective, Priority, Strategy


def person(user) -> str:
    """How a workbook names a person: their e-mail, or their username if they have none."""
    return user.email or user.username


def fingerprint(values: dict, rows: list[dict]) -> str:
    """The draft as a workbook of it holds it (its details and item rows), in a few
    characters: a workbook drawn from it carries this, so an import can tell the draft has
    changed since it was downloaded."""
    values, rows = _as_first_released(values), [_as_first_released(row) for row in rows]
    return hashlib.sha256(repr((sorted(values.items()), rows)).encode()).hexdigest()[:32]


def _as_first_released(fields: dict) -> dict:
    """Without the fields added later that are empty, as a workbook downloaded before they
    existed was fingerprinted: an upgrade alone never reads as a change to the draft."""
    return {k: v for k, v in fields.items() if not (k in FIELDS_ADDED_LATER and v == "")}


def strategy_values(strategy: Strategy) -> dict:
    organisation = strategy.organisation
    return {
        "title": strategy.title,
        "slug": strategy.slug,
        "organisation": organisation.name,
        "organisation_short_name": organisation.short_name,
        "period_start": strategy.period_start,
        "period_end": strategy.period_end,
        "period_text": strategy.period_text,
        "vision": strategy.vision,
        "purpose": strategy.purpose,
        "aims": strategy.aims,
        "values": strategy.values,
        "summary": strategy.summary,
        "source_document": strategy.source_document,
        "source_version": strategy.source_version,
        "source_date": strategy.source_date,
        "illustrative": strategy.illustrative,
    }


def item_rows(strategy: Strategy) -> list[dict]:
    """Every live item, a row each: a priority, its measures, then each objective with its
    milestones and measures."""
    measures = Measure.objects.order_by("position", "id").prefetch_related("trajectory")
    delegates = MilestoneDelegate.objects.select_related("user")
    milestones = Milestone.objects.select_related("owner").prefetch_related(
        Prefetch("milestonedelegate_set", queryset=delegates, to_attr="delegations")
    )
    objectives = Objective.objects.prefetch_related(
        Prefetch("milestones", queryset=milestones.order_by("position", "id")),
        Prefetch("measures", queryset=measures),
    )
    priorities = (
        Priority.objects.filter(strategy=strategy)
        .order_by("part", "number")
        .prefetch_related(
            Prefetch("objectives", queryset=objectives.order_by("number")),
            Prefetch("measures", queryset=measures),
        )
    )
    rows = []
    for priority in priorities:
        key = priority.key
        rows.append(
            {
                "level": "priority",
                "number": key,
                "title": priority.title,
                "part_title": priority.part_title,
                "description": priority.description,
                "source_ref": priority.source_ref,
            }
        )
        rows.extend(_measure_row(m, key) for m in priority.measures.all())
        for objective in priority.objectives.all():
            number = f"{key}.{objective.number}"
            rows.append(
                {
                    "level": "objective",
                    "number": number,
                    "parent": key,
                    "title": objective.title,
                    "description": objective.description,
                    "we_will": objective.we_will,
                    "where_now": objective.where_now,
                    "where_want": objective.where_want,
                    "source_ref": objective.source_ref,
                }
            )
            rows.extend(_milestone_row(m, number) for m in objective.milestones.all())
            rows.extend(_measure_row(m, number) for m in objective.measures.all())
    return rows


def _milestone_row(milestone: Milestone, parent: str) -> dict:
    return {
        "level": "milestone",
        "number": f"{parent}.{milestone.position}",
        "parent": parent,
        "title": milestone.title,
        "heading": milestone.heading,
        "due_date": milestone.due_date,
        "due_text": milestone.due_text,
        "owner_email": person(milestone.owner) if milestone.owner else "",
        "delegate_emails": "; ".join(sorted(person(d.user) for d in milestone.delegations)),
        "source_ref": milestone.source_ref,
    }


def _measure_row(measure: Measure, parent: str) -> dict:
    points = [(p.period_end, p.value) for p in measure.trajectory.all()]
    return {
        "level": "measure",
        "parent": parent,
        "code": measure.code,
        "title": measure.name,
        "kind": measure.kind,
        "unit": measure.unit,
        "direction": measure.direction,
        "baseline_value": measure.baseline_value,
        "baseline_period": measure.baseline_period,
        "baseline_period_text": measure.baseline_period_text,
        "target_value": measure.target_value,
        "target_date": measure.target_date,
        "target_period_text": measure.target_period_text,
        "tolerance": measure.tolerance,
        "minimum_value": measure.minimum_value,
        "maximum_value": measure.maximum_value,
        "trajectory": trajectory_text.format_points(sorted(points)),
        "definition": measure.definition,
        "spc_baseline_points": measure.spc_baseline_points,
        "spc_rebase_from": measure.spc_rebase_from,
        "source_ref": measure.source_ref,
    }
