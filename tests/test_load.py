"""Under load, no update is lost: programme leads in several processes save updates to the
same milestones through gunicorn while a board member reads the dashboard, and every save
that was accepted is in the history, with no request failing."""

import multiprocessing
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from milestones.models import Milestone
from strategy_tracker.roles import PROGRAMME_LEAD
from tests.factories import make_milestone, make_objective, make_priority, make_strategy
from tests.load_clients import PORT, SAVES_PER_LEAD, board_reads, lead_saves
from tests.local_server import gunicorn, session_cookie

ROOT = Path(__file__).resolve().parent.parent
LEADS = 3


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_under_load_lose_nothing(make_user, board_member):
    if connection.vendor != "postgresql":
        (pytest.fail if os.environ.get("CI") else pytest.skip)("needs PostgreSQL and gunicorn")
    strategy = make_strategy(slug="load")
    objective = make_objective(make_priority(strategy, number=1), number=1)
    leads = [make_user(f"loadlead{n}", PROGRAMME_LEAD) for n in range(LEADS)]
    milestones = [make_milestone(objective, title=f"Shared {n}", owner=leads[0]) for n in range(2)]
    for milestone in milestones:
        for lead in leads[1:]:
            milestone.assign(by=leads[0], add_delegates=[lead])
    history_before = Milestone.history.filter(id__in=[m.id for m in milestones]).count()
    db = connection.settings_dict
    env = {
        # The test database, and the test process's key: its sessions are signed with it.
        "DJANGO_SETTINGS_MODULE": "strategy_tracker.test_settings",
        "DATABASE_URL": f"postgres://:{db['PORT'] or 5432}/{db['NAME']}"
        if not db["HOST"]
        else f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "SECRET_KEY": settings.SECRET_KEY,
    }
    with gunicorn(PORT, env):
        urls = [m.get_absolute_url() for m in milestones]
        spawn = multiprocessing.get_context("spawn")
        with spawn.Manager() as manager, spawn.Pool(LEADS + 1) as pool:
            together = manager.Barrier(LEADS)
            jobs = [(session_cookie(lead), urls, lead.username, together) for lead in leads]
            reads = pool.apply_async(
                board_reads, [(session_cookie(board_member), strategy.get_absolute_url())]
            )
            results = pool.map_async(lead_saves, jobs).get(timeout=300)
            read_result = reads.get(timeout=300)

    saved = sum(r["saved"] for r in results)
    assert sum(r["errors"] for r in results) == 0, results
    assert read_result["errors"] == 0, read_result
    assert saved == LEADS * SAVES_PER_LEAD
    assert sum(r["conflicts"] for r in results) >= LEADS - 1  # the first saves collided
    history_after = Milestone.history.filter(id__in=[m.id for m in milestones]).count()
    assert history_after - history_before == saved  # every accepted save is in the history
    for milestone in milestones:
        milestone.refresh_from_db()
        latest = milestone.history.first()
        assert (latest.commentary, latest.version) == (milestone.commentary, milestone.version)
