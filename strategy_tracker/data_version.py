"""A fingerprint of everything the dashboards show, for caching them safely.

Every change to a strategy, priority, objective, milestone, measure or value writes a
history row (django-simple-history, also on the bulk import path), and history ids only
grow, so the largest id of each history table changes whenever any shown data does. Pages
cache what they computed under this version, so no update or import is ever shown stale,
on any app server.
"""

from django.db import connection

HISTORY_TABLES = [
    "objectives_historicalstrategy",
    "objectives_historicalpriority",
    "objectives_historicalobjective",
    "milestones_historicalmilestone",
    "measures_historicalmeasure",
    "measures_historicalmeasurevalue",
]


def data_version() -> str:
    selects = ", ".join(f"(SELECT MAX(history_id) FROM {table})" for table in HISTORY_TABLES)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {selects}")  # noqa: S608 - fixed table names
        row = cursor.fetchone()
    return "-".join(str(v or 0) for v in row)
