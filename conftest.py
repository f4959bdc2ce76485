"""Fixtures shared by every app's tests."""

import os

import pytest
from django.db.models.signals import post_save

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
def role_everywhere():
    """People who hold a role in every organisation, those a test makes later included: as
    the upgrade to organisations gave everyone who held a role before. Tests of one
    organisation's reach give memberships themselves (make_member)."""
    from objectives.models import Membership, Organisation

    holders: list[tuple] = []

    def grant(sender, instance, created, raw=False, **kwargs):
        if created and not raw:
            Membership.objects.bulk_create(
                [Membership(user=u, organisation=instance, role=r) for u, r in holders]
            )

    post_save.connect(grant, sender=Organisation, weak=False, dispatch_uid="role_everywhere")

    def hold(user, role: str) -> None:
        holders.append((user, role))
        Membership.objects.bulk_create(
            [Membership(user=user, organisation=o, role=role) for o in Organisation.objects.all()],
            ignore_conflicts=True,
        )

    yield hold
    post_save.disconnect(sender=Organisation, dispatch_uid="role_everywhere")


@pytest.fixture
def make_user(django_user_model, role_everywhere):
    """A user; with `role` (or several, a list), held in every organisation."""

    def make(username: str, role: str | list[str] | None = None, **fields):
        user = django_user_model.objects.create_user(
            username=username, password=TEST_PASSWORD, **fields
        )
        for each in [role] if isinstance(role, str) else role or []:
            role_everywhere(user, each)
        return user

    return make


@pytest.fixture
def make_member(django_user_model):
    """A user holding the roles given in each organisation: {organisation: [role, ...]}."""
    from objectives.models import Membership

    def make(username: str, roles: dict, **fields):
        user = django_user_model.objects.create_user(
            username=username, password=TEST_PASSWORD, **fields
        )
        for organisation, held in roles.items():
            for role in held:
                Membership.objects.create(user=user, organisation=organisation, role=role)
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
    return make_user("admin", ADMIN, first_name="Ada", last_name="Admin")


@pytest.fixture
def site_admin(django_user_model):
    """A site administrator: the Django admin is theirs, and they reach every organisation."""
    return django_user_model.objects.create_superuser(
        username="siteadmin",
        password=TEST_PASSWORD,
        email="siteadmin@example.invalid",
        first_name="Sam",
        last_name="Site-Admin",
    )


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached pages are keyed by the data's version; each test starts with none cached."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
