"""The risk register of a strategy, a risk's page, and the forms that add and change risks.
Reading needs only sight of the strategy; writing is checked here, on the server."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django_tables2 import RequestConfig
from simple_history.utils import update_change_reason

from objectives.models import Strategy
from risks.filters import RiskFilter
from risks.forms import RiskForm, action_formset
from risks.history import risk_change_log
from risks.models import Risk, StaleRiskError, next_number, threatened
from risks.scoring import heat_map
from risks.tables import RiskTable
from strategy_tracker import conflicts
from strategy_tracker.error_pages import NobodyMay
from strategy_tracker.forms import typed_texts

RISKS_PER_PAGE = 50


def _strategy(request: HttpRequest, slug: str) -> Strategy:
    return get_object_or_404(
        Strategy.objects.visible_to(request.user).select_related("organisation"), slug=slug
    )


def _risk(request: HttpRequest, slug: str, number: int) -> Risk:
    strategy = _strategy(request, slug)
    risk = get_object_or_404(Risk.objects.select_related("owner"), strategy=strategy, number=number)
    risk.strategy = strategy
    return risk


@require_GET
def register(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = _strategy(request, slug)
    today = timezone.localdate()
    risks = Risk.objects.filter(strategy=strategy).with_scores().select_related("owner")
    # Open risks unless the reader asks for others.
    data = request.GET.copy()
    data.setdefault("status", Risk.Status.OPEN)
    filterset = RiskFilter(data, queryset=risks, today=today)
    table = RiskTable(filterset.qs if filterset.is_valid() else risks.none())
    RequestConfig(request, paginate=False).configure(table)
    try:  # a fixed page size: no `per_page` from the address to trip over
        table.paginate(page=request.GET.get("page", 1), per_page=RISKS_PER_PAGE)
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404("No such page of risks.") from error
    shown = [row.record for row in table.page.object_list]  # read once; the rows are these
    texts = threatened([risk.pk for risk in shown])
    for risk in shown:
        risk.threatens = texts[risk.pk]
    context = {
        "strategy": strategy,
        "today": today,
        "filter": filterset,
        "table": table,
        # Every risk the filters keep, not only this page's.
        "heat_map": heat_map(filterset.qs if filterset.is_valid() else []),
        "may_add": strategy.is_administered_by(request.user) and not strategy.is_closed,
    }
    return render(request, "risks/register.html", context)


@require_GET
def detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    risk = _risk(request, slug, number)
    today = timezone.localdate()
    context = {
        "strategy": risk.strategy,
        "risk": risk,
        "today": today,
        "priorities": risk.priorities.select_related("strategy"),
        "objectives": risk.objectives.select_related("priority__strategy"),
        "actions": risk.actions.select_related("owner"),
        "history": risk_change_log(risk),
        "may_change": risk.can_be_changed_by(request.user),
    }
    return render(request, "risks/detail.html", context)


@require_http_methods(["GET", "POST"])
def add(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = _strategy(request, slug)
    if not strategy.is_administered_by(request.user):
        raise PermissionDenied(f"Only Admins of {strategy.organisation} add risks to it.")
    if strategy.is_closed:
        raise NobodyMay(
            "This strategy is closed: its register takes no new risks.", _typed(request.POST)
        )
    risk = Risk(strategy=strategy)
    form = RiskForm(request.POST or None, instance=risk, strategy=strategy)
    actions = action_formset(request.POST or None, risk=risk, strategy=strategy)
    if request.method == "POST":
        if form.is_valid() and actions.is_valid():
            with transaction.atomic():
                # The strategy's row, locked, keeps two new risks from taking one number.
                Strategy.objects.select_for_update().filter(pk=strategy.pk).exists()
                risk.number = next_number(strategy)
                form.save()
                update_change_reason(risk, f"Linked to: {risk.links_text()}")
                actions.instance = risk
                actions.save()
            messages.success(request, f"Added {risk.reference}: {risk.title}.")
            return redirect(risk)
        return _form_page(request, risk, form, actions, status=400)
    return _form_page(request, risk, form, actions)


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    risk = _risk(request, slug, number)
    if not risk.can_be_changed_by(request.user):
        why = (
            "This strategy is closed, so its risks are as they were."
            if risk.strategy.is_closed
            else "Only Admins of the strategy's lead organisation and the risk's owner change it."
        )
        typed = _typed(request.POST) if request.method == "POST" else []
        if not typed:
            raise (NobodyMay if risk.strategy.is_closed else PermissionDenied)(why)
        # Given to someone else, or the strategy closed, since the page was opened: what was
        # typed is shown back, not lost with a bare 403.
        context = {"strategy": risk.strategy, "risk": risk, "why": why, "typed": typed}
        return render(request, "risks/not_saved.html", context, status=403)
    strategy = risk.strategy
    may_reassign = strategy.is_administered_by(request.user)
    if request.method == "GET":
        form = RiskForm(instance=risk, strategy=strategy, may_reassign=may_reassign)
        return _form_page(request, risk, form, action_formset(risk=risk, strategy=strategy))
    form = RiskForm(request.POST, instance=risk, strategy=strategy, may_reassign=may_reassign)
    actions = action_formset(request.POST, risk=risk, strategy=strategy)
    if not (form.is_valid() and actions.is_valid()):
        return _form_page(request, risk, form, actions, status=400)
    if not form.has_changed() and not actions.has_changed():
        messages.info(request, "Nothing had changed, so nothing was saved.")
        return redirect(risk)
    try:
        _save(form, actions, risk, by=request.user)
    except (StaleRiskError, IntegrityError):
        return _conflict(request, risk, strategy, may_reassign)
    messages.success(request, f"Saved {risk.reference}.")
    return redirect(risk)


def _typed(posted) -> list[tuple[str, str]]:
    """The risk's texts as posted, by their labels, those filled in: what to show back."""
    return typed_texts(posted, RiskForm)


def _save(form: RiskForm, actions, risk: Risk, *, by) -> None:
    before = risk.links_text()
    with transaction.atomic():
        risk.lock(form.cleaned_data["version"])
        if form.has_changed():
            form.save()
            after = risk.links_text()
            if after != before:
                update_change_reason(risk, f"Linked to: {before} → {after}")
        actions.save()  # each saved action moves the risk's version (RiskAction.save)


def _conflict(request, risk: Risk, strategy: Strategy, may_reassign: bool) -> HttpResponse:
    """Someone saved the risk after this form was read: nothing is written; what this person
    typed stays in the form, against the new version, to save again once they have looked."""
    fresh = Risk.objects.get(pk=risk.pk)
    fresh.strategy = strategy
    data = request.POST.copy()
    data["version"] = fresh.version
    form = RiskForm(data, instance=fresh, strategy=strategy, may_reassign=may_reassign)
    actions = action_formset(data, risk=fresh, strategy=strategy)
    form.is_valid()
    form.add_error(
        None,
        "Someone else saved this risk while you had it open, so nothing was saved. Your "
        "changes are still in the form: check the risk's page, then save again to put "
        "yours in its place.",
    )
    form.conflict = _differences(form, actions, fresh)
    shown = Risk.objects.get(pk=risk.pk)  # the heading as saved, not as this form carries it
    shown.strategy = strategy
    return _form_page(request, shown, form, actions, status=409)


def _differences(form, actions, fresh: Risk) -> list[conflicts.Difference]:
    """Where the refused form differs from the risk as saved now: its fields, each action's,
    and the actions added meanwhile (which saving again keeps)."""
    rows = conflicts.differences(form)
    for n, action in enumerate(actions.forms, 1):
        if action.instance.pk:
            rows += conflicts.differences(action, f"Action {n}, ")
    in_form = {action.instance.pk for action in actions.forms if action.instance.pk}
    rows += [
        conflicts.Difference("Action added meanwhile (kept)", str(added.description), "—")
        for added in fresh.actions.exclude(pk__in=in_form)
    ]
    return rows


def _form_page(request, risk: Risk, form, actions, status: int = 200) -> HttpResponse:
    context = {"strategy": risk.strategy, "risk": risk, "form": form, "actions": actions}
    return render(request, "risks/form.html", context, status=status)
