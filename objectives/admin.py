from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from measures.models import Measure
from milestones.due_dates import SAVED_AS_GIVEN, in_brief
from milestones.models import Milestone
from objectives.models import (
    JobTitle,
    Membership,
    Objective,
    Organisation,
    Partner,
    Priority,
    Strategy,
)
from strategy_tracker.admin_bases import KeptWhenClosedMixin, TrackedAdmin, TrackedInlineMixin
from strategy_tracker.admin_forms import ReadStateAdminMixin, ReadStateFormSet
from strategy_tracker.admin_lookups import SaneAutocompleteMixin
from strategy_tracker.user_admin import TrackerUserAdmin


class MembershipInline(SaneAutocompleteMixin, ReadStateAdminMixin, admin.TabularInline):
    """A person's roles, each in one organisation. Taking a role away is deleting its row
    (the history keeps who held what, and when). A row changed on another page since this one
    was opened (the person's, or their organisation's) is neither saved over nor deleted."""

    model = Membership
    extra = 0
    verbose_name = "role in an organisation"
    verbose_name_plural = "roles in organisations"


class OrganisationMembershipInline(MembershipInline):
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(TrackedAdmin):
    list_display = ["name", "short_name"]
    search_fields = ["name", "short_name"]
    inlines = [OrganisationMembershipInline]


class JobTitleInline(ReadStateAdminMixin, admin.StackedInline):
    """Shown instead of the owner's name on public pages, if the organisation chooses."""

    model = JobTitle
    extra = 0
    max_num = 1


class UserWithMembershipsAdmin(TrackerUserAdmin):
    inlines = [JobTitleInline, MembershipInline]


admin.site.unregister(User)
admin.site.register(User, UserWithMembershipsAdmin)


class PriorityInline(TrackedInlineMixin, admin.TabularInline):
    model = Priority
    fields = ["part", "number", "title", "part_title"]
    extra = 0
    show_change_link = True


class PartnerFormSet(ReadStateFormSet):
    def clean(self):
        super().clean()
        named = self.instance.organisations_named_by_items() if self.instance.pk else set()
        for form in self.initial_forms:
            # A row deleted, or changed to another organisation, removes the one it held.
            removed = form in self.deleted_forms or "organisation" in form.changed_data
            held = Organisation.objects.filter(pk=form.initial.get("organisation")).first()
            if removed and held is not None and held.pk in named:
                raise ValidationError(
                    f"Items of this strategy name {held} as responsible, so it stays a partner "
                    "until they name another organisation."
                )


class PartnerInline(ReadStateAdminMixin, admin.TabularInline):
    """The strategy's partner organisations: their people read it, and its items can name
    them as responsible. Removing one is deleting its row (the history keeps it)."""

    model = Partner
    formset = PartnerFormSet
    extra = 0
    verbose_name = "partner organisation"


@admin.register(Strategy)
class StrategyAdmin(KeptWhenClosedMixin, TrackedAdmin):
    list_display = ["title", "organisation", "period_start", "period_end", "status", "illustrative"]
    list_filter = ["status", "illustrative", "organisation"]
    search_fields = ["title", "slug", "organisation__name"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PartnerInline, PriorityInline]
    # Set on the reporting periods page, which guards the approvers against a stale save
    # (this form's check covers the strategy's own columns, not a list of people).
    exclude = ["approvers"]
    # The status moves on the strategy's dashboard (objectives/lifecycle.py), which records who
    # published or closed it and when; a strategy added here starts as a draft.
    readonly_fields = [
        "requires_approval",
        "status",
        "published_at",
        "published_by",
        "closed_at",
        "closed_by",
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"period_start", "period_end"} & set(form.changed_data):
            # Its milestones keep their due dates; any now outside the period are named.
            notes = Milestone.objects.due_date_notes(obj)
            if notes:
                self.message_user(
                    request,
                    f"Due outside the new period: {in_brief(notes)} Correct their due dates "
                    "if the document says otherwise.",
                    messages.WARNING,
                )


class ObjectiveInline(TrackedInlineMixin, admin.StackedInline):
    model = Objective
    fields = ["number", "title", "we_will", "where_now", "where_want", "source_ref", "responsible"]
    extra = 0
    show_change_link = True


class PriorityMeasureInline(TrackedInlineMixin, admin.TabularInline):
    model = Measure
    fk_name = "priority"
    fields = ["code", "name", "kind", "unit", "direction", "baseline_value", "target_value"]
    extra = 0
    show_change_link = True


@admin.register(Priority)
class PriorityAdmin(KeptWhenClosedMixin, TrackedAdmin):
    list_display = ["__str__", "strategy", "part"]
    list_filter = ["strategy", "part"]
    search_fields = ["title", "description"]
    list_select_related = ["strategy"]
    inlines = [ObjectiveInline, PriorityMeasureInline]


class MilestoneInline(TrackedInlineMixin, admin.TabularInline):
    """The document's side of each milestone. The owner and the reported status are shown,
    not edited, here: these rows carry no version check, so a stale page would undo a lead's
    update; they are changed on the milestone's own page, which has one."""

    model = Milestone
    fields = ["position", "heading", "title", "due_text", "due_date", "owner_name", "status"]
    readonly_fields = ["owner_name", "status"]
    extra = 0
    show_change_link = True

    @admin.display(description="Owner")
    def owner_name(self, milestone: Milestone) -> str:
        owner = milestone.owner
        return (owner.get_full_name() or owner.username) if owner else "—"


class ObjectiveMeasureInline(PriorityMeasureInline):
    fk_name = "objective"


@admin.register(Objective)
class ObjectiveAdmin(KeptWhenClosedMixin, TrackedAdmin):
    list_display = ["__str__", "priority"]
    list_filter = ["priority__strategy"]
    search_fields = ["title", "we_will", "where_now", "where_want"]
    list_select_related = ["priority__strategy"]
    inlines = [MilestoneInline, ObjectiveMeasureInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is not Milestone:
            return
        for row in formset.forms:
            milestone = row.instance
            if milestone.pk and "due_date" in row.changed_data and milestone.due_date_note:
                # Saved as given (a document may date one after its period), and said.
                self.message_user(
                    request,
                    f"Milestone {milestone.position} “{milestone.title[:60]}”: "
                    f"{milestone.due_date_note} {SAVED_AS_GIVEN}",
                    messages.WARNING,
                )
