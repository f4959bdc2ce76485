"""The version of everything the pages show, for caching them safely.

Every change to a strategy, its parts, a milestone, a measure, a value or a user's name moves
the number in the DataVersion row, in the same transaction as the change: saves through the
history signal, bulk paths (updates, assignments, imports) by calling bump() themselves.
Pages cache what they worked out under the number they read first, so an update or an import
is never shown stale, on any app server.
"""

from django.db import connection
from django.db.models import F

from strategy_tracker.models import DataVersion


def data_version() -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number FROM {DataVersion._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    return str(row[0] if row else 0)


def bump(by: int = 1) -> None:
    if not DataVersion.objects.filter(id=1).update(number=F("number") + by):
        DataVersion.objects.get_or_create(id=1, defaults={"number": by})


def bump_on_save(sender, **kwargs) -> None:
    bump()
