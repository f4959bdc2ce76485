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
