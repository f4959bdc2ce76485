"""An update waiting for approval while an Admin edits its milestone (a title fix, a new owner):
still approvable from the approvals page, which says what was edited meanwhile."""

import pytest

from milestones.models import Submission
from reporting.tests.helpers import signed_off_objective
from strategy_tracker.roles import APPROVER, BOARD_MEMBER
from tests.factories import make_milestone

pytestmark = pytest.mark.django_db


def _waiting(client, programme_lead, approver) -> Submission:
    objective = signed_off_objective(approver)
    hub = make_milestone(objective, title="Open the hub", owner=programme_lead)
    client.force_login(programme_lead)
    data = {"status": "at_risk", "commentary": "Builders late.", "forecast_date": "", "version": 1}
    assert client.post(hub.get_absolute_url() + "update/", data).status_code == 302
    return Submission.objects.get(milestone=hub)


def test_an_update_waiting_through_a_title_fix_is_approved_from_the_page(
    client, make_user, programme_lead
):
    approver = make_user("approver", [BOARD_MEMBER, APPROVER])
    submission = _waiting(client, programme_lead, approver)
    hub = submission.milestone
    hub.title = "Open the community hub"
    hub.save()  # as the editor or the Django admin saves it
    client.force_login(approver)

    page = client.get("/milestones/approvals/").content.decode()

    assert "cannot be approved as it stands" not in page
    assert "The milestone was edited since this update was sent" in page
    assert f'formaction="/milestones/approvals/{submission.pk}/approve/"' in page
    response = client.post(f"/milestones/approvals/{submission.pk}/approve/", {})
    assert response.status_code == 302
    hub.refresh_from_db()
    assert (hub.title, hub.status, hub.commentary) == (
        "Open the community hub",
        "at_risk",
        "Builders late.",
    )


def test_an_update_waiting_through_another_update_still_cannot_be_approved(
    client, make_user, programme_lead, admin_user
):
    approver = make_user("approver", [BOARD_MEMBER, APPROVER])
    submission = _waiting(client, programme_lead, approver)
    hub = submission.milestone
    hub.record_update(
        by=admin_user,
        expected_version=hub.version,
        status="on_track",
        commentary="Admin.",
        forecast_date=None,
    )
    client.force_login(approver)

    page = client.get("/milestones/approvals/").content.decode()

    assert "cannot be approved as it stands" in page
    assert f'formaction="/milestones/approvals/{submission.pk}/approve/"' not in page
    assert client.post(f"/milestones/approvals/{submission.pk}/approve/", {}).status_code != 302
    hub.refresh_from_db()
    assert hub.commentary == "Admin."
