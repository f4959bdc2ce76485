"""Admin forms that never save over a change made since they were opened.

Django's admin compares what was posted with the row as it is when the POST arrives, so a
page opened before someone else's change, then saved, writes the old values back: an import's
restated figure, a lead's update, another Admin's edit. These forms carry a fingerprint of the
row as they showed it and refuse to save a changed row whose fingerprint has moved.
"""

import hashlib

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet


def row_state(instance, unwatched: tuple[str, ...] = ()) -> str:
    """A fingerprint of every stored field of the row but those `unwatched`."""
    values = [
        (f.attname, f.value_to_string(instance))
        for f in instance._meta.concrete_fields
        if f.name not in unwatched
    ]
    return hashlib.sha256(repr(values).encode()).hexdigest()[:32]


def _lock_as_shown(form: forms.ModelForm, shown: str | None) -> bool:
    """Locks the form's row until the admin's save commits (it saves in a transaction), and
    says whether it is still there as the page showed it. If so, the fields the form does not
    watch are taken as they are now: the save writes every column, and must not put back a
    password set a moment ago."""
    model = type(form.instance)
    # Unordered: a default ordering by a related name would join, and lock, that row too.
    locked = model._default_manager.select_for_update().order_by().filter(pk=form.instance.pk)
    current = locked.first()
    unwatched = getattr(form, "unwatched", ())
    if current is None or shown != row_state(current, unwatched):
        return False
    for name in unwatched:
        setattr(form.instance, name, getattr(current, name))
    return True


def _stale(form: forms.ModelForm, done: str) -> ValidationError:
    return ValidationError(
        f"This {form._meta.model._meta.verbose_name} was changed by someone else since you "
        f"opened the page, so nothing was {done}. Open it again to see their change, then "
        "make yours.",
        code="stale",
    )


class ReadStateForm(forms.ModelForm):
    read_state = forms.CharField(widget=forms.HiddenInput, required=False)
    # Fields this form does not show and that change by themselves (a person's last sign-in):
    # a change to them is no reason to refuse a save, and the save keeps them as they are.
    unwatched: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["read_state"].initial = row_state(self.instance, self.unwatched)

    @property
    def changed_data(self) -> list[str]:
        # The fingerprint is how the form was read, not a change someone made.
        return [name for name in super().changed_data if name != "read_state"]

    def clean(self):
        data = super().clean()
        if self.instance.pk and self.changed_data:
            if not _lock_as_shown(self, data.get("read_state")):
                raise _stale(self, "saved")
        return data


class ReadStateFormSet(BaseInlineFormSet):
    """An inline's rows, of ReadStateForm: a row ticked for deletion is deleted only if
    nobody changed it since the page was opened (Django does not check a deleted row)."""

    def clean(self):
        super().clean()
        for form in self.initial_forms:
            # A row deleted (or, for a strategy's items, archived: the inline lists live rows)
            # since the page was opened comes back as a new, empty instance, refused only on
            # its hidden id, an error the admin's page never shows.
            if form.instance.pk is None and not self._should_delete_form(form):
                raise ValidationError(
                    f"A {form._meta.model._meta.verbose_name} on this page was deleted (or "
                    "archived) by someone else since you opened it, so nothing was saved. "
                    "Open the page again to see what is there now, then make your change.",
                    code="stale",
                )
        for form in self.deleted_forms:
            shown = form.data.get(form.add_prefix("read_state"))
            if form.instance.pk and not _lock_as_shown(form, shown):
                raise _stale(form, "deleted or saved")


class ReadStateAdminMixin:
    """For a ModelAdmin or an inline: its form carries, and checks, the row's fingerprint."""

    form = ReadStateForm
    formset = ReadStateFormSet  # an inline's; a ModelAdmin has none

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        # Only a form that can save carries it: on a read-only page it would be a field to show.
        if "read_state" in fields or not self.has_change_permission(request, obj):
            return fields
        return [*fields, "read_state"]
