import copy

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from milestones.due_dates import SAVED_AS_GIVEN
from milestones.forms import MilestoneUpdateForm
from milestones.models import Milestone, holders
from strategy_tracker.admin_bases import KeptWhenClosedMixin, TrackedHistoryAdmin

LEAD_FIELDS = ("status", "commentary", "forecast_date")


class MilestoneAdminForm(forms.ModelForm):
    """The admin's edit form, with the same no-lost-updates check as a lead's form."""

    read_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Milestone
        fields = [
            "objective",
            "position",
            "heading",
            "title",
            "due_date",
            "due_text",
            "owner",
            "status",
            "forecast_date",
            "commentary",
            "source_ref",
            "responsible",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["read_version"].initial = self.instance.version
        if "owner" not in self.fields:
            return  # shown read only: a closed strategy's milestone
        # The current owner stays listed after losing the role, so an untouched save keeps them.
        self.fields["owner"].queryset = (
            get_user_model()
            .objects.filter(Q(pk__in=holders().values("pk")) | Q(pk=self.instance.owner_id))
            .order_by("first_name", "last_name", "username")
        )

    def clean(self):
        data = super().clean()
        owner = data.get("owner")
        if owner and owner.pk != self.instance.owner_id and data.get("objective"):
            placed = Milestone(objective=data["objective"], responsible=data.get("responsible"))
            if not placed.holders().filter(pk=owner.pk).exists():
                self.add_error(
                    "owner",
                    "Only a programme lead or Admin of the organisation responsible for this "
                    "milestone can own it.",
                )
        if set(self.changed_data) & set(LEAD_FIELDS):
            placed = (
                self.instance if self.instance.pk else Milestone(objective=data.get("objective"))
            )
            strategy = placed.strategy_or_none()
            if strategy is not None and strategy.requires_approval:
                # As in the app, where even a site administrator's update waits for approval.
                raise forms.ValidationError(
                    f"{strategy.title} has its updates approved before they count: send this "
                    "update from the milestone's own page, where an approver approves it. "
                    "Nothing was saved."
                )
        placed = self.instance.pk or data.get("objective")  # else that field's error says so
        if placed and set(self.changed_data) & {*LEAD_FIELDS, "due_date", "objective"}:
            self._check_as_an_update(data)
        if self.instance.pk:
            # The admin saves in a transaction; the row lock holds until the save commits.
            current = Milestone.objects.select_for_update().get(pk=self.instance.pk).version
            if data.get("read_version") != current:
                raise forms.ValidationError(
                    "This milestone was changed by someone else since you opened it. "
                    "Your changes have not been saved: open it again to see the new version."
                )
        return data

    def _check_as_an_update(self, data: dict) -> None:
        """A change of status, commentary, forecast or due date here follows the rules of a
        lead's update (milestones/forms.py): off track needs a reason, a forecast after the
        due date needs one, and so on."""
        # Judged as the milestone will be: with the due date and objective this form gives it.
        judged = copy.copy(self.instance)
        judged.due_date = data.get("due_date")
        if data.get("objective"):
            judged.objective = data["objective"]
        update = MilestoneUpdateForm(
            {name: data.get(name) or "" for name in LEAD_FIELDS}
            | {"version": self.instance.version},
            milestone=judged,
        )
        if not update.is_valid():
            for name, errors in update.errors.items():
                for error in errors:
                    self.add_error(name if name in LEAD_FIELDS else None, error)


@admin.register(Milestone)
class MilestoneAdmin(KeptWhenClosedMixin, TrackedHistoryAdmin):
    form = MilestoneAdminForm
    list_display = ["title", "objective", "due_date", "due_text", "status", "owner"]
    list_filter = ["status", "objective__priority__strategy", "owner", "due_date"]
    search_fields = ["title", "heading", "commentary", "objective__title"]
    list_select_related = ["objective__priority", "owner"]
    autocomplete_fields = ["objective"]
    readonly_fields = ["last_updated_at", "last_updated_by", "version", "owner_assigned_at"]
    date_hierarchy = "due_date"

    def save_model(self, request, obj, form, change):
        now = timezone.now()
        if "owner" in form.changed_data:
            obj.owner_assigned_at = now
        if any(name in form.changed_data for name in LEAD_FIELDS):
            obj.last_updated_at, obj.last_updated_by = now, request.user
        # clean() locked the row and found it unchanged, so save() bumps the live version.
        super().save_model(request, obj, form, change)
        if {"due_date", "objective"} & set(form.changed_data) and obj.due_date_note:
            # Saved as given (a document may date one after its period), and said.
            self.message_user(request, f"{obj.due_date_note} {SAVED_AS_GIVEN}", messages.WARNING)
