"""The reporting cycle on a strategy's dashboard: the quarter open for returns, and the latest
closed quarter's report with what changed, read from the periods alone (one query)."""

from django import template

from reporting.changes import KINDS

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
