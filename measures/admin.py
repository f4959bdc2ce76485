from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from measures.models import Measure, MeasureValue, TrajectoryPoint
from strategy_tracker.admin import LineBreaksMixin, NoDeleteMixin, UnchangedSaveMixin


class MeasureValueInline(NoDeleteMixin, LineBreaksMixin, admin.TabularInline):
    model = MeasureValue
    fields = ["period_end", "period_text", "value", "note", "source"]
    extra = 0


class TrajectoryPointInline(NoDeleteMixin, LineBreaksMixin, admin.TabularInline):
    model = TrajectoryPoint
    fields = ["period_end", "value"]
    extra = 0
    verbose_name = "planned trajectory point"


@admin.register(Measure)
class MeasureAdmin(NoDeleteMixin, LineBreaksMixin, UnchangedSaveMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "unit", "direction", "baseline_value", "target_value"]
    list_filter = [
        "kind",
        "direction",
        "unit",
        "priority__strategy",
        "objective__priority__strategy",
    ]
    search_fields = ["code", "name", "definition"]
    autocomplete_fields = ["priority", "objective"]
    inlines = [TrajectoryPointInline, MeasureValueInline]


@admin.register(MeasureValue)
class MeasureValueAdmin(NoDeleteMixin, LineBreaksMixin, UnchangedSaveMixin, SimpleHistoryAdmin):
    list_display = ["measure", "period_end", "value", "source"]
    list_filter = ["measure__code", "period_end"]
    search_fields = ["measure__code", "measure__name", "note", "source"]
    list_select_related = ["measure"]
    autocomplete_fields = ["measure"]
