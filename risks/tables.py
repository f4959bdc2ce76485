import django_tables2 as tables
from django.db.models import F

from risks.models import Risk


class RiskTable(tables.Table):
    """The register's columns and sorting (the queryset is annotated by with_scores);
    risks/templates/risks/_register_table.html writes it."""

    # Each sort ends with the number, so a row never shows on two pages or none.
    number = tables.Column(verbose_name="Ref", order_by=("number",))
    title = tables.Column(verbose_name="Risk", order_by=("title", "number"))
    owner = tables.Column(verbose_name="Owner", order_by=("owner__first_name", "number"))
    current = tables.Column(verbose_name="Current score", accessor="current_value")
    target = tables.Column(verbose_name="Target", accessor="target_value")
    appetite = tables.Column(verbose_name="Appetite", accessor="appetite_value")
    review_date = tables.Column(verbose_name="Review due", order_by=("review_date", "number"))

    class Meta:
        model = Risk
        fields = ["number", "title", "owner", "current", "target", "appetite", "review_date"]
        order_by = ("-current",)
        empty_text = "No risks match."

    def order_current(self, queryset, is_descending: bool):
        score = F("current_value").desc() if is_descending else F("current_value").asc()
        return queryset.order_by(score, "number"), True

    def order_appetite(self, queryset, is_descending: bool):
        limit = F("appetite_value").desc() if is_descending else F("appetite_value").asc()
        return queryset.order_by(limit, "number"), True

    def order_target(self, queryset, is_descending: bool):
        score = F("target_value").desc() if is_descending else F("target_value").asc()
        return queryset.order_by(score, "number"), True
