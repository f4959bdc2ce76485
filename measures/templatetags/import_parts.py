"""An import preview's rows as HTML, written in Python: a preview lists up to 1,200 rows, and
Django's template engine spent a fifth of the page's time on them (docs/performance.md).
Everything the file holds is escaped here; numbers and our own words are written as they are."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from measures.importing import ImportReport, RowOutcome
from strategy_tracker.escaping import esc
from strategy_tracker.numbers import number, with_unit

register = template.Library()


@register.simple_tag
def import_rows(report: ImportReport) -> SafeString:
    """Each row of the file the preview shows: its line, measure, period and outcome, the
    value reported and the new one, its text columns and what is wrong with it."""
    return mark_safe("\n".join(_row(row) for row in report.rows))  # noqa: S308 - escaped below


def _row(row: RowOutcome) -> str:
    # A row's outcome is one of our words; empty cells and messages need no escaping.
    texts = "".join(f"<td>{esc(text) if text else ''}</td>" for text in row.texts.values())
    outcome = row.outcome[:1].upper() + row.outcome[1:]
    if row.notes_only:
        what = "the period's wording, note or source" if row.wording_changed else "note or source"
        outcome = f"Update: {what} only"
    messages = esc(" ".join(row.messages)) if row.messages else ""
    return (
        f'<tr class="outcome-{row.outcome}">\n'
        f'      <td class="num">{row.line}</td><td>{esc(row.measure_code)}</td>'
        f"<td>{esc(row.period_end)}</td>\n"
        f"      <td><strong>{outcome}</strong></td>\n"
        f'      <td class="num">{_figure(row.old_value, row.unit)}</td>'
        f'<td class="num">{_figure(row.new_value, row.unit)}</td>\n'
        f"      {texts}\n"
        f"      <td>{messages}</td>\n    </tr>"
    )


def _figure(value, unit: str) -> str:
    """A figure as every page writes it, with its measure's unit (£1,234,567, 8.4%, 12 days);
    an empty cell for none (a new figure has nothing reported), and bare for a code not known."""
    if value is None:
        return ""
    return with_unit(value, unit) if unit else number(value)
