"""A workbook an Admin uploaded: kept from the preview to the confirm, so what is imported is
exactly the file that was previewed."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from objectives.models import Strategy


class WorkbookUploadQuerySet(models.QuerySet):
    def expired(self) -> "WorkbookUploadQuerySet":
        """Files never imported, older than MEASURE_IMPORT_UNCONFIRMED_HOURS (as the figures
        import's are): deleted as each new one arrives. Imported ones stay as the record."""
        hours = settings.MEASURE_IMPORT_UNCONFIRMED_HOURS
        return self.filter(
            imported_at__isnull=True, uploaded_at__lt=timezone.now() - dt.timedelta(hours=hours)
        )


class WorkbookUpload(models.Model):
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    # The draft it fills; empty when the workbook's own "Strategy" sheet names it.
    into = models.ForeignKey(
        Strategy, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    imported_at = models.DateTimeField(null=True, blank=True)
    imported_into = models.ForeignKey(
        Strategy, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = WorkbookUploadQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.file_name

    def get_absolute_url(self) -> str:
        return reverse("editor:import_preview", args=[self.pk])
