"""Sign-off: on a strategy that requires approval, a lead's update counts only once a named
approver, never its submitter, approves it; a returned update carries the reason."""

import datetime as dt

import pytest
from django.utils import timezone

from milestones import sign_off
from milestones.models import StaleMilestoneError, Submission
from milestones.tests.posted_forms import form_as_posted
from strategy_tracker.roles import APPROVER, BOARD_MEMBER
from tests.factories import make_milestone, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def approver(make_user):
    return make_user("approver", [BOARD_MEMBER, APPROVER], first_name="Ann", last_name="Prover")


@pytest.fixture
def milestone(programme_lead, approver):
    strategy = make_strategy(requires_approval=True)
    strategy.approvers.add(approver)
    objective = make_objective(make_priority(strategy, number=1), number=1)
    return make_milestone(objective, title="Open the hub", owner=programme_lead)


def _submit(milestone, by, **fields):
    return sign_off.update(
        milestone,
        by=by,
        expected_version=milestone.version,
        status=fields.get("status", "at_risk"),
        commentary=fields.get("commentary", "Builders late."),
        forecast_date=None,
        waiting=sign_off.ANY_WAITING,
        reason=fields.get("reason", ""),
    )


def test_without_approval_an_update_counts_at_once(programme_lead):
    m = make_milestone(make_objective(), owner=programme_lead)
    assert _submit(m, programme_lead) == sign_off.RECORDED
    m.refresh_from_db()
    assert (m.status, m.commentary) == ("at_risk", "Builders late.")
    assert not Submission.objects.exists()


def test_with_approval_an_update_waits_and_the_milestone_keeps_what_it_had(
    milestone, programme_lead
):
    assert _submit(milestone, programme_lead) == sign_off.SUBMITTED
    milestone.refresh_from_db()
    assert (milestone.status, milestone.commentary, milestone.version) == ("not_started", "", 1)
    (submission,) = Submission.objects.all()
    assert (submission.state, submission.submitted_by) == ("submitted", programme_lead)


def test_an_approved_update_counts_as_its_submitters_with_every_step_in_the_history(
    milestone, programme_lead, approver
):
    _submit(milestone, programme_lead, reason="Quarterly return 2026/27 Q3")
    submission = Submission.objects.get()
    sign_off.approve(submission, by=approver)
    milestone.refresh_from_db()
    assert (milestone.status, milestone.commentary) == ("at_risk", "Builders late.")
    assert milestone.last_updated_by == programme_lead
    latest = milestone.history.first()
    assert latest.history_change_reason == "Quarterly return 2026/27 Q3 approved by Ann Prover"
    submission.refresh_from_db()
    assert (submission.state, submission.decided_by) == ("approved", approver)
    steps = [(h.state, h.history_user) for h in submission.history.order_by("history_id")]
    assert steps == [("submitted", programme_lead), ("approved", approver)]


def test_an_update_approved_later_counts_as_reported_when_it_was_sent(
    milestone, programme_lead, approver
):
    _submit(milestone, programme_lead, reason="Quarterly return 2026/27 Q3")
    sent = timezone.now() - dt.timedelta(days=20)  # its quarter has closed since
    Submission.objects.update(submitted_at=sent)
    sign_off.approve(Submission.objects.get(), by=approver)
    milestone.refresh_from_db()
    # Not the next quarter's update: the lead still owes that one.
    assert milestone.last_updated_at == sent


def test_nobody_approves_their_own_update(milestone, approver):
    milestone.owner = approver
    milestone.save()
    approver.user_permissions.add(*_update_own())
    _submit(milestone, approver)
    with pytest.raises(sign_off.SignOffRefused, match="another approver"):
        sign_off.approve(Submission.objects.get(), by=approver)
    assert Submission.objects.get().state == "submitted"


def _update_own():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(codename="update_own_milestone")


def test_only_a_named_approver_decides(milestone, programme_lead, admin_user):
    _submit(milestone, programme_lead)
    with pytest.raises(sign_off.SignOffRefused, match="named approvers"):
        sign_off.approve(Submission.objects.get(), by=admin_user)
    with pytest.raises(sign_off.SignOffRefused, match="named approvers"):
        sign_off.return_to_lead(Submission.objects.get(), by=admin_user, reason="No")


def test_a_decided_update_is_not_decided_again(milestone, programme_lead, approver):
    _submit(milestone, programme_lead)
    submission = Submission.objects.get()
    sign_off.return_to_lead(submission, by=approver, reason="Say when.")
    with pytest.raises(sign_off.SignOffRefused, match="already dealt with: returned"):
        sign_off.approve(submission, by=approver)


def test_an_update_is_not_approved_over_a_later_change(
    milestone, programme_lead, approver, admin_user
):
    _submit(milestone, programme_lead)
    milestone.record_update(
        by=admin_user,
        expected_version=milestone.version,
        status="on_track",
        commentary="Admin.",
        forecast_date=None,
    )
    with pytest.raises(sign_off.SignOffRefused, match="changed since this update was submitted"):
        sign_off.approve(Submission.objects.get(), by=approver)
    milestone.refresh_from_db()
    assert milestone.commentary == "Admin."
    assert Submission.objects.get().state == "submitted"


def test_an_update_is_approved_over_an_edit_that_recorded_no_update(
    milestone, programme_lead, approver
):
    """An Admin's title fix while the update waited made it unapprovable: the approver had to
    return it and the lead send the same words again."""
    _submit(milestone, programme_lead, commentary="Builders late.")
    milestone.title = "Open the community hub"
    milestone.save()

    sign_off.approve(Submission.objects.get(), by=approver)

    milestone.refresh_from_db()
    assert (milestone.title, milestone.status, milestone.commentary) == (
        "Open the community hub",
        "at_risk",
        "Builders late.",
    )
    assert Submission.objects.get().state == "approved"
    assert milestone.last_updated_by == programme_lead


def test_an_update_recorded_then_undone_by_an_edit_still_blocks_the_approval(
    milestone, programme_lead, approver, admin_user
):
    """What counts is whether an update was recorded since, not whether the words are back
    where they were: its time moved."""
    _submit(milestone, programme_lead)
    milestone.record_update(
        by=admin_user,
        expected_version=milestone.version,
        status=milestone.status,
        commentary=milestone.commentary,
        forecast_date=None,
    )
    with pytest.raises(sign_off.SignOffRefused, match="an update was recorded on it"):
        sign_off.approve(Submission.objects.get(), by=approver)
    assert Submission.objects.get().state == "submitted"


def test_a_returned_update_carries_the_reason_and_needs_one(milestone, programme_lead, approver):
    _submit(milestone, programme_lead)
    submission = Submission.objects.get()
    with pytest.raises(sign_off.SignOffRefused, match="Say why"):
        sign_off.return_to_lead(submission, by=approver, reason="  ")
    sign_off.return_to_lead(submission, by=approver, reason="Give a new date.")
    submission.refresh_from_db()
    assert (submission.state, submission.return_reason) == ("returned", "Give a new date.")
    milestone.refresh_from_db()
    assert milestone.commentary == ""


def test_a_new_update_replaces_the_one_awaiting(milestone, programme_lead):
    _submit(milestone, programme_lead, commentary="First.")
    _submit(milestone, programme_lead, commentary="Second.")
    states = dict(Submission.objects.values_list("commentary", "state"))
    assert states == {"First.": "withdrawn", "Second.": "submitted"}


def test_a_stale_update_is_not_submitted(milestone, programme_lead):
    with pytest.raises(StaleMilestoneError):
        sign_off.update(
            milestone,
            by=programme_lead,
            expected_version=milestone.version + 1,
            status="at_risk",
            commentary="x",
            forecast_date=None,
            waiting=sign_off.ANY_WAITING,
        )
    assert not Submission.objects.exists()


def test_switching_approval_off_lets_the_next_update_replace_the_one_waiting(
    milestone, programme_lead
):
    _submit(milestone, programme_lead, commentary="Waiting.")
    strategy = milestone.objective.priority.strategy
    strategy.requires_approval = False
    strategy.save()
    milestone.refresh_from_db()
    assert _submit(milestone, programme_lead, commentary="Counts now.") == sign_off.RECORDED
    assert Submission.objects.get().state == "withdrawn"
    assert sign_off.latest_submissions([milestone.pk]) == {}


def test_an_update_does_not_count_for_someone_who_may_no_longer_update(
    milestone, programme_lead, approver
):
    _submit(milestone, programme_lead)
    programme_lead.memberships.all().delete()
    with pytest.raises(sign_off.SignOffRefused, match="may no longer update this milestone"):
        sign_off.approve(Submission.objects.get(), by=approver)
    milestone.refresh_from_db()
    assert milestone.commentary == ""


@pytest.mark.parametrize("change", ["no role", "inactive"])
def test_an_approver_without_a_role_or_inactive_decides_nothing(
    milestone, programme_lead, approver, change
):
    _submit(milestone, programme_lead)
    if change == "no role":
        approver.memberships.all().delete()
    else:
        approver.is_active = False
        approver.save()
    with pytest.raises(sign_off.SignOffRefused, match="named approvers"):
        sign_off.approve(Submission.objects.get(), by=approver)


def test_an_old_return_says_nothing_once_a_later_update_is_approved(
    milestone, programme_lead, approver
):
    _submit(milestone, programme_lead, commentary="First.")
    sign_off.return_to_lead(Submission.objects.get(), by=approver, reason="Which month?")
    assert sign_off.latest_submissions([milestone.pk])[milestone.pk].state == "returned"
    milestone.refresh_from_db()
    _submit(milestone, programme_lead, commentary="Second.")
    sign_off.approve(Submission.objects.get(state="submitted"), by=approver)
    assert sign_off.latest_submissions([milestone.pk]) == {}


def test_my_milestones_counts_an_update_awaiting_approval_as_sent(
    client, milestone, programme_lead
):
    client.force_login(programme_lead)
    (row,) = client.get("/milestones/mine/").context["rows"]
    assert row["needs_update"] and not row["waiting"]
    _submit(milestone, programme_lead)
    (row,) = client.get("/milestones/mine/").context["rows"]
    assert not row["needs_update"] and row["waiting"]
    assert "Update awaiting approval" in client.get("/milestones/mine/").content.decode()


def test_a_return_needs_a_reason_that_shows(milestone, programme_lead, approver):
    _submit(milestone, programme_lead)
    with pytest.raises(sign_off.SignOffRefused, match="Say why the update is returned"):
        sign_off.return_to_lead(Submission.objects.get(), by=approver, reason="\u200b\u2060")
    assert Submission.objects.get().state == "submitted"


def test_an_update_waiting_when_its_strategy_closed_cannot_be_approved(
    milestone, programme_lead, approver
):
    """Approving would change a closed strategy, which is kept as it was; its message said the
    lead "may no longer update this milestone"."""
    _submit(milestone, programme_lead)
    strategy = milestone.objective.priority.strategy
    strategy.status = strategy.Status.CLOSED
    strategy.save()
    with pytest.raises(sign_off.SignOffRefused, match="This strategy was closed after the update"):
        sign_off.approve(Submission.objects.get(), by=approver)
    milestone.refresh_from_db()
    assert Submission.objects.get().state == "submitted" and milestone.status != "at_risk"
    sign_off.return_to_lead(Submission.objects.get(), by=approver, reason="Closed meanwhile.")
    assert Submission.objects.get().state == "returned"


def test_the_same_words_again_leave_the_update_waiting_as_it_is(
    milestone, programme_lead, approver
):
    """A milestone's page holds the waiting update's words: saved unchanged, it is left as
    it is, not withdrawn for a copy of itself under an approver deciding it."""
    _submit(milestone, programme_lead, commentary="Builders late.")
    waiting = Submission.objects.get()

    assert _submit(milestone, programme_lead, commentary="Builders late.") == sign_off.LEFT_WAITING
    assert list(Submission.objects.values_list("pk", "state")) == [(waiting.pk, "submitted")]
    sign_off.return_to_lead(waiting, by=approver, reason="Say which builders.")
    assert Submission.objects.get().state == "returned"


# The milestone page's hint beside Save update, while an update waits or was returned.
HINT = "saving it unchanged leaves that update waiting as it is"


def test_a_returned_update_is_not_called_waiting(client, milestone, programme_lead, approver):
    _submit(milestone, programme_lead, commentary="Builders late.")
    sign_off.return_to_lead(Submission.objects.get(), by=approver, reason="Say which builders.")
    client.force_login(programme_lead)
    page = client.get(milestone.get_absolute_url()).content.decode()
    # Nothing waits for approval: the hint must not say the form holds a waiting update.
    assert HINT not in page


def test_saving_unchanged_over_an_update_sent_in_the_return_leaves_it_waiting(
    client,
    milestone,
    programme_lead,
    approver,
):
    """README: 'While an update waits for approval the form holds its words, and saving them
    unchanged leaves that update waiting as it is ... never withdrawn for a copy of itself'."""
    _submit(
        milestone, programme_lead, commentary="Builders late.", reason="Quarterly return 2026/27 Q3"
    )
    waiting = Submission.objects.get()
    client.force_login(programme_lead)
    page = client.get(milestone.get_absolute_url()).content.decode()
    assert HINT in page
    action = f"{milestone.get_absolute_url()}update/"
    data = form_as_posted(page, action)
    client.post(action, data)
    assert list(Submission.objects.values_list("pk", "state")) == [(waiting.pk, "submitted")]
