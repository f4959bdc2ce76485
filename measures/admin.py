from django.contrib import admin

from measures.models import (
    DataQualityRating,
    Measure,
    MeasureValue,
    NationalIndicator,
    TrajectoryPoint,
)
from strategy_tracker.admin import NoDeleteMixin
from strategy_tracker.admin_bases import (
    KeptWhenClosedMixin,
    TrackedHistoryAdmin,
    TrackedInlineMixin,
)
from strategy_tracker.admin_forms import ReadStateAdminMixin


class MeasureValueInline(NoDeleteMixin, admin.TabularInline):
    """Figures are read here, not written: they arrive by import, which applies every rule
    (range, quarter end, not in the future, restatements confirmed) and keeps who and when."""

    model = MeasureValue
    fields = ["period_end", "period_text", "value", "note", "source"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class TrajectoryPointInline(TrackedInlineMixin, admin.TabularInline):
    model = TrajectoryPoint
    fields = ["period_end", "value"]
    extra = 0
    verbose_name = "planned trajectory point"


@admin.register(Measure)
class MeasureAdmin(KeptWhenClosedMixin, ReadStateAdminMixin, TrackedHistoryAdmin):
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
class MeasureValueAdmin(TrackedHistoryAdmin):
    list_display = ["measure", "period_end", "value", "source"]
    list_filter = ["measure__code", "period_end"]
    search_fields = ["measure__code", "measure__name", "note", "source"]
    list_select_related = ["measure"]
    autocomplete_fields = ["measure"]

    # Read only, as on the measure's page: figures arrive by import.
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DataQualityRating)
class DataQualityRatingAdmin(TrackedHistoryAdmin):
    """Read here; rated on the measure's own page, which records who assessed it and when."""

    list_display = ["measure", "assessed_by", "assessed_on"]
    list_select_related = ["measure", "assessed_by"]
    search_fields = ["measure__code", "measure__name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(NationalIndicator)
class NationalIndicatorAdmin(ReadStateAdminMixin, TrackedHistoryAdmin):
    """A measure's link to an OHID Fingertips indicator (measures/fingertips.py). The weekly
    fetch proposes its figures as an import to `linked_by`, who previews and confirms it."""

    list_display = [
        "measure",
        "indicator_id",
        "area_type_id",
        "area_code",
        "sex",
        "age",
        "linked_by",
        "last_fetched_at",
    ]
    list_select_related = ["measure", "linked_by"]
    search_fields = ["measure__code", "measure__name", "area_code", "=indicator_id"]
    autocomplete_fields = ["measure"]
    readonly_fields = ["linked_at", "last_fetched_at", "last_fetch_outcome"]

    def get_changeform_initial_data(self, request):
        return {"linked_by": request.user.pk} | super().get_changeform_initial_data(request)
