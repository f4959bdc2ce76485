"""A measure's card on its priority's and objective's pages: its status, SPC icons, data
quality, chart and latest values. Written in Python rather than an included template: a
priority's page shows a card for each of its measures, and each include cost 0.7 ms."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from measures import data_quality
from measures.templatetags.value_tables import values_table
from strategy_tracker.escaping import esc
from strategy_tracker.templatetags.tracker import json_data, rag_badge, spc_icons, with_unit

register = template.Library()

CONTEXT_NOTE = (
    '<p class="muted">Context indicator: describes the setting; not judged against a target or '
    "counted in the status.</p>"
)


@register.simple_tag
def measure_card(card: dict, today) -> SafeString:
    """`card` as objectives/views.py's _measure_charts makes it; data quality judged `today`."""
    measure, key = card["measure"], esc(card["chart_id"])
    name, url = esc(measure.name), esc(measure.get_absolute_url())
    status = CONTEXT_NOTE if measure.is_context else f"<p>{rag_badge(card['status'])}</p>"
    return mark_safe(  # noqa: S308 - escaped here and in the parts
        f'<section class="measure-card" aria-labelledby="{key}-title">\n'
        f'  <h3 id="{key}-title"><a href="{url}">{name}</a> '
        f'<span class="muted">{esc(measure.code)}</span></h3>\n'
        f"  {status}\n"
        f"  <p>{spc_icons(card['spc'])}</p>\n"
        f"  <p>{data_quality.icon(measure.quality, today)}</p>\n"
        f"  {_chart_and_values(card, key, name, url) if card['chart'] else _NO_CHART}\n"
        "</section>"
    )


_NO_CHART = '<p class="muted">No values reported yet, so there is no chart.</p>'


def _chart_and_values(card: dict, key: str, name: str, url: str) -> str:
    measure, values, count = card["measure"], card["values"], card["value_count"]
    target = ""
    if measure.target_value is not None:
        target = f" against the target of {esc(with_unit(measure.target_value, measure.unit))}"
    if count > len(values):
        where = "The latest values are in the table below, and every value on the measure's page."
        more = (
            f'\n  <p class="muted">The latest {len(values)} of {count} values. '
            f'<a href="{url}">Every value of {name}</a> is on its page.</p>'
        )
    else:
        where, more = "The same data is in the table below.", ""
    return (
        f'<figure class="chart" aria-labelledby="{key}-caption">\n'
        f'    <figcaption id="{key}-caption">{name}: reported values{target}. {where}'
        "</figcaption>\n"
        f'    <div class="chart-canvas" data-chart="{key}-data" id="{key}"></div>\n'
        f"    {json_data(card['chart'], card['chart_id'] + '-data')}\n  </figure>\n"
        f"  {values_table(measure, values, card['baseline_row'])}{more}"
    )
