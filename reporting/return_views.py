"""A programme lead's quarterly return: the page and its one submit (rules in
reporting/returns.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from milestones import sign_off
from reporting import returns
from reporting.forms import ReturnRowForm


@require_http_methods(["GET", "POST"])
@permission_required("milestones.update_own_milestone", raise_exception=True)
def quarterly_return(request: HttpRequest) -> HttpResponse:
    """A lead's milestones in open reporting periods, updated or confirmed in one submit."""
    today = timezone.localdate()
    if request.method == "GET":
        return _return_page(request, returns.return_rows(request.user), today)
    rows = returns.submit(
        returns.return_rows(request.user, request.POST), request.POST, request.user, today
    )
    done = _outcome_summary(rows)
    problems = [r for r in rows if r.has_problem]
    lost = returns.no_longer_yours(rows, request.POST, request.user)
    if not problems and not lost:
        messages.success(
            request, done or "Nothing was changed: no milestone was updated or ticked."
        )
        return redirect("reporting:quarterly_return")
    pending = sign_off.latest_submissions([row.milestone.pk for row in rows])
    for row in rows:
        if row.outcome == returns.CONFLICT:
            row.milestone.refresh_from_db()
            row.pending = pending.get(row.milestone.pk)
            # The lead's text, against the version saved now and the update waiting now.
            rebased = request.POST.copy()
            rebased[f"{row.prefix}-version"] = row.milestone.version
            waiting = sign_off.form_start(row.milestone, row.pending)["waiting"]
            rebased[f"{row.prefix}-waiting"] = waiting or ""
            row.form = ReturnRowForm(rebased, milestone=row.milestone, prefix=row.prefix)
        elif not row.has_problem:  # saved or left: as the page would show it now
            row.pending = pending.get(row.milestone.pk)
            row.form = returns.row_form(row.milestone, row.pending)
    conflict = lost or any(r.outcome in (returns.CONFLICT, returns.REFUSED) for r in problems)
    status = 409 if conflict else 400
    return _return_page(request, rows, today, done=done, lost=lost, status=status)


def _outcome_summary(rows) -> str:
    saved = sum(r.outcome == returns.SAVED for r in rows)
    confirmed = sum(r.outcome == returns.CONFIRMED for r in rows)
    submitted = sum(r.outcome == returns.SUBMITTED for r in rows)
    parts = []
    if submitted:
        parts.append(f"{submitted} submitted for approval")
    if saved:
        parts.append(f"{saved} milestone{'s' if saved != 1 else ''} updated")
    if confirmed:
        parts.append(f"{confirmed} confirmed as {'they were' if confirmed != 1 else 'it was'}")
    return (" and ".join(parts) + ".").capitalize() if parts else ""


def _return_page(request, rows, today, done="", lost=(), status=200) -> HttpResponse:
    context = {
        "rows": rows,
        "today": today,
        "done": done,
        "lost": lost,
        "still_to_update": sum(row.needs_update for row in rows),
        "problems": [r for r in rows if r.has_problem],
        "not_saved": sum(r.has_problem for r in rows) + len(lost),
    }
    return render(request, "reporting/return.html", context, status=status)
