"""Reasons an approver typed, kept across the click, for an update
whose milestone was archived (or whose strategy they no longer approve for) meanwhile."""

import pytest
from django.test import Client

from editor import archiving
from milestones.models import Submission
from reporting.tests.helpers import signed_off_objective
from strategy_tracker.roles import APPROVER, BOARD_MEMBER
from tests.factories import make_milestone

pytestmark = pytest.mark.django_db


@pytest.fixture
def approver(make_user):
    return make_user("approver", [BOARD_MEMBER, APPROVER], first_name="Ann", last_name="Prover")


def _two_waiting(client, programme_lead, approver):
    objective = signed_off_objective(approver)
    hub = make_milestone(objective, title="Open the hub", owner=programme_lead)
    team = make_milestone(objective, title="Hire the team", owner=programme_lead)
    client.force_login(programme_lead)
    for m in (hub, team):
        data = {"status": "at_risk", "commentary": "Late.", "forecast_date": "", "version": 1}
        assert client.post(m.get_absolute_url() + "update/", data).status_code == 302
    return Submission.objects.get(milestone=hub), Submission.objects.get(milestone=team)


def test_a_reason_typed_for_an_update_whose_milestone_was_archived_meanwhile_is_not_lost(
    client, programme_lead, approver
):
    hub, team = _two_waiting(client, programme_lead, approver)
    typed = "Which month? The forecast and the words disagree."
    # An Admin archives the hub's milestone while the approver has the page open.
    archiving.archive(hub.milestone)
    client.force_login(approver)
    sent = {
        "shown": [hub.pk, team.pk],
        f"return-{hub.pk}-reason": typed,
        f"return-{team.pk}-reason": "",
    }
    assert client.post(f"/milestones/approvals/{team.pk}/approve/", sent).status_code == 302
    page = client.get("/milestones/approvals/")
    # The update is no longer listed, and what was typed for it is nowhere: not kept in a
    # box, not among "Decided while you had the page open", silently gone.
    shown_back = dict(page.context["decided_meanwhile"])
    assert shown_back == {"Reason typed for an update you can no longer see here": typed}
    assert "Open the hub" not in page.content.decode()


def test_an_update_the_lead_replaced_meanwhile_is_not_said_to_be_decided_by_another_approver(
    client, programme_lead, approver
):
    hub, team = _two_waiting(client, programme_lead, approver)
    client.force_login(approver)
    typed = "Which month?"
    sent = {"shown": [hub.pk, team.pk], f"return-{hub.pk}-reason": typed}
    # Kept across a first click (a refused return of the team's update, no reason)...
    assert client.post(f"/milestones/approvals/{team.pk}/return/", sent).status_code == 400
    # ...then the lead sends a new update of the hub, which replaces (withdraws) the old one.
    lead = Client()  # the lead, in their own browser
    lead.force_login(programme_lead)
    data = {"status": "on_track", "commentary": "Sorted.", "forecast_date": "", "version": 1}
    data["waiting"] = hub.pk
    data["words_from"] = hub.pk
    assert lead.post(hub.milestone.get_absolute_url() + "update/", data).status_code == 302
    hub.refresh_from_db()
    assert hub.state == "withdrawn"
    page = client.get("/milestones/approvals/").content.decode()
    notice = page.split('id="decided-meanwhile"')[1].split("</div>")[0]
    assert typed in notice
    # Nobody approved or returned it: the lead replaced it, and the new one is on the page.
    assert "Another approver approved or returned these updates, so" not in notice
    assert "replaced by a newer update from the lead" in notice
