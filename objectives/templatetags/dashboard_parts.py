"""The dashboard's long parts, written as Python rather than template loops: a trust's
dashboard lists about fifty objectives and fifty measures, and Django's template engine spent
a third of the page's time on them (docs/performance.md). Every value a person entered is
escaped here; numbers, dates and our own words are written as they are."""

from django import template
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe

from measures import data_quality
from objectives.progress import PriorityProgress
from objectives.tables import SpcSummary
from strategy_tracker.templatetags.tracker import (
    month_year,
    rag_badge,
    spc_assurance,
    spc_variation,
    with_unit,
)

register = template.Library()


@register.simple_tag
def objective_links(p: PriorityProgress) -> SafeString:
    """A priority's objectives, each a link with its colour (its reason for screen readers)."""
    if not p.objectives:
        return mark_safe('<br><span class="muted">No objectives</span>')
    n = len(p.objectives)
    items = "".join(
        f'<li value="{o.objective.number}"><a href="{esc(o.objective.get_absolute_url())}">'
        f"{esc(o.objective.title)}</a> {rag_badge(o.rollup, show_reason=False)}</li>"
        for o in p.objectives
    )
    return mark_safe(  # noqa: S308 - escaped above
        f'<details class="objective-links"><summary>{n} objective{"" if n == 1 else "s"}'
        f"</summary>\n          <ol>{items}</ol>\n        </details>"
    )


@register.simple_tag
def spc_summary_body(summary: SpcSummary, today) -> SafeString:
    """The SPC summary's rows: each measure's status, SPC icons, latest value and data
    quality."""
    if not summary.rows:
        return mark_safe('<tr><td colspan="6">No success measures recorded.</td></tr>')
    rows = (_spc_row(row["item"], today) for row in summary.rows)
    return mark_safe("\n".join(rows))  # noqa: S308


def _spc_row(item, today) -> str:
    measure, spc = item.obj, item.spc
    assurance = spc_assurance(spc) if spc and not spc.run_chart_only and spc.assurance else "—"
    if measure.latest_value is None:
        latest = "—"
    else:
        latest = (
            f"{esc(with_unit(measure.latest_value, measure.unit))}<br>"
            f'<span class="muted">{month_year(measure.latest_period_end)}</span>'
        )
    return (
        f'<tr>\n      <td><a href="{esc(measure.get_absolute_url())}">{esc(measure.name)}</a>'
        f'<br><span class="muted">{esc(measure.code)}</span></td>\n'
        f'      <td data-label="RAG">{rag_badge(item.status)}</td>\n'
        f'      <td data-label="Variation">{spc_variation(spc)}</td>\n'
        f'      <td data-label="Assurance">{assurance}</td>\n'
        f'      <td data-label="Latest value" class="num">{latest}</td>\n'
        f'      <td data-label="Data quality">{data_quality.icon(measure.quality, today)}</td>\n'
        "    </tr>"
    )
