"""Board packs, for Admins: choose a quarter and its strategies, follow the pack as the worker
makes it, and download it when it is ready. The rules are reporting/packs.py's."""

import io

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from objectives.models import Strategy
from reporting import packs
from reporting.forms import PackForm
from reporting.models import BoardPack, PackState, PeriodState, ReportingPeriod
from reporting.quarters import Quarter, file_name_of
from reporting.views import _require_manager

PACKS_SHOWN = 20


def _closed(request: HttpRequest):
    return ReportingPeriod.objects.filter(
        state=PeriodState.CLOSED, strategy__in=Strategy.objects.visible_to(request.user)
    ).select_related("strategy__organisation")


def _packs(request: HttpRequest):
    """Packs whose every report this person may read."""
    unseen = ReportingPeriod.objects.exclude(strategy__in=Strategy.objects.visible_to(request.user))
    return BoardPack.objects.exclude(periods__in=unseen)


@require_http_methods(["GET", "POST"])
def board_packs(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    closed = _closed(request)
    quarters = closed.closed_quarters()
    chosen = request.POST.get("quarter") or request.GET.get("quarter") or ""
    try:
        quarter = Quarter.parse(chosen[:40]) if chosen else (quarters[0] if quarters else None)
    except ValueError as error:
        quarter = None
        messages.error(request, str(error))
    refused = quarter is not None and quarter not in quarters
    if refused:
        # Named in the address or a form, but no strategy the Admin can see has closed it.
        messages.error(request, f"{quarter.label} has no closed report you can see.")
        quarter = None
    form, status = None, 400 if refused and request.method == "POST" else 200
    if quarter is not None:
        data = request.POST if request.method == "POST" else None
        initial = {"periods": list(closed.filter(year=quarter.year, quarter=quarter.number))}
        form = PackForm(data, quarter=quarter, closed=closed, initial=initial)
        if request.method == "POST":
            if form.is_valid():
                try:
                    pack = packs.request_pack(
                        quarter, list(form.cleaned_data["periods"]), by=request.user
                    )
                except packs.PackRefused as refusal:
                    form.add_error(None, str(refusal))
                else:
                    messages.success(
                        request,
                        f"The {pack.label} board pack of {pack.total} report"
                        f"{'s' if pack.total != 1 else ''} is queued: its progress is below.",
                    )
                    return redirect(reverse("reporting:packs") + f"#pack-{pack.pk}")
            status = 400
    context = {
        "quarters": quarters,
        "quarter": quarter,
        "form": form,
        "packs": _packs(request).defer("pdf").select_related("requested_by")[:PACKS_SHOWN],
    }
    return render(request, "reporting/packs.html", context, status=status)


@require_GET
def pack_status(request: HttpRequest, pk: int) -> JsonResponse:
    """For the page's progress line: the pack's state in words."""
    _require_manager(request)
    pack = get_object_or_404(_packs(request).defer("pdf"), pk=pk)
    ready = pack.state == PackState.DONE
    # The page stops asking about a pack that stalled or waited too long: its asking every few
    # seconds would otherwise keep a walked-away Admin's session alive for ever.
    state = "stalled" if pack.stalled else "waiting" if pack.waited_too_long else pack.state
    return JsonResponse(
        {
            "state": state,
            "progress": pack.progress,
            "download": reverse("reporting:pack_pdf", args=[pack.pk]) if ready else "",
            "download_text": (
                f"Download the {pack.label} pack (PDF, {filesizeformat(pack.size)})"
                if ready
                else ""
            ),
        }
    )


@require_GET
def pack_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    pack = get_object_or_404(_packs(request), pk=pk, state=PackState.DONE)
    name = f"board-pack-{file_name_of(Quarter(pack.year, pack.quarter))}-{pack.pk}.pdf"
    return FileResponse(
        io.BytesIO(bytes(pack.pdf)),
        as_attachment=True,
        filename=name,
        content_type="application/pdf",
    )
