"""SQLite as `make run` serves it, with several people at once: two transactions that each
read and then write wait their turn, rather than one failing with "database is locked" (a
newcomer's *My milestones*, which records each visit, answered 503 to one person in twenty
when six opened it together)."""

import threading
import time
from unittest import mock

from django.db import transaction
from django.db.utils import ConnectionHandler

from strategy_tracker.settings import SQLITE_OPTIONS


def _read_then_write(handler: ConnectionHandler, errors: list) -> None:
    try:
        with transaction.atomic():
            cursor = handler["default"].cursor()
            cursor.execute("SELECT n FROM counter")
            time.sleep(0.2)  # the other transaction reads meanwhile
            cursor.execute("UPDATE counter SET n = n + 1")
    except Exception as error:  # noqa: BLE001 - any failure is the finding
        errors.append(error)
    finally:
        handler["default"].close()


def _both_at_once(tmp_path, options: dict) -> tuple[int, list]:
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(tmp_path / "shared.sqlite3"),
                "OPTIONS": options,
            }
        }
    )
    with handler["default"].cursor() as cursor:
        cursor.execute("CREATE TABLE counter (n integer)")
        cursor.execute("INSERT INTO counter VALUES (0)")
    handler["default"].close()
    errors = []
    # transaction.atomic() finds its connection here: each thread gets its own from the handler.
    with mock.patch.object(transaction, "connections", handler):
        threads = [threading.Thread(target=_read_then_write, args=(handler, errors)) for _ in "ab"]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    with handler["default"].cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        (n,) = cursor.fetchone()
    handler["default"].close()
    return n, errors


# A database file of the test's own, not the test database: django_db_blocker lets it open.
def test_two_writers_at_once_both_write(tmp_path, django_db_blocker):
    with django_db_blocker.unblock():
        assert _both_at_once(tmp_path, SQLITE_OPTIONS) == (2, [])


def test_without_those_options_one_of_them_fails(tmp_path, django_db_blocker):
    with django_db_blocker.unblock():
        n, errors = _both_at_once(tmp_path, {})
    assert n == 1 and "database is locked" in str(errors)
