import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from milestones.forms import MilestoneUpdateForm
from reporting.models import PeriodState
from reporting.quarters import Quarter
from strategy_tracker.forms import (
    INCOMPLETE,
    ChoiceOfRows,
    DateInput,
    MultilineTextField,
    UsersChoiceField,
)
from strategy_tracker.people import display_name

DATE_ERROR = {"invalid": "Enter a date, for example 2024-10-21."}


class WindowForm(forms.Form):
    """When leads can send a period's returns: from the day it opens to the end of its grace
    period. The cycle (reporting/cycle.py) checks the dates against the quarter."""

    opens_on = forms.DateField(
        label="Opens on",
        widget=DateInput(),
        error_messages=DATE_ERROR,
        help_text="The first day leads can send their returns: within the quarter, usually a "
        "fortnight before it ends.",
    )
    closes_on = forms.DateField(
        label="Closes on",
        widget=DateInput(),
        error_messages=DATE_ERROR,
        help_text="The last day of the grace period: on or after the quarter's end.",
    )

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and opens > closes:
            self.add_error("closes_on", "A period closes on or after the day it opens.")
        return data


def window_state(period) -> str:
    """What a period's dates form showed: the period's state and its two dates."""
    return f"{period.state}:{period.opens_on.isoformat()}:{period.closes_on.isoformat()}"


class PeriodDatesForm(WindowForm):
    """A period's dates, changed. It carries what it showed (`read_state`), so dates someone
    saved meanwhile, or a period opened meanwhile, are refused rather than undone unseen
    (reporting/cycle.change_window). Cleaned, `read_state` is (state, opens on, closes on)."""

    read_state = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, period, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "opens_on": period.opens_on,
                "closes_on": period.closes_on,
                "read_state": window_state(period),
            },
        )
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        data["read_state"] = _window_shown(self.data.get("read_state"))
        if data["read_state"] is None:  # not sent from the page: nothing to compare with
            raise forms.ValidationError(INCOMPLETE)
        return data


def _window_shown(text: str | None) -> tuple[str, dt.date, dt.date] | None:
    state, _, dates = (text or "").partition(":")
    opens, _, closes = dates.partition(":")
    try:
        return PeriodState(state), dt.date.fromisoformat(opens), dt.date.fromisoformat(closes)
    except ValueError:
        return None


class ScheduleForm(WindowForm):
    """The next period of a strategy: its quarter and its dates."""

    quarter = forms.CharField(
        label="Quarter",
        max_length=20,
        help_text="The financial quarter, as 2024/25 Q2 (July to September 2024).",
    )
    field_order = ["quarter", "opens_on", "closes_on"]

    def clean_quarter(self) -> Quarter:
        try:
            return Quarter.parse(self.cleaned_data["quarter"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class ReturnRowForm(MilestoneUpdateForm):
    """One milestone of a lead's quarterly return: the update form, and a tick to confirm a
    milestone whose status, commentary and forecast still hold."""

    confirm = forms.BooleanField(
        required=False,
        label="No change this quarter: confirm it as it is",
        help_text="Leave unticked and unchanged to update it later.",
    )


class ReturnUpdateForm(forms.Form):
    """An approver's reason for sending an update back to its lead."""

    reason = MultilineTextField(
        label="Reason for returning it",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="The lead sees this beside their update.",
        error_messages={"required": "Say why the update is returned: the lead sees your reason."},
    )

    def __init__(self, *args, submission: int, **kwargs) -> None:
        # The approvals page is one form, so each update's box is named by its update
        # ("return-7-reason", its id too): a click on one update's button sends the reasons
        # typed for the others, to be shown back rather than lost.
        super().__init__(*args, prefix=f"return-{submission}", auto_id="%s", **kwargs)


def approver_label(user, eligible: set[int]) -> str:
    """A named approver, saying so if they can no longer approve (switched off, or no longer
    an Approver of the strategy's organisations)."""
    name = display_name(user)
    if not user.is_active:
        return f"{name} (inactive: can no longer approve)"
    return name if user.pk in eligible else f"{name} (can no longer approve)"


def sign_off_state(strategy) -> str:
    """What the sign-off form showed: the switch and the approvers, as one string."""
    ids = sorted(strategy.approvers.values_list("id", flat=True))
    return f"{int(strategy.requires_approval)}:{','.join(map(str, ids))}"


class SignOffForm(forms.Form):
    """Whether a strategy's milestone updates need approval, and who approves them."""

    requires_approval = forms.BooleanField(
        required=False,
        label="Milestone updates need an approver's approval before they count",
    )
    approvers = UsersChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Approvers",
        help_text="Nobody approves their own update, so name at least two if approvers also "
        "update milestones.",
    )
    read_state = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, strategy, **kwargs):
        self.strategy = strategy
        kwargs.setdefault(
            "initial",
            {
                "requires_approval": strategy.requires_approval,
                "approvers": list(strategy.approvers.all()),
                "read_state": sign_off_state(strategy),
            },
        )
        super().__init__(*args, **kwargs)
        # Approvers of its organisations; and whoever approves now, even if no longer
        # eligible, so a save never drops them unseen.
        able = set(strategy.eligible_approvers().values_list("pk", flat=True))
        current = Q(pk__in=strategy.approvers.values("pk"))
        users = get_user_model().objects.filter(Q(pk__in=able) | current)
        self.fields["approvers"].queryset = users.order_by("first_name", "last_name", "username")
        self.fields["approvers"].label_from_instance = lambda user: approver_label(user, able)

    def clean(self):
        data = super().clean()
        if data.get("requires_approval") and not data.get("approvers"):
            self.add_error("approvers", "Name at least one approver, or leave approval off.")
        return data


class PeriodChoiceField(ChoiceOfRows, forms.ModelMultipleChoiceField):
    def label_from_instance(self, period) -> str:
        label = f"{period.strategy.title} ({period.strategy.organisation.name})"
        if period.strategy.illustrative:
            label += ": illustrative data, not from a published document"
        return label


class PackForm(forms.Form):
    """A board pack: the quarter, and which of its closed reports go in it."""

    quarter = forms.CharField(widget=forms.HiddenInput)
    periods = PeriodChoiceField(
        queryset=None,
        label="Strategies in the pack",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one strategy for the pack.",
            "invalid_choice": "One of the strategies chosen has no closed report for this "
            "quarter any more; choose again from the list.",
        },
    )

    def __init__(self, *args, quarter: Quarter, closed, **kwargs):
        super().__init__(*args, **kwargs)
        self.quarter_shown = quarter
        self.fields["quarter"].initial = quarter.label
        self.fields["periods"].queryset = closed.filter(year=quarter.year, quarter=quarter.number)

    def clean_quarter(self) -> Quarter:
        try:
            quarter = Quarter.parse(self.cleaned_data["quarter"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        if quarter != self.quarter_shown:
            raise forms.ValidationError("The quarter changed; choose the strategies again.")
        return quarter
