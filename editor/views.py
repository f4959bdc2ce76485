"""The strategy editor: one screen per level (the strategy, a priority, an objective, a
milestone, a measure), each with the strategy's outline beside it. Admins only."""

import functools

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from editor import archiving, guards, ordering, trajectory_text
from editor.access import admins_only
from editor.forms import MeasureForm, MilestoneForm, ObjectiveForm, PriorityForm, StrategyForm
from editor.outline import outline
from measures.models import Measure
from milestones import due_dates
from milestones.forms import MilestonePeopleForm
from milestones.models import Milestone
from objectives.models import Objective, Priority, Strategy
from strategy_tracker import conflicts
from strategy_tracker.dates import long_day
from strategy_tracker.error_pages import NobodyMay
from strategy_tracker.forms import INCOMPLETE, typed_texts
from strategy_tracker.numbering import shown
from strategy_tracker.people import as_id

# The levels an address can name, and where each one's strategy is.
LEVELS = {
    "priority": (Priority, "strategy"),
    "objective": (Objective, "priority__strategy"),
    "milestone": (Milestone, "objective__priority__strategy"),
    "measure": (Measure, None),
}
FORMS = {
    "priority": PriorityForm,
    "objective": ObjectiveForm,
    "milestone": MilestoneForm,
    "measure": MeasureForm,
}
CHILD_LEVEL = {"priority": "objective", "objective": "milestone"}


class Closed(Exception):
    pass


def _strategy_form(request: HttpRequest):
    """The strategy form, with the organisations this Admin may choose."""
    return functools.partial(StrategyForm, user=request.user)


def _strategy(request: HttpRequest, slug: str) -> Strategy:
    """The strategy, if this Admin's organisation leads it; "not found" otherwise."""
    administered = Strategy.objects.administered_by(request.user)
    return get_object_or_404(administered.select_related("organisation"), slug=slug)


class NotAsShown(Exception):
    """The item is archived, or (for restoring) back in place, since the page showed it."""

    def __init__(self, level: str, item):
        super().__init__(level)
        self.level, self.item = level, item


def _item(strategy: Strategy, level: str, pk: int, archived: bool = False):
    """The live item of this strategy at this level (or, for restoring, an archived one).
    One of this strategy's in the other state raises NotAsShown: someone archived (or
    restored) it while this Admin's page was open, and they are told so."""
    if level not in LEVELS or as_id(pk) is None:
        raise Http404
    model, path = LEVELS[level]
    rows = model.everything
    if path:
        rows = rows.filter(**{path: strategy})
    else:  # a measure hangs off a priority or an objective
        rows = rows.filter(priority__strategy=strategy) | rows.filter(
            objective__priority__strategy=strategy
        )
    item = get_object_or_404(rows, pk=pk)
    if (item.archived_at is not None) != archived:
        raise NotAsShown(level, item)
    return item


# What an Admin typed into a form refused because its item was archived meanwhile: kept for
# the strategy's screen the refusal redirects to, which shows it once, to copy.
TYPED_BACK = "editor_typed_back"


def _as_shown_or_told(view=None, *, typed_into=None):
    """The view, or, where its item was archived or restored meanwhile (or its parent
    archived while it was being added to), a message saying so and nothing changed.
    `typed_into(level)`: the form class and prefix the view's POST fills, whose text is shown
    back on the strategy's screen rather than lost."""
    if view is None:
        return functools.partial(_as_shown_or_told, typed_into=typed_into)

    @functools.wraps(view)
    def checked(request: HttpRequest, slug: str, level: str, pk: int) -> HttpResponse:
        try:
            return view(request, slug, level, pk)
        except NotAsShown as gone:
            if gone.item.archived_at is None:  # restored meanwhile: it is back in place
                messages.info(
                    request,
                    f"This {gone.level} is not archived: someone restored it while you had "
                    "the page open. Nothing was changed.",
                )
                return redirect(editor_url(gone.item))
            done = "nothing was changed" if request.method == "POST" else "it has no screen"
            refusal = (
                f"This {gone.level} is archived (someone archived it, or what it sits under, "
                f"while you had the page open), so {done}. Restore it from its parent's "
                "screen (under Archived) to work on it again."
            )
        except (guards.ArchivedMeanwhile, ordering.ParentArchived) as gone:
            refusal = str(gone)  # archived between the page's check and the write
        form_class, prefix = typed_into(level) if typed_into else (None, "")
        if request.method == "POST" and form_class:
            typed = typed_texts(request.POST, form_class, prefix)
            if typed:
                request.session[TYPED_BACK] = typed
        messages.error(request, refusal)
        return redirect("editor:strategy", slug)

    return checked


def editor_url(item) -> str:
    if isinstance(item, Strategy):
        return reverse("editor:strategy", args=[item.slug])
    level = type(item).__name__.lower()
    strategy = item
    while not isinstance(strategy, Strategy):
        strategy = _parent(strategy)
    return reverse("editor:item", args=[strategy.slug, level, item.pk])


def _in_its_list(item, archived: bool = False) -> str:
    """Its parent's screen at the item in its list (once archived, at the list): after a
    move, an archive or a restore a keyboard or phone user carries on where they were, not
    back at the top of the page (the ids are editor/_children.html's)."""
    level = type(item).__name__.lower()
    return f"{editor_url(_parent(item))}#{level}-{'list' if archived else item.pk}"


def _refuse_if_closed(request, strategy: Strategy, form_class=None, prefix: str = ""):
    """Closed since the page was opened: what was typed into `form_class` is shown back with
    the refusal, else the editor says why."""
    if strategy.is_closed:
        typed = typed_texts(request.POST, form_class, prefix) if form_class else []
        if typed:
            raise NobodyMay(Strategy.CLOSED_REFUSAL, typed)
        messages.error(request, Strategy.CLOSED_REFUSAL)
        return redirect("editor:strategy", strategy.slug)
    return None


def _screen(request, strategy, template, status=200, **context) -> HttpResponse:
    context |= {"strategy": strategy, "outline": outline(strategy)}
    if strategy.is_closed:
        # Shown, not offered: a box that takes typing with no way to save it loses the words.
        for form in (v for v in context.values() if isinstance(v, forms.BaseForm)):
            for field in form.fields.values():
                field.disabled = True
    return render(request, f"editor/{template}", context, status=status)


@admins_only
def new_strategy(request: HttpRequest) -> HttpResponse:
    form = StrategyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        strategy = form.save()
        messages.success(
            request,
            f"{strategy.title} is saved as a draft: only Admins see it until it is "
            "published. Add its priorities below.",
        )
        return redirect("editor:strategy", strategy.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "editor/new_strategy.html", {"form": form}, status=status)


@admins_only
def strategy_screen(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = _strategy(request, slug)
    if request.method == "POST":
        refused = _refuse_if_closed(request, strategy, StrategyForm)
        if refused:
            return refused
        return _save(request, strategy, _strategy_form(request), "strategy.html")
    typed = request.session.pop(TYPED_BACK, [])  # shown once (_as_shown_or_told)
    form = _strategy_form(request)(instance=strategy)
    return _strategy_page(request, strategy, form, typed_back=typed)


def _strategy_page(request, strategy, form, status=200, add_form=None, typed_back=()):
    priorities = _movable(strategy.priorities.order_by("part", "number"))
    archived = Priority.everything.filter(strategy=strategy, archived_at__isnull=False)
    return _screen(
        request,
        strategy,
        "strategy.html",
        status,
        form=form,
        children=priorities,
        order_seen=ordering.order_seen(priorities),
        child_level="priority",
        add_form=add_form or PriorityForm(prefix="add", instance=Priority(strategy=strategy)),
        archived=archived,
        typed=typed_back,
    )


@admins_only
@_as_shown_or_told(typed_into=lambda level: (FORMS[level], ""))
def item_screen(request: HttpRequest, slug: str, level: str, pk: int) -> HttpResponse:
    strategy = _strategy(request, slug)
    item = _item(strategy, level, pk)
    if request.method == "POST":
        refused = _refuse_if_closed(request, strategy, FORMS[level])
        if refused:
            return refused
        return _save(request, item, FORMS[level], "item.html", strategy=strategy, level=level)
    return _item_page(request, strategy, level, item, FORMS[level](instance=item))


def _movable(items) -> list:
    """The items, each marked with whether it can move up or down: within its list, and a
    priority within its part."""
    items = list(items)

    def group(item):
        return getattr(item, "part", None) if isinstance(item, Priority) else None

    for i, item in enumerate(items):
        item.can_move_up = i > 0 and group(items[i - 1]) == group(item)
        item.can_move_down = i + 1 < len(items) and group(items[i + 1]) == group(item)
    return items


def _item_page(request, strategy, level, item, form, status=200, add_form=None):
    context = {"item": item, "level": level, "form": form}
    child_level = CHILD_LEVEL.get(level)
    if child_level:
        children = _movable(item.objectives.all() if level == "priority" else item.milestones.all())
        measures = _movable(item.measures.order_by("position", "id"))
        model = LEVELS[child_level][0]
        parent_field = "priority" if level == "priority" else "objective"
        context |= {
            "children": children,
            "order_seen": ordering.order_seen(children),
            "child_level": child_level,
            "add_form": add_form
            or FORMS[child_level](prefix="add", instance=model(**{parent_field: item})),
            "archived": model.everything.filter(**{parent_field: item}, archived_at__isnull=False),
            "measures": measures,
            "measures_order_seen": ordering.order_seen(measures),
            "archived_measures": Measure.everything.filter(
                **{parent_field: item}, archived_at__isnull=False
            ),
        }
    if level == "milestone":
        context["people_form"] = MilestonePeopleForm(milestone=item)
    return _screen(request, strategy, "item.html", status, **context)


def _save(request, item, form_class, template, strategy=None, level=None):
    """Save the item's form, unless someone else saved the item after this form was read."""
    form = form_class(request.POST, instance=item)
    if not form.is_valid():
        return _page(request, item, form, strategy, level, 400)
    if not request.POST.get("seen"):
        form.add_error(None, INCOMPLETE)
        return _page(request, item, form, strategy, level, 400)
    try:
        with transaction.atomic():
            fresh = guards.lock_unchanged(item, form.guarded_values, request.POST["seen"])
            saved = _write_changes(form, fresh)
    except guards.ArchivedMeanwhile:
        raise  # told by _as_shown_or_told, with what was typed
    except guards.ChangedMeanwhile as conflict:
        fresh = type(item)._base_manager.get(pk=item.pk)
        data = request.POST.copy()
        data["seen"] = form_class(instance=fresh)["seen"].initial
        form = form_class(data, instance=fresh)
        form.is_valid()
        form.add_error(None, str(conflict))
        form.conflict = conflicts.differences(form)
        return _page(request, fresh, form, strategy, level, 409)
    if form.has_changed():
        messages.success(request, f"Saved {_name(saved)}.")
        _say_due_dates(request, saved, form.changed_data)
    else:
        messages.info(request, "Nothing had changed, so nothing was saved.")
    return redirect(editor_url(saved))


def _say_due_dates(request, item, changed: list[str]) -> None:
    """A milestone now due outside its strategy's period, or a strategy whose new period
    leaves milestones outside it: saved as given, and said (milestones/due_dates.py)."""
    if isinstance(item, Milestone) and "due_date" in changed and item.due_date_note:
        messages.warning(request, f"{item.due_date_note} {due_dates.SAVED_AS_GIVEN}")
    elif isinstance(item, Strategy) and {"period_start", "period_end"} & set(changed):
        if item.period_text and "period_text" not in changed:
            # The words are the document's, kept as they were: the dates are the reading.
            messages.warning(
                request,
                f"The period's document wording, “{item.period_text}”, was kept as it was: "
                "check it still matches the new dates, which pages show beside it.",
            )
        notes = Milestone.objects.due_date_notes(item)
        if notes:
            # All of them, those outside the period before too: each is named below.
            count = "1 milestone is" if len(notes) == 1 else f"{len(notes)} milestones are"
            messages.warning(
                request,
                f"{count} due outside the period "
                f"({long_day(item.period_start)} to {long_day(item.period_end)}): "
                f"{due_dates.in_brief(notes)} Correct their due dates if the document says "
                "otherwise.",
            )


def _write_changes(form, fresh):
    """Write only the fields the Admin changed onto the item as it is now (locked), so a
    change to a field this form does not show (a lead's update, a status step) is kept.
    Nothing changed, nothing written: a save writes a history row."""
    changed = [name for name in form.changed_data if name in form._meta.fields]
    if changed:
        columns = [fresh._meta.get_field(name).attname for name in changed]
        for column in columns:
            setattr(fresh, column, getattr(form.instance, column))
        # A milestone's save bumps its version (Milestone.save), which open forms name.
        fresh.save(update_fields=columns + (["version"] if isinstance(fresh, Milestone) else []))
    if isinstance(fresh, Measure):
        trajectory_text.replace_points(fresh, form.cleaned_data["trajectory"])
    return fresh


def _page(request, item, form, strategy, level, status):
    # The heading and outline show the item as stored, not what the refused form carried.
    item = type(item)._base_manager.get(pk=item.pk)
    if isinstance(item, Strategy):
        return _strategy_page(request, item, form, status)
    return _item_page(request, strategy, level, item, form, status)


def _name(item) -> str:
    if isinstance(item, Strategy):
        return item.title
    if isinstance(item, Priority):
        return f"priority {shown(item.key)}"
    if isinstance(item, Objective):
        return f"objective {shown(item.priority.key)}.{item.number}"
    if isinstance(item, Milestone):
        return f"milestone “{item.title[:60]}”"
    return f"measure {item.code}"


@require_POST
@admins_only
def add_priority(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = _strategy(request, slug)
    refused = _refuse_if_closed(request, strategy, PriorityForm, prefix="add")
    if refused:
        return refused
    form = PriorityForm(request.POST, prefix="add", instance=Priority(strategy=strategy))
    return _add(
        request,
        form,
        lambda: _strategy_page(
            request, strategy, _strategy_form(request)(instance=strategy), 400, add_form=form
        ),
    )


@require_POST
@admins_only
@_as_shown_or_told(typed_into=lambda level: (FORMS.get(CHILD_LEVEL.get(level)), "add"))
def add_child(request: HttpRequest, slug: str, level: str, pk: int) -> HttpResponse:
    strategy = _strategy(request, slug)
    parent = _item(strategy, level, pk)
    child_form = {"priority": ObjectiveForm, "objective": MilestoneForm}.get(level)
    refused = _refuse_if_closed(request, strategy, child_form, prefix="add")
    if refused:
        return refused
    if level == "priority":
        form = ObjectiveForm(request.POST, prefix="add", instance=Objective(priority=parent))
    elif level == "objective":
        form = MilestoneForm(request.POST, prefix="add", instance=Milestone(objective=parent))
    else:
        raise Http404
    return _add(
        request,
        form,
        lambda: _item_page(
            request, strategy, level, parent, FORMS[level](instance=parent), 400, add_form=form
        ),
    )


def _add(request, form, invalid_page) -> HttpResponse:
    """Save a new item last among its siblings (its part's, for a priority)."""
    if not form.is_valid():
        return invalid_page()
    # A parent archived meanwhile raises ordering.ParentArchived: told by _as_shown_or_told.
    with transaction.atomic():
        item = form.instance
        setattr(item, ordering.number_field(item), ordering.next_number(item))
        item = form.save()
        people = form.cleaned_data
        if isinstance(item, Milestone) and (people.get("owner") or people.get("delegates")):
            item.assign(
                by=request.user,
                owner=people.get("owner"),
                add_delegates=people.get("delegates") or [],
            )
    messages.success(request, f"Added {_name(item)}.")
    _say_due_dates(request, item, form.changed_data)
    return redirect(editor_url(_parent(item)))


def _parent(item):
    if isinstance(item, Priority):
        return item.strategy
    if isinstance(item, Objective):
        return item.priority
    if isinstance(item, Milestone):
        return item.objective
    return item.priority or item.objective


@admins_only
@_as_shown_or_told(typed_into=lambda level: (MeasureForm, ""))
def add_measure(request: HttpRequest, slug: str, level: str, pk: int) -> HttpResponse:
    strategy = _strategy(request, slug)
    if level not in ("priority", "objective"):
        raise Http404
    parent = _item(strategy, level, pk)
    form = MeasureForm(request.POST or None, instance=Measure(**{level: parent}))
    if request.method == "POST":
        refused = _refuse_if_closed(request, strategy, MeasureForm)
        if refused:
            return refused
        if form.is_valid():
            with transaction.atomic():
                form.instance.position = ordering.next_number(form.instance)  # goes last
                measure = form.save()
                trajectory_text.replace_points(measure, form.cleaned_data["trajectory"])
            messages.success(request, f"Added {_name(measure)}.")
            return redirect(editor_url(parent))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "parent": parent, "level": level}
    return _screen(request, strategy, "add_measure.html", status, **context)


@require_POST
@admins_only
@_as_shown_or_told
def move(request: HttpRequest, slug: str, level: str, pk: int) -> HttpResponse:
    """Move a numbered item one place up or down; refused if the order changed meanwhile."""
    strategy = _strategy(request, slug)
    refused = _refuse_if_closed(request, strategy)
    if refused:
        return refused
    step = {"up": -1, "down": 1}.get(request.POST.get("direction"))
    if level not in LEVELS:
        raise Http404
    if step is None or not request.POST.get("seen"):
        messages.error(request, INCOMPLETE)
        return redirect(editor_url(_item(strategy, level, pk)))
    with transaction.atomic():
        item = _item(strategy, level, pk)
        list(ordering.siblings(item))  # locked: another Admin's move waits for this one
        order = ordering.order_seen(ordering.listed_with(item))
        if order != request.POST.get("seen", ""):
            messages.error(
                request,
                "Someone changed the order while you had the page open, so nothing was moved. "
                "Here is the order now.",
            )
            moved = None
        else:
            moved = ordering.move(item, step)
            item.refresh_from_db()  # its new number, for the message
    if moved:
        messages.success(request, f"Moved {_name(item)} {request.POST['direction']}.")
    elif moved is False:
        messages.info(request, f"{_name(item).capitalize()} is already at that end.")
    return redirect(_in_its_list(item))


@admins_only
@_as_shown_or_told
def archive(request: HttpRequest, slug: str, level: str, pk: int) -> HttpResponse:
    """Confirm, then archive an item and what sits under it."""
    strategy = _strategy(request, slug)
    item = _item(strategy, level, pk)
    if request.method == "POST":
        refused = _refuse_if_closed(request, strategy)
        if refused:
            return refused
        with transaction.atomic():
            count = archiving.archive(item)
        under = f" and the {count - 1} item{'s' if count > 2 else ''} under it" if count > 1 else ""
        messages.success(
            request,
            f"Archived {_name(item)}{under}. It no longer shows on any page or counts in any "
            "roll-up; its history is kept, and it can be restored from this page.",
        )
        return redirect(_in_its_list(item, archived=True))
    under = archiving.under(item)
    return _screen(
        request, strategy, "archive.html", item=item, level=level, under=under, name=_name(item)
    )


@require_POST
@admins_only
@_as_shown_or_told
def restore(request: HttpRequest, slug: str, level: str, pk: int) -> HttpResponse:
    strategy = _strategy(request, slug)
    refused = _refuse_if_closed(request, strategy)
    if refused:
        return refused
    item = _item(strategy, level, pk, archived=True)
    parent = _parent(item)
    if getattr(parent, "archived_at", None):
        # Restoring the parent brings back what was archived with it (archiving.restore).
        then = (
            f"{_name(item)} comes back with it"
            if parent.archived_at == item.archived_at
            else f"then restore {_name(item)} from its screen"
        )
        messages.error(
            request, f"What {_name(item)} sits under is archived too: restore that first, {then}."
        )
        return redirect("editor:strategy", slug)
    with transaction.atomic():
        archiving.restore(item)
    item.refresh_from_db()  # named by the number it came back with, not the one it had
    messages.success(request, f"Restored {_name(item)}.")
    return redirect(_in_its_list(item))
