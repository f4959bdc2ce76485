"""What each resource of the read API shows: the fields people chart, named as the app
names them, with parents by their codes and slugs (never database ids that mean nothing)."""

from rest_framework import serializers

from measures.models import Measure, MeasureValue
from milestones.models import Milestone
from objectives.models import Objective, Organisation, Priority, Strategy
from reporting.models import Level, SnapshotItem
from strategy_tracker.people import display_name


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name"]


class StrategySerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")
    partners = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = Strategy
        fields = [
            "slug",
            "title",
            "organisation",
            "partners",
            "status",
            "period_start",
            "period_end",
            "period_text",
            "illustrative",
        ]


class PrioritySerializer(serializers.ModelSerializer):
    strategy = serializers.CharField(source="strategy.slug")
    illustrative = serializers.BooleanField(
        source="strategy.illustrative",
        read_only=True,
        help_text="True for the illustrative example: made up, not from a published document.",
    )
    key = serializers.CharField(help_text='Its number within the strategy: "2", or "part2-1".')
    responsible = serializers.CharField(
        source="responsible.name",
        default=None,
        allow_null=True,
        help_text="A partner, if one is named.",
    )

    class Meta:
        model = Priority
        fields = [
            "id",
            "strategy",
            "illustrative",
            "key",
            "part",
            "number",
            "title",
            "description",
            "responsible",
        ]


class ObjectiveSerializer(serializers.ModelSerializer):
    strategy = serializers.CharField(source="priority.strategy.slug")
    illustrative = serializers.BooleanField(
        source="priority.strategy.illustrative",
        read_only=True,
        help_text="True for the illustrative example: made up, not from a published document.",
    )
    priority = serializers.CharField(source="priority.key")
    responsible = serializers.CharField(
        source="responsible.name",
        default=None,
        allow_null=True,
        help_text="A partner, if one is named.",
    )

    class Meta:
        model = Objective
        fields = [
            "id",
            "strategy",
            "illustrative",
            "priority",
            "number",
            "title",
            "description",
            "responsible",
        ]


class MeasureSerializer(serializers.ModelSerializer):
    strategy = serializers.CharField(source="strategy.slug")
    illustrative = serializers.BooleanField(
        source="strategy.illustrative",
        read_only=True,
        help_text="True for the illustrative example: made up, not from a published document.",
    )

    class Meta:
        model = Measure
        fields = [
            "code",
            "name",
            "strategy",
            "illustrative",
            "kind",
            "unit",
            "direction",
            "baseline_value",
            "baseline_period",
            "baseline_period_text",
            "target_value",
            "target_date",
            "target_period_text",
        ]


class ValueSerializer(serializers.ModelSerializer):
    measure = serializers.CharField(source="measure.code")
    illustrative = serializers.BooleanField(
        read_only=True,
        help_text="True for the illustrative example: made up, not from a published document.",
    )
    restated = serializers.BooleanField(
        read_only=True,
        help_text="Its figure changed after it was first reported (a change to its note or "
        "source alone is not a restatement).",
    )

    class Meta:
        model = MeasureValue
        fields = [
            "id",
            "measure",
            "period_end",
            "value",
            "note",
            "source",
            "restated",
            "period_text",
            "illustrative",
        ]


class MilestoneSerializer(serializers.ModelSerializer):
    strategy = serializers.CharField(source="objective.priority.strategy.slug")
    illustrative = serializers.BooleanField(
        source="objective.priority.strategy.illustrative",
        read_only=True,
        help_text="True for the illustrative example: made up, not from a published document.",
    )
    priority = serializers.CharField(source="objective.priority.key")
    objective = serializers.IntegerField(source="objective.number")
    owner = serializers.SerializerMethodField()
    rag = serializers.SerializerMethodField(help_text="red, amber, green, blue or grey")
    rag_reason = serializers.SerializerMethodField()
    reported = serializers.SerializerMethodField(
        help_text="False while nobody has reported on it and its status is still the one every "
        "milestone starts with, not_started, which no lead said (the pages say "
        '"Nothing reported yet").'
    )

    class Meta:
        model = Milestone
        fields = [
            "id",
            "strategy",
            "illustrative",
            "priority",
            "objective",
            "title",
            "due_date",
            "due_text",
            "status",
            "forecast_date",
            "commentary",
            "owner",
            "last_updated_at",
            "reported",
            "rag",
            "rag_reason",
        ]

    def get_owner(self, milestone) -> str | None:
        return display_name(milestone.owner) if milestone.owner else None

    def get_reported(self, milestone) -> bool:
        return not milestone.nothing_reported

    def _status(self, milestone):
        return milestone.rag(self.context["today"])

    def get_rag(self, milestone) -> str:
        return self._status(milestone).rag.value

    def get_rag_reason(self, milestone) -> str:
        return self._status(milestone).reason


class MilestoneChangeSerializer(serializers.Serializer):
    """One saved state of a milestone: its reported status as it stood, who and when; and,
    from the context, whether its strategy is the illustrative example."""

    at = serializers.DateTimeField(source="history_date")
    illustrative = serializers.SerializerMethodField(
        help_text="True for the illustrative example: made up, not from a published document."
    )
    status = serializers.CharField()
    forecast_date = serializers.DateField(allow_null=True)
    commentary = serializers.CharField()
    by = serializers.SerializerMethodField()

    def get_illustrative(self, record) -> bool:
        # An item never moves to another strategy, so its strategy now is its strategy then.
        return self.context["illustrative"]

    def get_by(self, record) -> str | None:
        return display_name(record.history_user) if record.history_user else None


class SnapshotItemSerializer(serializers.ModelSerializer):
    """One item as a closed quarter recorded it: its colour and reason then, and for the
    strategy, priorities and objectives the roll-up's counts of items by colour."""

    strategy = serializers.CharField(source="period.strategy.slug")
    illustrative = serializers.BooleanField(
        source="period.strategy.illustrative",
        read_only=True,
        help_text="True for the illustrative example: made up, not from a published document.",
    )
    quarter = serializers.CharField(source="period.label")
    closed_at = serializers.DateTimeField(source="period.closed_at")
    reported = serializers.SerializerMethodField(
        help_text="For a milestone, false if nobody had reported on it when the quarter closed: "
        "its status is then the not_started every milestone starts with, which no lead said "
        '(the board report says "nothing reported"). Null for any other row.'
    )

    class Meta:
        model = SnapshotItem
        fields = [
            "id",
            "strategy",
            "illustrative",
            "quarter",
            "closed_at",
            "level",
            "priority_key",
            "number",
            "title",
            "rag",
            "reason",
            "counts",
            "status",
            "reported",
            "commentary",
            "forecast_date",
            "due_date",
            "owner",
        ]

    def get_reported(self, item) -> bool | None:
        return None if item.level != Level.MILESTONE else not item.nothing_reported
