"""Form widgets shared by every app."""

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker. It accepts only ISO dates (2027-03-31), so the value is
    always rendered that way whatever the site's locale: a date shown as 31/03/2027 would
    come back empty, and the next save would wipe it."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None):
        super().__init__(attrs, format="%Y-%m-%d")
