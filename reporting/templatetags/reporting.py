"""The reporting cycle on a strategy's dashboard: the quarter open for returns, and the latest
closed quarter's report with what changed, read from the periods alone (one query)."""

from django import template

from objectives.models import Strategy
from reporting.as_at import item_of
from reporting.changes import KINDS
from reporting.models import ReportingPeriod

register = template.Library()


@register.inclusion_tag("reporting/_dashboard_line.html")
def reporting_line(strategy) -> dict:
    periods = list(
        strategy.reporting_periods.exclude(state="scheduled").order_by("-year", "-quarter")[:2]
    )
    open_period = next((p for p in periods if p.state == "open"), None)
    closed = next((p for p in periods if p.state == "closed"), None)
    changes = []
    if closed:
        counts = closed.change_counts
        changes = [(phrase, counts[key]) for key, _, phrase in KINDS if counts.get(key)]
    return {"strategy": strategy, "open": open_period, "closed": closed, "changes": changes}


@register.inclusion_tag("reporting/_quarter_selector.html", takes_context=True)
def quarter_selector(context, strategy, period=None) -> dict:
    """A board page's choice of quarter: today's position, or any closed quarter as it was.
    The page it is on is read from the context: a measure, an objective, a priority or the
    strategy's dashboard (reporting/as_at.py names them)."""
    closed = list(strategy.reporting_periods.filter(state="closed").order_by("-year", "-quarter"))
    return {
        "strategy": strategy,
        "closed": closed,
        "current": period,
        "item": item_of(context),
    }


@register.inclusion_tag("reporting/_strategies_quarter_selector.html", takes_context=True)
def strategies_quarter_selector(context, current=None) -> dict:
    """The strategy list's choice of quarter: today, or any quarter a strategy the reader can
    see has closed."""
    visible = Strategy.objects.visible_to(context["request"].user)
    quarters = ReportingPeriod.objects.filter(strategy__in=visible).closed_quarters()
    return {"quarters": quarters, "current": current}
