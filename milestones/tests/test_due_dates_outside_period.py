"""A milestone due outside its strategy's period is saved as given and said, on its page and
in the Django admin (milestones/due_dates.py; the editor's and imports' paths are tested in
their apps)."""

import datetime as dt
import html

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from milestones.due_dates import outside_period
from milestones.models import Milestone
from milestones.tests.posted_forms import form_as_posted
from tests.factories import make_milestone, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db
START, END = dt.date(2023, 4, 1), dt.date(2028, 3, 31)


def _warnings(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]


def _change_page(client, url: str, form_id: str) -> dict:
    page = client.get(url)
    assert page.status_code == 200
    return form_as_posted(page.content.decode(), form_id=form_id) | {"_save": ["Save"]}


@pytest.fixture
def milestone():
    strategy = make_strategy(slug="plan", period_start=START, period_end=END)
    objective = make_objective(make_priority(strategy, number=2), number=3)
    return make_milestone(
        objective, title="Open the hub", position=1, due_date=dt.date(2026, 3, 31)
    )


def test_a_due_date_within_the_period_or_on_its_ends_says_nothing():
    for due in (START, END, dt.date(2025, 9, 30), None):
        assert outside_period(due, START, END) == ""
    assert outside_period(dt.date(2031, 3, 31), None, END) == ""  # a period not known yet


def test_a_due_date_after_the_period_says_so_with_both_dates():
    assert outside_period(dt.date(2031, 3, 31), START, END) == (
        "Its due date, 31 March 2031, is after the strategy's period, which ends on 31 March 2028."
    )


def test_a_due_date_before_the_period_says_so_with_both_dates():
    assert outside_period(dt.date(2022, 3, 31), START, END) == (
        "Its due date, 31 March 2022, is before the strategy's period, which starts on "
        "1 April 2023."
    )


def test_the_milestones_page_notes_a_due_date_after_the_period(client, board_member, milestone):
    Milestone.objects.filter(pk=milestone.pk).update(due_date=dt.date(2031, 3, 31))
    client.force_login(board_member)
    page = html.unescape(client.get(milestone.get_absolute_url()).content.decode())
    assert "31 March 2031" in page
    assert "is after the strategy's period, which ends on 31 March 2028." in page


def test_the_milestones_page_says_nothing_of_a_due_date_within_the_period(
    client, board_member, milestone
):
    client.force_login(board_member)
    page = client.get(milestone.get_absolute_url()).content.decode()
    assert 'id="due-note"' not in page


def test_the_strategys_milestones_due_outside_its_period_are_listed_in_order(milestone):
    strategy = milestone.objective.priority.strategy
    make_milestone(milestone.objective, title="Early", position=2, due_date=dt.date(2022, 1, 5))
    Milestone.objects.filter(pk=milestone.pk).update(due_date=dt.date(2031, 3, 31))
    notes = Milestone.objects.due_date_notes(strategy)
    assert [n.split(":")[0] for n in notes] == [
        "Milestone 2.3.1 “Open the hub”",
        "Milestone 2.3.2 “Early”",
    ]


def test_the_admin_saves_a_due_date_after_the_period_and_says_so(client, site_admin, milestone):
    client.force_login(site_admin)
    url = reverse("admin:milestones_milestone_change", args=[milestone.pk])
    data = _change_page(client, url, "milestone_form") | {"due_date": ["2031-03-31"]}

    response = client.post(url, data)

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.due_date == dt.date(2031, 3, 31)
    [warning] = _warnings(response)
    assert "is after the strategy's period, which ends on 31 March 2028" in warning
    assert "saved as given" in warning


def test_the_admin_says_nothing_of_a_due_date_within_the_period(client, site_admin, milestone):
    client.force_login(site_admin)
    url = reverse("admin:milestones_milestone_change", args=[milestone.pk])
    data = _change_page(client, url, "milestone_form") | {"due_date": ["2027-03-31"]}
    response = client.post(url, data)
    assert response.status_code == 302 and _warnings(response) == []


def test_an_objectives_milestone_rows_save_a_due_date_before_the_period_and_say_so(
    client, site_admin, milestone
):
    client.force_login(site_admin)
    url = reverse("admin:objectives_objective_change", args=[milestone.objective_id])
    data = _change_page(client, url, "objective_form") | {"milestones-0-due_date": ["2022-03-31"]}

    response = client.post(url, data)

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.due_date == dt.date(2022, 3, 31)
    [warning] = _warnings(response)
    assert warning.startswith("Milestone 1 “Open the hub”: Its due date, 31 March 2022, is before")


def test_shortening_a_strategys_period_in_the_admin_names_the_milestones_left_outside(
    client, site_admin, milestone
):
    strategy = milestone.objective.priority.strategy
    client.force_login(site_admin)
    url = reverse("admin:objectives_strategy_change", args=[strategy.pk])
    data = _change_page(client, url, "strategy_form") | {"period_end": ["2026-03-30"]}

    response = client.post(url, data)

    assert response.status_code == 302
    strategy.refresh_from_db()
    assert strategy.period_end == dt.date(2026, 3, 30)
    [warning] = _warnings(response)
    assert "Milestone 2.3.1 “Open the hub”: Its due date, 31 March 2026, is after" in warning
