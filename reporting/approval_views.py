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


def _approvals_page(request, forms=None, refusal="", status=200, typed=()) -> HttpResponse:
    """`typed`: what the approver typed for an update that could not be returned, as (label,
    text) pairs to show back beside the refusal (the update is no longer listed)."""
    forms = forms or {}
    rows = [
        {
            "submission": s,
            "milestone": s.milestone,
            "own": s.submitted_by_id == request.user.pk,
            "stale": s.base_version != s.milestone.version,
            "form": forms.get(s.pk) or ReturnUpdateForm(auto_id=f"return-{s.pk}-%s"),
        }
        for s in _awaiting(request.user)
    ]
    context = {"rows": rows, "refusal": refusal, "typed": typed}
    return render(request, "reporting/approvals.html", context, status=status)


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
        return _approvals_page(request, refusal=str(refusal), status=409)
    messages.success(request, f"Approved: “{submission.milestone.title}” now shows the update.")
    return redirect("reporting:approvals")


@require_POST
def return_update(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _submission(request, pk)
    form = ReturnUpdateForm(request.POST, auto_id=f"return-{pk}-%s")
    if not form.is_valid():
        return _approvals_page(request, forms={submission.pk: form}, status=400)
    try:
        sign_off.return_to_lead(submission, by=request.user, reason=form.cleaned_data["reason"])
    except sign_off.SignOffRefused as refusal:
        typed = [("Reason for returning it", printable(form.cleaned_data["reason"]))]
        return _approvals_page(request, refusal=str(refusal), status=409, typed=typed)
    messages.success(request, f"Returned to the lead: “{submission.milestone.title}”.")
    return redirect("reporting:approvals")
