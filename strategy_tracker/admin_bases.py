"""The base classes of every model admin and inline of the project, so each follows the
same rules: nothing deleted, line breaks as stored, untouched saves skipped, never a save
over a change made since the page was opened, history for reading."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from strategy_tracker.admin import (
    LineBreaksMixin,
    NoDeleteMixin,
    UnchangedSaveMixin,
)
from strategy_tracker.admin_forms import ReadStateAdminMixin
from strategy_tracker.admin_history import HistoryReadOnlyMixin
from strategy_tracker.admin_lookups import SaneLookupsMixin


class TrackedAdmin(
    ReadStateAdminMixin,
    SaneLookupsMixin,
    NoDeleteMixin,
    LineBreaksMixin,
    UnchangedSaveMixin,
    admin.ModelAdmin,
):
    pass


class TrackedHistoryAdmin(
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
