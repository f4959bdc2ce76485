"""The dashboard's long parts, written as Python rather than template loops: a trust's
dashboard lists about fifty objectives and fifty measures, and Django's template engine spent
a third of the page's time on them (docs/performance.md). Every value a person entered is
escaped here; numbers, dates and our own words are written as they are."""

from django import template
from django.template.defaultfilters import truncatechars
from django.utils.safestring import SafeString, mark_safe

from measures import data_quality
from measures.periods import period_words
from objectives.progress import PriorityProgress
from objectives.tables import SpcSummary
from strategy_tracker.dates import names_the_month_of
from strategy_tracker.escaping import esc, esc_lines
from strategy_tracker.numbering import shown
from strategy_tracker.people import display_name
from strategy_tracker.templatetags.tracker import (
    rag_badge,
    short_day,
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
        period = period_words(measure.latest_period_end, getattr(measure, "latest_period_text", ""))
        latest = (
            f"{esc(with_unit(measure.latest_value, measure.unit))}<br>"
            f'<span class="muted">{esc(period)}</span>'
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


@register.simple_tag
def exception_rows(rows) -> SafeString:
    """The worst milestones, (priority progress, item) pairs: each with its owner, due date,
    status and the owner's latest report."""
    return mark_safe("\n".join(_exception_row(p, item) for p, item in rows))  # noqa: S308


def _exception_row(p: PriorityProgress, item) -> str:
    m = item.obj
    heading = f'<span class="heading">{esc(m.heading)}:</span> ' if m.heading else ""
    owner = esc(display_name(m.owner)) if m.owner else '<span class="muted">Nobody yet</span>'
    return (
        f"<tr>\n      <td>{heading}"
        f'<a href="{esc(m.get_absolute_url())}">{esc(m.title)}</a><br>'
        f'<span class="muted">Priority {esc(shown(p.priority.key))}</span></td>\n'
        f'      <td data-label="Owner">{owner}</td>\n'
        f'      <td data-label="Due">{_due_day(m)} '
        f'<span class="muted">{esc(_document_words(m))}</span></td>\n'
        f'      <td data-label="Status">{rag_badge(item.status)}</td>\n'
        f'      <td data-label="Owner\'s latest report">{_latest_report(m)}</td>\n    </tr>'
    )


def _latest_report(m) -> str:
    if not m.last_updated_at:
        return '<span class="muted">No update reported yet</span>'
    forecast = f" · forecast {short_day(m.forecast_date)}" if m.forecast_date else ""
    commentary = ""
    if m.commentary:
        text = esc_lines(truncatechars(m.commentary, 400))
        commentary = f'\n        <blockquote class="commentary">{text}</blockquote>'
    by = esc(display_name(m.last_updated_by)) if m.last_updated_by else "Someone"
    return (
        f'<p class="report-line"><strong>Reported {esc(m.get_status_display().lower())}'
        f"</strong>{forecast}</p>{commentary}\n"
        f'        <p class="muted">{by}, {short_day(m.last_updated_at)}</p>\n        '
    )


def _due_day(m) -> str:
    """The due day; without one, the document's words for when ("Ongoing"), or "No date"."""
    return short_day(m.due_date) or esc(m.due_text) or "No date"


def _document_words(m) -> str:
    """Beside the due day, the document's words for it, in quotes, unless they only name its
    month ("Apr 2013" beside 30 Apr 2013 read "30 Apr 2013 Apr 2013")."""
    if not m.due_date or not m.due_text or names_the_month_of(m.due_text, m.due_date):
        return ""  # without a day, the words stand in its place (_due_day)
    return f"(“{m.due_text}”)"
