"""Sign-off: on a strategy that requires approval, a lead's update is submitted, and counts (is
written to the milestone, what the board sees) only when one of the strategy's named approvers,
never its submitter, approves it; a returned update carries the approver's reason. Without
approval switched on, an update counts at once. Each step is in the submission's history,
and an approved update in the milestone's, under its submitter's name."""

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from milestones.models import (
    Milestone,
    StaleMilestoneError,
    Submission,
    SubmissionState,
    WaitingUpdateChanged,
    form_words,
    update_words,
)
from strategy_tracker.people import display_name
from strategy_tracker.visible_text import says_something

RECORDED, SUBMITTED = "recorded", "submitted"
# Sent as the update waiting for approval already says: left as it is, never withdrawn for a
# copy (an approver deciding it would be refused, "replaced by a later update").
LEFT_WAITING = "left waiting"
# update()'s `waiting` for a caller that showed no page (a script): whatever waits is replaced.
ANY_WAITING = object()


class SignOffRefused(Exception):
    """A sign-off step that is not allowed; the message says why."""


def needs_approval(milestone: Milestone) -> bool:
    """Whether its strategy asks for an approver's sign-off, read in one query: the milestone
    was just read afresh (Milestone.lock), so its objective, priority and strategy would be
    three, for each milestone of a quarterly return."""
    path = "objective__priority__strategy__requires_approval"
    return Milestone.objects.filter(pk=milestone.pk).values_list(path, flat=True).get()


def left_without_approver(strategy, approvers) -> int:
    """How many updates awaiting approval on `strategy` nobody could approve with these
    people named its approvers (a named approver decides what waits, whether approval stays
    on or not): every one, if none of them may still approve; with one, those they sent
    themselves (nobody approves their own)."""
    named = [approver.pk for approver in approvers]
    able = set(strategy.eligible_approvers().filter(pk__in=named).values_list("pk", flat=True))
    waiting = Submission.objects.filter(
        state=SubmissionState.SUBMITTED,
        milestone__objective__priority__strategy=strategy,
        milestone__archived_at__isnull=True,  # an archived milestone's update is decided by nobody
    )
    if not able:
        return waiting.count()
    return waiting.filter(submitted_by__in=able).count() if len(able) == 1 else 0


def update(
    milestone: Milestone,
    *,
    by,
    expected_version: int,
    status: str,
    commentary: str,
    forecast_date: dt.date | None,
    waiting,
    reason: str = "",
) -> str:
    """A lead's update: written at once (RECORDED), or submitted for approval (SUBMITTED).
    Raises StaleMilestoneError if the milestone changed since `expected_version`, and
    WaitingUpdateChanged if the update awaiting approval is not the one the page showed
    (`waiting`: its id, None for none, or ANY_WAITING), so one person's update never
    replaces another's unseen."""
    fields = {"status": status, "commentary": commentary, "forecast_date": forecast_date}
    with transaction.atomic():
        # The milestone first, then its submissions: the order approving locks them in too.
        milestone.lock()
        if milestone.version != expected_version:
            raise StaleMilestoneError(milestone.pk)
        # An update waiting for approval is replaced by this one, whether this one waits too
        # or, with approval switched off since, counts at once.
        waiting_now = list(
            milestone.submissions.select_for_update().filter(state=SubmissionState.SUBMITTED)
        )
        shown = [waiting] if waiting else []
        if waiting is not ANY_WAITING and [s.pk for s in waiting_now] != shown:
            raise WaitingUpdateChanged(milestone.pk)
        sent = form_words(status, commentary, forecast_date)
        if (
            waiting_now
            and needs_approval(milestone)
            and update_words(waiting_now[0]) == sent
            # Still approvable (made against the milestone as it is), and for the same return
            # (a page's resend names none, so it counts for the one it was sent for).
            and waiting_now[0].base_version == expected_version
            and reason in ("", waiting_now[0].reason)
        ):
            return LEFT_WAITING
        for earlier in waiting_now:
            earlier.state = SubmissionState.WITHDRAWN
            earlier._history_user = by
            earlier.save()
        if not needs_approval(milestone):
            milestone.record_update(
                by=by, expected_version=expected_version, reason=reason, **fields
            )
            return RECORDED
        submission = Submission(
            milestone=milestone,
            base_version=expected_version,
            reason=reason,
            submitted_by=by,
            **fields,
        )
        submission._history_user = by
        submission.save()
    return SUBMITTED


def _decidable(submission: Submission, by) -> Submission:
    """The submission, locked and read afresh, if `by` may decide it now. The milestone is
    locked first, as a lead's update locks it, so the two never wait on each other."""
    Milestone.objects.select_for_update().filter(pk=submission.milestone_id).exists()
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("milestone__objective__priority__strategy", "submitted_by")
        .get(pk=submission.pk)
    )
    strategy = submission.milestone.objective.priority.strategy
    if not strategy.may_approve(by):
        raise SignOffRefused(
            "Only the strategy's named approvers, while they are Approvers of one of its "
            "organisations, can approve or return updates."
        )
    if submission.submitted_by_id == by.pk:
        raise SignOffRefused(
            "You submitted this update, so another approver must approve or return it."
        )
    if submission.state != SubmissionState.SUBMITTED:
        raise SignOffRefused(
            f"This update was already dealt with: {submission.get_state_display().lower()}."
        )
    return submission


def updated_since_sent(submission: Submission, milestone: Milestone) -> bool:
    """Whether an update was recorded on `milestone` after its lead read it to write
    `submission`: approving would overwrite that update. A save that records no update (an
    Admin's title fix, a new owner, a date moved) leaves the status, commentary, forecast and
    the time of the last update as the lead read them, and the update can still be approved."""
    if submission.base_version == milestone.version:
        return False
    read = (
        milestone.history.filter(version=submission.base_version)
        .order_by("-history_date", "-history_id")
        .first()
    )
    return read is None or _update_fields(read) != _update_fields(milestone)


def _update_fields(milestone) -> tuple:
    return (
        milestone.status,
        milestone.commentary,
        milestone.forecast_date,
        milestone.last_updated_at,
    )


def approve(submission: Submission, by) -> Submission:
    """Write the submitted update to the milestone, as its submitter's, and mark it approved.
    Refused if an update was recorded on the milestone since it was submitted: the approver
    returns it instead, so the lead can resubmit against what is there now. Other changes
    since (its title, owner or dates) stay as they are, beside the approved update."""
    with transaction.atomic():
        submission = _decidable(submission, by)
        milestone = submission.milestone  # read under its lock (_decidable)
        over = submission.base_version
        if not updated_since_sent(submission, milestone):
            over = milestone.version
        name = display_name(by)
        submitter = submission.submitted_by
        if submission.milestone.in_closed_strategy:
            raise SignOffRefused(
                "This strategy was closed after the update was sent: it is kept as it was when "
                "it closed, so the update cannot count. Return it to say so."
            )
        if not submission.milestone.can_be_updated_by(submitter):
            raise SignOffRefused(
                f"{display_name(submitter)} may no longer update this "
                "milestone, so their update cannot count in their name: return it instead."
            )
        try:
            submission.milestone.record_update(
                by=submission.submitted_by,
                expected_version=over,
                status=submission.status,
                commentary=submission.commentary,
                forecast_date=submission.forecast_date,
                reason=f"{submission.reason or 'Update'} approved by {name}",
                # When the lead sent it: approved after its quarter closed, it is not the next
                # quarter's update, which the lead still owes.
                reported_at=submission.submitted_at,
            )
        except StaleMilestoneError:
            raise SignOffRefused(
                "The milestone has changed since this update was submitted: an update was "
                "recorded on it, and approving this one would overwrite it. Return it with a "
                "note so the lead can update it again from what is there now."
            ) from None
        _decide(submission, by, SubmissionState.APPROVED)
    return submission


def return_to_lead(submission: Submission, by, reason: str) -> Submission:
    """Send the update back, unapplied, with the approver's reason."""
    reason = reason.strip()
    if not says_something(reason):
        raise SignOffRefused("Say why the update is returned: the lead sees your reason.")
    with transaction.atomic():
        submission = _decidable(submission, by)
        submission.return_reason = reason
        _decide(submission, by, SubmissionState.RETURNED)
    return submission


def _decide(submission: Submission, by, state: str) -> None:
    submission.state = state
    submission.decided_by, submission.decided_at = by, timezone.now()
    submission._history_user = by
    submission.save()


def sent_twice(
    milestone: Milestone, stale: StaleMilestoneError, by, expected_version: int, waiting, sent
) -> bool:
    """After update() refused a send as stale: whether what stands in its way is `by`'s own
    send of these very words (`sent`, form_words() of the form), since the page was drawn — the
    same update sent twice (a second click, Back and send again), not someone else's change.
    Call on the milestone read again."""
    if isinstance(stale, WaitingUpdateChanged):
        return _submitted_already(milestone, by, expected_version, waiting, sent)
    return milestone.saved_already_as(by, expected_version, sent)


def _submitted_already(milestone: Milestone, by, expected_version: int, waiting, sent) -> bool:
    """The update awaiting approval is `by`'s own of these words, sent since the page that
    showed `waiting` (another one, or none) was drawn."""
    if milestone.version != expected_version:
        return False
    awaiting = list(milestone.submissions.filter(state=SubmissionState.SUBMITTED))
    if len(awaiting) != 1:
        return False
    submission = awaiting[0]
    return (
        submission.pk != waiting
        and submission.submitted_by_id == by.pk
        and submission.base_version == expected_version
        and update_words(submission) == sent
    )


def latest_submissions(milestone_ids) -> dict[int, Submission]:
    """Each milestone's latest submission, if it still has something to say: awaiting
    approval, or returned with no update recorded since (still_current). One approved,
    replaced, or returned before a later update says nothing now."""
    latest: dict[int, Submission] = {}
    rows = (
        Submission.objects.filter(milestone_id__in=milestone_ids)
        .annotate(
            milestone_version=F("milestone__version"),
            milestone_updated_at=F("milestone__last_updated_at"),
        )
        .select_related("decided_by")
    )
    for row in rows.order_by("submitted_at", "id"):
        latest[row.milestone_id] = row
    return {
        milestone_id: row
        for milestone_id, row in latest.items()
        if row.state == SubmissionState.SUBMITTED
        or (
            row.state == SubmissionState.RETURNED
            and still_current(row, row.milestone_version, row.milestone_updated_at)
        )
    }


def still_current(submission: Submission, version: int, last_updated_at) -> bool:
    """Whether no update has been recorded on the milestone (now at `version`, last updated
    `last_updated_at`) since the lead sent `submission` or, returned, since it was returned:
    its words are still the lead's latest. Any save moves the version (an Admin's title fix,
    a new owner), so the version alone would drop a returned update, its reason and the
    lead's words, for a change that is no update."""
    if submission.base_version == version:
        return True
    since = submission.decided_at if submission.state == SubmissionState.RETURNED else None
    since = since or submission.submitted_at
    return last_updated_at is None or last_updated_at < since


def form_start(milestone: Milestone, pending: Submission | None) -> dict:
    """The update form's starting values beyond the milestone's own: the lead's submitted (or
    returned) words, while no update has been recorded since (still_current); and `waiting`,
    the update awaiting approval that the page shows, which a save may replace. The form
    reads the milestone's version now: sent again unchanged, words sent against an earlier
    version are a new update, which can be approved (sign_off.update)."""
    submitted = pending is not None and pending.state == SubmissionState.SUBMITTED
    start = {"waiting": pending.pk if submitted else None, "words_from": None}
    if pending is not None and still_current(pending, milestone.version, milestone.last_updated_at):
        start |= words_of(pending) | {"version": milestone.version, "words_from": pending.pk}
    return start


def leaves_waiting(milestone: Milestone, start: dict, pending: Submission | None) -> bool:
    """Whether the form form_start() began holds the words of an update waiting for approval
    that saving them unchanged leaves as it is: made against the milestone as it is now, so
    still approvable (else a resend is a new update, sign_off.update)."""
    return (
        start["waiting"] is not None
        and start["words_from"] is not None
        and pending.base_version == milestone.version
    )


def words_of(update) -> dict:
    """What an update (a submission, or a milestone as its history kept it) said."""
    return {
        "status": update.status,
        "commentary": update.commentary,
        "forecast_date": update.forecast_date,
    }
