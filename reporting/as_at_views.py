"""The board pages as at a closed quarter: the dashboard, a priority, an objective and a
measure, each read from the quarter's snapshot alone, so they show what the board saw when
it closed. The choice of quarter on every board page comes here first (`as_at`)."""

from dataclasses import replace

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from objectives.models import Strategy
from reporting import as_at as board
from reporting import changes
from reporting.models import Level, PeriodState, ReportingPeriod, SnapshotItem
from reporting.quarters import Quarter
from reporting.report import quarter_report
from reporting.views import _strategy, closed_period
from strategy_tracker.people import as_id


@require_GET
def as_at(request: HttpRequest, slug: str) -> HttpResponse:
    """The quarter selector's answer: the page it was on, live or as at the chosen quarter."""
    strategy = _strategy(request, slug)
    item = board.parse_item(request.GET.get("item", ""))
    if item is None:
        return _missing(request, strategy, None, "That is not a page of this strategy.")
    if item.kind in ("priority", "objective", "measure"):
        item = replace(item, object_id=as_id(request.GET.get("item_id")))
    chosen = request.GET.get("period", "")
    if not chosen:
        live = board.live_url_of(item, strategy)
        if live is None:  # archived since: today's position is the strategy's, as the banner says
            messages.info(request, "That item is no longer part of this strategy.")
            return redirect(strategy)
        return redirect(live)
    period = closed_period(strategy, as_id(chosen))
    then = board.as_at_quarter(item, period)
    if then is None:
        message = f"That was not part of this strategy when {period.label} closed."
        return _missing(request, strategy, period, message)
    return redirect(then.as_at_url(strategy.slug, period.pk))


def _context(
    request: HttpRequest, slug: str, pk: int, item: board.BoardItem, charts: bool = False
) -> dict:
    strategy = _strategy(request, slug)
    period = closed_period(strategy, pk)
    return {
        "strategy": strategy,
        "period": period,
        "heading": period.heading,
        "report": quarter_report(period, charts=charts),
        "board_item": item,
        "board_item_live_url": item.live_url(strategy.slug),
    }


def _missing(request, strategy, period, message: str) -> HttpResponse:
    context = {"strategy": strategy, "period": period, "message": message}
    return render(request, "reporting/as_at_missing.html", context, status=404)


@require_GET
def dashboard(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    context = _context(request, slug, pk, board.BoardItem())
    period, report = context["period"], context["report"]
    context["changes"] = changes.compare(changes.previous_closed(period), period, report.rows)
    return render(request, "reporting/as_at_dashboard.html", context)


@require_GET
def priority(request: HttpRequest, slug: str, pk: int, key: tuple[int, int]) -> HttpResponse:
    key = _key(key)
    context = _context(request, slug, pk, board.BoardItem("priority", key))
    part = board.priority_part(context["report"], key)
    if part is None:
        return _gone(request, context, f"Priority {key}")
    context["part"] = part
    _as_item(context, replace(context["board_item"], object_id=part.row.object_id))
    return render(request, "reporting/as_at_priority.html", context)


@require_GET
def objective(
    request: HttpRequest, slug: str, pk: int, key: tuple[int, int], number: int
) -> HttpResponse:
    key = _key(key)
    context = _context(request, slug, pk, board.BoardItem("objective", key, number))
    part = board.priority_part(context["report"], key)
    found = part and board.objective_part(part, key, number)
    if not found:
        return _gone(request, context, f"Objective {key}.{number}")
    context.update(part=part, objective_part=found)
    _as_item(context, replace(context["board_item"], object_id=found.row.object_id))
    return render(request, "reporting/as_at_objective.html", context)


@require_GET
def measure(request: HttpRequest, slug: str, pk: int, code: str) -> HttpResponse:
    context = _context(request, slug, pk, board.BoardItem("measure", code=code), charts=True)
    row = board.measure_row(context["report"], code)
    if row is None:
        return _gone(request, context, f"The measure {code}")
    context["row"] = row
    _as_item(context, replace(context["board_item"], object_id=row.object_id))
    return render(request, "reporting/as_at_measure.html", context)


def _as_item(context: dict, item: board.BoardItem) -> None:
    """The page is about this item (with its id, as the snapshot kept it): the quarter
    selector and "See today's position" find the same item, wherever it is numbered now."""
    context["board_item"] = item
    live = board.live_url_of(item, context["strategy"])
    context["board_item_live_url"] = live or context["strategy"].get_absolute_url()


def _key(key: tuple[int, int]) -> str:
    part, number = key
    return str(number) if part == 1 else f"part{part}-{number}"


def _gone(request, context, what: str) -> HttpResponse:
    period = context["period"]
    message = f"{what} was not part of this strategy when {period.label} closed."
    return _missing(request, context["strategy"], period, message)


QUARTER_ROWS_PER_PAGE = 50  # one row each, read from one snapshot row: no roll-up to work out


@require_GET
def strategies(request: HttpRequest) -> HttpResponse:
    """The strategy list as at a closed quarter: each strategy's overall status when its
    quarter closed, and which strategies had not closed it."""
    visible = Strategy.objects.visible_to(request.user)
    chosen = request.GET.get("quarter", "")
    if not chosen:  # the latest quarter closed, if any
        closed = ReportingPeriod.objects.filter(strategy__in=visible).closed_quarters()
        if not closed:
            return _missing(
                request, None, None, "No strategy you can see has closed a quarter yet."
            )
        chosen = closed[0].label
    try:
        quarter = Quarter.parse(chosen[:40])
    except ValueError as error:
        return _missing(request, None, None, str(error))
    overall = (
        SnapshotItem.objects.filter(
            level=Level.STRATEGY,
            period__state=PeriodState.CLOSED,
            period__year=quarter.year,
            period__quarter=quarter.number,
            period__strategy__in=visible,
        )
        .select_related("period__strategy__organisation", "period__closed_by")
        .order_by("period__strategy__title", "period__strategy_id")
    )
    page = Paginator(overall, QUARTER_ROWS_PER_PAGE).get_page(request.GET.get("page"))
    # Strategies whose period includes the quarter and that had not closed it.
    not_closed = (
        visible.filter(period_start__lte=quarter.end, period_end__gte=quarter.start)
        .exclude(
            pk__in=ReportingPeriod.objects.filter(
                state=PeriodState.CLOSED, year=quarter.year, quarter=quarter.number
            ).values("strategy_id")
        )
        .order_by("title", "id")
    )
    titles = list(not_closed.values_list("title", flat=True)[:QUARTER_ROWS_PER_PAGE])
    count = not_closed.count()
    context = {
        "quarter": quarter,
        "page": page,
        "not_closed": titles,
        "not_closed_count": count,
        "not_closed_more": count - len(titles),
    }
    return render(request, "reporting/as_at_strategies.html", context)
