"""A risk's score, the heat map, and the list of risks on a priority's or objective's page,
written here rather than in included templates and loops: a board report shows sixty scores
or more, and each include cost it 70 µs."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from risks.models import Risk
from strategy_tracker.addresses import address
from strategy_tracker.escaping import esc
from strategy_tracker.people import display_name
from strategy_tracker.templatetags.tracker import short_day

register = template.Library()


@register.simple_tag
def risk_score(score, band) -> SafeString:
    """The score beside its band's name, coloured by band (the name says it too)."""
    return mark_safe(  # noqa: S308 - escaped here
        f'<span class="risk-score risk-{esc(band.key)}"><strong>{esc(score)}</strong> '
        f"{esc(band.label)}</span>"
    )


@register.simple_tag
def heat_map_table(grid, caption: str, strategy=None) -> SafeString:
    """The 5×5 grid of current scores (risks.scoring.heat_map): each cell says its score and
    band in words and names its risks, so nothing rests on colour; each risk links to its page
    when `strategy` is given. Written here rather than in a template: the board report's grid
    of thirty risks cost its template 8 ms."""
    impacts = "".join(f'<th scope="col">{cell.impact_label}</th>' for cell in grid[0][1])
    rows = "".join(
        f'\n    <tr>\n      <th scope="row">{cells[0].likelihood_label}</th>\n      '
        + "".join(_heat_map_cell(cell, strategy) for cell in cells)
        + "\n    </tr>\n  "
        for _, cells in grid
    )
    return mark_safe(  # noqa: S308 - escaped here and in _heat_map_cell
        '<div class="table-scroll" tabindex="0" role="region" aria-label="Heat map of current '
        'scores, scrollable">\n<table class="heat-map">\n'
        f"  <caption>{esc(caption)}</caption>\n  <thead>\n"
        '    <tr><td></td><th scope="col" colspan="5">Impact</th></tr>\n'
        f'    <tr><th scope="col">Likelihood</th>{impacts}</tr>\n  </thead>\n  <tbody>\n  '
        f"{rows}\n  </tbody>\n</table>\n</div>"
    )


def _heat_map_cell(cell, strategy) -> str:
    band = cell.band
    head = f'<td class="risk-{band.key}"><span class="cell-score">{cell.score} {band.label}</span>'
    if not cell.risks:
        return f'{head}<span class="visually-hidden">, no risks</span></td>'
    items = []
    for r in cell.risks:
        name = f'R{r.number}<span class="visually-hidden">: {esc(r.title)}</span>'
        if strategy is not None:
            name = f'<a href="{_address(strategy, r)}">{name}</a>'
        items.append(f"<li>{name}</li>")
    return f"{head}<ul>{''.join(items)}</ul></td>"


@register.simple_tag
def risk_list_items(risks, strategy, today) -> SafeString:
    """A priority's or objective's risks, each a link with its score and, in words, whether
    it is above appetite, closed or past its review date (as at `today`), and its owner."""
    return mark_safe("\n".join(_risk_item(r, strategy, today) for r in risks))  # noqa: S308


def _address(strategy, r) -> str:
    """A risk's page, escaped: its strategy passed in, as the risk may not carry it."""
    return esc(address("risks:detail", strategy.slug, r.number))


def _risk_item(r, strategy, today) -> str:
    flags = ' <strong class="flag">Above appetite</strong>' if r.above_appetite else ""
    if r.status == Risk.Status.CLOSED:
        flags += ' <span class="muted">(closed)</span>'
    elif r.review_date < today:
        flags += f' <strong class="flag">Review overdue</strong> (due {short_day(r.review_date)})'
    owner = f"; owner {esc(display_name(r.owner))}" if r.owner else ""
    return (
        f'  <li><a href="{_address(strategy, r)}">{esc(r.reference)}: {esc(r.title)}</a> —\n'
        f"    current score {risk_score(r.current_score, r.current_band)}{flags}{owner}</li>"
    )
