"""The risk form and its actions: what an Admin or the risk's owner fills in."""

import datetime as dt

from django import forms
from django.utils import timezone

from objectives.models import Objective, Priority, Strategy
from risks.models import Risk, RiskAction, refused_owner, risk_owners
from strategy_tracker.forms import ChoiceOfRows, DateInput, MultilineTextField, UserChoiceField
from strategy_tracker.numbering import shown

TEXT_FIELDS = [
    "cause",
    "event",
    "effect",
    "controls",
    "gaps_in_control",
    "assurance_first_line",
    "assurance_second_line",
    "assurance_third_line",
    "gaps_in_assurance",
]


class LinkChoiceField(ChoiceOfRows, forms.ModelMultipleChoiceField):
    pass


class PriorityChoiceField(LinkChoiceField):
    def label_from_instance(self, priority: Priority) -> str:
        return f"Priority {shown(priority.key)}: {priority.title}"


class ObjectiveChoiceField(LinkChoiceField):
    def label_from_instance(self, objective: Objective) -> str:
        return f"Objective {shown(objective.priority.key)}.{objective.number}: {objective.title}"


def _owners(strategy: Strategy, current):
    """Who may own: risk_owners, and whoever owns now (`current`: their ids), who stays
    listed after leaving so that an untouched save keeps them."""
    people = risk_owners(strategy)
    return people | people.model.objects.filter(pk__in=current)


class RiskForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    owner = UserChoiceField(
        queryset=None,
        required=False,
        empty_label="Nobody yet",
        label="Risk owner",
        help_text="Only Admins give a risk to someone else, set its appetite or close it.",
    )
    priorities = PriorityChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The priorities this risk threatens.",
    )
    objectives = ObjectiveChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The objectives this risk threatens.",
    )

    class Meta:
        model = Risk
        # In the order the form shows them, so its error summary lists them in that order.
        fields = [
            "title",
            "cause",
            "event",
            "effect",
            "owner",
            "status",
            "review_date",
            "priorities",
            "objectives",
            "inherent_likelihood",
            "inherent_impact",
            "current_likelihood",
            "current_impact",
            "target_likelihood",
            "target_impact",
            "appetite",
            "controls",
            "gaps_in_control",
            "assurance_first_line",
            "assurance_second_line",
            "assurance_third_line",
            "gaps_in_assurance",
        ]
        field_classes = {name: MultilineTextField for name in TEXT_FIELDS}
        widgets = {"review_date": DateInput()}
        labels = {
            "cause": "Cause",
            "event": "Risk event",
            "effect": "Effect",
            "assurance_first_line": "Sources of assurance: first line",
            "assurance_second_line": "Sources of assurance: second line",
            "assurance_third_line": "Sources of assurance: third line",
        }

    def __init__(self, *args, strategy: Strategy, may_reassign: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.strategy = strategy
        self.fields["owner"].queryset = _owners(strategy, [self.instance.owner_id])
        # The board sets who owns a risk, how much of it it will accept and when it is
        # closed: an owner who is not an Admin keeps them as they are.
        for name in ("owner", "appetite", "status"):
            if name in self.fields:
                self.fields[name].disabled = not may_reassign
        self.fields["priorities"].queryset = Priority.objects.filter(strategy=strategy)
        self.fields["objectives"].queryset = Objective.objects.filter(
            priority__strategy=strategy
        ).select_related("priority")
        for name in TEXT_FIELDS:
            self.fields[name].widget.attrs["rows"] = 3
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["status"]  # a new risk is open

    def clean_review_date(self) -> dt.date:
        review = self.cleaned_data["review_date"]
        if why := self.instance.refused_review_date(review, timezone.localdate()):
            raise forms.ValidationError(why)
        return review

    def clean(self):
        data = super().clean()
        if not data.get("priorities") and not data.get("objectives"):
            # On the priorities' boxes, so the summary links to where to tick one.
            self.add_error(
                "priorities", "Link the risk to at least one priority or objective it threatens."
            )
        scores = [
            data.get(f"{w}_{p}") for w in ("current", "target") for p in ("likelihood", "impact")
        ]
        if None not in scores:
            current, target = scores[0] * scores[1], scores[2] * scores[3]
            if target > current:
                self.add_error(
                    "target_impact",
                    f"The target score ({target}) cannot be above the current score "
                    f"({current}): the target is where the actions bring it down to.",
                )
        return data


class ActionForm(forms.ModelForm):
    description = MultilineTextField(widget=forms.Textarea(attrs={"rows": 2}))
    owner = UserChoiceField(queryset=None, required=False, empty_label="Nobody yet")

    class Meta:
        model = RiskAction
        fields = ["description", "owner", "due_date", "done"]
        widgets = {"due_date": DateInput()}

    def __init__(self, *args, owners, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.strategy = strategy

    def clean_owner(self):
        # The choices are every row's: whoever owns one action now may not take another.
        owner = self.cleaned_data["owner"]
        if why := refused_owner(owner, self.strategy, self.instance.owner_id):
            raise forms.ValidationError(why)
        return owner


# Actions are never deleted (done ones are kept), so a risk reviewed every quarter for years
# gathers many: 50 stopped a long-lived risk taking another, with no word why.
MAX_ACTIONS = 500
ActionFormSet = forms.inlineformset_factory(
    Risk,
    RiskAction,
    form=ActionForm,
    extra=2,
    can_delete=False,
    max_num=MAX_ACTIONS,
    validate_max=True,
)


def action_formset(data=None, *, risk: Risk, strategy: Strategy) -> forms.BaseInlineFormSet:
    return ActionFormSet(
        data,
        instance=risk,
        prefix="actions",
        # Read once for every row: who may own an action, and whoever owns one now.
        form_kwargs={
            "owners": _owners(
                strategy, RiskAction.objects.filter(risk_id=risk.pk).values("owner_id")
            ),
            "strategy": strategy,
        },
        queryset=RiskAction.objects.filter(risk=risk) if risk.pk else RiskAction.objects.none(),
    )
