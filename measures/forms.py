from django import forms
from django.conf import settings


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


class SpcLimitsForm(forms.Form):
    """An Admin fixes the SPC limits to a baseline and rebases them, always saying why."""

    spc_baseline_points = forms.IntegerField(
        label="Baseline points",
        required=False,
        min_value=2,
        help_text="Limits come from the first this-many points of each part. Empty: all points.",
    )
    spc_rebase_from = forms.DateField(
        label="Rebase from",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Limits start afresh from this period end (after a real change in the "
        "process). Empty: no rebase.",
        error_messages={"invalid": "Enter the period end as a date, for example 2024-06-30."},
    )
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the measure's history.",
        error_messages={"required": "Say why the limits are being changed."},
    )
