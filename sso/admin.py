from django.contrib import admin

from sso.models import GroupRole, ProviderAccount
from sso.signing_in import unlink
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


@admin.register(ProviderAccount)
class ProviderAccountAdmin(SaneLookupsMixin, admin.ModelAdmin):
    """Each person's link to the organisation's sign-in (issuer and subject), to read and,
    when the provider's id for them changed (a move to another tenant, a reissued account),
    to unlink: their next sign-in links the new id by their address. The admin's log keeps
    who unlinked whom and when."""

    list_display = ["user", "issuer", "subject", "linked_at"]
    search_fields = ["user__username", "user__email", "subject"]
    list_select_related = ["user"]
    readonly_fields = ["user", "issuer", "subject", "manages_roles", "linked_at"]
    actions = None  # one at a time, from its own page, where the consequences are said

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return False  # a link is made by signing in

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def delete_model(self, request, obj: ProviderAccount) -> None:
        unlink(obj)
