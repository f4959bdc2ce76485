"""Fixtures shared by every app's tests."""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db.models.signals import post_save

from strategy_tracker.roles import ADMIN, BOARD_MEMBER, PROGRAMME_LEAD
from tests.examples import examples

TEST_PASSWORD = "correct-horse-battery-staple"


def pytest_sessionstart(session):
    # CI must test against PostgreSQL; a silent fall-back to SQLite would hide real bugs.
    if os.environ.get("CI") and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise pytest.UsageError("CI runs the tests on PostgreSQL: DATABASE_URL is not set to it.")
    # CI tries every Hypothesis example; `make test-fast` tries a fifth (tests/examples.py).
    if os.environ.get("CI") and os.environ.get("QUICK_CHECK"):
        raise pytest.UsageError("CI runs every example: QUICK_CHECK is for make test-fast only.")
    if os.environ.get("QUICK_CHECK"):
        from hypothesis import settings

        # Tests that leave the number to Hypothesis (its default, 100): a fifth of that too.
        settings.register_profile("quick", max_examples=examples(100))
        settings.load_profile("quick")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Tests that need PostgreSQL skip on SQLite (`make test-fast`); CI runs every test, so a
    # skip there is a failure, whatever its reason.
    report = yield
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"CI runs every test, and this one skipped: {report.longrepr}"
    return report


@contextmanager
def roles_everywhere():
    """Gives people a role in every organisation, those made later in the block included: as
    the upgrade to organisations gave everyone who held a role before. Yields hold(user, role).
    """
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

    try:
        yield hold
    finally:
        post_save.disconnect(sender=Organisation, dispatch_uid="role_everywhere")


@pytest.fixture
def role_everywhere():
    """People who hold a role in every organisation (roles_everywhere) for the test. Tests of
    one organisation's reach give memberships themselves (make_member)."""
    with roles_everywhere() as hold:
        yield hold


@pytest.fixture(scope="module")
def module_transaction(request, django_db_setup, django_db_blocker):
    """A transaction around a whole module, for module-scoped fixtures that build what every
    test of the module reads: built once, not for each test. Each test's own writes roll back
    as ever (Django nests its transaction inside this one), and this one rolls back after the
    module's last test. Every test of the module must be an ordinary database test: one
    unmarked would write outside any test's transaction, one of transaction=True or with a
    live server would end this one."""
    from django.db import transaction

    for item in request.session.items:
        if item.module is not request.module:
            continue
        mark = item.get_closest_marker("django_db")
        if mark is None or mark.kwargs.get("transaction") or "live_server" in item.fixturenames:
            pytest.fail(f"{item.nodeid}: module_transaction is for django_db tests only")
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


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


def create_member(username: str, roles: dict, **fields):
    """A user holding the roles given in each organisation: {organisation: [role, ...]}."""
    from django.contrib.auth import get_user_model

    from objectives.models import Membership

    user = get_user_model().objects.create_user(username=username, password=TEST_PASSWORD, **fields)
    for organisation, held in roles.items():
        for role in held:
            Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def make_member(django_user_model):
    """create_member, for a test."""
    return create_member


@pytest.fixture
def board_member(make_user):
    return make_user("board", BOARD_MEMBER, first_name="Bola", last_name="Board")


@pytest.fixture
def signed_in(client, board_member):
    """The test client, signed in as the board member."""
    client.force_login(board_member)
    return client


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
    """Each test starts with Django's cache empty: the password-reset limit counts there."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def pytest_configure(config):
    # The cycle collector as gunicorn's workers run it (deploy/gunicorn.conf.py): at Python's
    # default it cost the quick check about 5 s of 76 (docs/performance.md).
    import gc
    import runpy

    gunicorn_config = runpy.run_path(str(Path(__file__).parent / "deploy" / "gunicorn.conf.py"))
    gc.set_threshold(*gunicorn_config["GC_THRESHOLDS"])


def pytest_collection_finish(session):
    # What collection loaded lives to the end: kept out of every later collection.
    import gc

    gc.collect()
    gc.freeze()
