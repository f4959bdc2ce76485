"""Uploads that are never imported are deleted after MEASURE_IMPORT_UNCONFIRMED_HOURS;
imported ones stay as the record. A page of a deleted upload says it expired."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from measures.importing import UploadExpired, confirm
from measures.models import ImportBatch, MeasureValue
from measures.tests.test_import import HEADER, _upload

pytestmark = pytest.mark.django_db


def _stored(user, name: str, *, hours_ago: float, imported: bool = False) -> ImportBatch:
    """An upload made `hours_ago` (stored directly: store_upload would delete expired ones)."""
    data = (HEADER + "CNT,2024-06-30,5,,\n").encode()
    batch = ImportBatch.objects.create(
        uploaded_by=user, file_name=name, sha256="0" * 64, size=len(data), content=data
    )
    if imported:
        confirm(batch.pk, restatements_confirmed=False)
    # uploaded_at is set on creation; an update moves it back in time.
    uploaded_at = timezone.now() - dt.timedelta(hours=hours_ago)
    ImportBatch.objects.filter(pk=batch.pk).update(uploaded_at=uploaded_at)
    return batch


def _names() -> set[str]:
    return set(ImportBatch.objects.values_list("file_name", flat=True))


def test_the_time_an_upload_is_kept_is_a_setting_of_48_hours_by_default():
    from django.conf import settings

    assert settings.MEASURE_IMPORT_UNCONFIRMED_HOURS == 48


def test_storing_an_upload_deletes_those_never_imported_in_time(
    signed_in_admin, admin_user, measures
):
    _stored(admin_user, "old-previewed.csv", hours_ago=49)
    _stored(admin_user, "recent-previewed.csv", hours_ago=47)
    MeasureValue.objects.all().delete()
    _stored(admin_user, "old-imported.csv", hours_ago=500, imported=True)

    assert _upload(signed_in_admin, HEADER + "CNT,2024-03-31,5,,\n", "new.csv").status_code == 302

    assert _names() == {"recent-previewed.csv", "old-imported.csv", "new.csv"}


def test_the_command_deletes_expired_uploads_and_says_how_many(admin_user, measures, settings):
    settings.MEASURE_IMPORT_UNCONFIRMED_HOURS = 2
    _stored(admin_user, "three-hours.csv", hours_ago=3)
    _stored(admin_user, "one-hour.csv", hours_ago=1)
    out = StringIO()

    call_command("delete_expired_uploads", stdout=out)

    assert out.getvalue().strip() == "Deleted 1 upload not imported within 2 hours."
    assert _names() == {"one-hour.csv"}
    call_command("delete_expired_uploads", stdout=out)
    assert "Deleted 0 uploads" in out.getvalue()


def test_the_preview_of_a_deleted_upload_says_it_expired(signed_in_admin, admin_user, measures):
    pk = _stored(admin_user, "gone.csv", hours_ago=1).pk
    ImportBatch.objects.filter(pk=pk).delete()

    response = signed_in_admin.get(reverse("measures:import_preview", args=[pk]))

    assert response.status_code == 404
    html = response.content.decode()
    assert "This upload has expired" in html
    assert "not imported within 48 hours is deleted" in html
    assert reverse("measures:import_start") in html


def test_an_upload_past_its_time_but_not_yet_deleted_has_expired_too(
    signed_in_admin, admin_user, measures
):
    batch = _stored(admin_user, "late.csv", hours_ago=49)

    preview_page = signed_in_admin.get(reverse("measures:import_preview", args=[batch.pk]))
    confirmed = signed_in_admin.post(reverse("measures:import_confirm", args=[batch.pk]))

    assert preview_page.status_code == confirmed.status_code == 404
    assert "This upload has expired" in preview_page.content.decode()
    assert "This upload has expired" in confirmed.content.decode()
    assert MeasureValue.objects.count() == 0
    assert "late.csv" not in signed_in_admin.get(reverse("measures:import_list")).content.decode()


def test_confirming_an_upload_deleted_meanwhile_refuses_it_as_expired(admin_user, measures):
    batch = _stored(admin_user, "gone.csv", hours_ago=1)
    ImportBatch.objects.filter(pk=batch.pk).delete()
    with pytest.raises(UploadExpired):
        confirm(batch.pk, restatements_confirmed=False)
    assert MeasureValue.objects.count() == 0


def test_an_imported_file_is_kept_and_its_page_still_shows(signed_in_admin, admin_user, measures):
    batch = _stored(admin_user, "record.csv", hours_ago=24 * 400, imported=True)
    call_command("delete_expired_uploads", stdout=StringIO())
    page = signed_in_admin.get(reverse("measures:import_preview", args=[batch.pk]))
    assert page.status_code == 200
    assert "Imported" in page.content.decode()
    assert "record.csv" in signed_in_admin.get(reverse("measures:import_list")).content.decode()
