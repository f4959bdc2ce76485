"""The board pages as at a closed quarter: the dashboard, a priority, an objective and a
measure, each read from the quarter's snapshot alone, so they show what the board saw when
it closed. The choice of quarter on every board page comes here first (`as_at`)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from reporting import as_at as board
from reporting import changes
from reporting.models import PeriodState, ReportingPeriod
from reporting.report import quarter_report
from reporting.views import _strategy
from strategy_tracker.people import as_id


@require_GET
def as_at(request: HttpRequest, slug: str) -> HttpResponse:
    """The quarter selector's answer: the page it was on, live or as at the chosen quarter."""
    strategy = _strategy(request, slug)
    item = board.parse_item(request.GET.get("item", ""))
    if item is None:
        return _missing(request, strategy, None, "That is not a page of this strategy.")
    chosen = request.GET.get("period", "")
    if not chosen:
        return redirect(item.live_url(strategy.slug))
    period = _closed_period(strategy, as_id(chosen))
    return redirect(item.as_at_url(strategy.slug, period.pk))


def _closed_period(strategy, pk) -> ReportingPeriod:
    period = get_object_or_404(
        ReportingPeriod.objects.select_related("closed_by"),
        strategy=strategy,
        pk=pk if pk is not None else 0,
        state=PeriodState.CLOSED,
    )
    period.strategy = strategy
    return period


def _context(request: HttpRequest, slug: str, pk: int, item: board.BoardItem) -> dict:
    strategy = _strategy(request, slug)
    period = _closed_period(strategy, pk)
    return {
        "strategy": strategy,
        "period": period,
        "heading": period.heading,
        "report": quarter_report(period),
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
    return render(request, "reporting/as_at_objective.html", context)


@require_GET
def measure(request: HttpRequest, slug: str, pk: int, code: str) -> HttpResponse:
    context = _context(request, slug, pk, board.BoardItem("measure", code=code))
    row = board.measure_row(context["report"], code)
    if row is None:
        return _gone(request, context, f"The measure {code}")
    context["row"] = row
    return render(request, "reporting/as_at_measure.html", context)


def _key(key: tuple[int, int]) -> str:
    part, number = key
    return str(number) if part == 1 else f"part{part}-{number}"


def _gone(request, context, what: str) -> HttpResponse:
    period = context["period"]
    message = f"{what} was not part of this strategy when {period.label} closed."
    return _missing(request, context["strategy"], period, message)
