from django import forms
from django.conf import settings

from measures import data_quality
from measures.models import DataQualityRating, Measure
from measures.spc import MIN_BASELINE_POINTS
from strategy_tracker.forms import DateInput, MultilineTextField
from strategy_tracker.visible_text import says_something


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file of figures",
        help_text="Columns: measure_code, period_end (YYYY-MM-DD) or period (2024/25 Q1), value, "
        "and optionally note and source. UTF-8 or Windows-1252; commas or semicolons.",
        error_messages={"required": "Choose a CSV file to upload.", "empty": "The file is empty."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.MEASURE_IMPORT_MAX_BYTES
        # Checked before reading, so an oversized file is never held in memory whole.
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size / 1_000_000:.1f} MB; the limit is "
                f"{limit / 1_000_000:.0f} MB. Split it into smaller files."
            )
        return upload


class ConfirmForm(forms.Form):
    restatements_confirmed = forms.BooleanField(
        required=False,
        label="I confirm these rows restate figures that have already been reported.",
    )
    # The preview's ImportReport.restatements_seen: which figures the person saw restated.
    restatements_seen = forms.CharField(widget=forms.HiddenInput, required=False)


class SpcLimitsForm(forms.Form):
    """An Admin fixes the SPC limits to a baseline and rebases them, always saying why."""

    spc_baseline_points = forms.IntegerField(
        label="Baseline points",
        required=False,
        min_value=MIN_BASELINE_POINTS,
        max_value=1000,
        help_text="Limits come from the first this-many points of each part. Empty: all points.",
    )
    spc_rebase_from = forms.DateField(
        label="Rebase from",
        required=False,
        widget=DateInput(),
        help_text="Limits start afresh from this period end (after a real change in the "
        "process). Empty: no rebase.",
        error_messages={"invalid": "Enter the period end as a date, for example 2024-06-30."},
    )
    reason = MultilineTextField(
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the measure's history.",
    )
    # The limits as the form showed them, so another Admin's change made meanwhile is never
    # silently undone.
    read_limits = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, measure: Measure, **kwargs):
        self.measure = measure
        kwargs.setdefault(
            "initial",
            {
                "spc_baseline_points": measure.spc_baseline_points,
                "spc_rebase_from": measure.spc_rebase_from,
                "read_limits": limits_state(measure),
            },
        )
        super().__init__(*args, **kwargs)

    def clean_spc_rebase_from(self):
        rebase = self.cleaned_data["spc_rebase_from"]
        if rebase and not self.measure.values.filter(period_end=rebase).exists():
            raise forms.ValidationError(
                "Rebase from the end of a period this measure has a value for, so the new "
                "limits start at a point on the chart."
            )
        # A rebase follows a sustained change, a shift's length of points at least: limits
        # from one or two would have a board read "consistently failing" into noise.
        least = settings.SPC_SHIFT_LENGTH
        since = self.measure.values.filter(period_end__gte=rebase).count() if rebase else None
        if since is not None and since < least:
            raise forms.ValidationError(
                f"Rebase from a period with at least {least} values from it onward (this one "
                f"has {since}): new limits need a sustained change to rest on. Wait for more "
                "values, or rebase from an earlier period."
            )
        return rebase

    @property
    def changes_limits(self) -> bool:
        data = self.cleaned_data
        return (data.get("spc_baseline_points"), data.get("spc_rebase_from")) != (
            self.measure.spc_baseline_points,
            self.measure.spc_rebase_from,
        )

    def clean(self):
        data = super().clean()
        if data.get("read_limits") != limits_state(self.measure):
            raise forms.ValidationError(
                "Someone changed these limits while you had this page open; they are now as "
                "shown in the summary above. Nothing was saved: check them, then save again.",
                code="conflict",
            )
        # Saving the form as it was shown changes nothing, so it needs no reason.
        if not self.errors and self.changes_limits and not says_something(data.get("reason")):
            self.add_error("reason", "Say why the limits are being changed.")
        return data


def limits_state(measure: Measure) -> str:
    """The measure's SPC limit settings as one string, e.g. "15|2024-06-30"."""
    rebase = measure.spc_rebase_from.isoformat() if measure.spc_rebase_from else ""
    return f"{measure.spc_baseline_points or ''}|{rebase}"


class DataQualityForm(forms.ModelForm):
    """A measure's kite mark: each dimension rated, what the rating rests on, and whether to
    record a fresh assessment when nothing changed."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = MultilineTextField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text="What the rating rests on: the checks made, the source's own quality notes.",
    )
    reassessed = forms.BooleanField(
        required=False,
        label="Record that I assessed it today, even if no rating changed",
    )

    class Meta:
        model = DataQualityRating
        fields = [name for name, _, _ in data_quality.DIMENSIONS] + ["note"]
        widgets = {name: forms.RadioSelect for name, _, _ in data_quality.DIMENSIONS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["reassessed"]  # a first rating is saved if it rates something

    @property
    def changes_something(self) -> bool:
        changed = [name for name in self.changed_data if name not in ("version", "reassessed")]
        # A first rating left as the form opened (every dimension "not assessed", no note)
        # rates nothing: saving it would show an assessment that was never made.
        return bool(changed) or bool(self.instance.pk and self.cleaned_data.get("reassessed"))
