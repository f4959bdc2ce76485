from django.contrib import admin

from sso.models import GroupRole
from strategy_tracker.admin_forms import ReadStateAdminMixin
from strategy_tracker.admin_lookups import SaneLookupsMixin


@admin.register(GroupRole)
class GroupRoleAdmin(ReadStateAdminMixin, SaneLookupsMixin, admin.ModelAdmin):
    list_display = ["group", "organisation", "role"]
    search_fields = ["group"]
    list_filter = ["organisation", "role"]

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser  # who gets which role is the site administrator's

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission
