"""Rating a measure's data quality: those who import its figures rate them, each save kept in
the history with who and when."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from measures.forms import DataQualityForm
from measures.models import DataQualityRating, Measure
from objectives.models import Strategy
from strategy_tracker import conflicts
from strategy_tracker.error_pages import NobodyMay
from strategy_tracker.forms import typed_texts

STALE = (
    "Someone else saved this measure's rating while you had it open, so nothing was saved. "
    "Your choices are still in the form: check the rating as it is now, above, then save "
    "again to put yours in its place."
)


@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, code: str) -> HttpResponse:
    measure = get_object_or_404(
        Measure.objects.visible_to(request.user).select_related(
            "priority__strategy", "objective__priority__strategy"
        ),
        code=code,
    )
    if measure.in_closed_strategy:
        raise NobodyMay(Strategy.CLOSED_REFUSAL, typed_texts(request.POST, DataQualityForm))
    if not Measure.objects.imported_by(request.user).filter(pk=measure.pk).exists():
        raise PermissionDenied("Only those who import this measure's figures rate their quality.")
    rating = DataQualityRating.objects.filter(measure=measure).first()
    # The form gets its own copy: validating a form writes its choices onto its instance,
    # and the page shows the rating as saved beside it.
    instance = DataQualityRating.objects.filter(measure=measure).first() or DataQualityRating(
        measure=measure
    )
    if request.method == "GET":
        return _page(request, measure, rating, DataQualityForm(instance=instance))
    form = DataQualityForm(request.POST, instance=instance)
    if not form.is_valid():
        return _page(request, measure, rating, form, status=400)
    if not form.changes_something:
        messages.info(request, "Nothing had changed, so nothing was saved.")
        return redirect(measure.get_absolute_url() + "#data-quality")
    try:
        with transaction.atomic():
            if rating is not None:
                current = DataQualityRating.objects.select_for_update().filter(pk=rating.pk).first()
                if current.version != form.cleaned_data["version"]:
                    raise IntegrityError("stale")
            saved = form.save(commit=False)
            saved.assessed_by, saved.assessed_on = request.user, timezone.localdate()
            saved._history_user = request.user
            saved.save()
    except IntegrityError:  # changed meanwhile, or a first rating saved twice at once
        fresh = DataQualityRating.objects.filter(measure=measure).first()
        data = request.POST.copy()
        data["version"] = fresh.version if fresh else ""
        again = DataQualityRating.objects.filter(measure=measure).first()
        form = DataQualityForm(data, instance=again or DataQualityRating(measure=measure))
        form.is_valid()
        form.add_error(None, STALE)
        form.conflict = conflicts.differences(form, skip=("reassessed",))
        return _page(request, measure, fresh, form, status=409)
    messages.success(request, "Data-quality rating saved.")
    return redirect(measure.get_absolute_url() + "#data-quality")


def _page(request, measure, rating, form, status: int = 200) -> HttpResponse:
    parent = measure.priority or measure.objective.priority
    context = {
        "measure": measure,
        "rating": rating.rating if rating else None,
        "rating_note": rating.note if rating else "",
        "form": form,
        "strategy": parent.strategy,
        "priority": parent,
        "objective": measure.objective,
        "today": timezone.localdate(),
    }
    return render(request, "measures/data_quality.html", context, status=status)
