"""A strategy closed while someone had a form of it open: the save is refused, and what they
typed is shown back to copy rather than lost with a bare refusal (README, "Closed strategies
cannot be changed")."""

import pytest
from django.urls import reverse

from objectives.models import Objective, Strategy
from risks.models import Risk
from strategy_tracker.roles import ADMIN
from tests.factories import make_measure, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db
REFUSAL = "This strategy is closed"


@pytest.fixture
def closed(make_member):
    strategy = make_strategy(status=Strategy.Status.CLOSED)
    priority = make_priority(strategy, title="As it was")
    objective = make_objective(priority)
    admin = make_member("closedadmin", {strategy.organisation: [ADMIN]})
    return strategy, priority, objective, admin


def _refused_with(response, *texts) -> None:
    assert response.status_code == 403
    page = response.content.decode()
    assert REFUSAL in page and "What you typed is here to copy" in page
    for text in texts:
        assert text in page


def test_spc_limits_typed_for_a_strategy_closed_meanwhile_are_shown_back(closed, client):
    _, _, objective, admin = closed
    measure = make_measure(objective)
    client.force_login(admin)
    response = client.post(
        f"/measures/{measure.code}/spc/",
        {
            "read_limits": "|",
            "spc_baseline_points": "12",
            "spc_rebase_from": "2024-04-30",
            "reason": "The new service began in April.",
        },
    )
    _refused_with(response, "The new service began in April.", "2024-04-30")
    measure.refresh_from_db()
    assert measure.spc_baseline_points is None


def test_a_rating_note_typed_for_a_strategy_closed_meanwhile_is_shown_back(closed, client):
    _, _, objective, admin = closed
    measure = make_measure(objective)
    client.force_login(admin)
    response = client.post(
        reverse("measures:data_quality", args=[measure.code]),
        {"timeliness": "met", "note": "Checked with the BI team on Monday."},
    )
    _refused_with(response, "Checked with the BI team on Monday.")
    # The rating's choices are not shown back as their codes.
    assert "<dd>met</dd>" not in response.content.decode()


def test_a_new_risk_typed_for_a_strategy_closed_meanwhile_is_shown_back(closed, client):
    strategy, _, _, admin = closed
    client.force_login(admin)
    response = client.post(
        reverse("risks:add", args=[strategy.slug]),
        {"title": "Workforce gaps", "cause": "Vacancies in community nursing"},
    )
    _refused_with(response, "Workforce gaps", "Vacancies in community nursing")
    assert not Risk.objects.exists()


def test_an_editor_change_typed_for_a_strategy_closed_meanwhile_is_shown_back(closed, client):
    strategy, priority, _, admin = closed
    client.force_login(admin)
    url = reverse("editor:item", args=[strategy.slug, "priority", priority.pk])
    response = client.post(url, {"title": "Changed", "description": "A paragraph to keep."})
    _refused_with(response, "Changed", "A paragraph to keep.")
    priority.refresh_from_db()
    assert priority.title == "As it was"


def test_a_strategy_change_typed_after_it_closed_is_shown_back(closed, client):
    strategy, _, _, admin = closed
    client.force_login(admin)
    url = reverse("editor:strategy", args=[strategy.slug])
    response = client.post(url, {"title": "A new title", "vision": "Healthier lives."})
    _refused_with(response, "A new title", "Healthier lives.")
    strategy.refresh_from_db()
    assert strategy.title != "A new title"


def test_a_new_item_typed_for_a_strategy_closed_meanwhile_is_shown_back(closed, client):
    strategy, priority, _, admin = closed
    client.force_login(admin)
    url = reverse("editor:add_child", args=[strategy.slug, "priority", priority.pk])
    response = client.post(url, {"add-title": "Reduce waits for wheelchairs"})
    _refused_with(response, "Reduce waits for wheelchairs")
    assert Objective.objects.count() == 1


def test_a_refused_move_on_a_closed_strategy_still_says_why_on_the_editor(closed, client):
    strategy, priority, _, admin = closed
    client.force_login(admin)
    url = reverse("editor:move", args=[strategy.slug, "priority", priority.pk])
    response = client.post(url, {"direction": "up", "seen": "x"}, follow=True)
    assert REFUSAL in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("editor:strategy", args=[strategy.slug])
