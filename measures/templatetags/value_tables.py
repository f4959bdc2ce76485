"""A measure's tables of values and of SPC points as HTML, written in Python: a measure's
page lists every value and every point (120 of each for ten years of monthly figures), and
Django's template engine, its `floatformat` above all, was half the page's time
(docs/performance.md). Every value a person entered is escaped here; numbers, dates and our
own words are written as they are."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from measures.charts import point_meaning
from measures.models import Measure
from measures.spc import SpcResult
from strategy_tracker.escaping import esc
from strategy_tracker.numbers import money_or_number, two_places
from strategy_tracker.templatetags.tracker import short_day, tolerance, with_unit

register = template.Library()


@register.simple_tag
def values_table(measure: Measure, values, baseline_row: bool, anchors: bool = False) -> SafeString:
    """A measure's values as a table that scrolls on its own on a phone: on its page (each
    row with an anchor) and on its card."""
    name = esc(measure.name)
    return mark_safe(  # noqa: S308 - escaped here and in values_rows
        '<div class="table-scroll" tabindex="0" role="region" '
        f'aria-label="Values of {name}, scrollable">\n'
        f'<table class="data-table values-table">\n  <caption>Values of {name}</caption>\n'
        '  <thead><tr><th scope="col">Period end</th><th scope="col">Period</th>'
        '<th scope="col" class="num">Value</th><th scope="col">Note</th></tr></thead>\n'
        f"  <tbody>\n  {values_rows(measure, values, baseline_row, anchors)}\n  </tbody>\n"
        "</table>\n</div>"
    )


def values_rows(measure: Measure, values, baseline_row: bool, anchors: bool = False) -> SafeString:
    """The values table's rows: the baseline where it stands apart, each value, the target."""
    unit = measure.unit
    rows = []
    if baseline_row:
        period = short_day(measure.baseline_period) or "Not stated"
        label = "Baseline" + (
            f": {esc(measure.baseline_period_text)}" if measure.baseline_period_text else ""
        )
        rows.append(
            f'<tr class="baseline-row"><td>{period}</td><td>{label}</td>'
            f'<td class="num">{esc(with_unit(measure.baseline_value, unit))}</td><td></td></tr>'
        )
    for v in values:
        is_baseline = v.period_end == measure.baseline_period
        anchor = f' id="value-{v.period_end.isoformat()}"' if anchors else ""
        css = ' class="baseline-row"' if is_baseline else ""
        rows.append(
            f"<tr{anchor}{css}><td>{short_day(v.period_end)}</td><td>{esc(v.period_text)}"
            f"{' <strong>(baseline)</strong>' if is_baseline else ''}</td>"
            f'<td class="num">{esc(with_unit(v.value, unit))}</td><td>{esc(v.note)}</td></tr>'
        )
    if not values:
        rows.append('<tr><td colspan="4">No values reported yet.</td></tr>')
    if measure.target_value is not None:
        label = "Target" + (
            f": {esc(measure.target_period_text)}" if measure.target_period_text else ""
        )
        rows.append(
            f'<tr class="target-row"><td>{short_day(measure.target_date) or "No date set"}</td>'
            f'<td>{label}</td><td class="num">{esc(with_unit(measure.target_value, unit))}</td>'
            f"<td>Tolerance {esc(tolerance(measure))}</td></tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - escaped above


@register.simple_tag
def spc_rows(result: SpcResult, unit: str = "") -> SafeString:
    """The SPC table's rows: each point with its value (money with its £ and pence, as every
    figure is written), mean and limits, and its reading."""
    rows = []
    for p in result.points:
        if result.run_chart_only:
            cells, meaning = "", "Run chart: no limits"
        else:
            cells = (
                f'<td class="num">{two_places(p.mean)}</td><td class="num">{two_places(p.lower)}'
                f'</td><td class="num">{two_places(p.upper)}</td>'
            )
            meaning = point_meaning(p)
        rows.append(
            f"<tr><td>{esc(result.wordings.get(p.period) or short_day(p.period))}</td>"
            f'<td class="num">{money_or_number(p.value, unit)}</td>{cells}'
            f"<td>{esc(meaning)}</td></tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - escaped above
