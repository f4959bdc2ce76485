import datetime as dt

from django import template
from django.utils.safestring import SafeString

from measures import data_quality

register = template.Library()


@register.simple_tag
def data_quality_icon(rating: data_quality.Rating | None, as_at: dt.date) -> SafeString:
    """A measure's kite mark with its meaning in words (measures/data_quality.py)."""
    return data_quality.icon(rating, as_at)
