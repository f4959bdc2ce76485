from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from measures.charts import measure_trend
from measures.models import Measure, MeasureValue
from strategy_tracker.history import change_log

MEASURE_FIELDS = [
    "name",
    "unit",
    "direction",
    "baseline_value",
    "baseline_period",
    "baseline_period_text",
    "target_value",
    "target_date",
    "tolerance",
    "definition",
    "source_ref",
]
VALUE_FIELDS = ["period_end", "period_text", "value", "note", "source"]


def _get_measure(code: str) -> Measure:
    return get_object_or_404(
        Measure.objects.with_latest_value().select_related(
            "priority__strategy", "objective__priority__strategy"
        ),
        code=code,
    )


def measure_detail(request: HttpRequest, code: str) -> HttpResponse:
    today = timezone.localdate()
    measure = _get_measure(code)
    values = list(measure.values.order_by("period_end"))
    parent_priority = measure.priority or measure.objective.priority
    labels = {name: Measure._meta.get_field(name).verbose_name for name in MEASURE_FIELDS}
    history = change_log(
        measure.history.select_related("history_user"),
        MEASURE_FIELDS,
        labels,
        subject=lambda record: "Measure",
    ) + change_log(
        MeasureValue.history.filter(measure_id=measure.id).select_related("history_user"),
        VALUE_FIELDS,
        {name: MeasureValue._meta.get_field(name).verbose_name for name in VALUE_FIELDS},
        subject=lambda record: f"Value for period ending {record.period_end:%-d %b %Y}",
    )
    history.sort(key=lambda entry: entry.when, reverse=True)
    context = {
        "measure": measure,
        "values": values,
        "status": measure.rag(today),
        "chart": measure_trend(measure, values),
        "today": today,
        "strategy": parent_priority.strategy,
        "priority": parent_priority,
        "objective": measure.objective,
        "history": history,
    }
    return render(request, "measures/measure_detail.html", context)
