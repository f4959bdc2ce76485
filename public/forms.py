"""The Admin's choices for a strategy's public view, and its organisation's open data."""

from django import forms
from django.db.models import Q

from measures.models import Measure
from milestones.models import Milestone
from objectives.models import Objective, Priority
from public.models import Kind, Licence
from strategy_tracker.numbering import shown


def item_choices(strategy) -> list[tuple[str, str]]:
    """Every item of the strategy in document order, as ("kind:id", label); archived ones
    too, since a closed quarter may still show them."""
    choices = []
    priorities = Priority.everything.filter(strategy=strategy).order_by("part", "number")
    objectives = Objective.everything.filter(priority__strategy=strategy).order_by("number")
    milestones = Milestone.everything.filter(objective__priority__strategy=strategy)
    measures = Measure.everything.filter(
        Q(priority__strategy=strategy) | Q(objective__priority__strategy=strategy)
    )
    by_objective, by_parent, by_priority = {}, {}, {}
    for m in milestones.order_by("position", "id"):
        by_objective.setdefault(m.objective_id, []).append(m)
    for m in measures.order_by("position", "id"):
        parent = ("o", m.objective_id) if m.objective_id else ("p", m.priority_id)
        by_parent.setdefault(parent, []).append(m)
    for o in objectives:
        by_priority.setdefault(o.priority_id, []).append(o)

    def choice(kind: str, item, label: str) -> tuple[str, str]:
        archived = " (archived)" if item.archived_at else ""
        return as_key(kind, item.pk), f"{label}{archived}"

    def measure_choices(parent) -> list:
        return [
            choice(Kind.MEASURE, m, f"Measure {m.code}: {m.name}")
            for m in by_parent.get(parent, [])
        ]

    for p in priorities:
        choices.append(choice(Kind.PRIORITY, p, f"Priority {shown(p.key)}: {p.title}"))
        choices += measure_choices(("p", p.pk))
        for o in by_priority.get(p.pk, []):
            named = f"Objective {shown(p.key)}.{o.number}: {o.title}"
            choices.append(choice(Kind.OBJECTIVE, o, named))
            choices += [
                choice(Kind.MILESTONE, m, f"Milestone: {m.title}")
                for m in by_objective.get(o.pk, [])
            ]
            choices += measure_choices(("o", o.pk))
    return choices


def as_key(kind: str, object_id: int) -> str:
    return f"{kind}:{object_id}"


class PublicationForm(forms.Form):
    publish_commentary = forms.BooleanField(
        required=False,
        label="Publish owners' commentary",
        help_text="Public pages show the commentary each milestone's owner gave with the "
        "report the quarter closed on. Off: they show the status and dates only.",
    )
    private = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Keep these items private",
        help_text="A private item, and everything under it, is left out of the public pages "
        "and the open data, which say that some items are not published.",
    )
    licence = forms.ChoiceField(
        choices=Licence.choices,
        required=False,
        label="Licence of the organisation's open data",
        help_text="Stated on every open-data download of every strategy it publishes.",
    )
    show_owner_job_titles = forms.BooleanField(
        required=False,
        label="Show milestone owners' job titles",
        help_text="For every strategy the organisation publishes. Names are never shown.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    open_data_version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["private"].choices = item_choices(strategy)
