import copy
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_tables2 import RequestConfig

from measures.charts import measure_trend
from milestones.filters import MilestoneFilter
from milestones.models import Milestone, read_people
from milestones.tables import MilestoneTable
from objectives import lifecycle
from objectives.charts import milestone_timeline
from objectives.models import Objective, Organisation, Priority, Strategy
from objectives.progress import Item, build_progress, strategy_rollups
from objectives.strategy_json import export_strategy, strategy_queryset
from objectives.tables import SpcSummary
from strategy_tracker.chart_policy import draws_charts
from strategy_tracker.people import as_id
from strategy_tracker.roles import user_roles
from strategy_tracker.status import Rag

MILESTONES_PER_PAGE = 25
STRATEGIES_PER_PAGE = 20  # each row's roll-up reads all its milestones and measures


def _get_strategy(request: HttpRequest, slug: str, *also: str) -> Strategy:
    """The strategy at this address, if this user may see it (drafts are for Admins), read
    with its organisation and the relations named in `also`."""
    return get_object_or_404(
        Strategy.objects.visible_to(request.user).select_related("organisation", *also),
        slug=slug,
    )


# Only the dashboard names who published and who closed the strategy: read with it there.
def _get_for_dashboard(request: HttpRequest, slug: str) -> Strategy:
    return _get_strategy(request, slug, "published_by", "closed_by")


def _get_priority(request: HttpRequest, slug: str, key: tuple[int, int]) -> Priority:
    """The priority at this address, read with its strategy and the strategy's organisation
    in one query, if this user may see the strategy."""
    part, number = key
    return get_object_or_404(
        Priority.objects.select_related("strategy__organisation"),
        strategy__in=Strategy.objects.visible_to(request.user),
        strategy__slug=slug,
        part=part,
        number=number,
    )


def _milestone_table(
    request: HttpRequest,
    milestones,
    today: dt.date,
    priority: Priority | None = None,
    objective: Objective | None = None,
    **table_options,
):
    """The milestones as a filtered, sorted table a page at a time. The priority or the
    objective every one of them belongs to, if the page has read it with its strategy, is
    not read again for each row (MilestoneTable.page_rows)."""
    if objective:
        read_with = ["owner"]
    elif priority:
        read_with = ["objective", "owner"]
    else:
        read_with = ["objective__priority__strategy", "owner"]
    queryset = milestones.with_rag_rank(today).select_related(*read_with)
    filterset = MilestoneFilter(
        request.GET or None, queryset=queryset, today=today, owners_of=milestones
    )
    table = MilestoneTable(
        filterset.qs, today=today, priority=priority, objective=objective, **table_options
    )
    RequestConfig(_sane_paging(request), paginate={"per_page": MILESTONES_PER_PAGE}).configure(
        table
    )
    return filterset, table


def _sane_paging(request: HttpRequest) -> HttpRequest:
    """The request, without a `per_page` that is not a whole number from 1 to 10,000 (the
    table would fail on it); the default applies instead."""
    per_page = request.GET.get("per_page")
    if per_page is None or (
        per_page.isascii() and per_page.isdigit() and 0 < int(per_page) <= 10_000
    ):
        return request
    sane = copy.copy(request)
    sane.GET = request.GET.copy()
    del sane.GET["per_page"]
    return sane


# A measure's card shows its latest values; the measure's own page has them all.
CARD_VALUES = 8


def _measure_charts(items: list[Item]) -> list[dict]:
    """Each measure with its status and, where it has data, its chart."""
    cards = []
    for item in items:
        measure, values = item.obj, item.obj.series
        cards.append(
            {
                "measure": measure,
                "status": item.status,
                "spc": item.spc,
                "chart": measure_trend(measure, values),
                "chart_id": f"chart-{measure.code}",
                "values": values[-CARD_VALUES:],
                "value_count": len(values),
                "baseline_row": measure.baseline_stands_apart(values),
            }
        )
    return cards


@require_GET
def strategy_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    strategies = Strategy.objects.visible_to(request.user).select_related("organisation")
    organisation = None
    wanted = request.GET.get("organisation", "")
    if (organisation_id := as_id(wanted)) is not None:
        # Named only if the person sees one of its strategies: an id names nobody else's.
        organisation = Organisation.objects.filter(
            pk=organisation_id, strategies__in=strategies
        ).first()
        strategies = strategies.filter(organisation_id=organisation_id)
    # The id last, so no strategy shows on two pages or none.
    strategies = strategies.order_by(*Strategy._meta.ordering, "id")
    page = Paginator(strategies, STRATEGIES_PER_PAGE).get_page(request.GET.get("page"))
    rollups = strategy_rollups([s.id for s in page], today)
    context = {
        "rows": [{"strategy": s, "rollup": rollups[s.id]} for s in page],
        "page": page,
        "today": today,
        "filtered": bool(wanted),
        "organisation": organisation,
        "in_no_organisation": not user_roles(request.user),
    }
    return render(request, "objectives/strategy_list.html", context)


# The dashboard shows the worst few exceptions; the strategy's milestone list has them all.
EXCEPTIONS_SHOWN = 10


@require_GET
def strategy_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _dashboard(request, _get_for_dashboard(request, slug))


@require_POST
@permission_required("objectives.change_strategy", raise_exception=True)
def strategy_status(request: HttpRequest, slug: str) -> HttpResponse:
    """An Admin of its lead organisation publishes a draft or closes a published strategy
    (objectives/lifecycle.py)."""
    strategy = _get_for_dashboard(request, slug)
    if not strategy.is_administered_by(request.user):
        raise PermissionDenied(f"Only Admins of {strategy.organisation} publish or close it.")
    to, seen = request.POST.get("to", ""), request.POST.get("seen", "")
    if to not in Strategy.Status.values or seen not in Strategy.Status.values:
        messages.error(request, "Choose Publish or Close on this page. Nothing was changed.")
        return _dashboard(request, strategy, status=400)
    if to == Strategy.Status.CLOSED and request.POST.get("final") != "yes":
        messages.error(request, "Tick “Closing is final” beside Close to close this strategy.")
        return _dashboard(request, strategy, status=400)
    try:
        strategy = lifecycle.take_step(strategy.pk, to=to, seen=seen, by=request.user)
    except lifecycle.StepRefused as refusal:
        messages.error(request, str(refusal))
        return _dashboard(request, _get_for_dashboard(request, slug), status=409)
    messages.success(request, f"{strategy.title} is {strategy.get_status_display().lower()}.")
    return redirect(strategy)


@draws_charts
def _dashboard(request: HttpRequest, strategy: Strategy, status: int = 200) -> HttpResponse:
    today = timezone.localdate()
    progress = build_progress(strategy, today, charts=False, owners=False)
    timeline_rows = [(p.priority.label, item) for p in progress.priorities for item in p.milestones]
    needs_attention = sorted(
        (
            (p, item)
            for p in progress.priorities
            for item in p.milestones
            if item.status.rag in (Rag.RED, Rag.AMBER)
        ),
        key=lambda pair: (pair[1].status.rag != Rag.RED, pair[1].obj.due_date or dt.date.max),
    )
    shown = [item.obj for _, item in needs_attention[:EXCEPTIONS_SHOWN]]
    read_people(shown)
    context = {
        "strategy": strategy,
        "administers": strategy.is_administered_by(request.user),
        "progress": progress,
        "today": today,
        "timeline": milestone_timeline(
            timeline_rows,
            today.isoformat(),
            {p.priority.label: _short_key(p.priority) for p in progress.priorities},
        ),
        "undated_count": sum(1 for _, item in timeline_rows if not item.obj.due_date),
        "needs_attention": needs_attention[:EXCEPTIONS_SHOWN],
        "attention_counts": {
            rag: sum(1 for _, item in needs_attention if item.status.rag == rag)
            for rag in (Rag.RED, Rag.AMBER)
        },
        "spc_summary": SpcSummary(progress.measures, request.GET.get("spc-sort", "")),
        "risk_counts": strategy.risks.counts(today),
    }
    return render(request, "objectives/strategy_detail.html", context, status=status)


@require_GET
def strategy_milestones(request: HttpRequest, slug: str) -> HttpResponse:
    """Every milestone of a strategy, a page at a time: the dashboard's exceptions in full,
    and its timeline as a table."""
    strategy = _get_strategy(request, slug)
    today = timezone.localdate()
    filterset, table = _milestone_table(request, Milestone.objects.for_strategy(strategy), today)
    context = {"strategy": strategy, "today": today, "filter": filterset, "table": table}
    return render(request, "objectives/strategy_milestones.html", context)


@require_GET
@draws_charts
def priority_detail(request: HttpRequest, slug: str, key: tuple[int, int]) -> HttpResponse:
    priority = _get_priority(request, slug, key)
    strategy = priority.strategy
    today = timezone.localdate()
    progress = build_progress(strategy, today, only_priority=priority, owners=False)
    priority_progress = progress.priorities[0]
    filterset, table = _milestone_table(
        request, Milestone.objects.filter(objective__priority=priority), today, priority=priority
    )
    context = {
        "strategy": strategy,
        "priority": priority,
        "progress": priority_progress,
        "today": today,
        "filter": filterset,
        "table": table,
        "measures": _measure_charts(priority_progress.all_measures),
        # By number: all of one strategy, so its ordering's joins to the strategy and its
        # organisation would sort nothing (and took PostgreSQL a millisecond to plan).
        "risks": priority.risks.select_related("owner").order_by("number"),
        "context": _measure_charts(priority_progress.all_context),
    }
    return render(request, "objectives/priority_detail.html", context)


@require_GET
@draws_charts
def objective_detail(
    request: HttpRequest, slug: str, key: tuple[int, int], number: int
) -> HttpResponse:
    priority = _get_priority(request, slug, key)
    strategy = priority.strategy
    objective = get_object_or_404(Objective, priority=priority, number=number)
    objective.priority = priority
    today = timezone.localdate()
    progress = build_progress(
        strategy, today, only_priority=priority, only_objective=objective, owners=False
    )
    objective_progress = progress.priorities[0].objectives[0]
    filterset, table = _milestone_table(
        request,
        Milestone.objects.filter(objective=objective),
        today,
        objective=objective,
        exclude=("objective",),
    )
    context = {
        "strategy": strategy,
        "priority": priority,
        "objective": objective,
        "progress": objective_progress,
        "today": today,
        "filter": filterset,
        "table": table,
        "measures": _measure_charts(objective_progress.measures),
        "risks": objective.risks.select_related("owner").order_by("number"),  # as above
        "context": _measure_charts(objective_progress.context),
        "we_will": [line for line in objective.we_will.splitlines() if line.strip()],
        "where_now": [line for line in objective.where_now.splitlines() if line.strip()],
        "where_want": [line for line in objective.where_want.splitlines() if line.strip()],
    }
    return render(request, "objectives/objective_detail.html", context)


@require_GET
def strategy_export_json(request: HttpRequest, slug: str) -> JsonResponse:
    strategy = get_object_or_404(strategy_queryset().visible_to(request.user), slug=slug)
    response = JsonResponse(
        export_strategy(strategy), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    response["Content-Disposition"] = f'attachment; filename="{strategy.slug}.json"'
    return response


def _short_key(priority) -> str:
    """The timeline key's name for a priority: "P3", or "Part 2 P3" outside Part One."""
    return (
        f"P{priority.number}" if priority.part == 1 else f"Part {priority.part} P{priority.number}"
    )
