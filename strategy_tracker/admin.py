from django.http import HttpRequest


class NoDeleteMixin:
    """Nothing is hard-deleted through the app: milestones are cancelled, values restated."""

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
