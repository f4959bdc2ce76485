"""An update sent for approval, or returned to its lead with a reason, stays in front of the
lead (the reason, and their words in the form) through a change that is no update: an Admin's
fix of the title in the editor, a new owner. Only an update recorded since drops it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from milestones import sign_off
from milestones.models import Submission
from milestones.tests.posted_forms import form_as_posted
from reporting.quarters import Quarter
from reporting.tests.helpers import strategy_reporting
from strategy_tracker.roles import APPROVER, BOARD_MEMBER, PROGRAMME_LEAD
from tests.factories import make_milestone

pytestmark = pytest.mark.django_db

REASON = "Which June? Give the forecast date."
WORDS = "Builders late, maybe June."
# The milestone page's hint while the form holds an update still approvable as it is.
HINT = "saving it unchanged leaves that update waiting as it is"


@pytest.fixture
def approver(make_user):
    return make_user("approver", [BOARD_MEMBER, APPROVER])


@pytest.fixture
def milestone(programme_lead, approver):
    period, objective = strategy_reporting("s", Quarter.containing(timezone.localdate()))
    strategy = period.strategy
    strategy.requires_approval = True
    strategy.save()
    strategy.approvers.add(approver)
    return make_milestone(objective, title="Open teh hub", owner=programme_lead)


def _send(client, milestone, lead, commentary=WORDS):
    client.force_login(lead)
    page = client.get(milestone.get_absolute_url()).content.decode()
    action = milestone.get_absolute_url() + "update/"
    data = form_as_posted(page, action) | {"status": "at_risk", "commentary": commentary}
    assert client.post(action, data).status_code == 302


def _return(client, approver):
    submission = Submission.objects.get(state="submitted")
    client.force_login(approver)
    client.post(
        f"/milestones/approvals/{submission.pk}/return/",
        {f"return-{submission.pk}-reason": REASON},
    )
    assert Submission.objects.get(pk=submission.pk).state == "returned"


def _fix_title(client, milestone, admin_user):
    """An Admin corrects a typo in the title in the editor (nothing the lead reported)."""
    client.force_login(admin_user)
    strategy = milestone.objective.priority.strategy
    url = reverse("editor:item", args=[strategy.slug, "milestone", milestone.pk])
    data = form_as_posted(client.get(url).content.decode(), action="")
    assert client.post(url, data | {"title": ["Open the hub"]}).status_code == 302
    milestone.refresh_from_db()
    assert milestone.title == "Open the hub"


def test_a_returned_update_is_not_hidden_by_an_admins_title_fix(
    client, milestone, programme_lead, admin_user, approver
):
    _send(client, milestone, programme_lead)
    _return(client, approver)
    _fix_title(client, milestone, admin_user)

    client.force_login(programme_lead)
    page = client.get(milestone.get_absolute_url())
    assert REASON in page.content.decode()
    assert page.context["form"]["commentary"].value() == WORDS
    assert page.context["form"]["version"].value() == milestone.version
    ret = client.get("/milestones/return/")
    assert REASON in ret.content.decode()
    (row,) = ret.context["rows"]
    assert row.form["commentary"].value() == WORDS


def test_a_returned_update_is_kept_for_the_new_owner_when_an_admin_gives_it_to_another_lead(
    client, milestone, programme_lead, admin_user, approver, make_user
):
    _send(client, milestone, programme_lead)
    _return(client, approver)
    newcomer = make_user("lead2", PROGRAMME_LEAD)
    milestone.assign(by=admin_user, owner=newcomer)

    client.force_login(newcomer)
    page = client.get(milestone.get_absolute_url())
    assert REASON in page.content.decode()
    assert page.context["form"]["commentary"].value() == WORDS


def test_a_returned_update_says_nothing_once_an_update_is_recorded_after_it(
    client, milestone, programme_lead, admin_user, approver
):
    """An update recorded since (here with sign-off switched off) is the lead's latest word."""
    _send(client, milestone, programme_lead)
    _return(client, approver)
    strategy = milestone.objective.priority.strategy
    strategy.requires_approval = False
    strategy.save()
    _send(client, milestone, programme_lead, commentary="Builders back, June 30.")
    assert sign_off.latest_submissions([milestone.pk]) == {}
    page = client.get(milestone.get_absolute_url())
    assert REASON not in page.content.decode()
    assert page.context["form"]["commentary"].value() == "Builders back, June 30."


def test_an_update_waiting_keeps_its_words_in_the_form_after_a_title_fix(
    client, milestone, programme_lead, admin_user, approver
):
    """Saving the form unchanged must not replace the waiting update with the milestone's
    old words: the form holds the lead's, and sent again they wait afresh, approvable."""
    _send(client, milestone, programme_lead)
    first = Submission.objects.get()
    _fix_title(client, milestone, admin_user)

    client.force_login(programme_lead)
    response = client.get(milestone.get_absolute_url())
    assert response.context["form"]["commentary"].value() == WORDS
    page = response.content.decode()
    # It can no longer be approved as it is (the milestone moved on): no promise it is left.
    assert HINT not in page
    action = milestone.get_absolute_url() + "update/"
    assert client.post(action, form_as_posted(page, action)).status_code == 302
    waiting = Submission.objects.get(state="submitted")
    assert (waiting.commentary, waiting.status) == (WORDS, "at_risk")
    assert Submission.objects.get(pk=first.pk).state == "withdrawn"
    sign_off.approve(waiting, by=approver)
    milestone.refresh_from_db()
    assert (milestone.commentary, milestone.title) == (WORDS, "Open the hub")
