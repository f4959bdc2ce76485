"""Form fields and widgets shared by every app, so what was saved is what a form shows and
a form saved untouched changes nothing."""

from django import forms

from strategy_tracker.visible_text import printable

# A form posted without what it showed (not sent from the page): nothing can be checked
# against what was saved meanwhile, so nothing is saved.
INCOMPLETE = "This form is incomplete: reload the page and try again."


class DateInput(forms.DateInput):
    """The browser's date picker. It accepts only ISO dates (2027-03-31), so the value is
    always rendered that way whatever the site's locale: a date shown as 31/03/2027 would
    come back empty, and the next save would wipe it."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None):
        super().__init__(attrs, format="%Y-%m-%d")


def normalise_line_breaks(text: str | None) -> str:
    """Text with LF line breaks, as it is stored."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


class MultilineTextField(forms.CharField):
    """Text typed in a textarea. Browsers send its line breaks as CRLF whatever was loaded, so
    text is stored with LF, and text that differs only in its line breaks is unchanged:
    otherwise saving it untouched would rewrite it and record a change."""

    widget = forms.Textarea

    def widget_attrs(self, widget) -> dict:
        # No `maxlength`: a browser cuts pasted text to it without a word. The length is
        # checked on the server, which says so and keeps every character in the box.
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_line_breaks(value) if isinstance(value, str) else value

    def has_changed(self, initial, data) -> bool:
        if self.disabled:
            return False
        return (
            normalise_line_breaks(initial).strip()
            != normalise_line_breaks(self.to_python(data)).strip()
        )


# Boxes whose text, shown back as typed, says what was meant; a choice's posted value is a code.
_TYPED_KINDS = (forms.CharField, forms.IntegerField, forms.DecimalField, forms.DateField)


def typed_texts(posted, form_class, prefix: str = "") -> list[tuple[str, str]]:
    """What someone typed into `form_class`'s text, number and date boxes (named under
    `prefix`), as (label, text) pairs of those filled in: to show back to copy when the
    save is refused."""
    name = (lambda field: f"{prefix}-{field}") if prefix else (lambda field: field)
    texts = [
        (
            str(field.label or field_name.replace("_", " ").capitalize()),
            printable(normalise_line_breaks(posted.get(name(field_name), ""))).strip(),
        )
        for field_name, field in form_class.base_fields.items()
        if isinstance(field, _TYPED_KINDS) and not field.widget.is_hidden
    ]
    return [(label, text) for label, text in texts if text]
