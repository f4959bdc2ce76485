"""The read API (/api/v1/): organisations, strategies, priorities, objectives, milestones,
measures and their values, and closed quarters' snapshots, each read through the same
querysets as the app's pages, so a token reads exactly what its person may. Every request is
logged with the token's name."""

import logging

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce
from django.http import StreamingHttpResponse
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import pagination, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.csv_values import csv_lines
from api.serializers import (
    MeasureSerializer,
    MilestoneChangeSerializer,
    MilestoneSerializer,
    ObjectiveSerializer,
    OrganisationSerializer,
    PrioritySerializer,
    SnapshotItemSerializer,
    StrategySerializer,
    ValueSerializer,
)
from measures.models import Measure, MeasureValue
from milestones.models import Milestone
from objectives.models import Objective, Organisation, Priority, Strategy
from reporting.models import PeriodState, ReportingPeriod, SnapshotItem
from strategy_tracker.chart_policy import INLINE_STYLES

log = logging.getLogger("api")
MAX_PAGE_SIZE = 1000


class Pages(pagination.PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        asked = request.query_params.get(self.page_size_query_param)
        plain = asked is not None and asked.isascii() and asked.isdigit() and len(asked) < 6
        if asked is not None and (not plain or not 1 <= int(asked) <= MAX_PAGE_SIZE):
            raise ValidationError({"page_size": f"A whole number from 1 to {MAX_PAGE_SIZE}."})
        return super().get_page_size(request)

    def paginate_queryset(self, queryset, request, view=None):
        asked = request.query_params.get(self.page_query_param)
        plain = asked is not None and asked.isascii() and asked.isdigit() and len(asked) < 30
        if asked is not None and asked != "last" and (not plain or int(asked) < 1):
            # A page past the last is 404, as DRF answers; one that is not a number is 400.
            raise ValidationError({"page": "A whole number from 1 (or “last”)."})
        return super().paginate_queryset(queryset, request, view)


class Logged:
    """Signed in by a token (or the session); every request logged with the token's name."""

    permission_classes = [IsAuthenticated]

    @classmethod
    def as_view(cls, *args, **kwargs):
        # Signed in by its token, not the session: the site's sign-in redirect does not apply.
        return login_not_required(super().as_view(*args, **kwargs))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if (
            getattr(response, "accepted_renderer", None)
            and response.accepted_renderer.format == "api"
        ):
            # The browsable page: DRF's template carries a <style> and style attributes.
            response._csp_update = INLINE_STYLES
        token = getattr(request, "auth", None)
        log.info(
            "api %s %s %s user=%s token=%r",
            request.method,
            # Not the query string, where a key pasted by mistake would be; a line break in
            # the address escaped, so no address writes a line of its own into the log.
            request.path[:300].encode("unicode_escape").decode("ascii"),
            response.status_code,
            getattr(request.user, "pk", None),
            getattr(token, "name", None),
        )
        return response


class ReadOnly(Logged, viewsets.ReadOnlyModelViewSet):
    pagination_class = Pages


class OrganisationViewSet(ReadOnly):
    """The organisations the person belongs to, and their partners in strategies they read."""

    serializer_class = OrganisationSerializer

    def get_queryset(self):
        return Organisation.objects.visible_to(self.request.user).order_by("name")


class StrategyViewSet(ReadOnly):
    """The strategies the person may read (a draft only for its lead organisation's Admins),
    by their short name (slug)."""

    serializer_class = StrategySerializer
    lookup_field = "slug"

    def get_queryset(self):
        strategies = Strategy.objects.visible_to(self.request.user)
        return strategies.select_related("organisation").prefetch_related("partners")


def _readable_strategies(request):
    return Strategy.objects.visible_to(request.user)


@extend_schema_field(OpenApiTypes.STR)  # the short name, as the address gives it
class StrategyChoice(filters.ModelChoiceFilter):
    """A strategy by its short name, among those the person may read. Any other short name
    is refused (400), not read as "no rows": a slip in a report's address looked like a
    strategy with no figures."""

    def __init__(self, field_name: str, **kwargs):
        super().__init__(
            field_name=field_name,
            queryset=_readable_strategies,
            to_field_name="slug",
            error_messages={
                "invalid_choice": "No strategy you may read has the short name “%(value)s”."
            },
            help_text="A strategy's short name (slug)",
            **kwargs,
        )


class _CodeField(forms.ModelChoiceField):
    """A measure by its code, whatever its case, as measure codes are read everywhere."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        found = self.queryset.filter(code__iexact=value).first()
        if found is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return found


@extend_schema_field(OpenApiTypes.STR)  # the code, as the address gives it
class MeasureChoice(filters.ModelChoiceFilter):
    """A measure by its code, among those the person may read; any other code is refused
    (400), as StrategyChoice refuses a strategy's short name."""

    field_class = _CodeField

    def __init__(self, field_name: str, **kwargs):
        super().__init__(
            field_name=field_name,
            queryset=lambda request: Measure.objects.visible_to(request.user),
            error_messages={"invalid_choice": "No measure you may read has the code “%(value)s”."},
            help_text="A measure's code",
            **kwargs,
        )


class PriorityFilter(filters.FilterSet):
    strategy = StrategyChoice("strategy")

    class Meta:
        model = Priority
        fields = ["strategy"]


class PriorityViewSet(ReadOnly):
    """Priorities of the strategies the person may read. Their colours and counts as each
    closed quarter recorded them are under snapshots (level=priority)."""

    serializer_class = PrioritySerializer
    filterset_class = PriorityFilter

    def get_queryset(self):
        return (
            Priority.objects.filter(strategy__in=Strategy.objects.visible_to(self.request.user))
            .select_related("strategy", "responsible")
            .order_by("strategy__slug", "part", "number")
        )


class ObjectiveFilter(filters.FilterSet):
    strategy = StrategyChoice("priority__strategy")

    class Meta:
        model = Objective
        fields = ["strategy"]


class ObjectiveViewSet(ReadOnly):
    """Objectives of the strategies the person may read; their recorded colours and counts
    are under snapshots (level=objective)."""

    serializer_class = ObjectiveSerializer
    filterset_class = ObjectiveFilter

    def get_queryset(self):
        visible = Strategy.objects.visible_to(self.request.user)
        return (
            Objective.objects.filter(priority__strategy__in=visible)
            .select_related("priority__strategy", "responsible")
            .order_by("priority__strategy__slug", "priority__part", "priority__number", "number")
        )


class MilestoneFilter(filters.FilterSet):
    strategy = StrategyChoice("objective__priority__strategy")
    status = filters.ChoiceFilter(choices=Milestone.Status.choices)

    class Meta:
        model = Milestone
        fields = ["strategy", "status"]


class MilestoneViewSet(ReadOnly):
    """Milestones with their reported status and its colour with the reason (as at today);
    each one's history of saved states at …/<id>/history/."""

    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilter

    def get_queryset(self):
        return (
            Milestone.objects.visible_to(self.request.user)
            .select_related("objective__priority__strategy", "owner")
            .order_by("objective__priority__strategy__slug", "objective_id", "position", "id")
        )

    def get_serializer_context(self):
        return super().get_serializer_context() | {"today": timezone.localdate()}

    # The whole history as a list: no pages, and the list's filters (?status=) do not apply.
    @extend_schema(responses=MilestoneChangeSerializer(many=True), parameters=[])
    @action(detail=True, pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        milestone = self.get_object()
        states = milestone.history.select_related("history_user").order_by("history_date", "pk")
        illustrative = milestone.objective.priority.strategy.illustrative
        return Response(
            MilestoneChangeSerializer(
                states, many=True, context={"illustrative": illustrative}
            ).data
        )


class MeasureViewSet(ReadOnly):
    """Success measures and context indicators of the strategies the person may read, by
    code; their figures are under values."""

    serializer_class = MeasureSerializer
    lookup_field = "code"

    def get_queryset(self):
        return (
            Measure.objects.visible_to(self.request.user)
            .select_related("priority__strategy", "objective__priority__strategy")
            .order_by("code")
        )


class ValueFilter(filters.FilterSet):
    measure = MeasureChoice("measure")
    strategy = StrategyChoice("measure", method="in_strategy")
    period_end_after = filters.DateFilter(field_name="period_end", lookup_expr="gte")
    period_end_before = filters.DateFilter(field_name="period_end", lookup_expr="lte")

    class Meta:
        model = MeasureValue
        fields = ["measure", "strategy", "period_end_after", "period_end_before"]

    def in_strategy(self, queryset, name, strategy):
        return queryset.filter(measure__in=Measure.objects.for_strategies([strategy.pk]))


class WholeNumberFilter(filters.NumberFilter):
    """A whole number: 1.5 is refused (400), not looked for among whole numbers."""

    field_class = forms.IntegerField


class SnapshotFilter(filters.FilterSet):
    strategy = StrategyChoice("period__strategy")
    year = WholeNumberFilter(field_name="period__year", help_text="2024 for 2024/25")
    quarter = WholeNumberFilter(
        field_name="period__quarter", help_text="1 to 4", min_value=1, max_value=4
    )
    level = filters.ChoiceFilter(choices=SnapshotItem._meta.get_field("level").choices)

    class Meta:
        model = SnapshotItem
        fields = ["strategy", "year", "quarter", "level"]


class SnapshotViewSet(ReadOnly):
    """Closed quarters as they were recorded when they closed: every item's colour and
    reason, and the roll-ups (strategy, priorities, objectives) with their counts."""

    serializer_class = SnapshotItemSerializer
    filterset_class = SnapshotFilter

    def get_queryset(self):
        closed = ReportingPeriod.objects.filter(
            state=PeriodState.CLOSED, strategy__in=Strategy.objects.visible_to(self.request.user)
        )
        return (
            SnapshotItem.objects.filter(period__in=closed)
            .defer("chart", "chart_figure")  # not in the API's rows, and most of their bytes
            .select_related("period__strategy")
            .order_by("period__strategy__slug", "-period__year", "-period__quarter", "position")
        )


def values_for(user):
    """Reported values of the measures `user` may see, by measure code, then period; each
    saying whether it was restated: its figure changed after it was first reported (a change
    to its note or source alone restates nothing). Some earlier version held another figure:
    every path that writes a value records its first version in the history too."""
    measures = Measure.objects.visible_to(user)
    changed = MeasureValue.history.filter(id=OuterRef("pk")).exclude(value=OuterRef("value"))
    # The illustrative example's figures are made up, and say so wherever they go.
    illustrative = Coalesce(
        "measure__priority__strategy__illustrative",
        "measure__objective__priority__strategy__illustrative",
    )
    return (
        MeasureValue.objects.filter(measure__in=measures)
        .annotate(restated=Exists(changed), illustrative=illustrative)
        .order_by("measure__code", "period_end", "id")
    )


class ValueViewSet(ReadOnly):
    """Reported values, oldest first within each measure; filter by measure code, strategy
    slug and a range of period ends (YYYY-MM-DD). All of them at once: values.csv."""

    serializer_class = ValueSerializer
    filterset_class = ValueFilter

    def get_queryset(self):
        return values_for(self.request.user).select_related("measure")


@extend_schema(
    parameters=[
        OpenApiParameter("measure", str, description="A measure's code"),
        OpenApiParameter("strategy", str, description="A strategy's slug"),
        OpenApiParameter("period_end_after", OpenApiTypes.DATE),
        OpenApiParameter("period_end_before", OpenApiTypes.DATE),
    ],
    responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV")},
)
class ValuesCsvView(Logged, APIView):
    """Every value the filters pick, as one CSV stream (no pages): for Power BI and Excel."""

    def get(self, request):
        chosen = ValueFilter(
            request.query_params, queryset=values_for(request.user), request=request
        )
        if not chosen.is_valid():
            raise ValidationError(chosen.errors)
        response = StreamingHttpResponse(
            csv_lines(chosen.qs), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="values.csv"'
        return response
