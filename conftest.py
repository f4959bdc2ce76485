"""Fixtures shared by every app's tests."""

import os

import pytest
from django.contrib.auth.models import Group

from strategy_tracker.roles import ADMIN, BOARD_MEMBER, PROGRAMME_LEAD

TEST_PASSWORD = "correct-horse-battery-staple"


def pytest_sessionstart(session):
    # CI must test against PostgreSQL; a silent fall-back to SQLite would hide real bugs.
    if os.environ.get("CI") and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise pytest.UsageError("CI runs the tests on PostgreSQL: DATABASE_URL is not set to it.")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Tests that need PostgreSQL skip on SQLite (`make test-fast`); CI runs every test, so a
    # skip there is a failure, whatever its reason.
    report = yield
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"CI runs every test, and this one skipped: {report.longrepr}"
    return report


@pytest.fixture
def make_user(django_user_model):
    def make(username: str, role: str | None = None, **fields):
        user = django_user_model.objects.create_user(
            username=username, password=TEST_PASSWORD, **fields
        )
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def board_member(make_user):
    return make_user("board", BOARD_MEMBER, first_name="Bola", last_name="Board")


@pytest.fixture
def programme_lead(make_user):
    return make_user("lead", PROGRAMME_LEAD, first_name="Lee", last_name="Lead")


@pytest.fixture
def admin_user(make_user):
    return make_user("admin", ADMIN, is_staff=True, first_name="Ada", last_name="Admin")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached pages are keyed by the data's version; each test starts with none cached."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
