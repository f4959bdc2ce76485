"""Sign-off: approvers approve or return the updates awaiting them (rules in
milestones/sign_off.py; the settings are on the reporting periods page, reporting/views.py)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from milestones import sign_off
from milestones.models import Submission, SubmissionState
from objectives.models import Strategy
from reporting.forms import ReturnUpdateForm
from strategy_tracker.forms import normalise_line_breaks
from strategy_tracker.people import as_id
from strategy_tracker.visible_text import printable


def _for_approver(user):
    """Submissions of the strategies this person is named to approve for and may approve
    for (an Approver of one of its organisations), of milestones not archived."""
    return Submission.objects.filter(
        milestone__archived_at__isnull=True,
        milestone__objective__priority__strategy__approvers=user,
        milestone__objective__priority__strategy__in=Strategy.objects.approvable_by(user),
    ).select_related("milestone__objective__priority__strategy", "submitted_by")


def _awaiting(user):
    return (
        _for_approver(user)
        .filter(state=SubmissionState.SUBMITTED)
        .order_by("milestone__objective__priority__strategy__title", "submitted_at", "id")
    )


# The reasons an approver typed on the page for updates other than the one acted on, kept in
# their session for the page drawn next: a redirect after a click would otherwise blank every
# other box. Each post from the page replaces them with what it sent.
TYPED_REASONS = "approvals_typed_reasons"


def _keep_typed(request: HttpRequest, acted_on: int | None = None) -> None:
    """Keep the reasons the page sent (each section names its update in `shown`), but for the
    update `acted_on`: decided now, or its reason shown back beside the refusal."""
    ids = {as_id(value) for value in request.POST.getlist("shown")} - {None, acted_on}
    typed = {}
    # Every update the page named, even one no longer theirs to see (its milestone archived,
    # their role taken away): the text is their own, kept in their own session, and shown
    # back by no title but the ones they may still read (_decided_meanwhile).
    for pk in sorted(ids):
        box = ReturnUpdateForm(submission=pk).add_prefix("reason")
        text = normalise_line_breaks(request.POST.get(box, ""))
        if text.strip():
            typed[str(pk)] = text
    request.session[TYPED_REASONS] = typed


def _approvals_page(request, forms=None, refusal="", status=200, typed=()) -> HttpResponse:
    """`typed`: what the approver typed for an update that could not be returned, as (label,
    text) pairs to show back beside the refusal (the update is no longer listed). Every other
    box holds what was typed in it before the last click (_keep_typed)."""
    forms = forms or {}
    kept = request.session.get(TYPED_REASONS, {})
    rows = [
        {
            "submission": s,
            "milestone": s.milestone,
            "own": s.submitted_by_id == request.user.pk,
            "stale": sign_off.updated_since_sent(s, s.milestone),
            "edited": s.base_version != s.milestone.version,
            "form": forms.get(s.pk)
            or ReturnUpdateForm(submission=s.pk, initial={"reason": kept.get(str(s.pk), "")}),
        }
        for s in _awaiting(request.user)
    ]
    decided = _decided_meanwhile(request, kept, {row["submission"].pk for row in rows})
    context = {"rows": rows, "refusal": refusal, "typed": typed, "decided_meanwhile": decided}
    return render(request, "reporting/approvals.html", context, status=status)


def _decided_meanwhile(request, kept: dict[str, str], listed: set[int]) -> list[tuple[str, str]]:
    """Reasons kept for updates no longer waiting since the page was drawn (another approver
    decided them, the lead sent a newer one, the milestone was archived, the person stopped
    approving for its strategy), as (label, text) pairs to copy: shown once, then let go."""
    gone = {int(pk) for pk in kept} - listed
    if not gone:
        return []
    request.session[TYPED_REASONS] = {pk: text for pk, text in kept.items() if int(pk) in listed}
    still_readable = _for_approver(request.user).filter(pk__in=gone).order_by("submitted_at", "id")
    named = [
        (
            f"Reason typed for “{s.milestone.title}” ({s.get_state_display().lower()})",
            kept.pop(str(s.pk)),
        )
        for s in still_readable
    ]
    unnamed = [
        ("Reason typed for an update you can no longer see here", kept[str(pk)])
        for pk in sorted(gone)
        if str(pk) in kept and pk not in listed
    ]
    return named + unnamed


@require_GET
def approvals(request: HttpRequest) -> HttpResponse:
    """Updates awaiting this person's approval, on the strategies they approve for."""
    return _approvals_page(request)


def _submission(request: HttpRequest, pk: int) -> Submission:
    """Any submission of a strategy this person approves for (one already decided is refused
    with what happened to it); 404 for anyone else's."""
    return get_object_or_404(_for_approver(request.user), pk=pk)


@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _submission(request, pk)
    try:
        sign_off.approve(submission, by=request.user)
    except sign_off.SignOffRefused as refusal:
        _keep_typed(request)
        return _approvals_page(request, refusal=str(refusal), status=409)
    _keep_typed(request, acted_on=pk)
    messages.success(request, f"Approved: “{submission.milestone.title}” now shows the update.")
    return redirect("reporting:approvals")


@require_POST
def return_update(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _submission(request, pk)
    form = ReturnUpdateForm(request.POST, submission=pk)
    if not form.is_valid():
        _keep_typed(request)
        return _approvals_page(request, forms={submission.pk: form}, status=400)
    _keep_typed(request, acted_on=pk)
    try:
        sign_off.return_to_lead(submission, by=request.user, reason=form.cleaned_data["reason"])
    except sign_off.SignOffRefused as refusal:
        typed = [("Reason for returning it", printable(form.cleaned_data["reason"]))]
        return _approvals_page(request, refusal=str(refusal), status=409, typed=typed)
    messages.success(request, f"Returned to the lead: “{submission.milestone.title}”.")
    return redirect("reporting:approvals")
