from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from milestones import sign_off
from milestones.filters import AssignFilter
from milestones.forms import (
    BulkAssignForm,
    MilestonePeopleForm,
    MilestoneUpdateForm,
    owners_changed_message,
    typed_update,
)
from milestones.history import milestone_change_log
from milestones.models import (
    Milestone,
    MilestoneListVisit,
    StaleMilestoneError,
    Submission,
    WaitingUpdateChanged,
    form_words,
)
from milestones.status import CLOSED
from objectives.models import Strategy
from strategy_tracker.error_pages import NobodyMay
from strategy_tracker.people import as_id
from strategy_tracker.roles import PROGRAMME_LEAD, is_admin, user_roles


def _get_milestone(
    request: HttpRequest, slug: str, key: tuple[int, int], number: int, pk: int
) -> Milestone:
    """The milestone at this address; 404 if it is not there or this user may not see its
    strategy (Strategy.objects.visible_to)."""
    part, priority_number = key
    return get_object_or_404(
        Milestone.objects.visible_to(request.user).with_hierarchy(),
        pk=pk,
        objective__number=number,
        objective__priority__part=part,
        objective__priority__number=priority_number,
        objective__priority__strategy__slug=slug,
    )


def _detail_context(request: HttpRequest, milestone: Milestone, **extra) -> dict:
    today = timezone.localdate()
    objective = milestone.objective
    can_update = milestone.can_be_updated_by(request.user)
    context = {
        "milestone": milestone,
        "objective": objective,
        "priority": objective.priority,
        "strategy": objective.priority.strategy,
        "status": milestone.rag(today),
        "today": today,
        "can_update": can_update,
        "delegates": list(milestone.delegates.all()),
        "history": milestone_change_log(milestone),
    }
    if extra.get("conflict"):
        context["latest_change"] = context["history"][0]
    pending = sign_off.latest_submissions([milestone.pk]).get(milestone.pk)
    context["submission"] = pending
    context["may_approve"] = pending is not None and context["strategy"].may_approve(request.user)
    # Its words are the lead's and the approvers' until approved: the board sees what counts.
    context["submission_words"] = pending is not None and (can_update or context["may_approve"])
    if can_update and "form" not in extra:
        start = sign_off.form_start(milestone, pending)
        context["form"] = MilestoneUpdateForm(milestone=milestone, initial=start)
        # The form holds the words of an update still waiting: saved unchanged, it is left.
        context["holds_waiting"] = sign_off.leaves_waiting(milestone, start, pending)
    if milestone.is_managed_by(request.user) and "assign_form" not in extra:
        context["assign_form"] = MilestonePeopleForm(milestone=milestone)
    return context | extra


@require_GET
def milestone_detail(request: HttpRequest, **address) -> HttpResponse:
    milestone = _get_milestone(request, **address)
    return render(request, "milestones/milestone_detail.html", _detail_context(request, milestone))


@require_POST
def milestone_update(request: HttpRequest, **address) -> HttpResponse:
    typed = typed_update(request.POST)
    try:
        milestone = _get_milestone(request, **address)
    except Http404:
        archived = _archived(request, **address) if typed else None
        if archived is None:
            raise
        why = "it was taken out of the strategy (archived) since you opened its page."
        strategy = archived.objective.priority.strategy
        return _not_saved(request, archived, why, typed, strategy, 409)
    if not milestone.can_be_updated_by(request.user):
        if not typed:
            raise PermissionDenied(milestone.who_may_update())
        # Given to someone else since the page was opened, most likely: what was typed is
        # shown back, not lost with a bare 403.
        why = milestone.who_may_update()
        if not milestone.in_closed_strategy:
            why += " It may have been given to someone else since you opened its page."
        return _not_saved(request, milestone, why, typed, milestone, 403)
    form = MilestoneUpdateForm(request.POST, milestone=milestone)
    if not form.is_valid():
        context = _detail_context(request, milestone, form=form)
        return render(request, "milestones/milestone_detail.html", context, status=400)
    data = form.cleaned_data
    as_saved = (milestone.status, milestone.commentary, milestone.forecast_date)
    try:
        outcome = sign_off.update(
            milestone,
            by=request.user,
            expected_version=data["version"],
            status=data["status"],
            commentary=data["commentary"].strip(),
            forecast_date=data["forecast_date"],
            waiting=data["waiting"],
        )
    except StaleMilestoneError as stale:
        milestone.refresh_from_db()
        sent = form_words(data["status"], data["commentary"], data["forecast_date"])
        version, waiting = data["version"], data["waiting"]
        if sign_off.sent_twice(milestone, stale, request.user, version, waiting, sent):
            messages.info(
                request,
                "This update was sent for approval already; nothing more was changed."
                if isinstance(stale, WaitingUpdateChanged)
                else "This update was saved already; nothing more was changed.",
            )
            return redirect(milestone.get_absolute_url())
        # Keep what this person typed, against the new version and the update waiting now,
        # so they can resubmit.
        resubmit = request.POST.copy()
        resubmit["version"] = milestone.version
        pending = sign_off.latest_submissions([milestone.pk]).get(milestone.pk)
        resubmit["waiting"] = sign_off.form_start(milestone, pending)["waiting"] or ""
        context = _detail_context(
            request,
            milestone,
            form=MilestoneUpdateForm(resubmit, milestone=milestone),
            conflict=True,
            waiting_conflict=isinstance(stale, WaitingUpdateChanged),
            yours_status_label=dict(Milestone.Status.choices).get(data["status"], data["status"]),
        )
        return render(request, "milestones/milestone_detail.html", context, status=409)
    if outcome == sign_off.LEFT_WAITING:
        messages.info(
            request,
            "This update is waiting for approval with these words already: nothing was changed.",
        )
    elif outcome == sign_off.SUBMITTED:
        messages.success(
            request,
            "Update submitted for approval: it counts, and the board sees it, once one of "
            "this strategy's approvers approves it.",
        )
    elif as_saved == (milestone.status, milestone.commentary, milestone.forecast_date):
        messages.success(request, "Milestone confirmed as it was: nothing in it changed.")
    else:
        messages.success(request, "Milestone updated.")
    return redirect(milestone.get_absolute_url())


def _archived(request: HttpRequest, slug: str, pk: int, **_) -> Milestone | None:
    """The milestone at this strategy's address, archived, if it was this user's to update:
    an archived milestone is shown nowhere else, so nobody else learns its title here."""
    visible = Strategy.objects.visible_to(request.user)
    found = Milestone.everything.select_related("objective__priority__strategy", "owner")
    archived = found.filter(
        pk=pk,
        archived_at__isnull=False,
        objective__priority__strategy__in=visible,
        objective__priority__strategy__slug=slug,
    ).first()
    return archived if archived and archived.can_be_updated_by(request.user) else None


def _not_saved(request, milestone, why: str, typed, back, status: int) -> HttpResponse:
    """An update that cannot be saved, with what was typed shown back to copy."""
    context = {
        "milestone": milestone,
        "why": why,
        "typed": typed,
        "back_url": back.get_absolute_url(),
        "back_text": f"Back to the {'milestone' if back is milestone else 'strategy'}",
    }
    return render(request, "milestones/update_not_saved.html", context, status=status)


@require_POST
@permission_required("milestones.change_milestone", raise_exception=True)
def milestone_assign(request: HttpRequest, **address) -> HttpResponse:
    milestone = _get_milestone(request, **address)
    if milestone.in_closed_strategy:
        raise NobodyMay(Strategy.CLOSED_REFUSAL)
    if not milestone.is_managed_by(request.user):
        raise PermissionDenied(
            "Only Admins of the strategy's lead organisation, or of the organisation "
            "responsible for this milestone, set its owner and delegates."
        )
    with transaction.atomic():
        # Held until the change commits, so what the form showed is compared with, and
        # merged into, a state no other Admin can change meanwhile.
        milestone.lock()
        form = MilestonePeopleForm(request.POST, milestone=milestone)
        if form.is_valid():
            owner = form.cleaned_data["owner"]
            changed = milestone.assign(
                by=request.user,
                owner=owner if form.owner_changed else None,
                remove_owner=form.owner_changed and owner is None,
                add_delegates=form.add_delegates,
                remove_delegates=milestone.delegates.filter(pk__in=form.remove_delegate_ids),
            )
    if not form.is_valid():
        if form.has_error(NON_FIELD_ERRORS, "conflict"):
            # Keep this Admin's choices, against the owner and delegates as they are now.
            errors = form.non_field_errors()
            form = MilestonePeopleForm(
                _rebased(request.POST, MilestonePeopleForm(milestone=milestone)),
                milestone=milestone,
            )
            form.full_clean()
            form.add_error(None, errors)
        context = _detail_context(request, milestone, assign_form=form)
        return render(request, "milestones/milestone_detail.html", context, status=400)
    if changed:
        messages.success(request, "Owner and delegates saved.")
    else:
        messages.info(request, "The owner and delegates are as they were; nothing was changed.")
    # The strategy editor's milestone screen sends its people here and asks to come back.
    return redirect(_next_path(request) or milestone.get_absolute_url())


def _next_path(request: HttpRequest) -> str | None:
    """A page of this site the form asked to return to (never another site's)."""
    path = request.POST.get("next", "")
    if path.startswith("/") and url_has_allowed_host_and_scheme(path, allowed_hosts=None):
        return path
    return None


def _rebased(posted, fresh_form) -> dict:
    """What was posted, but marked as read from the current state."""
    data = posted.copy()
    for name in ("read_owner", "read_delegates"):
        data[name] = fresh_form.initial[name]
    return data


@require_GET
def my_milestones(request: HttpRequest) -> HttpResponse:
    """A lead's own milestones, overdue first, then by due date; and what is new to them."""
    now = timezone.now()
    visit = MilestoneListVisit.objects.filter(user=request.user).first()
    new = []
    if visit:
        new = list(
            Milestone.objects.for_user(request.user, assigned_after=visit.seen_at)
            .visible_to(request.user)
            .with_hierarchy()
        )
    MilestoneListVisit.objects.update_or_create(user=request.user, defaults={"seen_at": now})
    today = timezone.localdate()
    page = Paginator(_my_milestone_ids(request.user, today), MY_MILESTONES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    # Read again by id, with the same rules: one archived, given to someone else or out of
    # sight since the ids were read is left out.
    found = (
        Milestone.objects.for_user(request.user)
        .visible_to(request.user)
        .with_hierarchy()
        .in_bulk(page.object_list)
    )
    milestones = [found[pk] for pk in page.object_list if pk in found]
    waiting = {
        pk
        for pk, sent in sign_off.latest_submissions([m.pk for m in milestones]).items()
        if sent.state == Submission.State.SUBMITTED
    }
    context = {
        "new_rows": new,
        "today": today,
        "page": page,
        "rows": [
            {
                "milestone": m,
                "status": m.rag(today),
                # An update waiting for approval was sent: the lead has nothing to do.
                "needs_update": m.needs_update(now) and m.pk not in waiting,
                "waiting": m.pk in waiting,
            }
            for m in milestones
        ],
        "interval": settings.MILESTONE_UPDATE_INTERVAL_DAYS,
    }
    return render(request, "milestones/my_milestones.html", context)


MY_MILESTONES_PER_PAGE = 50


def _my_milestone_ids(user, today) -> list[int]:
    """The ids of a lead's milestones in the page's order: overdue first, then the open ones
    by due date; complete and cancelled last (docs/performance.md says why ids first)."""
    return list(
        Milestone.objects.for_user(user)
        .visible_to(user)
        .annotate(
            overdue_first=Case(
                When(status__in=CLOSED, then=Value(2)),
                When(due_date__lt=today, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("overdue_first", F("due_date").asc(nulls_last=True), "id")
        .values_list("id", flat=True)
    )


@require_http_methods(["GET", "POST"])
@permission_required("milestones.change_milestone", raise_exception=True)
def bulk_assign(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    managed = Milestone.objects.managed_by(request.user)
    queryset = (
        managed.with_rag_rank(today)
        .with_hierarchy()
        .order_by(
            "objective__priority__strategy__title",
            "objective__priority__part",
            "objective__priority__number",
            "objective__number",
            "position",
        )
    )
    # The strategies whose milestones these are, of those the user may see.
    strategies = (
        Strategy.objects.visible_to(request.user)
        .filter(pk__in=managed.values("objective__priority__strategy"))
        .order_by("title", "pk")
        .only("title", "slug")
    )
    filterset = AssignFilter(
        request.GET or None,
        queryset=queryset,
        today=today,
        owners_of=managed,
        strategies=strategies,
    )
    # Its own ids: the filter form above it has an "owner" field too.
    form = BulkAssignForm(request.POST or None, auto_id="assign-%s", managed=managed)
    if request.method == "POST" and form.is_valid():
        chosen, owner = form.cleaned_data["milestones"], form.cleaned_data["owner"]
        with transaction.atomic():  # all the ticked milestones, or none
            changed = chosen.owners_changed(form.owners_shown) if owner else []
            if not changed:
                _assign_all(chosen, request.user, form.cleaned_data)
        if changed:
            form.add_error(None, ValidationError(owners_changed_message(changed), code="conflict"))
        else:
            to = f" to {owner.get_full_name() or owner.username}" if owner else ""
            n = len(chosen)
            messages.success(request, f"Assigned {n} milestone{'s' if n != 1 else ''}{to}.")
            return redirect(request.get_full_path())
    ticked = {as_id(pk) for pk in request.POST.getlist("milestones")} - {None}
    context = {
        "filter": filterset,
        "form": form,
        "milestones": filterset.qs,
        "today": today,
        "ticked": ticked,
    }
    status = 200
    if request.method == "POST":
        status = 409 if form.has_error(NON_FIELD_ERRORS, "conflict") else 400
    return render(request, "milestones/bulk_assign.html", context, status=status)


def _assign_all(milestones, by, data: dict) -> None:
    for milestone in milestones:
        milestone.assign(
            by=by,
            owner=data["owner"],
            add_delegates=data["add_delegates"],
            remove_delegates=data["remove_delegates"],
        )


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Programme leads land on their milestones; everyone else on the strategies."""
    if PROGRAMME_LEAD in user_roles(request.user) and not is_admin(request.user):
        return redirect("milestones:mine")
    return redirect("objectives:strategy_list")
