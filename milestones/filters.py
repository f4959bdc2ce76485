import datetime as dt

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator

from milestones.models import Milestone
from milestones.status import CLOSED
from objectives.models import Strategy
from strategy_tracker.people import display_name
from strategy_tracker.status import DISPLAY_ORDER

NOT_STARTED_OR_NOTHING = "Not started, or nothing reported yet"
NOTHING_REPORTED = "nothing_reported"  # a choice of its own: those alone
DUE_WINDOWS = [
    ("overdue", "Overdue"),
    ("30", "Due in the next 30 days"),
    ("90", "Due in the next 90 days"),
    ("none", "No due date"),
]


class _ReadInOneQuery(ModelChoiceIterator):
    """A drop-down's choices read with one plain query. Django's own reads them with
    iterator(), which on PostgreSQL opens a server-side cursor: three round trips, 1.5 ms of
    a priority page, for a few dozen names."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class MilestoneFilter(django_filters.FilterSet):
    """Filters for a milestone list. The queryset must come from
    Milestone.objects.with_rag_rank() (or with_rag())."""

    # On the stored status, which is not_started for a milestone nobody has reported on too:
    # the table reads those "Nothing reported yet", so the choice names both.
    status = django_filters.ChoiceFilter(
        label="Reported status",
        choices=[
            (NOTHING_REPORTED, "Nothing reported yet"),
            *(
                (value, NOT_STARTED_OR_NOTHING if value == Milestone.Status.NOT_STARTED else label)
                for value, label in Milestone.Status.choices
            ),
        ],
        method="filter_status",
        empty_label="Any",
    )
    rag = django_filters.ChoiceFilter(
        label="RAG",
        choices=[(rag.value, rag.label) for rag in DISPLAY_ORDER],
        method="filter_rag",
        empty_label="Any",
    )
    owner = django_filters.ModelChoiceFilter(
        queryset=get_user_model().objects.none(), empty_label="Anyone"
    )
    due = django_filters.ChoiceFilter(
        label="Due", choices=DUE_WINDOWS, method="filter_due", empty_label="Any time"
    )

    class Meta:
        model = Milestone
        fields = ["status", "rag", "owner", "due"]

    def __init__(self, *args, today: dt.date, owners_of: QuerySet | None = None, **kwargs):
        """`owners_of`: the milestones whose owners the owner filter offers, the queryset's
        own before its status annotation (else the queryset): Django builds an annotation
        again for a subquery, unused or not, a third of this filter's cost."""
        super().__init__(*args, **kwargs)
        self.today = today
        owned = self.queryset if owners_of is None else owners_of
        # By the owners' ids: a join back to the milestones, with DISTINCT, took PostgreSQL
        # five times as long to plan.
        self.filters["owner"].queryset = (
            get_user_model()
            .objects.filter(id__in=owned.values("owner_id"))
            .order_by("first_name", "last_name", "username")
        )
        owner = self.form.fields["owner"]
        owner.iterator = _ReadInOneQuery
        owner.label_from_instance = display_name  # names, as the tables show them

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == NOTHING_REPORTED:
            return queryset.nothing_reported()
        return queryset.filter(status=value)

    def filter_rag(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(rag_rank=[rag.value for rag in DISPLAY_ORDER].index(value))

    def filter_due(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "overdue":
            # Overdue is red by the first rule that applies: past due and not finished with.
            return queryset.filter(due_date__lt=self.today).exclude(status__in=CLOSED)
        if value == "none":
            return queryset.filter(due_date__isnull=True)
        window_end = self.today + dt.timedelta(days=int(value))
        return queryset.filter(due_date__gte=self.today, due_date__lte=window_end)


class AssignFilter(MilestoneFilter):
    """Assign milestones' filters: a milestone list's, and its strategy, by its short name in
    the address (?strategy=eput-2023) so a reload or a bookmark keeps it. Only strategies
    whose milestones the user assigns are offered; any other is refused, listing nothing."""

    strategy = django_filters.ModelChoiceFilter(
        field_name="objective__priority__strategy",
        label="Strategy",
        to_field_name="slug",
        queryset=Strategy.objects.none(),
        empty_label="All",
        error_messages={
            "invalid_choice": "That is not a strategy whose milestones you assign (it may have "
            "closed): choose one from the list."
        },
    )

    class Meta(MilestoneFilter.Meta):
        fields = ["strategy", *MilestoneFilter.Meta.fields]

    def __init__(self, *args, strategies: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["strategy"].queryset = strategies
        field = self.form.fields["strategy"]  # built already, by MilestoneFilter's __init__
        field.queryset = strategies
        field.iterator = _ReadInOneQuery
        field.label_from_instance = lambda strategy: strategy.title

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # A list of every strategy's milestones under an address naming one would be ticked
        # as that one's.
        if "strategy" in self.form.errors:
            return queryset.none()
        return super().filter_queryset(queryset)
