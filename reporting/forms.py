from django import forms

from milestones.forms import MilestoneUpdateForm
from reporting.quarters import Quarter
from strategy_tracker.forms import DateInput

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
