"""Form fields and widgets shared by every app, so what was saved is what a form shows and
a form saved untouched changes nothing."""

from django import forms

from strategy_tracker.people import as_id, display_name
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


def _is_id(value) -> bool:
    return as_id(value) is not None


class ChoiceOfRows:
    """A choice of rows by id that refuses anything that cannot be an id before asking the
    database, with the field's own "not one of the choices" message."""

    def to_python(self, value):
        if value not in self.empty_values and not _is_id(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)

    def _check_values(self, value):
        for each in value:
            if not _is_id(each):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": each},
                )
        return super()._check_values(value)


class UserChoiceField(ChoiceOfRows, forms.ModelChoiceField):
    """A choice of one person (an owner), named as every page names them."""

    def label_from_instance(self, user) -> str:
        return display_name(user)


class UsersChoiceField(ChoiceOfRows, forms.ModelMultipleChoiceField):
    """A choice of people (delegates), named as every page names them."""

    def label_from_instance(self, user) -> str:
        return display_name(user)
