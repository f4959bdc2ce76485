"""Admin forms that never save over a change made since they were opened.

Django's admin compares what was posted with the row as it is when the POST arrives, so a
page opened before someone else's change, then saved, writes the old values back: an import's
restated figure, a lead's update, another Admin's edit. These forms carry a fingerprint of the
row as they showed it and refuse to save a changed row whose fingerprint has moved.
"""

import hashlib

from django import forms
from django.core.exceptions import ValidationError


def row_state(instance) -> str:
    """A fingerprint of every stored field of the row."""
    values = [(f.attname, f.value_to_string(instance)) for f in instance._meta.concrete_fields]
    return hashlib.sha256(repr(values).encode()).hexdigest()[:32]


class ReadStateForm(forms.ModelForm):
    read_state = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["read_state"].initial = row_state(self.instance)

    @property
    def changed_data(self) -> list[str]:
        # The fingerprint is how the form was read, not a change someone made.
        return [name for name in super().changed_data if name != "read_state"]

    def clean(self):
        data = super().clean()
        if self.instance.pk and self.changed_data:
            # The admin saves in a transaction: the row stays locked until the save commits.
            current = (
                type(self.instance)
                ._default_manager.select_for_update()
                .filter(pk=self.instance.pk)
                .first()
            )
            if current is None or data.get("read_state") != row_state(current):
                raise ValidationError(
                    f"This {self._meta.model._meta.verbose_name} was changed by someone else "
                    "since you opened the page, so nothing was saved. Open it again to see "
                    "their change, then make yours.",
                    code="stale",
                )
        return data


class ReadStateAdminMixin:
    """For a ModelAdmin or an inline: its form carries, and checks, the row's fingerprint."""

    form = ReadStateForm

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return fields if "read_state" in fields else [*fields, "read_state"]
