"""A strategy's reporting periods: everyone signed in sees them; Admins schedule, open, close
them and change their dates. The rules are reporting/cycle.py's."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from milestones.sign_off import left_without_approver
from objectives.models import Strategy
from reporting import cycle
from reporting.forms import (
    PeriodDatesForm,
    ScheduleForm,
    SignOffForm,
    approver_label,
    sign_off_state,
    window_state,
)
from reporting.models import PeriodState, ReportingPeriod
from reporting.pdf import PrintFailed, pdf_of
from reporting.quarters import file_name_of
from reporting.report import earlier_closed, pdf_title, report_context
from reporting.returns import returns_in
from strategy_tracker import conflicts
from strategy_tracker.dates import long_day
from strategy_tracker.error_pages import NobodyMay
from strategy_tracker.people import as_id, display_name

MANAGE = "reporting.change_reportingperiod"


def _strategy(request: HttpRequest, slug: str) -> Strategy:
    return get_object_or_404(Strategy.objects.visible_to(request.user), slug=slug)


def _period(strategy: Strategy, pk: int) -> ReportingPeriod:
    period = get_object_or_404(ReportingPeriod, strategy=strategy, pk=pk)
    period.strategy = strategy
    return period


def _manages(request: HttpRequest, strategy: Strategy | None = None) -> bool:
    """An Admin (of `strategy`'s lead organisation, if given) runs the reporting cycle."""
    if not request.user.has_perm(MANAGE):
        return False
    return strategy is None or strategy.is_administered_by(request.user)


def _require_manager(request: HttpRequest, strategy: Strategy | None = None) -> None:
    if not _manages(request, strategy):
        raise PermissionDenied


def _approvers(strategy: Strategy) -> dict:
    """The named approvers in words, each who can no longer approve said so, and how many
    waiting updates none of them could decide (a role taken away, an account switched off)."""
    named = list(strategy.approvers.all())
    able = set(strategy.eligible_approvers().values_list("pk", flat=True))
    return {
        "approver_names": [approver_label(u, able) for u in named],
        "stranded": left_without_approver(strategy, named) if strategy.requires_approval else 0,
    }


def _page(
    request,
    strategy,
    *,
    schedule_form=None,
    window_forms=None,
    sign_off_form=None,
    refusal="",
    status=200,
):
    today = timezone.localdate()
    periods = list(
        strategy.reporting_periods.select_related("opened_by", "closed_by").order_by(
            "-year", "-quarter"
        )
    )
    can_manage = _manages(request, strategy)
    window_forms = window_forms or {}
    rows = []
    for period in periods:
        form = None
        if can_manage and period.state != PeriodState.CLOSED:
            form = window_forms.get(period.pk) or PeriodDatesForm(
                period=period, auto_id=f"period-{period.pk}-%s"
            )
        returns = returns_in(period) if period.state == PeriodState.OPEN else None
        rows.append(
            {
                "period": period,
                "late": period.is_late(today),
                "window_form": form,
                "returns": returns,
            }
        )
    quarter = cycle.next_quarter(strategy, today)
    if can_manage and schedule_form is None and quarter and not strategy.is_closed:
        opens, closes = cycle.default_window(quarter)
        schedule_form = ScheduleForm(
            initial={"quarter": quarter.label, "opens_on": opens, "closes_on": closes}
        )
    if can_manage and sign_off_form is None and not strategy.is_closed:
        sign_off_form = SignOffForm(strategy=strategy)
    context = {
        "strategy": strategy,
        "sign_off_form": sign_off_form,
        **_approvers(strategy),
        "rows": rows,
        "can_manage": can_manage,
        "schedule_form": schedule_form,
        "refusal": refusal,
        "today": today,
    }
    return render(request, "reporting/periods.html", context, status=status)


def _back(strategy: Strategy) -> HttpResponse:
    return redirect(reverse("reporting:periods", args=[strategy.slug]))


@require_http_methods(["GET", "POST"])
def periods(request: HttpRequest, slug: str) -> HttpResponse:
    """The list; a POST schedules the next period."""
    strategy = _strategy(request, slug)
    if request.method == "GET":
        return _page(request, strategy)
    _require_manager(request, strategy)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        # The quarter whose usual dates the page filled in (the template's `dates_for`).
        filled_for = request.POST.get("dates_for", "")
        window = cycle.window_chosen(
            data["quarter"], data["opens_on"], data["closes_on"], filled_for
        )
        try:
            period = cycle.schedule(strategy, data["quarter"], *window, by=request.user)
        except cycle.PeriodRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            if period.opens_on > timezone.localdate():
                done = f"{period.label} is scheduled to open on {long_day(period.opens_on)}."
            else:
                done = (
                    f"{period.label} is scheduled. Its opening day, {long_day(period.opens_on)}, "
                    "has passed: open it now, or the next daily run opens it."
                )
                if period.closes_on < timezone.localdate():
                    done += (
                        f" Its grace period ended on {long_day(period.closes_on)} too, so every "
                        "return sent once it opens is late: change its dates first if that "
                        "is not what you mean."
                    )
            messages.success(request, done)
            return _back(strategy)
    return _page(request, strategy, schedule_form=form, status=400)


@require_POST
def period_dates(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    strategy = _strategy(request, slug)
    _require_manager(request, strategy)
    period = _period(strategy, pk)
    if period.state == PeriodState.CLOSED:  # its form is gone from the page: say why here
        refusal = f"{period.label} is closed; its dates are kept as they were."
        return _page(request, strategy, refusal=refusal, status=409)
    form = PeriodDatesForm(request.POST, period=period, auto_id=f"period-{period.pk}-%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            changed = cycle.change_window(
                period, data["opens_on"], data["closes_on"], request.user, seen=data["read_state"]
            )
        except cycle.WindowChanged as refusal:
            return _dates_conflict(request, strategy, period, str(refusal))
        except cycle.PeriodRefused as refusal:
            period.refresh_from_db()
            if period.state == PeriodState.CLOSED:  # closed meanwhile: its form is gone
                return _page(request, strategy, refusal=str(refusal), status=409)
            form.add_error(None, str(refusal))
        else:
            if changed:
                messages.success(request, f"The dates of {period.label} are saved.")
            else:
                messages.info(request, f"The dates of {period.label} are as they were.")
            return _back(strategy)
    return _page(request, strategy, window_forms={period.pk: form}, status=400)


def _dates_conflict(request, strategy, period, refusal: str) -> HttpResponse:
    """The Admin's dates, kept in the form against the dates as saved now, with each that
    differs shown beside its saved value."""
    period.refresh_from_db()
    rebased = request.POST.copy()
    rebased["read_state"] = window_state(period)
    form = PeriodDatesForm(rebased, period=period, auto_id=f"period-{period.pk}-%s")
    form.is_valid()
    form.conflict = conflicts.differences(form)
    return _page(request, strategy, window_forms={period.pk: form}, refusal=refusal, status=409)


def _step(request: HttpRequest, slug: str, pk: int, step, done) -> HttpResponse:
    """Open or close a period: `step` does it (or refuses), `done(period)` says what it did."""
    strategy = _strategy(request, slug)
    _require_manager(request, strategy)
    period = _period(strategy, pk)
    try:
        step(period, by=request.user)
    except cycle.PeriodRefused as refusal:
        return _page(request, strategy, refusal=str(refusal), status=409)
    messages.success(request, f"{period.label} is {done(period)}.")
    return _back(strategy)


def _opened(period: ReportingPeriod) -> str:
    done = "open: leads can send their returns"
    if period.closes_on < timezone.localdate():
        done += f" (its grace period ended on {long_day(period.closes_on)}, so they are late)"
    return done


@require_POST
def period_open(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _step(request, slug, pk, cycle.open_period, _opened)


@require_POST
def period_close(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    def close(period: ReportingPeriod, by) -> None:
        if request.POST.get("final") != "yes":  # closing is final: the Admin says so first
            label = period.label
            raise cycle.PeriodRefused(f"Tick “Closing is final” beside Close {label} to close it.")
        cycle.close_period(period, by=by)

    return _step(request, slug, pk, close, lambda period: "closed")


def closed_period(strategy: Strategy, pk: int | None) -> ReportingPeriod:
    """The strategy's closed period `pk`, or 404: what every page of a closed quarter reads."""
    period = get_object_or_404(
        ReportingPeriod.objects.select_related("closed_by"),
        strategy=strategy,
        pk=pk if pk is not None else 0,
        state=PeriodState.CLOSED,
    )
    period.strategy = strategy
    return period


def _report_context(request: HttpRequest, slug: str, pk: int) -> dict:
    strategy = _strategy(request, slug)
    period = closed_period(strategy, pk)
    earlier = list(earlier_closed(period))
    since = None
    if "since" in request.GET:  # what changed since a quarter the reader chose
        chosen = as_id(request.GET["since"])
        since = next((p for p in earlier if p.pk == chosen), None)
        if since is None:
            raise Http404("There is no earlier closed quarter of this strategy to compare with.")
    context = report_context(period, since, closed_before=earlier)
    context.update(earlier_choices=earlier, since=since)
    return context


@require_GET
def period_report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A closed quarter's board report, from its snapshot."""
    return render(request, "reporting/report.html", _report_context(request, slug, pk))


@require_GET
def period_report_pdf(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The same report as an A4 PDF for the board papers."""
    context = _report_context(request, slug, pk)
    html = render_to_string("reporting/report_pdf.html", context, request=request)
    try:
        data = pdf_of(html, pdf_title(context))
    except PrintFailed as failure:
        unavailable = {"strategy": context["strategy"], "period": context["period"], "why": failure}
        return render(request, "reporting/pdf_unavailable.html", unavailable, status=503)
    response = HttpResponse(data, content_type="application/pdf")
    period = context["period"]
    name = f"{context['strategy'].slug}-{file_name_of(period.financial_quarter)}"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@require_POST
def sign_off_settings(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = _strategy(request, slug)
    _require_manager(request, strategy)
    if strategy.is_closed:
        raise NobodyMay(Strategy.CLOSED_REFUSAL)
    with transaction.atomic():
        strategy = Strategy.objects.select_for_update().get(pk=strategy.pk)
        form = SignOffForm(request.POST, strategy=strategy)
        if not form.is_valid():
            return _page(request, strategy, sign_off_form=form, status=400)
        if form.cleaned_data["read_state"] != sign_off_state(strategy):
            # Keep this Admin's choices, against the settings as they are now.
            rebased = request.POST.copy()
            rebased["read_state"] = sign_off_state(strategy)
            form = SignOffForm(rebased, strategy=strategy)
            form.is_valid()
            form.conflict = conflicts.differences(form)
            refusal = (
                "Someone changed this strategy's sign-off since you opened the page, so nothing "
                'was saved. What is saved now is under "Sign-off"; your choices are still in '
                "the form: check them, then save again."
            )
            return _page(request, strategy, sign_off_form=form, refusal=refusal, status=409)
        data = form.cleaned_data
        approvers = list(data["approvers"])
        unchanged = data["requires_approval"] == strategy.requires_approval and set(
            approvers
        ) == set(strategy.approvers.all())
        stranded = 0 if unchanged else left_without_approver(strategy, approvers)
        if stranded:
            form.add_error(
                None,
                f"{stranded} milestone update{pluralize(stranded)} {pluralize(stranded, 'is,are')} "
                "waiting for approval, and nobody could approve "
                f"{pluralize(stranded, 'it,them')} with these settings. Have "
                f"{pluralize(stranded, 'it,them')} approved or returned first, or name another "
                "approver. Nothing was changed.",
            )
            return _page(request, strategy, sign_off_form=form, status=400)
        if not unchanged:
            strategy.requires_approval = data["requires_approval"]
            names = ", ".join(display_name(u) for u in approvers) or "none"
            strategy._change_reason = (
                f"Sign-off {'required' if strategy.requires_approval else 'off'}; "
                f"approvers: {names}"
            )
            strategy._history_user = request.user
            strategy.save()
            strategy.approvers.set(approvers)
    if unchanged:
        messages.info(request, "Sign-off is as it was; nothing was changed.")
    else:
        messages.success(request, "Sign-off saved.")
    return redirect(reverse("reporting:periods", args=[strategy.slug]) + "#sign-off")
