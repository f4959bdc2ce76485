"""A measure's link to a national indicator published on OHID Fingertips, whose figures
`manage.py fetch_fingertips` (measures/fingertips.py) proposes as an import.

Kept in its own module and imported at the end of measures/models.py, which is how Django
finds it. The measure is named by its app label, not imported, so either module may be
imported first.
"""

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

# ONS codes (a letter and eight digits: E06000034 Thurrock, E92000001 England) for councils,
# regions and ICBs; NHS ODS codes (R1L, a trust; F81001, a GP practice) for NHS areas.
AREA_CODE_SHAPE = r"^(?:[A-Z][0-9]{8}|[A-Z0-9]{3,6})$"


class Sex(models.TextChoices):
    """Fingertips' own words in the Sex column of its data."""

    PERSONS = "Persons", "Persons"
    MALE = "Male", "Male"
    FEMALE = "Female", "Female"
    NOT_APPLICABLE = "Not applicable", "Not applicable"


class NationalIndicator(models.Model):
    """The Fingertips indicator, area and population whose published values are a measure's
    figures: indicator 92443 for E06000034 (Thurrock), area type 502, Persons aged 18+."""

    measure = models.OneToOneField(
        "measures.Measure", on_delete=models.CASCADE, related_name="national_indicator"
    )
    indicator_id = models.PositiveIntegerField(
        validators=[MinValueValidator(1)],
        help_text="The Fingertips indicator ID, e.g. 92443 (its address on the Fingertips site "
        "ends …/iid/92443/…).",
    )
    area_type_id = models.PositiveIntegerField(
        validators=[MinValueValidator(1)],
        help_text="The Fingertips area type ID the area is published under, e.g. 502 (upper "
        "tier local authorities from April 2023), 15 (England).",
    )
    area_code = models.CharField(
        max_length=20,
        validators=[
            RegexValidator(
                AREA_CODE_SHAPE,
                "Enter an ONS area code (a capital letter and eight digits, e.g. E06000034) or "
                "an NHS organisation code (e.g. R1L).",
            )
        ],
        help_text="As Fingertips writes it: E06000034 (Thurrock), E92000001 (England), R1L.",
    )
    sex = models.CharField(
        max_length=20,
        choices=Sex,
        default=Sex.PERSONS,
        help_text="Which of the indicator's rows: most give Persons; some only Male and Female.",
    )
    age = models.CharField(
        max_length=50,
        blank=True,
        help_text="The age band as Fingertips writes it (e.g. “18+ yrs”, “65+ yrs”). Empty: the "
        "indicator's only age band for this area, or “All ages” if it has several.",
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The scheduled fetch proposes this indicator's figures to them to confirm.",
    )
    linked_at = models.DateTimeField(default=timezone.now)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_fetch_outcome = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["measure__code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(indicator_id__gt=0) & Q(area_type_id__gt=0),
                name="national_indicator_ids_positive",
                violation_error_message="Fingertips indicator and area type IDs start at 1.",
            ),
            models.CheckConstraint(
                condition=Q(sex__in=Sex.values), name="national_indicator_sex_valid"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"OHID Fingertips indicator {self.indicator_id}, {self.area_code} "
            f"(area type {self.area_type_id})"
        )

    def record_fetch(self, outcome: str) -> None:
        """Keep when the indicator was last fetched and what came of it (in its history too)."""
        self.last_fetched_at = timezone.now()
        self.last_fetch_outcome = outcome
        self.save(update_fields=["last_fetched_at", "last_fetch_outcome"])


# simple-history names its history model's module after the app ("measures"), as for a model
# of models.py; it is put here, so say so, or `manage.py shell` and pickle cannot find it.
NationalIndicator.history.model.__module__ = __name__
