"""Work the task worker does for measures: keeping their stored SPC readings current."""

from django_tasks import task

from measures import readings


@task()
def refresh_readings(measure_ids: list[int] | None = None) -> int:
    """Work out again the readings of these measures (every stale one's, if None)."""
    return readings.refresh(measure_ids)
