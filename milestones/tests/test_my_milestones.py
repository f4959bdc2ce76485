import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from milestones import views
from milestones.models import Milestone
from tests.factories import make_milestone, make_objective, make_strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(milestone, programme_lead):
    today = timezone.localdate()
    objective = milestone.objective
    overdue = make_milestone(
        objective, title="Overdue one", due_date=today - dt.timedelta(days=5), owner=programme_lead
    )
    soon = make_milestone(
        objective,
        title="Due soon",
        due_date=today + dt.timedelta(days=10),
        owner=programme_lead,
        last_updated_at=timezone.now(),
        status="on_track",
    )
    make_milestone(objective, title="Someone else's", due_date=today, owner=None)
    return overdue, soon


def test_a_programme_lead_lands_on_their_milestones_after_signing_in(client, programme_lead):
    make_strategy()  # an organisation they lead milestones in
    response = client.post(
        reverse("login"), {"username": "lead", "password": "correct-horse-battery-staple"}
    )
    assert response.status_code == 302
    assert client.get(response["Location"]).url == reverse("milestones:mine")


def test_a_board_member_lands_on_the_strategies(client, board_member):
    client.force_login(board_member)
    assert client.get("/").url == reverse("objectives:strategy_list")


def test_it_lists_owned_milestones_overdue_first_then_by_due_date(
    client, programme_lead, mine, milestone
):
    client.force_login(programme_lead)
    rows = client.get(reverse("milestones:mine")).context["rows"]
    assert [r["milestone"].title for r in rows] == ["Overdue one", "Due soon", milestone.title]


def test_it_flags_milestones_that_need_an_update(client, programme_lead, mine, settings):
    client.force_login(programme_lead)
    rows = {r["milestone"].title: r for r in client.get(reverse("milestones:mine")).context["rows"]}
    assert rows["Overdue one"]["needs_update"]  # never updated
    assert not rows["Due soon"]["needs_update"]  # updated just now
    Milestone.objects.filter(title="Due soon").update(
        last_updated_at=timezone.now() - dt.timedelta(days=31)
    )
    cache.clear()  # a raw update writes no history, so the cached list would not know
    rows = {r["milestone"].title: r for r in client.get(reverse("milestones:mine")).context["rows"]}
    assert rows["Due soon"]["needs_update"]
    assert "Needs an update" in client.get(reverse("milestones:mine")).content.decode()

    settings.MILESTONE_UPDATE_INTERVAL_DAYS = 60  # the interval is a setting
    rows = {r["milestone"].title: r for r in client.get(reverse("milestones:mine")).context["rows"]}
    assert not rows["Due soon"]["needs_update"]


def test_it_includes_milestones_the_lead_is_a_delegate_on(client, milestone, delegate):
    client.force_login(delegate)
    response = client.get(reverse("milestones:mine"))
    assert [r["milestone"].title for r in response.context["rows"]] == [milestone.title]
    assert "As delegate" in response.content.decode()


def test_it_shows_milestones_assigned_since_the_last_visit(
    client, programme_lead, admin_user, milestone
):
    client.force_login(programme_lead)
    first = client.get(reverse("milestones:mine"))
    assert first.context["new_rows"] == []  # a first visit has nothing to compare with

    new = make_milestone(make_objective(milestone.objective.priority), title="Newly assigned")
    new.assign(by=admin_user, owner=programme_lead)
    second = client.get(reverse("milestones:mine"))
    assert [m.title for m in second.context["new_rows"]] == ["Newly assigned"]
    assert "New since your last visit" in second.content.decode()

    third = client.get(reverse("milestones:mine"))
    assert third.context["new_rows"] == []


def test_the_page_query_count_does_not_grow(
    client, programme_lead, milestone, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(programme_lead)
    client.get(reverse("milestones:mine"))  # the first visit writes its visit record
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("milestones:mine"))
    cache.clear()
    for n in range(60):  # more than a page
        make_milestone(milestone.objective, title=f"M{n}", owner=programme_lead)
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("milestones:mine"))
    assert len(few) <= 15  # 14, and one for updates awaiting approval


def test_it_says_the_date_the_status_is_as_at(client, programme_lead, mine):
    client.force_login(programme_lead)
    for _ in range(2):  # the body made now, then the body from the cache
        html = client.get(reverse("milestones:mine")).content.decode()
        assert f"Status as at {timezone.localdate():%-d %B %Y}." in html
        assert "Status as at ." not in html


def test_finished_milestones_come_last_however_long_ago_they_were_due(
    client, programme_lead, mine, milestone
):
    today = timezone.localdate()
    make_milestone(
        milestone.objective,
        title="Done long ago",
        due_date=today - dt.timedelta(days=400),
        status="complete",
        owner=programme_lead,
    )
    client.force_login(programme_lead)
    rows = client.get(reverse("milestones:mine")).context["rows"]
    assert [r["milestone"].title for r in rows] == [
        "Overdue one",
        "Due soon",
        milestone.title,
        "Done long ago",
    ]


def test_a_milestone_archived_or_given_away_after_its_id_was_read_is_left_out(
    client, programme_lead, milestone, monkeypatch
):
    kept = make_milestone(milestone.objective, title="Still here", owner=programme_lead)
    gone = make_milestone(milestone.objective, title="Archived meanwhile", owner=programme_lead)
    given = make_milestone(milestone.objective, title="Given away meanwhile", owner=None)
    ids = [gone.pk, given.pk, kept.pk]
    Milestone.objects.filter(pk=gone.pk).update(archived_at=timezone.now())
    monkeypatch.setattr(views, "_my_milestone_ids", lambda user, today: ids)
    client.force_login(programme_lead)
    page = client.get(reverse("milestones:mine"))
    html = page.content.decode()
    assert page.status_code == 200 and "Still here" in html
    assert "Archived meanwhile" not in html and "Given away meanwhile" not in html
