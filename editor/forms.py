"""The editor's forms: one per level, each carrying what it showed (`seen`) so a save over
someone else's is refused (editor/guards.py)."""

import re

from django import forms
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import slugify

from editor import guards, trajectory_text
from editor.columns import ITEM_COLUMNS, SLUG_HINT, SLUG_RULE, STRATEGY_COLUMNS
from measures.models import CODE_RULE, Measure
from milestones.models import Milestone, holders
from objectives.models import RESERVED_SLUGS, Objective, Organisation, Priority, Strategy
from strategy_tracker.forms import MultilineTextField, UserChoiceField, UsersChoiceField
from strategy_tracker.roles import ADMIN, organisations_where
from strategy_tracker.visible_text import visible_text

# The editor's own addresses (/edit/new/, /edit/import/) and the public accessibility statement.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _form_field(field, **kwargs):
    # Browsers send a textarea's line breaks as CRLF: stored as LF, as an import stores them,
    # so saving untouched changes nothing and a re-imported workbook matches.
    if isinstance(field, models.TextField):
        kwargs["form_class"] = MultilineTextField
    return field.formfield(**kwargs)


def _labels(model_fields: list[str], columns, renamed: dict | None = None) -> dict[str, str]:
    """Each field labelled as the workbook's column heading is (editor/columns.py)."""
    headings = {c.key: c.heading for c in columns}
    renamed = renamed or {}
    return {f: headings[renamed.get(f, f)] for f in model_fields if renamed.get(f, f) in headings}


class EditorMeta:
    formfield_callback = staticmethod(_form_field)


class GuardedForm(forms.ModelForm):
    """A model form whose save is refused if the item changed after the form was read."""

    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DATE_INPUT
        if "responsible" in self.fields:
            strategy = self.instance.strategy_or_none()
            if strategy is None:
                del self.fields["responsible"]  # an add form shown before its parent is known
            else:
                self.fields["responsible"].queryset = strategy.responsible_organisations()
                self.fields["responsible"].empty_label = "As for what it sits under"
        if self.instance.pk:
            self.fields["seen"].initial = guards.fingerprint(self.guarded_values(self.instance))

    def guarded_values(self, item) -> dict:
        return {
            name: item._meta.get_field(name).value_from_object(item) for name in self._meta.fields
        }


class StrategyForm(GuardedForm):
    new_organisation = forms.CharField(
        max_length=200,
        required=False,
        validators=[visible_text],  # an Organisation's name, checked before it is made
        label="Or a new organisation",
        help_text="Its full name, if it is not in the list.",
    )

    class Meta(EditorMeta):
        model = Strategy
        fields = [
            "organisation",
            "title",
            "slug",
            "period_start",
            "period_end",
            "period_text",
            "vision",
            "purpose",
            "aims",
            "values",
            "summary",
            "source_document",
            "source_version",
            "source_date",
            "illustrative",
        ]
        labels = _labels(fields, STRATEGY_COLUMNS)
        help_texts = {"slug": f"{SLUG_HINT}. Made from the title if left empty."}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].required = False
        self.fields["slug"].required = False
        self.fields["slug"].error_messages["invalid"] = SLUG_RULE  # not Django's "slug"
        if user is not None and not user.is_superuser:
            # An Admin leads strategies for their own organisations; only a site
            # administrator adds an organisation.
            self.fields["organisation"].queryset = Organisation.objects.filter(
                Q(pk__in=organisations_where(user, ADMIN)) | Q(pk=self.instance.organisation_id)
            )
            self.fields.pop("new_organisation", None)
        if self.instance.pk:
            # Addresses of a strategy people already link to stay put.
            self.fields["slug"].disabled = True
            self.fields.pop("new_organisation", None)

    def clean(self):
        data = super().clean()
        new_name = (data.get("new_organisation") or "").strip()
        if not data.get("organisation") and not new_name:
            may_add = "new_organisation" in self.fields
            self.add_error(
                "organisation",
                "Choose the organisation, or name a new one."
                if may_add
                else "Choose the organisation.",
            )
        elif data.get("organisation") and new_name:
            self.add_error(
                "new_organisation", "Choose an organisation or name a new one, not both."
            )
        elif new_name and Organisation.objects.filter(name__iexact=new_name).exists():
            self.add_error("new_organisation", f"{new_name} is in the list already: choose it.")
        if not self.instance.pk and not data.get("slug") and data.get("title"):
            data["slug"] = _free_slug(data["title"])
            self.instance.slug = data["slug"]
        return data

    def save(self, commit=True):
        new_name = (self.cleaned_data.get("new_organisation") or "").strip()
        if new_name:
            self.instance.organisation = Organisation.objects.create(name=new_name)
        return super().save(commit)


def _free_slug(title: str) -> str:
    # A dash between words or years ("2026–2029") separates them: slugify drops it whole.
    base = slugify(re.sub(r"[\u2010-\u2015\u2212/]", " ", title))[:90] or "strategy"
    if base in RESERVED_SLUGS:
        base = f"{base}-strategy"
    slug, n = base, 1
    while Strategy.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class PriorityForm(GuardedForm):
    class Meta(EditorMeta):
        model = Priority
        fields = ["part", "part_title", "title", "description", "source_ref", "responsible"]
        labels = _labels(fields, ITEM_COLUMNS)
        help_texts = {
            "part": "Most documents have one part. A document in parts (a strategy whose "
            "priorities are numbered again from 1 under each part) gives each its number here."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part"].widget.attrs["min"] = 1  # as the model's rule: parts count from 1
        if self.instance.pk:
            # Moving between parts would renumber two lists: archive and add instead.
            self.fields["part"].disabled = True


class ObjectiveForm(GuardedForm):
    class Meta(EditorMeta):
        model = Objective
        fields = [
            "title",
            "description",
            "we_will",
            "where_now",
            "where_want",
            "source_ref",
            "responsible",
        ]
        labels = _labels(fields, ITEM_COLUMNS)
        widgets = {"title": forms.Textarea(attrs={"rows": 2})}


class MilestoneForm(GuardedForm):
    """A milestone's own words and date. Its owner and delegates are chosen on a new
    milestone here, and afterwards with the owner form beside it (milestones/forms.py)."""

    owner = UserChoiceField(queryset=None, required=False, empty_label="Nobody yet")
    delegates = UsersChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Delegates can update the milestone on the owner's behalf.",
    )

    class Meta(EditorMeta):
        model = Milestone
        fields = ["title", "heading", "due_date", "due_text", "source_ref", "responsible"]
        labels = _labels(fields, ITEM_COLUMNS)
        widgets = {"title": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["owner"], self.fields["delegates"]
        else:
            objective = getattr(self.instance, "objective", None)
            partnership = objective.priority.strategy.organisation_ids() if objective else set()
            self.fields["owner"].queryset = holders(partnership)
            self.fields["delegates"].queryset = holders(partnership)

    def clean(self):
        data = super().clean()
        owner = data.get("owner")
        if owner and owner in (data.get("delegates") or []):
            self.add_error("delegates", "The owner updates the milestone already: untick them.")
        people = [p for p in [owner, *(data.get("delegates") or [])] if p]
        if people and not self.instance.pk:
            placed = Milestone(
                objective=self.instance.objective, responsible=data.get("responsible")
            )
            may_hold = placed.holders()
            for person in people:
                if not may_hold.filter(pk=person.pk).exists():
                    self.add_error(
                        "owner" if person == owner else "delegates",
                        f"{person.get_full_name() or person.username} is not a programme lead "
                        "or Admin of the organisation responsible for this milestone.",
                    )
        return data


class MeasureForm(GuardedForm):
    trajectory = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Planned points between the baseline and the target, if the path is not a "
        "straight line: 2025-03-31=60; 2026-03-31=65",
    )

    class Meta(EditorMeta):
        model = Measure
        fields = [
            "code",
            "name",
            "kind",
            "unit",
            "direction",
            "baseline_value",
            "baseline_period",
            "baseline_period_text",
            "target_value",
            "target_date",
            "target_period_text",
            "tolerance",
            "minimum_value",
            "maximum_value",
            "definition",
            "source_ref",
            "responsible",
        ]
        labels = _labels(fields, ITEM_COLUMNS) | {"name": "Name"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].error_messages["invalid"] = CODE_RULE  # not Django's "slug"
        if self.instance.pk:
            # Files of figures name the measure by its code.
            self.fields["code"].disabled = True
            self.fields["trajectory"].initial = trajectory_text.format_points(
                trajectory_text.stored_points(self.instance)
            )

    def guarded_values(self, item) -> dict:
        points = trajectory_text.stored_points(item) if item.pk else []
        return super().guarded_values(item) | {"trajectory": points}

    def clean_code(self):
        code = self.cleaned_data["code"]
        taken = Measure.everything.filter(code__iexact=code).exclude(pk=self.instance.pk)
        if not self.instance.pk and taken.exists():
            raise forms.ValidationError(f"The code {code} is used by another measure already.")
        return code

    def clean_trajectory(self):
        try:
            return trajectory_text.parse_points(self.cleaned_data["trajectory"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def _post_clean(self):
        super()._post_clean()
        points = self.cleaned_data.get("trajectory")
        if points and not self.errors:
            for message in trajectory_text.point_errors(self.instance, points):
                self.add_error("trajectory", message)


class WorkbookForm(forms.Form):
    file = forms.FileField(
        label="Workbook (.xlsx) or CSV file",
        help_text="Built from the template: a “Strategy” sheet and an “Items” sheet, one row "
        "per priority, objective, milestone or measure.",
        error_messages={"required": "Choose a file to upload.", "empty": "The file is empty."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.WORKBOOK_MAX_BYTES
        # Checked before reading, so an oversized file is never held in memory whole.
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size / 1_000_000:.1f} MB; the limit is "
                f"{limit / 1_000_000:.0f} MB."
            )
        return upload
