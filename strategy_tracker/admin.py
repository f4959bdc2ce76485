from django.db import models
from django.http import HttpRequest

# The user admin registers itself: who may do what to whose account (issue 15).
from strategy_tracker import user_admin  # noqa: F401
from strategy_tracker.forms import MultilineTextField


class NoDeleteMixin:
    """Nothing is hard-deleted through the app: milestones are cancelled, values restated."""

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class LineBreaksMixin:
    """Text fields whose line breaks as typed (CRLF) and as stored (LF) are the same text."""

    formfield_overrides = {models.TextField: {"form_class": MultilineTextField}}


class UnchangedSaveMixin:
    """An admin form saved untouched writes nothing: no history row claiming a change, and
    no new version that would make a lead's open update form out of date. (Inline rows are
    saved only when changed already.)"""

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        if change and not form.has_changed():
            return
        super().save_model(request, obj, form, change)
