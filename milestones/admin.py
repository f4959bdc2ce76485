from django.contrib import admin
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from milestones.models import Milestone, MilestoneDelegate
from strategy_tracker.admin import NoDeleteMixin


class MilestoneDelegateInline(admin.TabularInline):
    model = MilestoneDelegate
    fields = ["user", "assigned_at"]
    readonly_fields = ["assigned_at"]
    autocomplete_fields = ["user"]
    extra = 0


@admin.register(Milestone)
class MilestoneAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["title", "objective", "due_date", "due_text", "status", "owner"]
    list_filter = ["status", "objective__priority__strategy", "owner", "due_date"]
    search_fields = ["title", "heading", "commentary", "objective__title"]
    list_select_related = ["objective__priority", "owner"]
    autocomplete_fields = ["owner", "objective"]
    readonly_fields = ["last_updated_at", "last_updated_by", "version", "owner_assigned_at"]
    inlines = [MilestoneDelegateInline]
    date_hierarchy = "due_date"

    def save_model(self, request, obj, form, change):
        if "owner" in form.changed_data:
            obj.owner_assigned_at = timezone.now()
        super().save_model(request, obj, form, change)
