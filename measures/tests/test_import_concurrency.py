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
