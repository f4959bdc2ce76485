"""A risk's score as every risk page shows it, written here rather than in an included
template: a board report shows sixty or more, and each include cost it 70 µs."""

from django import template
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def risk_score(score, band) -> SafeString:
    """The score beside its band's name, coloured by band (the name says it too)."""
    return mark_safe(  # noqa: S308 - escaped here
        f'<span class="risk-score risk-{esc(band.key)}"><strong>{esc(score)}</strong> '
        f"{esc(band.label)}</span>"
    )
