"""What of a strategy the public may read: whether it is published to the public, which of its
items stay private, and each organisation's open-data choices (licence, owners' job titles).
Only closed quarters are ever shown (public/pages.py); these rows say which, and how."""

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from objectives.models import Organisation, Strategy


class Licence(models.TextChoices):
    NONE = "", "No licence stated"
    OGL = "OGL-UK-3.0", "Open Government Licence v3.0"
    CC_BY = "CC-BY-4.0", "Creative Commons Attribution 4.0 International"
    CC0 = "CC0-1.0", "Creative Commons Zero 1.0 (public domain)"


LICENCE_URLS = {
    Licence.OGL: "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
}


class OpenData(models.Model):
    """An organisation's choices for everything it publishes: the licence its open data is
    offered under, and whether public pages show milestone owners' job titles (never names)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="open_data"
    )
    licence = models.CharField(max_length=20, choices=Licence.choices, blank=True)
    show_owner_job_titles = models.BooleanField(
        default=False,
        help_text="Public pages show each milestone owner's job title (never their name).",
    )
    changed_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "open data settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(licence__in=Licence.values), name="open_data_licence_known"
            )
        ]

    def __str__(self) -> str:
        return f"Open data of {self.organisation}"

    @property
    def licence_url(self) -> str:
        return LICENCE_URLS.get(self.licence, "")


class PublicationQuerySet(models.QuerySet):
    def public(self) -> "PublicationQuerySet":
        """Published to the public, of a strategy past its draft."""
        return self.filter(is_public=True).exclude(strategy__status=Strategy.Status.DRAFT)


class Publication(models.Model):
    """Whether `strategy` is open to the public, and how. Publishing and unpublishing are
    kept in the history with who and when; `version` refuses a change made from a page that
    showed an older state."""

    strategy = models.OneToOneField(Strategy, on_delete=models.CASCADE, related_name="publication")
    is_public = models.BooleanField(default=False)
    publish_commentary = models.BooleanField(
        default=False,
        help_text="Public pages show the commentary each owner gave with their report.",
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()
    objects = PublicationQuerySet.as_manager()

    def __str__(self) -> str:
        state = "public" if self.is_public else "not public"
        return f"{self.strategy}: {state}"


class Kind(models.TextChoices):
    PRIORITY = "priority", "Priority"
    OBJECTIVE = "objective", "Objective"
    MILESTONE = "milestone", "Milestone"
    MEASURE = "measure", "Measure"


class PrivateItem(models.Model):
    """An item kept off the public pages and open data, with everything under it."""

    Kind = Kind

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="private_items"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "kind", "object_id"], name="private_item_once"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=Kind.values), name="private_item_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.object_id} (private)"
