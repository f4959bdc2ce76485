"""Admin forms that never save over a change made since they were opened.

Django's admin compares what was posted with the row as it is when the POST arrives, so a
page opened before someone else's change, then saved, writes the old values back: an import's
restated figure, a lead's update, another Admin's edit. These forms carry a fingerprint of the
row as they showed it and refuse to save a changed row whose fingerprint has moved.
"""

import hashlib

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import UniqueConstraint
from django.forms.models import BaseInlineFormSet, InlineForeignKeyField


def row_state(instance, unwatched: tuple[str, ...] = ()) -> str:
    """A fingerprint of every stored field of the row but those `unwatched`, and of its plain
    many-to-many fields (a person's permissions), which its page saves whole too."""
    values = [
        (f.attname, f.value_to_string(instance))
        for f in instance._meta.concrete_fields
        if f.name not in unwatched
    ]
    if instance.pk is not None:
        values += [
            (f.name, sorted(getattr(instance, f.name).values_list("pk", flat=True)))
            for f in instance._meta.many_to_many
            if f.remote_field.through._meta.auto_created and f.name not in unwatched
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

    def validate_unique(self):
        """Django's checks, and then the model's rules again with every column the form does
        not show: Django leaves those out, and with them any rule whose condition reads one
        (a live priority's number: "archived_at is null"), which then reached the database
        as a 500. An inline's row is checked by its formset (ReadStateFormSet), after the
        formset's own check of rows alike."""
        super().validate_unique()
        inline = any(isinstance(f, InlineForeignKeyField) for f in self.fields.values())
        if self.errors or inline:
            return
        try:
            self.instance.validate_constraints()
        except ValidationError as error:
            self.add_error(None, error.messages)


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
        self._refuse_clashes()

    def _refuse_clashes(self) -> None:
        """Rows that would break a uniqueness rule, refused on the row with the rule's words.
        Django leaves out of those checks the parent's key and every column an inline does
        not show (an objective's `archived_at`), so a second click on Save, or two Admins
        adding the same row, reached the database's rule: a 500. Errors Django put on a hidden
        field (a person's one job title) are moved where the page shows them."""
        seen: dict[tuple, object] = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            for name in [n for n in form.errors if n in form.fields]:
                if form.fields[name].widget.is_hidden:
                    form.add_error(None, form.errors.pop(name))
            if form.errors or not form.has_changed():
                continue
            instance = form.instance
            # On an add page the parent is not saved yet: its key is left out, as Django
            # leaves it (a measure's "a priority or an objective" would fail without it).
            exclude = {self.fk.name} if self.instance.pk is None else set()
            try:
                instance.validate_unique(exclude=exclude)
                instance.validate_constraints(exclude=exclude)
            except ValidationError as error:
                form.add_error(None, error.messages)
                continue
            for key in _unique_keys(instance, self.fk.attname):
                if key in seen:
                    form.add_error(None, f"Another row on this page has the same {key[1]}.")
                seen[key] = form


NEW_PARENT = object()  # the key of a parent being added on the same page


def _unique_keys(instance, parent_attname: str) -> list[tuple]:
    """The instance's values under each of its model's uniqueness rules that holds for it
    (a rule for live rows only holds while it is live), to find two new rows alike. A
    parent not saved yet (an add page) is the same parent for every row."""
    meta = instance._meta
    keys = []
    for constraint in meta.constraints:
        fields = getattr(constraint, "fields", ())
        if not isinstance(constraint, UniqueConstraint) or not fields:
            continue
        values = tuple(
            NEW_PARENT
            if (name := meta.get_field(f).attname) == parent_attname
            and getattr(instance, name) is None
            else getattr(instance, name)
            for f in fields
        )
        if None in values:
            continue
        if constraint.condition is not None and not constraint.condition.check(
            instance._get_field_expression_map(meta=meta)
        ):
            continue
        names = " and ".join(str(meta.get_field(f).verbose_name) for f in fields)
        keys.append((constraint.name, names, values))
    for field in meta.fields:  # a unique column (a measure's code) is a rule of its own
        if field.unique and not field.primary_key:
            value = getattr(instance, field.attname)
            if value not in (None, ""):
                # In any case, as a measure's codes are compared (Measure.validate_unique).
                value = value.casefold() if isinstance(value, str) else value
                keys.append((field.name, str(field.verbose_name), (value,)))
    return keys


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
