"""A strategy's public view, as its lead organisation's Admins run it: publish and unpublish,
keep items private, publish commentary, and the organisation's licence and job-title choice.
Each change is refused if the page showed an older state (someone else saved meanwhile)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from objectives.models import Strategy
from public.forms import PublicationForm, as_key
from public.models import OpenData, PrivateItem, Publication
from strategy_tracker.conflicts import differences

STALE = (
    "Someone changed this strategy's public view since you opened the page, so nothing was "
    "saved. The page now shows what is saved; make your change again."
)
STALE_KEPT = (
    "Someone changed this strategy's public view since you opened the page, so nothing was "
    "saved. Your choices are still in the form below, and each that differs from what is "
    "saved now is listed beside it."
)


def _open_data_version(open_data: OpenData | None) -> str:
    return open_data.changed_at.isoformat() if open_data else ""


def _initial(publication: Publication, open_data: OpenData | None) -> dict:
    private = publication.private_items.values_list("kind", "object_id") if publication.pk else []
    return {
        "publish_commentary": publication.publish_commentary,
        "private": [as_key(kind, pk) for kind, pk in private],
        "licence": open_data.licence if open_data else "",
        "show_owner_job_titles": open_data.show_owner_job_titles if open_data else False,
        "version": publication.version,
        "open_data_version": _open_data_version(open_data),
    }


def _state(strategy: Strategy, lock: bool = False):
    publications = Publication.objects.select_for_update() if lock else Publication.objects
    open_datas = OpenData.objects.select_for_update() if lock else OpenData.objects
    publication = publications.filter(strategy=strategy).first() or Publication(strategy=strategy)
    return publication, open_datas.filter(organisation_id=strategy.organisation_id).first()


@require_http_methods(["GET", "POST"])
def publication(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = get_object_or_404(Strategy.objects.visible_to(request.user), slug=slug)
    if not strategy.is_administered_by(request.user):
        raise PermissionDenied
    if request.method == "GET":
        return _page(request, strategy)
    try:
        return _change(request, strategy)
    except IntegrityError:  # two first saves at once: the other made the row first
        return _page(request, strategy, refusal=STALE, status=409)


def _change(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    action = request.POST.get("action")
    with transaction.atomic():
        publication, open_data = _state(strategy, lock=True)
        if action in ("publish", "unpublish"):
            refusal = _publish(request, strategy, publication, action == "publish")
            if refusal:
                return _page(request, strategy, refusal=refusal, status=409)
            return redirect("publication:manage", strategy.slug)
        form = PublicationForm(request.POST, strategy=strategy)
        if not form.is_valid():
            return _page(request, strategy, form=form, status=400)
        data = form.cleaned_data
        if data["version"] != publication.version or data[
            "open_data_version"
        ] != _open_data_version(open_data):
            # The Admin's choices stay on the page, against what is saved now: saved again,
            # they replace it.
            rebased = request.POST.copy()
            rebased["version"] = publication.version
            rebased["open_data_version"] = _open_data_version(open_data)
            now = _initial(publication, open_data)
            kept = PublicationForm(rebased, initial=now, strategy=strategy)
            kept.is_valid()
            # Each choice that differs from what is saved now, side by side: the private
            # items another Admin ticked meanwhile among them, never undone unseen.
            return _page(
                request,
                strategy,
                form=kept,
                refusal=STALE_KEPT,
                conflict=differences(kept),
                status=409,
            )
        changed = _save_settings(request, strategy, publication, open_data, form)
    if changed:
        messages.success(request, "The public view's settings are saved.")
    else:
        messages.info(request, "The settings are as they were; nothing was changed.")
    return redirect("publication:manage", strategy.slug)


def _publish(request, strategy, publication: Publication, public: bool) -> str:
    """Publish or unpublish; a refusal in words, or "" once done."""
    if str(publication.version) != request.POST.get("version", ""):
        return STALE
    if public and strategy.is_draft:
        return "A draft cannot be published to the public: publish the strategy in the app first."
    if publication.is_public == public:
        return ""
    publication.is_public = public
    _save(publication, request.user, "Published to the public" if public else "Unpublished")
    if public:
        messages.success(request, "Published: its closed quarters are now open to the public.")
    else:
        messages.success(request, "Unpublished: its public pages are gone.")
    return ""


def _save(publication: Publication, user, reason: str) -> None:
    # From 1, the version an unsaved publication's page shows, to 2 on the first save: a
    # second page drawn before it is refused as stale.
    publication.version += 1
    publication._history_user = user
    publication._change_reason = reason
    publication.save()


def _save_settings(request, strategy, publication, open_data, form) -> bool:
    data = form.cleaned_data
    offered = {key for key, _ in form.fields["private"].choices}
    wanted = set(data["private"])
    saved = (
        {as_key(k, pk) for k, pk in publication.private_items.values_list("kind", "object_id")}
        if publication.pk
        else set()
    )
    # Only the items the form offered (every item of the strategy, archived ones too).
    to_add, to_remove = (wanted - saved) & offered, (saved - wanted) & offered
    reasons = []
    if to_add:
        reasons.append(f"{len(to_add)} item{'s' if len(to_add) != 1 else ''} kept private")
    if to_remove:
        reasons.append(f"{len(to_remove)} item{'s' if len(to_remove) != 1 else ''} published again")
    if data["publish_commentary"] != publication.publish_commentary:
        publication.publish_commentary = data["publish_commentary"]
        reasons.append("commentary " + ("published" if data["publish_commentary"] else "withheld"))
    if reasons or publication.pk is None:
        _save(publication, request.user, "; ".join(reasons).capitalize())
    for key in to_add:
        kind, pk = key.split(":")
        item = PrivateItem(publication=publication, kind=kind, object_id=int(pk))
        item._history_user = request.user
        item.save()
    for item in publication.private_items.all():
        if as_key(item.kind, item.object_id) in to_remove:
            item._history_user = request.user
            item.delete()
    return _save_open_data(request.user, strategy, open_data, data) or bool(reasons)


def _save_open_data(user, strategy, open_data, data) -> bool:
    open_data = open_data or OpenData(organisation_id=strategy.organisation_id)
    choices = (data["licence"], data["show_owner_job_titles"])
    if open_data.pk and choices == (open_data.licence, open_data.show_owner_job_titles):
        return False
    if not open_data.pk and choices == ("", False):
        return False
    open_data.licence, open_data.show_owner_job_titles = choices
    open_data.changed_at = timezone.now()
    open_data._history_user = user
    open_data.save()
    return True


def _page(request, strategy, *, form=None, refusal="", conflict=None, status=200) -> HttpResponse:
    publication, open_data = _state(strategy)
    form = form or PublicationForm(initial=_initial(publication, open_data), strategy=strategy)
    history = (
        publication.history.select_related("history_user").order_by("-history_date")[:20]
        if publication.pk
        else []
    )
    context = {
        "strategy": strategy,
        "publication": publication,
        "form": form,
        "refusal": refusal,
        "conflict": conflict,
        "history": history,
    }
    return render(request, "public/manage.html", context, status=status)
