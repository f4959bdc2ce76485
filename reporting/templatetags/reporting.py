"""The reporting cycle on a strategy's dashboard: the quarter open for returns, and the latest
closed quarter's report with what changed, read from the periods alone (one query)."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from reporting.as_at import item_of
from reporting.changes import KINDS
from strategy_tracker.templatetags.tracker import rag_badge, short_day

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


@register.simple_tag
def appendix_lines(rows) -> SafeString:
    """A board report's appendix: each milestone of an objective on one line (as Python, not
    a template: a trust's report lists hundreds)."""
    return format_html_join(
        "\n",
        '<li><span class="appendix-title">{}</span> <span class="appendix-facts">Due {} · '
        "reported {} · {} · {}</span></li>",
        (
            (
                r.title,
                short_day(r.due_date) or r.due_text or "no date",
                r.status_label.lower() or "nothing",
                rag_badge(r.item_status, show_reason=False),
                r.owner or "no owner",
            )
            for r in rows
        ),
    )
