"""The reporting cycle on a strategy's pages: the quarter open for returns, the latest closed
quarter's report with what changed, and the choice of a closed quarter to show a page as at,
all read from the periods alone (one query a page)."""

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from objectives.models import Strategy
from reporting.as_at import item_of
from reporting.changes import KINDS, kept_counts
from reporting.models import PeriodState, ReportingPeriod
from strategy_tracker.escaping import esc
from strategy_tracker.templatetags.tracker import short_day

register = template.Library()


def _opened_periods(strategy: Strategy) -> list[ReportingPeriod]:
    """The strategy's periods that have opened (open or closed), newest first, kept on the
    strategy so the page's tags below share one query. Read directly: Django's prefetch
    machinery, for one strategy, added a tenth to the query's cost (3.1M instructions
    against 2.9M) and did nothing this does not."""
    if not hasattr(strategy, "opened_periods"):
        strategy.opened_periods = list(
            ReportingPeriod.objects.filter(strategy=strategy)
            .exclude(state=PeriodState.SCHEDULED)
            .order_by("-year", "-quarter")
        )
    return strategy.opened_periods


@register.inclusion_tag("reporting/_dashboard_line.html")
def reporting_line(strategy) -> dict:
    periods = _opened_periods(strategy)[:2]
    open_period = next((p for p in periods if p.state == PeriodState.OPEN), None)
    closed = next((p for p in periods if p.state == PeriodState.CLOSED), None)
    changes = []
    if closed:
        counts = kept_counts(closed)
        changes = [(phrase, counts[key]) for key, _, phrase in KINDS if counts.get(key)]
    return {"strategy": strategy, "open": open_period, "closed": closed, "changes": changes}


@register.simple_tag(takes_context=True)
def quarter_selector(context, strategy, period=None) -> SafeString:
    """A board page's choice of quarter: today's position, or any closed quarter as it was.
    The page it is on is read from the context: a measure, an objective, a priority or the
    strategy's dashboard (reporting/as_at.py names them). Written here, not in an included
    template: every strategy page shows it, and the template cost it twice as long."""
    closed = [p for p in _opened_periods(strategy) if p.state == PeriodState.CLOSED]
    if not closed:
        return mark_safe("")
    options = "".join(
        f'<option value="{p.pk}"{" selected" if period and period.pk == p.pk else ""}>'
        f"as at the end of {esc(p.label)} ({short_day(p.quarter_end)})</option>"
        for p in closed
    )
    action = reverse("reporting:as_at", args=[strategy.slug])
    item = item_of(context)
    # The item's own id beside its number: numbers move (as_at.as_at_quarter).
    item_id = f'<input type="hidden" name="item_id" value="{item.object_id}">\n'
    return mark_safe(  # noqa: S308 - escaped above; the rest is our own markup
        f'<form class="quarter-selector" method="get" action="{esc(action)}">\n'
        f'<input type="hidden" name="item" value="{esc(str(item))}">\n'
        f"{item_id if item.object_id else ''}"
        '<label for="quarter-selector-period">Show this page</label>\n'
        '<select id="quarter-selector-period" name="period">\n'
        f'<option value=""{"" if period else " selected"}>as it is today (live)</option>\n'
        f"{options}\n</select>\n"
        '<button type="submit" class="button-secondary">Show</button>\n</form>'
    )


@register.simple_tag(takes_context=True)
def strategies_quarter_selector(context, current=None) -> SafeString:
    """The strategy list's choice of quarter: today, or any quarter a strategy the reader can
    see has closed. Written here, as quarter_selector is."""
    visible = Strategy.objects.visible_to(context["request"].user)
    quarters = ReportingPeriod.objects.filter(strategy__in=visible).closed_quarters()
    if not quarters:
        return mark_safe("")
    options = "".join(
        f'<option value="{esc(q.label)}"{" selected" if current == q else ""}>'
        f"as at the end of {esc(q.label)} ({short_day(q.end)})</option>"
        for q in quarters
    )
    action = reverse("reporting:as_at_strategies")
    return mark_safe(  # noqa: S308 - escaped above; the rest is our own markup
        f'<form class="quarter-selector" method="get" action="{esc(action)}">\n'
        '<label for="strategies-quarter">Show the strategies</label>\n'
        f'<select id="strategies-quarter" name="quarter">\n{options}\n</select>\n'
        '<button type="submit" class="button-secondary">Show</button>\n</form>'
    )
