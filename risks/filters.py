import datetime as dt

import django_filters
from django.db.models import F

from risks.models import Risk
from risks.scoring import BANDS

BAND_RANGES = {band.key: band for band in BANDS}


class RiskFilter(django_filters.FilterSet):
    """Filters for the register (the queryset is annotated by with_scores)."""

    status = django_filters.ChoiceFilter(choices=Risk.Status.choices, empty_label="Open and closed")
    band = django_filters.ChoiceFilter(
        label="Current score",
        choices=[(b.key, b.label) for b in BANDS],
        method="filter_band",
        empty_label="Any",
    )
    appetite_state = django_filters.ChoiceFilter(
        label="Appetite",
        choices=[("above", "Above appetite"), ("within", "Within appetite")],
        method="filter_appetite",
        empty_label="Any",
    )
    review = django_filters.ChoiceFilter(
        label="Review",
        choices=[("overdue", "Review overdue")],
        method="filter_review",
        empty_label="Any",
    )

    class Meta:
        model = Risk
        fields = ["status", "band", "appetite_state", "review"]

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def filter_band(self, queryset, name, value):
        higher = [b.lowest for b in BANDS if b.lowest > BAND_RANGES[value].lowest]
        queryset = queryset.filter(current_value__gte=BAND_RANGES[value].lowest)
        return queryset.filter(current_value__lt=min(higher)) if higher else queryset

    def filter_appetite(self, queryset, name, value):
        # Only open risks are judged against their appetite: a closed one is neither.
        above = queryset.open().filter(current_value__gt=F("appetite_value"))
        if value == "above":
            return above
        return queryset.open().exclude(pk__in=above.values("pk"))

    def filter_review(self, queryset, name, value):
        return queryset.review_overdue(self.today)
