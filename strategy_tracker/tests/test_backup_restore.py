"""A backup restored gives back every row exactly (pg_dump / pg_restore on PostgreSQL)."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from milestones.models import Milestone
from objectives.models import Strategy

APPS = ["objectives", "milestones", "measures", "auth"]


def _every_row() -> dict[str, list[tuple]]:
    rows = {}
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            table = model._meta.db_table
            with connection.cursor() as cursor:
                cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - our own table names
                # Sorted whole: a history table has several rows for one object id, in no
                # set order after a restore.
                rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_every_row(tmp_path, programme_lead):
    call_command("load_seeds", stdout=StringIO())
    milestone = Milestone.objects.first()
    milestone.record_update(
        by=programme_lead,
        expected_version=milestone.version,
        status="at_risk",
        commentary="Before the backup",
        forecast_date=None,
    )
    before = _every_row()
    assert sum(len(r) for r in before.values()) > 400
    backup = tmp_path / ("backup.dump" if connection.vendor == "postgresql" else "backup.sqlite3")

    call_command("backup", str(backup), stdout=StringIO())
    Milestone.objects.filter(pk=milestone.pk).update(commentary="Changed after the backup")
    Strategy.objects.filter(slug="thurrock-hwbs-2013").delete()
    assert _every_row() != before
    call_command("restore", str(backup), "--yes", stdout=StringIO())

    assert _every_row() == before


@pytest.mark.parametrize(
    "answer, restored", [("y", True), ("YES", True), ("", False), ("no", False)]
)
def test_restore_asks_first_and_takes_y_or_yes(tmp_path, monkeypatch, answer, restored):
    backup = tmp_path / "copy.sqlite3"
    backup.write_bytes(b"")
    done = []
    monkeypatch.setattr("builtins.input", lambda prompt: answer)
    monkeypatch.setattr("strategy_tracker.management.commands.restore.connection.vendor", "none")
    try:
        call_command("restore", str(backup), stdout=StringIO())
    except CommandError as error:
        done.append(str(error))
    # Past the question, an unknown database is refused: that message means it went ahead.
    assert done == (["No restore method for none."] if restored else ["Nothing restored."])


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "content", [b"", b"-- PostgreSQL database dump\n", "sqlite without tables"]
)
def test_a_file_that_is_no_backup_is_refused_and_every_row_kept(tmp_path, content):
    """An empty file (a backup that failed part way, a copy that never arrived) was
    "Restored" on SQLite: it opened as an empty database and was copied over every table."""
    call_command("load_seeds", stdout=StringIO())
    before = _every_row()
    file = tmp_path / "strategy-tracker-20250101-0000.backup"
    if content == "sqlite without tables":
        import sqlite3

        sqlite3.connect(file).execute("CREATE TABLE other (id integer)").connection.close()
    else:
        file.write_bytes(content)
    with pytest.raises(CommandError):
        call_command("restore", str(file), "--yes", stdout=StringIO())
    assert _every_row() == before


@pytest.mark.django_db
def test_restoring_a_folder_says_it_is_a_folder(tmp_path):
    with pytest.raises(CommandError, match="is a folder, not a backup file: nothing restored"):
        call_command("restore", str(tmp_path), "--yes", stdout=StringIO())
