from django.db import models


class DataVersion(models.Model):
    """One row whose number moves, in the writing transaction, whenever anything shown changes.

    Cached pages are keyed by it (strategy_tracker/data_version.py). Because the row is
    updated inside each writer's transaction, writers queue on it, and a reader never sees a
    new number before the data it stands for has committed.
    """

    number = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"data version {self.number}"
