"""What each resource of the read API shows: the fields people chart, named as the app
names them, with parents by their codes and slugs (never database ids that mean nothing)."""

from rest_framework import serializers

from measures.models import Measure, MeasureValue
from objectives.models import Organisation, Strategy


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
            "illustrative",
        ]


class MeasureSerializer(serializers.ModelSerializer):
    strategy = serializers.CharField(source="strategy.slug")

    class Meta:
        model = Measure
        fields = [
            "code",
            "name",
            "strategy",
            "kind",
            "unit",
            "direction",
            "baseline_value",
            "baseline_period",
            "target_value",
            "target_date",
        ]


class ValueSerializer(serializers.ModelSerializer):
    measure = serializers.CharField(source="measure.code")

    class Meta:
        model = MeasureValue
        fields = ["measure", "period_end", "value", "note", "source"]
