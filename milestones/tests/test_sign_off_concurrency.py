"""A lead's update and an approver's decision at the same moment: each waits for the other,
neither deadlocks (they lock the milestone, then its submissions, in the same order)."""

import os
import threading
import time

import pytest
from django.db import close_old_connections, connection

from milestones import sign_off
from milestones.models import Milestone, StaleMilestoneError, Submission
from strategy_tracker.roles import APPROVER, BOARD_MEMBER
from tests.factories import make_milestone, make_objective, make_priority, make_strategy


@pytest.mark.django_db(transaction=True)
def test_an_update_and_an_approval_at_once_do_not_deadlock(programme_lead, make_user, monkeypatch):
    if connection.vendor != "postgresql":
        # SQLite serialises every write anyway; make test and CI run this on PostgreSQL.
        (pytest.fail if os.environ.get("CI") else pytest.skip)("needs PostgreSQL")
    approver = make_user("approver", [BOARD_MEMBER, APPROVER])
    strategy = make_strategy(requires_approval=True)
    strategy.approvers.add(approver)
    objective = make_objective(make_priority(strategy, number=1), number=1)
    milestone = make_milestone(objective, owner=programme_lead)
    sign_off.update(
        milestone,
        by=programme_lead,
        expected_version=1,
        status="at_risk",
        commentary="First.",
        forecast_date=None,
        waiting=sign_off.ANY_WAITING,
    )
    waiting = Submission.objects.get()
    outcomes = {}
    # The lead's update takes the milestone's lock, then pauses while the approver starts
    # taking theirs: the moment two orders of locking would deadlock.
    locked = threading.Event()
    real_lock = Milestone.lock

    def lock_then_pause(self):
        real_lock(self)
        locked.set()
        time.sleep(0.5)

    monkeypatch.setattr(Milestone, "lock", lock_then_pause)

    def run(name, action):
        if name == "approve":
            locked.wait(10)
        try:
            action()
            outcomes[name] = "done"
        except sign_off.SignOffRefused:
            outcomes[name] = "refused"  # the update came first and replaced it
        except StaleMilestoneError:
            outcomes[name] = "stale"  # the approval came first: the lead's page is out of date
        except Exception as error:  # a deadlock would land here
            outcomes[name] = repr(error)
        finally:
            close_old_connections()

    def update():
        fresh = Milestone.objects.get(pk=milestone.pk)
        sign_off.update(
            fresh,
            by=programme_lead,
            expected_version=fresh.version,
            status="on_track",
            commentary="Second.",
            forecast_date=None,
            waiting=sign_off.ANY_WAITING,
        )

    threads = [
        threading.Thread(target=run, args=("update", update)),
        threading.Thread(
            target=run, args=("approve", lambda: sign_off.approve(waiting, by=approver))
        ),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    # The update went first; the approval waited, then found it replaced. Nothing failed.
    assert outcomes == {"update": "done", "approve": "refused"}, outcomes
