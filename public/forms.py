"""The Admin's choices for a strategy's public view, and its organisation's open data."""

from django import forms

from measures.models import Measure
from milestones.models import Milestone
from objectives.models import Objective, Priority
from public.models import Kind, Licence


def item_choices(strategy) -> list[tuple[str, str]]:
    """Every live item of the strategy in document order, as ("kind:id", label)."""
    choices = []
    priorities = Priority.objects.filter(strategy=strategy).order_by("part", "number")
    objectives = Objective.objects.filter(priority__strategy=strategy).order_by("number")
    milestones = Milestone.objects.filter(objective__priority__strategy=strategy)
    measures = Measure.objects.filter(priority__strategy=strategy) | Measure.objects.filter(
        objective__priority__strategy=strategy
    )
    by_objective, by_parent = {}, {}
    for m in milestones.order_by("position", "id"):
        by_objective.setdefault(m.objective_id, []).append(m)
    for m in measures.order_by("position", "id"):
        by_parent.setdefault(
            ("o", m.objective_id) if m.objective_id else ("p", m.priority_id), []
        ).append(m)
    by_priority = {}
    for o in objectives:
        by_priority.setdefault(o.priority_id, []).append(o)

    def measure_choices(parent) -> list:
        return [
            (f"{Kind.MEASURE}:{m.pk}", f"Measure {m.code}: {m.name}")
            for m in by_parent.get(parent, [])
        ]

    for p in priorities:
        choices.append((f"{Kind.PRIORITY}:{p.pk}", f"Priority {p.key}: {p.title}"))
        choices += measure_choices(("p", p.pk))
        for o in by_priority.get(p.pk, []):
            choices.append((f"{Kind.OBJECTIVE}:{o.pk}", f"Objective {p.key}.{o.number}: {o.title}"))
            choices += [
                (f"{Kind.MILESTONE}:{m.pk}", f"Milestone: {m.title}")
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
