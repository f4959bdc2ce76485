"""The task worker, run inside a test."""


def worker(worker_id: str = "test-worker"):
    """A worker as `manage.py db_worker` makes one, to run tasks inside the test's transaction."""
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def run_queued_tasks() -> int:
    """Run every task that is ready, as `manage.py db_worker` would (its own Worker), inside the
    test's transaction; the number run."""
    from django_tasks_db.models import DBTaskResult

    runner = worker()
    count = 0
    while (result := DBTaskResult.objects.ready().first()) is not None:
        result.claim(runner.worker_id)
        runner.run_task(result)
        count += 1
    return count
