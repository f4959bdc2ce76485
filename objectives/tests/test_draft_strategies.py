"""A draft strategy is half-built: only Admins see it, badged. A closed one says so to all."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from milestones.models import Milestone, MilestoneListVisit
from objectives.models import Strategy
from tests.factories import (
    make_measure,
    make_milestone,
    make_objective,
    make_priority,
    make_strategy,
    make_value,
)

pytestmark = pytest.mark.django_db

DRAFT_BADGE = "Draft: Admins only"
DRAFT_NOTICE = "Draft — only Admins can see this strategy until it is published."
CLOSED_NOTICE = "Closed — this strategy is no longer being delivered"


def _text(response) -> str:
    """The page's words, tags dropped and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _build(slug: str, title: str, status: str, owner) -> Milestone:
    today = timezone.localdate()
    strategy = make_strategy(slug=slug, title=title, status=status)
    objective = make_objective(make_priority(strategy, number=1), number=1)
    measure = make_measure(
        objective, code=f"{slug.upper()}-M", name=f"{title} measure", target_value=Decimal(5)
    )
    make_value(measure, today - dt.timedelta(days=40), 7)
    return make_milestone(
        objective,
        title=f"{title} milestone",
        due_date=today + dt.timedelta(days=90),
        owner=owner,
    )


@pytest.fixture
def draft(programme_lead) -> Milestone:
    """A draft strategy's milestone, owned by the lead."""
    return _build("half-built", "Half-built plan", Strategy.Status.DRAFT, programme_lead)


@pytest.fixture
def published(programme_lead) -> Milestone:
    return _build("live", "Live plan", Strategy.Status.PUBLISHED, programme_lead)


def _pages(milestone: Milestone) -> list[str]:
    strategy = milestone.objective.priority.strategy
    measure = milestone.objective.measures.get()
    return [
        strategy.get_absolute_url(),
        milestone.objective.priority.get_absolute_url(),
        milestone.objective.get_absolute_url(),
        milestone.get_absolute_url(),
        measure.get_absolute_url(),
    ]


def _downloads(milestone: Milestone) -> list[str]:
    slug = milestone.objective.priority.strategy.slug
    measure = milestone.objective.measures.get()
    return [
        reverse("objectives:strategy_export_json", args=[slug]),
        reverse("objectives:strategy_values_csv", args=[slug]),
        reverse("measures:values_csv", args=[measure.code]),
    ]


@pytest.mark.parametrize("user_fixture", ["board_member", "programme_lead"])
def test_a_draft_is_not_on_the_strategy_list_of_a_board_member_or_a_lead(
    client, request, draft, published, user_fixture
):
    client.force_login(request.getfixturevalue(user_fixture))
    html = client.get("/strategies/").content.decode()
    assert "Live plan" in html
    assert "Half-built plan" not in html


@pytest.mark.parametrize("user_fixture", ["board_member", "programme_lead"])
def test_every_page_and_download_of_a_draft_is_not_found_for_a_board_member_or_a_lead(
    client, request, draft, published, user_fixture
):
    client.force_login(request.getfixturevalue(user_fixture))
    for url in _pages(draft) + _downloads(draft):
        assert client.get(url).status_code == 404, url
    for url in _pages(published) + _downloads(published):  # the same pages of a published one
        assert client.get(url).status_code == 200, url


def test_a_draft_milestone_is_not_on_my_milestones_even_for_its_owner(
    client, programme_lead, draft, published
):
    client.force_login(programme_lead)
    response = client.get(reverse("milestones:mine"))
    assert [row["milestone"].title for row in response.context["rows"]] == ["Live plan milestone"]
    assert "Half-built plan" not in response.content.decode()


def test_a_draft_milestone_assigned_since_the_last_visit_is_not_announced(
    client, programme_lead, admin_user, draft, published
):
    MilestoneListVisit.objects.create(
        user=programme_lead, seen_at=timezone.now() - dt.timedelta(days=1)
    )
    for milestone in (draft, published):
        Milestone.objects.filter(pk=milestone.pk).update(owner_assigned_at=timezone.now())
    client.force_login(programme_lead)
    response = client.get(reverse("milestones:mine"))
    assert [m.title for m in response.context["new_rows"]] == ["Live plan milestone"]


def test_the_owner_of_a_draft_milestone_cannot_update_it(client, programme_lead, draft):
    client.force_login(programme_lead)
    url = reverse("milestones:update", args=["half-built", "1", 1, draft.pk])
    response = client.post(
        url, {"status": "complete", "commentary": "", "forecast_date": "", "version": 1}
    )
    assert response.status_code == 404
    draft.refresh_from_db()
    assert (draft.status, draft.version, draft.history.count()) == ("not_started", 1, 1)


def test_an_admin_sees_a_draft_everywhere_with_its_badge(client, admin_user, draft, published):
    client.force_login(admin_user)
    listing = client.get("/strategies/").content.decode()
    row = listing[listing.index("Half-built plan") :]
    assert DRAFT_BADGE in row[: row.index("</tr>")]
    live_row = listing[listing.index("Live plan") :]
    assert DRAFT_BADGE not in live_row[: live_row.index("</tr>")]

    for url in _pages(draft):
        response = client.get(url)
        assert response.status_code == 200, url
        assert DRAFT_NOTICE in _text(response), url
    for url in _downloads(draft):
        assert client.get(url).status_code == 200, url
    for url in _pages(published):
        assert DRAFT_NOTICE not in _text(client.get(url)), url


def test_an_admins_own_milestones_list_badges_a_draft(client, admin_user, draft):
    Milestone.objects.filter(pk=draft.pk).update(owner=admin_user)
    client.force_login(admin_user)
    html = client.get(reverse("milestones:mine")).content.decode()
    assert "Half-built plan milestone" in html
    assert DRAFT_BADGE in html


@pytest.mark.parametrize("user_fixture", ["board_member", "programme_lead", "admin_user"])
def test_a_closed_strategy_says_closed_to_everyone(client, request, programme_lead, user_fixture):
    closed = _build("done", "Finished plan", Strategy.Status.CLOSED, programme_lead)
    client.force_login(request.getfixturevalue(user_fixture))

    listing = client.get("/strategies/").content.decode()
    row = listing[listing.index("Finished plan") :]
    row = row[: row.index("</tr>")]
    assert re.search(r'<span class="badge badge-closed">\s*Closed\s*</span>', row)
    for url in _pages(closed):
        text = _text(client.get(url))
        assert CLOSED_NOTICE in text, url
        assert DRAFT_BADGE not in text and DRAFT_NOTICE not in text


def test_the_cached_list_of_an_admin_never_reaches_a_board_member(
    admin_user, board_member, draft, published
):
    admin, board = Client(), Client()
    admin.force_login(admin_user)
    board.force_login(board_member)

    assert "Half-built plan" in admin.get("/strategies/").content.decode()  # now cached
    assert "Half-built plan" not in board.get("/strategies/").content.decode()
    # And one organisation's list, cached for the Admin first, too.
    organisation = draft.objective.priority.strategy.organisation
    assert "Half-built plan" in admin.get(organisation.get_absolute_url()).content.decode()
    assert "Half-built plan" not in board.get(organisation.get_absolute_url()).content.decode()


def test_the_cached_list_of_a_board_member_does_not_hide_a_draft_from_an_admin(
    admin_user, board_member, draft, published
):
    admin, board = Client(), Client()
    admin.force_login(admin_user)
    board.force_login(board_member)

    assert "Half-built plan" not in board.get("/strategies/").content.decode()  # now cached
    assert "Half-built plan" in admin.get("/strategies/").content.decode()


def test_a_lead_is_not_reminded_of_a_draft_strategys_milestone(programme_lead, draft, published):
    from io import StringIO

    from django.core import mail
    from django.core.management import call_command

    programme_lead.email = "lee.lead@example.nhs.uk"
    programme_lead.save()
    out = StringIO()
    call_command("send_update_reminders", stdout=out)

    assert "Live plan milestone" in out.getvalue()
    assert "Half-built plan milestone" not in out.getvalue()
    assert "Half-built plan milestone" not in mail.outbox[0].body
