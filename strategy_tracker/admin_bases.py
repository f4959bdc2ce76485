"""The base classes of every model admin and inline of the project, so each follows the
same rules: nothing deleted, line breaks as stored, untouched saves skipped, never a save
over a change made since the page was opened, history for reading."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from strategy_tracker.admin import (
    LineBreaksMixin,
    NoDeleteMixin,
    UnchangedSaveMixin,
)
from strategy_tracker.admin_forms import ReadStateAdminMixin
from strategy_tracker.admin_history import HistoryReadOnlyMixin
from strategy_tracker.admin_lookups import SaneAutocompleteMixin, SaneLookupsMixin


class TrackedAdmin(
    ReadStateAdminMixin,
    SaneAutocompleteMixin,
    SaneLookupsMixin,
    NoDeleteMixin,
    LineBreaksMixin,
    UnchangedSaveMixin,
    admin.ModelAdmin,
):
    pass


class TrackedHistoryAdmin(
    SaneAutocompleteMixin,
    SaneLookupsMixin,
    NoDeleteMixin,
    LineBreaksMixin,
    UnchangedSaveMixin,
    HistoryReadOnlyMixin,
    SimpleHistoryAdmin,
):
    """For a model whose admin shows its history (django-simple-history)."""


class TrackedInlineMixin(ReadStateAdminMixin, NoDeleteMixin, LineBreaksMixin):
    """Put before admin.TabularInline or admin.StackedInline."""


def _closed(item) -> bool:
    """Whether `item` (a strategy, or an item of one: a priority, objective, milestone or
    measure) belongs to a closed strategy."""
    if hasattr(item, "in_closed_strategy"):
        return item.in_closed_strategy
    return bool(getattr(item, "is_closed", False))  # a strategy itself


class KeptWhenClosedMixin:
    """A closed strategy's items are kept as they were when it closed, here as in the app
    (README): shown, not changed, and nothing added under them. Put before the admin class."""

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and _closed(obj):
            return False
        return super().has_change_permission(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class NotUnderAClosedStrategy(form):
            def clean(self):
                data = super().clean()
                if any(_closed(value) for value in data.values() if hasattr(value, "pk")):
                    raise ValidationError(
                        "That strategy is closed: it is kept as it was when it closed, so "
                        "nothing is added to it or moved into it. Nothing was saved."
                    )
                return data

        return NotUnderAClosedStrategy
