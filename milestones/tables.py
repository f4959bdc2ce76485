import datetime as dt

import django_tables2 as tables
from django.db.models import F
from django.template.loader import render_to_string
from django.utils.html import format_html

from milestones.models import Milestone
from strategy_tracker.tables import labelled
from strategy_tracker.templatetags.tracker import rag_badge


class MilestoneTable(tables.Table):
    """Formats a milestone list; the queryset comes from Milestone.objects.with_rag()."""

    title = tables.Column(verbose_name="Milestone")
    objective = tables.Column(
        verbose_name="Objective", order_by=("objective__number",), attrs=labelled("Objective")
    )
    due_date = tables.Column(verbose_name="Due", order_by=("due_date",), attrs=labelled("Due"))
    status = tables.Column(verbose_name="Reported status", attrs=labelled("Reported status"))
    rag = tables.Column(
        verbose_name="RAG",
        accessor="rag_value",
        order_by=("rag_rank", "due_date"),
        attrs=labelled("RAG"),
    )
    owner = tables.Column(
        verbose_name="Owner", order_by=("owner__first_name",), default="—", attrs=labelled("Owner")
    )
    last_updated_at = tables.DateColumn(
        verbose_name="Last update", format="j M Y", default="Never", attrs=labelled("Last update")
    )

    class Meta:
        model = Milestone
        fields = ["title", "objective", "due_date", "status", "rag", "owner", "last_updated_at"]
        attrs = {"class": "data-table milestone-table stack sortable"}
        order_by = ("rag",)  # order_rag breaks ties by due date
        empty_text = "No milestones match."

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    # Undated milestones sort last either way, on PostgreSQL and SQLite alike.
    def order_due_date(self, queryset, is_descending: bool):
        due = (
            F("due_date").desc(nulls_last=True)
            if is_descending
            else F("due_date").asc(nulls_last=True)
        )
        return queryset.order_by(due, "id"), True

    def order_rag(self, queryset, is_descending: bool):
        rank = F("rag_rank").desc() if is_descending else F("rag_rank").asc()
        return queryset.order_by(rank, F("due_date").asc(nulls_last=True), "id"), True

    def render_title(self, record: Milestone):
        if record.heading:
            return format_html(
                '<span class="heading">{}:</span> <a href="{}">{}</a>',
                record.heading,
                record.get_absolute_url(),
                record.title,
            )
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.title)

    def render_objective(self, record: Milestone):
        objective = record.objective
        return format_html(
            '<a href="{}">{}.{}</a>',
            objective.get_absolute_url(),
            objective.priority.number,
            objective.number,
        )

    def render_due_date(self, record: Milestone):
        if record.due_date is None:
            return record.due_text or "No date"
        return format_html(
            '{}<br><span class="muted">{}</span>', f"{record.due_date:%-d %b %Y}", record.due_text
        )

    def render_rag(self, record: Milestone):
        return render_to_string("includes/_rag.html", rag_badge(record.rag(self.today)))

    def render_owner(self, record: Milestone):
        return record.owner.get_full_name() or record.owner.username
