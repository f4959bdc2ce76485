from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from measures.charts import measure_trend, spc_chart
from measures.columns import VALUE_FIELDS
from measures.csv_files import CsvFileError
from measures.exporting import template_csv_response, values_csv_response
from measures.forms import ConfirmForm, SpcLimitsForm, UploadForm, limits_state
from measures.importing import (
    ImportRefused,
    RestatementsUnconfirmed,
    UploadExpired,
    confirm,
    expired_uploads,
    is_expired,
    preview,
    store_upload,
)
from measures.models import (
    ImportBatch,
    Measure,
    MeasureValue,
    planned_by_measure,
    series_by_measure,
)
from measures.periods import own_wording
from objectives.models import Strategy
from strategy_tracker import conflicts
from strategy_tracker.chart_policy import draws_charts
from strategy_tracker.dates import short_day
from strategy_tracker.error_pages import NobodyMay
from strategy_tracker.forms import typed_texts
from strategy_tracker.history import change_log

MEASURE_FIELDS = [
    "name",
    "kind",
    "unit",
    "direction",
    "baseline_value",
    "baseline_period",
    "baseline_period_text",
    "target_value",
    "target_date",
    "target_period_text",
    "tolerance",
    "minimum_value",
    "maximum_value",
    "definition",
    "source_ref",
    "spc_baseline_points",
    "spc_rebase_from",
]


def _get_measure(request: HttpRequest, code: str) -> Measure:
    """The measure with this code, if this user may see its strategy (drafts: Admins only),
    with its planned trajectory points."""
    measure = get_object_or_404(
        Measure.objects.visible_to(request.user)
        .with_latest_value()
        .select_related("priority__strategy", "objective__priority__strategy"),
        code=code,
    )
    measure.planned = planned_by_measure([measure.id]).get(measure.id, [])
    return measure


@require_GET
def measure_detail(request: HttpRequest, code: str) -> HttpResponse:
    return _measure_page(request, code)


@draws_charts
def _measure_page(
    request: HttpRequest, code: str, spc_form: SpcLimitsForm | None = None
) -> HttpResponse:
    measure = _get_measure(request, code)
    context = _measure_context(measure)
    if measure.is_managed_by(request.user):
        context["spc_form"] = spc_form or SpcLimitsForm(measure=measure)
    context["may_rate"] = Measure.objects.imported_by(request.user).filter(pk=measure.pk).exists()
    status = 400 if spc_form is not None else 200
    return render(request, "measures/measure_detail.html", context, status=status)


def _measure_context(measure: Measure) -> dict:
    today = timezone.localdate()
    values = series_by_measure([measure.id]).get(measure.id, [])
    reading = measure.spc_reading(values)
    parent_priority = measure.priority or measure.objective.priority
    labels = {name: Measure._meta.get_field(name).verbose_name for name in MEASURE_FIELDS}
    unit = measure.unit  # money with its £ (numbers.money_or_number); any other bare
    history = change_log(
        measure.history.select_related("history_user"),
        MEASURE_FIELDS,
        labels,
        subject=lambda record: "Measure",
        unit=unit,
    ) + change_log(
        MeasureValue.history.filter(measure_id=measure.id).select_related("history_user"),
        VALUE_FIELDS,
        {name: MeasureValue._meta.get_field(name).verbose_name for name in VALUE_FIELDS},
        subject=_value_named,
        unit=unit,
    )
    history.sort(key=lambda entry: entry.when, reverse=True)
    return {
        "measure": measure,
        "values": values,
        "status": measure.rag(today),
        "chart": measure_trend(measure, values),
        "today": today,
        "strategy": parent_priority.strategy,
        "priority": parent_priority,
        "objective": measure.objective,
        "history": history,
        "spc": reading,
        "spc_chart": spc_chart(measure, reading),
        "baseline_row": measure.baseline_stands_apart(values),
        "trajectory": measure.trajectory_path(),
        "rating": measure.quality,
        "rating_note": measure.data_quality.note if measure.quality else "",
    }


def _value_named(record) -> str:
    """A value in the measure's history: a year's figure by its words ("Value for 2024/25"),
    as the measure's page names it, any other by the day its period ends."""
    own = own_wording(record.period_text)
    return f"Value for {own}" if own else f"Value for period ending {short_day(record.period_end)}"


@require_POST
@permission_required("measures.change_measure", raise_exception=True)
def measure_spc_limits(request: HttpRequest, code: str) -> HttpResponse:
    found = get_object_or_404(Measure.objects.visible_to(request.user), code=code)
    if found.in_closed_strategy:
        raise NobodyMay(Strategy.CLOSED_REFUSAL, typed_texts(request.POST, SpcLimitsForm))
    if not found.is_managed_by(request.user):
        raise PermissionDenied(
            "Only Admins of the strategy's lead organisation, or of the organisation "
            "responsible for this measure, set its SPC limits."
        )
    with transaction.atomic():
        # Locked until the change commits: what the form showed is compared with a state no
        # other Admin can change meanwhile; the change and its history row go in together.
        measure = Measure.objects.select_for_update().get(code=code)
        form = SpcLimitsForm(request.POST, measure=measure)
        saved = form.is_valid() and form.changes_limits
        if saved:
            measure.spc_baseline_points = form.cleaned_data["spc_baseline_points"]
            measure.spc_rebase_from = form.cleaned_data["spc_rebase_from"]
            measure._change_reason = f"SPC limits: {form.cleaned_data['reason'].strip()}"
            measure._history_user = request.user
            measure.save(update_fields=["spc_baseline_points", "spc_rebase_from"])
    if not form.is_valid():
        if form.has_error(NON_FIELD_ERRORS, "conflict"):
            # Keep what this Admin typed, against the limits as they are now.
            data = request.POST.copy()
            data["read_limits"] = limits_state(measure)
            errors = form.non_field_errors()
            form = SpcLimitsForm(data, measure=measure)
            form.full_clean()
            form.add_error(None, errors)
            form.conflict = conflicts.differences(form, skip=("reason",))
        return _measure_page(request, code, spc_form=form)
    if saved:
        messages.success(request, "SPC limits saved.")
    else:
        messages.info(request, "The SPC limits are as they were; nothing was changed.")
    return redirect(measure.get_absolute_url() + "#spc-limits")


# --- import and export of figures ---------------------------------------------------------

IMPORT_PERMISSION = "measures.import_measurevalue"


@require_http_methods(["GET", "POST"])
@permission_required(IMPORT_PERMISSION, raise_exception=True)
def import_start(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = store_upload(user=request.user, file_name=upload.name, data=upload.read())
        except CsvFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("measures:import_preview", batch.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "max_rows": f"{settings.MEASURE_IMPORT_MAX_ROWS:,}",
        "hours": settings.MEASURE_IMPORT_UNCONFIRMED_HOURS,
    }
    return render(request, "measures/import_start.html", context, status=status)


def _batches(request: HttpRequest):
    """Uploads this person may open: their own (a site administrator: everyone's), since a
    file's rows may name measures of organisations others do not reach."""
    batches = ImportBatch.objects.select_related("uploaded_by").defer("content")
    return batches if request.user.is_superuser else batches.filter(uploaded_by=request.user)


def _get_batch(request: HttpRequest, pk: int) -> ImportBatch | None:
    """The upload, or None if it has expired (and may have been deleted) or never was."""
    batch = _batches(request).filter(pk=pk).first()
    return None if batch is None or is_expired(batch) else batch


def _upload_expired(request: HttpRequest) -> HttpResponse:
    context = {"hours": settings.MEASURE_IMPORT_UNCONFIRMED_HOURS}
    return render(request, "measures/import_expired.html", context, status=404)


def _preview_context(request: HttpRequest, batch: ImportBatch) -> dict:
    """The preview of a stored file; or, for a file over a limit lowered since it was
    uploaded, why it cannot be imported. ImportBatch.DoesNotExist if it expired meanwhile."""
    try:
        report = preview(batch, by=request.user)
    except CsvFileError as error:
        return {"refusal": str(error)}
    return {"report": report}


@require_GET
@permission_required(IMPORT_PERMISSION, raise_exception=True)
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _get_batch(request, pk)
    if batch is None:
        return _upload_expired(request)
    context = {"batch": batch}
    if batch.status == ImportBatch.Status.PREVIEWED:
        try:
            context |= _preview_context(request, batch)
        except ImportBatch.DoesNotExist:
            return _upload_expired(request)
        if "report" in context:
            context["confirm_form"] = _confirm_form(context["report"])
    return render(request, "measures/import_preview.html", context)


def _confirm_form(report) -> ConfirmForm:
    return ConfirmForm(initial={"restatements_seen": report.restatements_seen})


@require_POST
@permission_required(IMPORT_PERMISSION, raise_exception=True)
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _get_batch(request, pk)
    if batch is None:
        return _upload_expired(request)
    form = ConfirmForm(request.POST)
    form.is_valid()  # a checkbox: always valid, unticked when absent
    try:
        report = confirm(
            batch.pk,
            restatements_confirmed=form.cleaned_data.get("restatements_confirmed", False),
            # A post without it (not from the preview) restates nothing unseen either.
            restatements_seen=form.cleaned_data.get("restatements_seen", ""),
            user=request.user,
        )
    except UploadExpired:
        return _upload_expired(request)
    except ImportRefused as refusal:
        context = {"batch": batch, "confirm_form": form}
        try:
            batch.refresh_from_db()
            if batch.status == ImportBatch.Status.PREVIEWED:
                context |= _preview_context(request, batch)
        except ImportBatch.DoesNotExist:
            return _upload_expired(request)
        if "report" in context:  # confirming again confirms this preview, as it is now
            context["confirm_form"] = _confirm_form(context["report"])
        context["refusal"] = str(refusal)
        context["needs_tick"] = isinstance(refusal, RestatementsUnconfirmed)
        return render(request, "measures/import_preview.html", context, status=409)
    messages.success(request, f"Imported {batch.file_name}: {report.summary}.")
    return redirect("measures:import_list")


@require_GET
@permission_required(IMPORT_PERMISSION, raise_exception=True)
def import_list(request: HttpRequest) -> HttpResponse:
    batches = _batches(request).exclude(pk__in=expired_uploads().values("pk"))[:200]
    context = {"batches": batches, "hours": settings.MEASURE_IMPORT_UNCONFIRMED_HOURS}
    return render(request, "measures/import_list.html", context)


@require_GET
@permission_required(IMPORT_PERMISSION, raise_exception=True)
def import_template(request: HttpRequest) -> HttpResponse:
    measures = Measure.objects.imported_by(request.user).order_by("code")
    return template_csv_response(measures.values_list("code", "name"))


@require_GET
def measure_values_csv(request: HttpRequest, code: str) -> HttpResponse:
    measure = get_object_or_404(Measure.objects.visible_to(request.user), code=code)
    values = measure.values.select_related("measure").order_by("period_end")
    return values_csv_response(values, f"{measure.code}.csv", measure.strategy.illustrative)


@require_GET
def strategy_values_csv(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = get_object_or_404(Strategy.objects.visible_to(request.user), slug=slug)
    values = (
        MeasureValue.objects.filter(measure__in=Measure.objects.for_strategies([strategy.id]))
        .select_related("measure")
        .order_by("measure__code", "period_end")
    )
    return values_csv_response(values, f"{strategy.slug}-figures.csv", strategy.illustrative)
