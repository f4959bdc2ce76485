from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from milestones.models import Milestone
from strategy_tracker.admin import NoDeleteMixin


@admin.register(Milestone)
class MilestoneAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["title", "objective", "due_date", "due_text", "status", "owner"]
    list_filter = ["status", "objective__priority__strategy", "owner", "due_date"]
    search_fields = ["title", "heading", "commentary", "objective__title"]
    list_select_related = ["objective__priority", "owner"]
    autocomplete_fields = ["owner", "objective"]
    readonly_fields = ["last_updated_at", "last_updated_by", "version"]
    date_hierarchy = "due_date"
