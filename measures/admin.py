from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from measures.models import Measure, MeasureValue
from strategy_tracker.admin import NoDeleteMixin


class MeasureValueInline(NoDeleteMixin, admin.TabularInline):
    model = MeasureValue
    fields = ["period_end", "period_text", "value", "note", "source"]
    extra = 0


@admin.register(Measure)
class MeasureAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "unit", "direction", "baseline_value", "target_value"]
    list_filter = ["direction", "unit", "priority__strategy", "objective__priority__strategy"]
    search_fields = ["code", "name", "definition"]
    autocomplete_fields = ["priority", "objective"]
    inlines = [MeasureValueInline]


@admin.register(MeasureValue)
class MeasureValueAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["measure", "period_end", "value", "source"]
    list_filter = ["measure__code", "period_end"]
    search_fields = ["measure__code", "measure__name", "note", "source"]
    list_select_related = ["measure"]
    autocomplete_fields = ["measure"]
