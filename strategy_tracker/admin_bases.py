"""The base classes of every model admin and inline of the project, so each follows the
same rules: nothing deleted, line breaks as stored, untouched saves skipped, never a save
over a change made since the page was opened, history for reading."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
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
        # A save sent from a page opened before the strategy closed reaches the form, which
        # refuses it in words with what was typed still in it (not a bare 403).
        if obj is not None and _closed(obj) and request.method != "POST":
            return False
        return super().has_change_permission(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        if request.method == "POST" and object_id and response.status_code == 200:
            item = self.get_object(request, unquote(object_id))
            if item is not None and _closed(item):
                response.status_code = 403  # refused, and shown again with why (the form)
        return response

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class NotUnderAClosedStrategy(form):
            def clean(self):
                data = super().clean()
                if self.instance.pk is not None and _closed(self.instance):
                    raise ValidationError(
                        "This strategy closed while the page was open: it is kept as it was "
                        "when it closed, so nothing in it can be changed. Nothing was saved; "
                        "what you typed is still in the form, to copy."
                    )
                if any(_closed(value) for value in data.values() if hasattr(value, "pk")):
                    raise ValidationError(
                        "That strategy is closed: it is kept as it was when it closed, so "
                        "nothing is added to it or moved into it. Nothing was saved."
                    )
                _stays_in_its_strategy(self, data)
                return data

        return NotUnderAClosedStrategy


def _strategy_of(value):
    """The strategy a form's value belongs to: an item's (priority, objective), or a strategy
    itself; None for anything else (a person, an organisation)."""
    if hasattr(value, "strategy_or_none"):
        return value.strategy_or_none()
    return value if hasattr(value, "is_closed") else None


def _stays_in_its_strategy(form, data: dict) -> None:
    """An item stays in the strategy it is in, as in the app, where nothing moves between
    strategies: its owner, delegates and the organisations its items name belong to that
    strategy's organisations, and its history to that strategy's reports."""
    item = form.instance
    if item.pk is None or not hasattr(item, "strategy_or_none"):
        return
    stored = type(item)._base_manager.get(pk=item.pk).strategy_or_none()
    for name, value in list(data.items()):  # add_error takes the field out of `data`
        moved_to = _strategy_of(value) if hasattr(value, "pk") else None
        if stored is not None and moved_to is not None and moved_to.pk != stored.pk:
            form.add_error(
                name,
                f"Choose one of {stored.title}: an item stays in its strategy (its owners and "
                "partners are that strategy's). To have it in another, add it there.",
            )
