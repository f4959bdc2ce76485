"""A strategy's life: draft → published → closed, each step by an Admin, with who and when."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from objectives.lifecycle import StepRefused, take_step
from objectives.models import Strategy
from tests.factories import make_strategy

pytestmark = pytest.mark.django_db


def test_publishing_then_closing_records_who_and_when_and_keeps_the_history(admin_user):
    strategy = make_strategy(status="draft")
    published = timezone.now() - dt.timedelta(days=30)
    take_step(strategy.pk, to="published", seen="draft", by=admin_user, now=published)
    take_step(strategy.pk, to="closed", seen="published", by=admin_user)
    strategy.refresh_from_db()
    assert (strategy.status, strategy.published_at, strategy.published_by) == (
        "closed",
        published,
        admin_user,
    )
    assert strategy.closed_by == admin_user and strategy.closed_at > published
    history = list(strategy.history.order_by("history_date").values_list("status", "history_user"))
    assert history[-2:] == [("published", admin_user.pk), ("closed", admin_user.pk)]


@pytest.mark.parametrize(
    ("status", "to", "says"),
    [
        ("draft", "closed", "A draft cannot be closed"),
        ("published", "published", "already published"),
        ("closed", "published", "A closed strategy stays closed"),
        ("closed", "closed", "already closed"),
    ],
)
def test_a_step_the_strategy_cannot_take_is_refused_in_words(admin_user, status, to, says):
    strategy = make_strategy(status=status)
    with pytest.raises(StepRefused, match=says):
        take_step(strategy.pk, to=to, seen=status, by=admin_user)
    assert Strategy.objects.get(pk=strategy.pk).status == status


def test_a_step_from_a_status_someone_else_changed_is_refused(admin_user):
    strategy = make_strategy(status="published")  # another Admin published it meanwhile
    with pytest.raises(StepRefused, match="Someone changed this strategy's status"):
        take_step(strategy.pk, to="published", seen="draft", by=admin_user)
    assert Strategy.objects.get(pk=strategy.pk).published_by is None


def _dashboard(client, strategy):
    return client.get(strategy.get_absolute_url()).content.decode()


def test_an_admin_publishes_a_draft_from_its_dashboard_and_everyone_then_sees_it(
    client, admin_user, board_member
):
    strategy = make_strategy(status="draft", slug="plan")
    url = reverse("objectives:strategy_status", args=["plan"])
    client.force_login(board_member)
    assert client.get(strategy.get_absolute_url()).status_code == 404  # a draft
    client.force_login(admin_user)
    assert "Publish this strategy" in _dashboard(client, strategy)
    response = client.post(url, {"to": "published", "seen": "draft"})
    assert response.status_code == 302
    page = _dashboard(client, strategy)
    assert "is published." in page and "Ada Admin" in page
    assert "Publish this strategy" not in page and "Close this strategy" in page
    client.force_login(board_member)
    board_page = _dashboard(client, strategy)
    assert "Close this strategy" not in board_page and "published" in board_page


def test_closing_needs_the_tick_and_a_refusal_changes_nothing(client, admin_user):
    strategy = make_strategy(status="published", slug="plan")
    url = reverse("objectives:strategy_status", args=["plan"])
    client.force_login(admin_user)
    response = client.post(url, {"to": "closed", "seen": "published"})
    assert response.status_code == 400 and "Closing is final" in response.content.decode()
    response = client.post(url, {"to": "published", "seen": "draft"})  # a stale page
    assert response.status_code == 409
    assert "Someone changed this strategy" in response.content.decode()
    response = client.post(url, {"to": "nonsense", "seen": "published"})
    assert response.status_code == 400
    assert Strategy.objects.get(pk=strategy.pk).status == "published"
    response = client.post(url, {"to": "closed", "seen": "published", "final": "yes"})
    assert response.status_code == 302
    assert Strategy.objects.get(pk=strategy.pk).status == "closed"


@pytest.mark.parametrize("role", ["board_member", "programme_lead"])
def test_only_an_admin_takes_a_step(client, request, role):
    strategy = make_strategy(status="published", slug="plan")
    client.force_login(request.getfixturevalue(role))
    url = reverse("objectives:strategy_status", args=["plan"])
    response = client.post(url, {"to": "closed", "seen": "published", "final": "yes"})
    assert response.status_code == 403
    assert Strategy.objects.get(pk=strategy.pk).status == "published"


def test_the_django_admin_cannot_move_the_status_past_who_and_when(client, site_admin):
    from milestones.tests.posted_forms import form_as_posted

    strategy = make_strategy(status="draft", slug="plan")
    client.force_login(site_admin)
    url = reverse("admin:objectives_strategy_change", args=[strategy.pk])
    page = client.get(url).content.decode()
    data = form_as_posted(page, form_id="strategy_form") | {"_save": ["Save"]}
    data |= {"status": ["published"], "vision": ["A vision"]}
    assert client.post(url, data).status_code == 302
    strategy.refresh_from_db()
    assert (strategy.status, strategy.vision, strategy.published_by) == ("draft", "A vision", None)
