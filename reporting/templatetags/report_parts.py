"""The long parts of a board report, written as Python rather than template loops: a trust's
report lists hundreds of exceptions and milestones and about fifty charts, and Django's
template engine spent most of the page's time on them (docs/performance.md). Every value a
person entered is escaped here; numbers, dates and our own words are written as they are."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from measures import data_quality
from measures.periods import period_words
from reporting.models import Level, SnapshotItem
from risks.templatetags.risk_parts import risk_score
from strategy_tracker.escaping import esc, esc_lines
from strategy_tracker.numbering import shown
from strategy_tracker.templatetags.tracker import (
    assurance_icon,
    due_words,
    rag_badge,
    short_day,
    variation_icon,
    with_unit,
)

register = template.Library()


@register.simple_tag
def exception_items(rows: list[SnapshotItem], public=None) -> SafeString:
    """Each red or amber item as a block: what it is, its status and reason, its owner and
    due date, and the owner's report (or its latest value). On a `public` page the owner is
    named only by a job title, if the row has one (public/pages.py)."""
    return mark_safe("\n".join(_exception(r, bool(public)) for r in rows))  # noqa: S308


def _owner_line(r: SnapshotItem, public: bool) -> str:
    """ "Owner: …", or nothing on a public page that names no owner, or for a measure
    (measures have no owner: "none named" read as a gap to fill)."""
    if public or r.level != Level.MILESTONE:
        return f"Owner: {esc(r.owner)}" if r.owner else ""
    return f"Owner: {esc(r.owner or 'none named')}"


def _exception(r: SnapshotItem, public: bool = False) -> str:
    milestone = r.level == Level.MILESTONE
    where = f"objective {esc(shown(r.number))}" if milestone else f"measure {esc(r.number)}"
    # A day read from the document's words is given with them, as the appendix gives it.
    due = f"due {esc(due_words(r.due_date, r.due_text))}" if r.due_date else ""
    if not milestone:
        when = (
            f" ({esc(period_words(r.value_period_end, r.value_period_text))})"
            if r.value_period_end
            else ""
        )
        report = f'<p class="report-line">Latest {esc(with_unit(r.value, r.unit))}{when}</p>'
    elif not r.nothing_reported:
        forecast = f" · forecast {short_day(r.forecast_date)}" if r.forecast_date else ""
        report = (
            f'<p class="report-line"><strong>Reported {esc(r.status_label.lower())}</strong>'
            f"{forecast}</p>"
        )
        if r.commentary:
            commentary = esc_lines(r.commentary)
            report += f'<blockquote class="commentary">{commentary}</blockquote>'
    else:
        report = '<p class="report-line muted">No update reported</p>'
    if milestone and r.awaiting_approval:
        report += (
            '<p class="notice">An update was waiting for an approver\'s sign-off when the '
            "quarter closed.</p>"
        )
    meta = " · ".join(part for part in (_owner_line(r, public), due) if part)
    return (
        f'<li class="exception"><p class="exception-head"><strong>{esc(r.title)}</strong> '
        f'<span class="muted">({where})</span></p>'
        f'<p class="exception-status">{rag_badge(r.item_status)}</p>'
        f'<p class="exception-meta">{meta[:1].upper()}{meta[1:]}</p>'
        f"{report}</li>"
    )


@register.simple_tag
def appendix_lines(rows: list[SnapshotItem], public=None) -> SafeString:
    """Each milestone of an objective on one line: due, reported, colour, owner (on a
    `public` page only a job title, if it has one)."""
    return mark_safe(  # noqa: S308 - escaped below
        "\n".join(
            f'<li><span class="appendix-title">{esc(r.title)}</span> '
            f'<span class="appendix-facts">Due {esc(_due(r))} · {_reported(r)} · '
            f"{rag_badge(r.item_status, show_reason=False)}"
            f"{_appendix_owner(r, bool(public))}"
            f"{' · an update awaiting sign-off at close' if r.awaiting_approval else ''}"
            "</span></li>"
            for r in rows
        )
    )


def _due(r: SnapshotItem) -> str:
    return due_words(r.due_date, r.due_text) if r.due_date or r.due_text else "no date"


@register.filter
def reported_words(r: SnapshotItem) -> str:
    """What the owner had reported as the quarter closed: "reported at risk", or "nothing
    reported" where nobody had (the status every milestone starts with is nobody's)."""
    return mark_safe(_reported(r))  # noqa: S308 - escaped there


def _reported(r: SnapshotItem) -> str:
    if r.nothing_reported:
        return "nothing reported"
    return f"reported {esc(r.status_label.lower() or 'nothing')}"


def _appendix_owner(r: SnapshotItem, public: bool) -> str:
    if public:
        return f" · {esc(r.owner)}" if r.owner else ""
    return f" · {esc(r.owner or 'no owner')}"


@register.simple_tag
def spc_charts(rows: list[SnapshotItem]) -> SafeString:
    """Each measure's trend and SPC chart as drawn when its quarter closed
    (SnapshotItem.chart_figure), with its legend and the chart in words; nothing for a measure
    with no values."""
    return mark_safe("\n".join(r.chart_figure for r in rows))  # noqa: S308 - drawn at close


@register.simple_tag
def spc_chart(row: SnapshotItem) -> SafeString:
    return mark_safe(row.chart_figure)  # noqa: S308 - drawn at close, escaped there


@register.simple_tag
def snapshot_data_quality(row: SnapshotItem, as_at) -> SafeString:
    """A measure's data-quality kite mark as it stood at close, judged `as_at` the quarter's
    end."""
    return data_quality.icon(row.quality, as_at)


@register.simple_tag
def snapshot_spc_icons(row: SnapshotItem) -> SafeString:
    """A measure's SPC icons as they stood at close, each with its words; or why it has none."""
    if row.variation:
        icons = (
            f'<span class="spc-icon">{variation_icon(row.variation)}'
            f'<span class="spc-label">{row.variation_label}</span></span>'
        )
        if row.assurance:
            icons += (
                f'<span class="spc-icon">{assurance_icon(row.assurance)}'
                f'<span class="spc-label">{row.assurance_label}</span></span>'
            )
        return mark_safe(f'<span class="spc-icons">{icons}</span>')  # noqa: S308 - our words
    # A quarter closed before a snapshot said "run chart only" of a measure with no figures.
    if row.run_chart_only and row.value is not None:
        return mark_safe("Run chart only (fewer than 15 points)")  # noqa: S308
    return mark_safe("No values yet")  # noqa: S308


@register.simple_tag
def measure_rows(rows: list[SnapshotItem], as_at) -> SafeString:
    """The success measures table's rows: each measure's latest value in the quarter, its
    status, SPC icons and data quality (judged `as_at` the quarter's end)."""
    return mark_safe("\n".join(_measure_row(r, as_at) for r in rows))  # noqa: S308


def _measure_row(r: SnapshotItem, as_at) -> str:
    period = period_words(r.value_period_end, r.value_period_text)
    when = f'<br><span class="muted">{esc(period)}</span>' if period else ""
    return (
        f'<tr>\n      <td>{esc(r.title)}<br><span class="muted">{esc(r.number)}</span></td>\n'
        f'      <td data-label="Latest value" class="num">{esc(with_unit(r.value, r.unit))}'
        f"{when}</td>\n"
        f'      <td data-label="Status">{rag_badge(r.item_status)}</td>\n'
        f'      <td data-label="SPC">{snapshot_spc_icons(r)}</td>\n'
        f'      <td data-label="Data quality">{snapshot_data_quality(r, as_at)}</td>\n'
        "    </tr>"
    )


@register.simple_tag
def change_items(found) -> SafeString:
    """One kind of change's items (reporting/changes.py): what, where, and the change."""
    return mark_safe("".join(_change(c.row, c.detail) for c in found))  # noqa: S308


def _change(row, detail: str) -> str:
    # A milestone is named as one: "(objective 2.1)" alone read as the objective's roll-up.
    kind = ""
    if row.level == Level.MILESTONE:
        where = f"objective {esc(shown(row.number))}"
        kind = '<span class="muted">Milestone:</span> '
    else:
        numbered = row.level in (Level.PRIORITY, Level.OBJECTIVE)
        number = shown(row.number) if numbered else row.number
        # The strategy has no number: "(strategy)", not "(strategy )".
        where = esc(" ".join(filter(None, [row.get_level_display().lower(), number])))
    said = f": {esc(detail)}" if detail else ""
    return f'<li>{kind}{esc(row.title)} <span class="muted">({where})</span>{said}</li>'


@register.simple_tag
def risk_rows(rows) -> SafeString:
    """Every open risk at close (reporting/risk_snapshots.py): its scores, appetite and
    review date, each judgement in words."""
    return mark_safe("".join(_risk_row(r) for r in rows))  # noqa: S308


def _risk_row(r) -> str:
    appetite = ': <strong class="flag">above</strong>' if r.above_appetite else ": within"
    overdue = ' <strong class="flag">overdue</strong>' if r.review_overdue else ""
    return (
        f"<tr><td>{esc(r.reference)}: {esc(r.title)}</td>"
        f'<td data-label="Current">{risk_score(r.current_score, r.current_band)} '
        f"(L{r.current_likelihood} × I{r.current_impact})</td>"
        f'<td data-label="Target">{risk_score(r.target_score, r.target_band)}</td>'
        f'<td data-label="Appetite">{esc(r.appetite_name)}{appetite}</td>'
        f'<td data-label="Review date">{short_day(r.review_date)}{overdue}</td></tr>'
    )


@register.simple_tag
def above_appetite_rows(rows) -> SafeString:
    """The risks above their appetite: scores, what the appetite accepts, and the owner."""
    return mark_safe(  # noqa: S308 - escaped here
        "".join(
            f"<tr><td>{esc(r.reference)}: {esc(r.title)}<br>"
            f'<span class="muted">Threatens {esc(r.threatens)}</span></td>'
            f'<td data-label="Current score">{risk_score(r.current_score, r.current_band)}</td>'
            f'<td data-label="Appetite accepts">{esc(r.appetite_name)}: up to '
            f"{esc(r.appetite_limit)}</td>"
            f'<td data-label="Target">{risk_score(r.target_score, r.target_band)}</td>'
            f'<td data-label="Owner">{esc(r.owner or "—")}</td></tr>'
            for r in rows
        )
    )
