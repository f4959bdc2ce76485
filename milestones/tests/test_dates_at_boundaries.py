"""A change log's dates are London's, as its When column is (found by a pass over dates and
time zones)."""

import datetime as dt

import pytest

from editor import archiving
from milestones.history import milestone_change_log
from milestones.models import Milestone

pytestmark = pytest.mark.django_db

# 00:30 on 1 April 2025 in London (BST) is 23:30 on 31 March in UTC.
HALF_PAST_MIDNIGHT_BST = dt.datetime(2025, 3, 31, 23, 30, tzinfo=dt.UTC)


def test_the_archived_date_in_a_milestones_history_is_the_local_day(milestone):
    archiving.archive(milestone, now=HALF_PAST_MIDNIGHT_BST)
    archiving.restore(Milestone.everything.get(pk=milestone.pk))
    restored, archived = milestone_change_log(milestone)[:2]
    assert archived.changes[0].new == "1 Apr 2025"  # shown: "31 Mar 2025" (the UTC date)
    assert restored.changes[0].old == "1 Apr 2025"


def test_the_milestone_page_does_not_contradict_itself(client, milestone, site_admin):
    archiving.archive(milestone, now=HALF_PAST_MIDNIGHT_BST)
    archiving.restore(Milestone.everything.get(pk=milestone.pk))
    client.force_login(site_admin)
    page = client.get(milestone.get_absolute_url()).content.decode()
    assert "31 Mar 2025" not in page
