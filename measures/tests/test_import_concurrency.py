"""Two admins confirming at once: the second waits, then sees the first's figures."""

import os
import threading

import pytest
from django.db import close_old_connections, connection

from measures.importing import ImportRefused, confirm, store_upload
from measures.models import ImportBatch, MeasureValue


@pytest.mark.django_db(transaction=True)
def test_two_confirms_at_once_cannot_interleave(measures, admin_user, make_user):
    if connection.vendor != "postgresql":
        # SQLite serialises every write anyway; make test and CI run this on PostgreSQL.
        (pytest.fail if os.environ.get("CI") else pytest.skip)("needs PostgreSQL")
    rows = "".join(f"CNT,{y}-06-30,{{v}}\n" for y in range(2000, 2024))
    first = store_upload(
        user=admin_user,
        file_name="a.csv",
        data=("measure_code,period_end,value\n" + rows.format(v=1)).encode(),
    )
    second = store_upload(
        user=admin_user,
        file_name="b.csv",
        data=("measure_code,period_end,value\n" + rows.format(v=2)).encode(),
    )
    outcomes = {}
    start = threading.Barrier(2)

    def run(batch):
        start.wait()
        try:
            confirm(batch.pk, restatements_confirmed=False)
            outcomes[batch.file_name] = "imported"
        except ImportRefused as refusal:
            outcomes[batch.file_name] = str(refusal)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(b,)) for b in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    # Exactly one wrote all 24 figures; the other, checking after it under the lock, found
    # them already reported and refused to restate them without the box ticked.
    imported = [name for name, outcome in outcomes.items() if outcome == "imported"]
    refused = [outcome for outcome in outcomes.values() if outcome != "imported"]
    assert len(imported) == 1, outcomes
    assert "24 rows would restate figures already reported" in refused[0]
    values = set(MeasureValue.objects.values_list("value", flat=True))
    assert MeasureValue.objects.count() == 24 and len(values) == 1
    assert ImportBatch.objects.filter(status="imported").count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_upload_being_confirmed_is_not_deleted_as_expired_meanwhile(measures, admin_user):
    """A confirm that began just before the upload expired holds its row; the deletion waits
    for it, checks the row again, and keeps it, now imported."""
    import datetime as dt
    from unittest import mock

    from django.utils import timezone

    from measures import importing

    if connection.vendor != "postgresql":
        (pytest.fail if os.environ.get("CI") else pytest.skip)("needs PostgreSQL")
    batch = store_upload(
        user=admin_user,
        file_name="late.csv",
        data=b"measure_code,period_end,value\nCNT,2024-06-30,5\n",
    )
    ImportBatch.objects.filter(pk=batch.pk).update(
        uploaded_at=timezone.now() - dt.timedelta(hours=49)
    )
    writing, finish = threading.Event(), threading.Event()
    real_create = importing.create
    outcomes = {}

    def create_then_wait(values, stamp):
        real_create(values, stamp)
        writing.set()
        assert finish.wait(30)

    def run_confirm():
        try:
            # As if it began a moment before the upload expired.
            with (
                mock.patch.object(importing, "is_expired", return_value=False),
                mock.patch.object(importing, "create", create_then_wait),
            ):
                confirm(batch.pk, restatements_confirmed=False)
            outcomes["confirm"] = "imported"
        finally:
            close_old_connections()

    def run_delete():
        try:
            outcomes["deleted"] = importing.delete_expired_uploads()
        finally:
            close_old_connections()

    confirming = threading.Thread(target=run_confirm)
    confirming.start()
    assert writing.wait(30)
    deleting = threading.Thread(target=run_delete)
    deleting.start()
    # Let the deletion reach the row the confirm holds, then let the confirm commit.
    with connection.cursor() as cursor:
        for _ in range(300):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND query LIKE 'DELETE%%'"
            )
            if cursor.fetchone()[0]:
                break
            threading.Event().wait(0.05)
        else:
            finish.set()
            pytest.fail("the deletion never reached the row the confirm holds")
    finish.set()
    confirming.join(60)
    deleting.join(60)

    assert outcomes == {"confirm": "imported", "deleted": 0}
    assert ImportBatch.objects.get(pk=batch.pk).status == "imported"
    assert MeasureValue.objects.count() == 1
