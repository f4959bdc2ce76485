import datetime as dt

import django_tables2 as tables
from django.db.models import F

from milestones.models import Milestone


class MilestoneTable(tables.Table):
    """A milestone list's columns, sorting and pages (the queryset comes from
    Milestone.objects.with_rag_rank()); milestones/templatetags/milestone_parts.py writes it."""

    # Each sort ends with the id, so a row never shows on two pages or none.
    title = tables.Column(verbose_name="Milestone", order_by=("title", "id"))
    objective = tables.Column(
        verbose_name="Objective",
        order_by=(
            "objective__priority__part",
            "objective__priority__number",
            "objective__number",
            "id",
        ),
    )
    due_date = tables.Column(verbose_name="Due", order_by=("due_date",))
    status = tables.Column(verbose_name="Reported status", order_by=("status", "id"))
    rag = tables.Column(
        verbose_name="RAG",
        accessor="rag_rank",
        order_by=("rag_rank", "due_date"),
    )
    owner = tables.Column(verbose_name="Owner", order_by=("owner__first_name", "id"))
    last_updated_at = tables.Column(verbose_name="Last update", order_by=("last_updated_at", "id"))

    class Meta:
        model = Milestone
        fields = ["title", "objective", "due_date", "status", "rag", "owner", "last_updated_at"]
        attrs = {"class": "data-table milestone-table stack sortable"}
        order_by = ("rag",)  # order_rag breaks ties by due date
        empty_text = "No milestones match."

    def __init__(self, *args, today: dt.date, priority=None, objective=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        # The priority or objective every row belongs to, where the page has read it: each
        # row is given it rather than reading it again.
        self.priority, self.objective = priority, objective

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

    @property
    def shows_objective(self) -> bool:
        """An objective's own page leaves its objective column out."""
        return "objective" not in (self.exclude or ())

    @property
    def page_rows(self) -> list[tuple[Milestone, object]]:
        """This page's milestones, each with its status: the table's rows (django-tables2's
        own cells cost 75 µs each, a third of a priority page)."""
        records = [row.record for row in self.page.object_list]
        for m in records:
            if self.objective is not None:
                m.objective = self.objective
            elif self.priority is not None:
                m.objective.priority = self.priority
        return [(m, m.rag(self.today)) for m in records]
