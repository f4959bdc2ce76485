"""The strategy editor through the test client: create, add, edit, reorder, archive."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from measures.models import Measure
from milestones.models import Milestone
from milestones.tests.posted_forms import form_as_posted
from objectives.models import Objective, Organisation, Priority, Strategy
from tests.factories import (
    make_measure,
    make_milestone,
    make_objective,
    make_priority,
    make_strategy,
)

pytestmark = pytest.mark.django_db


def _item_url(strategy, level, pk, action=""):
    name = f"editor:{action}" if action else "editor:item"
    return reverse(name, args=[strategy.slug, level, pk])


def _seen(client, url) -> str:
    page = client.get(url).content.decode()
    marker = 'name="seen" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def test_a_site_administrator_creates_a_draft_strategy_with_a_new_organisation(client, site_admin):
    client.force_login(site_admin)
    response = client.post(
        reverse("editor:new_strategy"),
        {
            "new_organisation": "Basildon Council",
            "title": "Basildon Health Plan",
            "period_start": "2025-04-01",
            "period_end": "2030-03-31",
            "vision": "Healthier lives",
        },
    )
    strategy = Strategy.objects.get(title="Basildon Health Plan")
    assert response.status_code == 302 and response.url == reverse(
        "editor:strategy", args=[strategy.slug]
    )
    assert (strategy.status, strategy.slug, strategy.organisation.name) == (
        "draft",
        "basildon-health-plan",
        "Basildon Council",
    )


def test_a_dash_between_years_in_the_title_separates_them_in_the_short_name(client, site_admin):
    """ "Plan 2026–2029" made plan-20262029."""
    client.force_login(site_admin)
    client.post(
        reverse("editor:new_strategy"),
        {
            "new_organisation": "Basildon Council",
            "title": "Community Wellbeing Plan 2026–2029",
            "period_start": "2026-04-01",
            "period_end": "2029-03-31",
        },
    )
    assert Strategy.objects.get().slug == "community-wellbeing-plan-2026-2029"


def test_a_new_organisation_named_with_invisible_characters_alone_is_not_made(client, site_admin):
    client.force_login(site_admin)
    response = client.post(
        reverse("editor:new_strategy"),
        {
            "new_organisation": "\u200b",
            "title": "Basildon Health Plan",
            "period_start": "2025-04-01",
            "period_end": "2030-03-31",
        },
    )
    assert response.status_code == 400
    assert "spaces and invisible characters alone show nothing" in response.content.decode()
    assert not Organisation.objects.filter(name="\u200b").exists()


def test_a_strategy_without_an_organisation_or_with_its_period_backwards_is_refused(
    client, site_admin
):
    client.force_login(site_admin)
    response = client.post(
        reverse("editor:new_strategy"),
        {"title": "X", "period_start": "2030-04-01", "period_end": "2025-03-31"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose the organisation, or name a new one." in page
    assert "The period must start before it ends." in page
    assert not Strategy.objects.exists() and not Organisation.objects.exists()


def test_an_organisation_admin_leads_strategies_only_for_their_own_organisations(
    client, make_member
):
    ours, theirs = (
        Organisation.objects.create(name="Ours"),
        Organisation.objects.create(name="Theirs"),
    )
    admin = make_member("ouradmin", {ours: ["Admin"], theirs: ["Board member"]})
    client.force_login(admin)
    page = client.get(reverse("editor:new_strategy")).content.decode()
    assert "Ours" in page and "Theirs" not in page and "new_organisation" not in page
    base = {"title": "Plan", "period_start": "2025-04-01", "period_end": "2030-03-31"}
    for refused in ({"organisation": theirs.pk}, {"new_organisation": "Forged Council"}):
        response = client.post(reverse("editor:new_strategy"), base | refused)
        assert response.status_code == 400
    assert not Strategy.objects.exists()
    assert set(Organisation.objects.values_list("name", flat=True)) == {"Ours", "Theirs"}
    response = client.post(reverse("editor:new_strategy"), base | {"organisation": ours.pk})
    assert Strategy.objects.get().organisation == ours and response.status_code == 302


def test_items_added_are_numbered_in_order_and_a_milestone_gets_its_owner(
    client, admin_user, programme_lead
):
    strategy = make_strategy(status="draft")
    client.force_login(admin_user)
    for title in ("Workforce", "Estates"):
        response = client.post(
            reverse("editor:add_priority", args=[strategy.slug]),
            {"add-part": "1", "add-title": title},
        )
        assert response.status_code == 302
    first, second = strategy.priorities.order_by("number")
    assert [(first.number, first.title), (second.number, second.title)] == [
        (1, "Workforce"),
        (2, "Estates"),
    ]
    client.post(_item_url(strategy, "priority", first.pk, "add_child"), {"add-title": "Recruit"})
    objective = Objective.objects.get(priority=first)
    response = client.post(
        _item_url(strategy, "objective", objective.pk, "add_child"),
        {
            "add-title": "Open the academy",
            "add-due_date": "2026-03-31",
            "add-due_text": "by March 2026",
            "add-owner": programme_lead.pk,
        },
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get(objective=objective)
    assert (milestone.position, milestone.owner, milestone.due_date) == (
        1,
        programme_lead,
        dt.date(2026, 3, 31),
    )
    assert milestone.owner_assigned_at is not None


def test_saving_an_item_twice_unchanged_changes_nothing_and_a_stale_form_is_refused(
    client, admin_user
):
    strategy = make_strategy(status="draft")
    objective = make_objective(make_priority(strategy), title="Old title")
    url = _item_url(strategy, "objective", objective.pk)
    client.force_login(admin_user)
    seen = _seen(client, url)
    response = client.post(url, {"title": "New title", "seen": seen})
    assert response.status_code == 302
    history_rows = objective.history.count()
    seen_now = _seen(client, url)
    client.post(url, {"title": "New title", "seen": seen_now})
    assert objective.history.count() == history_rows  # saved again unchanged: no new row
    # A form read before the first save is refused, and says so.
    response = client.post(url, {"title": "Overwrite", "seen": seen})
    assert response.status_code == 409
    assert "Someone else saved this while you had it open" in response.content.decode()
    objective.refresh_from_db()
    assert objective.title == "New title"


def test_a_refused_save_shows_what_was_saved_meanwhile_beside_this_form(client, admin_user):
    strategy = make_strategy(status="draft")
    objective = make_objective(make_priority(strategy), title="Old title")
    url = _item_url(strategy, "objective", objective.pk)
    client.force_login(admin_user)
    seen = _seen(client, url)
    assert client.post(url, {"title": "Their title", "seen": seen}).status_code == 302
    response = client.post(url, {"title": "Old title", "we_will": "Mine", "seen": seen})
    assert response.status_code == 409
    rows = {d.label: (d.saved, d.yours) for d in response.context["form"].conflict}
    assert rows["Title"] == ("Their title", "Old title")
    assert rows["We will"] == ("—", "Mine")
    assert len(rows) == 2
    assert "2 fields of this form differ from what is saved now" in response.content.decode()


def test_moving_an_objective_renumbers_both_and_a_move_from_a_stale_page_is_refused(
    client, admin_user
):
    strategy = make_strategy(status="published")
    priority = make_priority(strategy)
    one = make_objective(priority, number=1, title="One")
    two = make_objective(priority, number=2, title="Two")
    client.force_login(admin_user)
    move = _item_url(strategy, "objective", two.pk, "move")
    shown = f"{one.pk},{two.pk}"  # the order the page showed
    assert client.post(move, {"direction": "up", "seen": shown}).status_code == 302
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.number, two.number) == (2, 1)
    assert two.history.first().number == 1 and two.history.all()[1].number == 2
    # A page that still shows the old order moves nothing.
    client.post(move, {"direction": "down", "seen": shown})
    two.refresh_from_db()
    assert two.number == 1


def test_an_archived_milestone_leaves_the_pages_and_roll_ups_but_stays_in_the_history(
    client, admin_user
):
    strategy = make_strategy(status="published")
    objective = make_objective(make_priority(strategy))
    kept = make_milestone(objective, title="Kept milestone", position=1)
    mistake = make_milestone(objective, title="Added by mistake", position=2)
    later = make_milestone(objective, title="Later milestone", position=3)
    client.force_login(admin_user)
    confirm = client.get(_item_url(strategy, "milestone", mistake.pk, "archive"))
    assert "Archive milestone" in confirm.content.decode()
    assert "take figures" not in confirm.content.decode()  # a milestone never takes figures
    response = client.post(_item_url(strategy, "milestone", mistake.pk, "archive"), follow=True)
    assert "Archived milestone “Added by mistake”" in response.content.decode()
    assert list(Milestone.objects.filter(objective=objective)) == [kept, later]
    later.refresh_from_db()
    assert later.position == 2  # numbering follows the order
    mistake = Milestone.everything.get(pk=mistake.pk)
    assert mistake.archived_at is not None
    assert mistake.history.first().archived_at is not None
    assert mistake.history.first().history_user == admin_user
    every = client.get(reverse("objectives:strategy_milestones", args=[strategy.slug]))
    assert "Added by mistake" not in every.content.decode()
    assert "Kept milestone" in every.content.decode()
    dashboard = client.get(strategy.get_absolute_url())
    assert sum(len(p.milestones) for p in dashboard.context["progress"].priorities) == 2
    objective_page = client.get(objective.get_absolute_url()).content.decode()
    assert "Added by mistake" not in objective_page
    # It can be brought back, last in the list.
    client.post(_item_url(strategy, "milestone", mistake.pk, "restore"))
    mistake.refresh_from_db()
    assert (mistake.archived_at, mistake.position) == (None, 3)


def test_archiving_a_priority_archives_what_sits_under_it(client, admin_user):
    strategy = make_strategy(status="draft")
    priority = make_priority(strategy)
    objective = make_objective(priority)
    milestone = make_milestone(objective)
    measure = make_measure(objective)
    client.force_login(admin_user)
    client.post(_item_url(strategy, "priority", priority.pk, "archive"))
    assert not Priority.objects.filter(strategy=strategy).exists()
    assert not Objective.objects.filter(pk=objective.pk).exists()
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    assert not Measure.objects.filter(pk=measure.pk).exists()
    assert client.get(reverse("measures:detail", args=[measure.code])).status_code == 404


def test_a_measure_is_added_with_a_trajectory_and_a_code_in_use_is_refused(client, admin_user):
    strategy = make_strategy(status="draft")
    objective = make_objective(make_priority(strategy))
    taken = make_measure(make_objective(make_priority(make_strategy())))
    client.force_login(admin_user)
    url = _item_url(strategy, "objective", objective.pk, "add_measure")
    fields = {
        "code": "NEW-VACANCY",
        "name": "Vacancy rate",
        "kind": "success",
        "unit": "%",
        "direction": "lower",
        "baseline_value": "12",
        "baseline_period": "2024-03-31",
        "target_value": "8",
        "target_date": "2027-03-31",
        "tolerance": "0.5",
        "trajectory": "2025-03-31=11; 2026-03-31=9.5",
    }
    assert client.post(url, fields).status_code == 302
    measure = Measure.objects.get(code="NEW-VACANCY")
    assert [(p.period_end.year, p.value) for p in measure.trajectory.all()] == [
        (2025, 11),
        (2026, 9.5),
    ]
    response = client.post(url, fields | {"code": taken.code})
    assert response.status_code == 400
    assert f"The code {taken.code} is used by another measure already." in (
        response.content.decode()
    )


@pytest.mark.parametrize("code", ["-1-1", "a b", "_X"])
def test_a_measure_code_a_spreadsheet_would_misread_is_refused_in_plain_words(
    client, admin_user, code
):
    """A code "-1-1" reached two CSV downloads as a sum (-2 in Excel); and Django's message
    spoke of a "slug"."""
    strategy = make_strategy(status="draft")
    objective = make_objective(make_priority(strategy))
    client.force_login(admin_user)
    url = _item_url(strategy, "objective", objective.pk, "add_measure")
    fields = {"code": code, "name": "Vacancy rate", "kind": "success", "unit": "count"}
    response = client.post(url, fields)
    assert response.status_code == 400
    page = response.content.decode()
    assert "starting with a letter or a digit" in page and "slug" not in page
    assert not Measure.objects.exists()


def test_a_measure_whose_code_came_before_the_rule_is_still_edited(client, admin_user):
    """The rule is for new codes: a stored "_OLD" (files of figures name it) could not be
    saved any more, on a field the Admin cannot change."""
    strategy = make_strategy(status="draft")
    objective = make_objective(make_priority(strategy))
    old = make_measure(objective, code="_OLD", name="Old name", unit="count")
    client.force_login(admin_user)
    url = _item_url(strategy, "measure", old.pk)
    data = form_as_posted(client.get(url).content.decode(), action="")
    response = client.post(url, data | {"name": ["New name"]})
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.name == "New name"


def test_a_baseline_that_is_not_a_number_is_refused_not_a_crash():
    """ "NaN" in a strategy's JSON reached the range check, which raised."""
    from decimal import Decimal

    from django.core.exceptions import ValidationError

    measure = Measure(code="X", name="X", unit="%", baseline_value=Decimal("NaN"))
    with pytest.raises(ValidationError):
        measure.full_clean(exclude=["priority", "objective"])


def test_a_target_the_measure_could_never_report_is_refused(client, admin_user):
    """A % measure took a target of 150, which it can never meet; the import refuses such a
    figure."""
    strategy = make_strategy(status="draft")
    objective = make_objective(make_priority(strategy))
    client.force_login(admin_user)
    url = _item_url(strategy, "objective", objective.pk, "add_measure")
    fields = {"code": "PCT", "name": "Share", "kind": "success", "unit": "%", "direction": "higher"}
    fields |= {"tolerance": "0", "target_date": "2027-03-31"}
    response = client.post(url, fields | {"target_value": "150"})
    assert response.status_code == 400
    assert "The target, 150, is outside this measure&#x27;s range (0% to 100%)." in (
        response.content.decode()
    )
    assert not Measure.objects.exists()
    assert client.post(url, fields | {"target_value": "95"}).status_code == 302


def test_a_closed_strategy_cannot_be_changed(client, admin_user):
    strategy = make_strategy(status="closed")
    priority = make_priority(strategy, title="As it was")
    client.force_login(admin_user)
    url = _item_url(strategy, "priority", priority.pk)
    response = client.post(url, {"title": "Changed", "seen": _seen(client, url)}, follow=True)
    assert "This strategy is closed" in response.content.decode()
    priority.refresh_from_db()
    assert priority.title == "As it was"


@pytest.mark.parametrize("status, said", [("draft", "a draft"), ("published", "published")])
def test_the_editor_says_what_the_strategy_is(client, admin_user, status, said):
    strategy = make_strategy(status=status)
    client.force_login(admin_user)
    page = client.get(f"/edit/{strategy.slug}/").content.decode()
    assert f"This strategy is <strong>{said}</strong>." in page


@pytest.mark.parametrize("role", ["board_member", "programme_lead"])
def test_a_board_member_or_lead_is_refused_with_the_reason(client, request, role):
    strategy = make_strategy(status="published")
    priority = make_priority(strategy, title="Unchanged")
    client.force_login(request.getfixturevalue(role))
    for url in (reverse("editor:strategy", args=[strategy.slug]), reverse("editor:new_strategy")):
        response = client.get(url)
        assert response.status_code == 403
        assert "Only Admins build and edit strategies" in response.content.decode()
    response = client.post(_item_url(strategy, "priority", priority.pk), {"title": "Changed"})
    assert response.status_code == 403
    priority.refresh_from_db()
    assert priority.title == "Unchanged"


def test_an_item_of_another_strategy_is_not_found(client, admin_user):
    strategy = make_strategy(status="draft")
    other = make_priority(make_strategy())
    client.force_login(admin_user)
    assert client.get(_item_url(strategy, "priority", other.pk)).status_code == 404
    assert client.get(_item_url(strategy, "nonsense", other.pk)).status_code == 404


def test_measures_are_reordered_and_the_objective_page_follows(client, admin_user):
    strategy = make_strategy(status="published")
    objective = make_objective(make_priority(strategy))
    first = make_measure(objective, code="M-FIRST", name="First measure")
    second = make_measure(objective, code="M-SECOND", name="Second measure")
    client.force_login(admin_user)
    page = client.get(objective.get_absolute_url()).content.decode()
    assert page.index("First measure") < page.index("Second measure")
    move = _item_url(strategy, "measure", second.pk, "move")
    shown = f"{first.pk},{second.pk}"
    assert client.post(move, {"direction": "up", "seen": shown}).status_code == 302
    assert list(Measure.objects.filter(objective=objective).order_by("position")) == [
        second,
        first,
    ]
    page = client.get(objective.get_absolute_url()).content.decode()
    assert page.index("Second measure") < page.index("First measure")
    # A measure added now goes last.
    url = _item_url(strategy, "objective", objective.pk, "add_measure")
    fields = {"code": "M-THIRD", "name": "Third", "kind": "success", "unit": "count"}
    client.post(url, fields | {"direction": "none", "tolerance": "0"})
    assert Measure.objects.get(code="M-THIRD").position == 3


def test_a_priority_added_to_part_two_is_numbered_within_its_part(client, admin_user):
    strategy = make_strategy(status="draft")
    for number in (1, 2):
        make_priority(strategy, number=number, title=f"Adults {number}")
    make_priority(strategy, part=2, number=1, title="Children 1")
    client.force_login(admin_user)
    response = client.post(
        reverse("editor:add_priority", args=[strategy.slug]),
        {"add-part": "2", "add-title": "Children 2"},
    )
    assert response.status_code == 302
    added = Priority.objects.get(title="Children 2")
    assert (added.part, added.number, added.key) == (2, 2, "part2-2")
    # Each part's first and last have no move past their part's end.
    page = client.get(reverse("editor:strategy", args=[strategy.slug])).content.decode()
    assert page.count(">Move up<") == 2 and page.count(">Move down<") == 2


def test_a_save_onto_an_item_archived_meanwhile_is_refused(client, admin_user):
    strategy = make_strategy(status="draft")
    objective = make_objective(make_priority(strategy), title="Before")
    url = _item_url(strategy, "objective", objective.pk)
    client.force_login(admin_user)
    seen = _seen(client, url)
    client.post(_item_url(strategy, "objective", objective.pk, "archive"))
    response = client.post(url, {"title": "After", "seen": seen}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("editor:strategy", args=[strategy.slug])
    assert "This objective is archived (someone archived it" in response.content.decode()
    assert "so nothing was changed" in response.content.decode()
    assert Objective.everything.get(pk=objective.pk).title == "Before"


def test_an_archived_item_s_old_address_says_it_is_archived(client, admin_user):
    strategy = make_strategy(status="draft")
    objective = make_objective(make_priority(strategy))
    client.force_login(admin_user)
    client.post(_item_url(strategy, "objective", objective.pk, "archive"))
    page = client.get(_item_url(strategy, "objective", objective.pk), follow=True)
    assert "This objective is archived" in page.content.decode()
    assert "so it has no screen" in page.content.decode()


def test_adding_under_an_objective_archived_meanwhile_adds_nothing_and_says_so(client, admin_user):
    strategy = make_strategy(status="draft")
    objective = make_objective(make_priority(strategy))
    client.force_login(admin_user)
    client.post(_item_url(strategy, "objective", objective.pk, "archive"))
    response = client.post(
        _item_url(strategy, "objective", objective.pk, "add_child"),
        {"add-title": "A new milestone"},
        follow=True,
    )
    assert "This objective is archived" in response.content.decode()
    assert not Milestone.everything.filter(title="A new milestone").exists()


def test_restoring_an_item_someone_restored_meanwhile_says_it_is_back(client, admin_user):
    strategy = make_strategy(status="draft")
    objective = make_objective(make_priority(strategy))
    client.force_login(admin_user)
    restore = _item_url(strategy, "objective", objective.pk, "restore")
    client.post(_item_url(strategy, "objective", objective.pk, "archive"))
    client.post(restore)  # the other Admin
    response = client.post(restore, follow=True)
    assert response.redirect_chain[-1][0] == _item_url(strategy, "objective", objective.pk)
    assert "someone restored it while you had the page open" in response.content.decode()


def test_restoring_an_item_whose_parent_is_archived_says_restore_that_first(client, admin_user):
    strategy = make_strategy(status="draft")
    objective = make_objective(make_priority(strategy))
    milestone = make_milestone(objective, title="Open the hub")
    client.force_login(admin_user)
    client.post(_item_url(strategy, "objective", objective.pk, "archive"))
    response = client.post(_item_url(strategy, "milestone", milestone.pk, "restore"), follow=True)
    assert "sits under is archived too: restore that first" in response.content.decode()
    assert "comes back with it" in response.content.decode()
    assert Milestone.everything.get(pk=milestone.pk).archived_at is not None


def test_restoring_an_item_archived_before_its_parent_says_to_restore_it_after(client, admin_user):
    strategy = make_strategy(status="draft")
    objective = make_objective(make_priority(strategy))
    milestone = make_milestone(objective, title="Open the hub")
    client.force_login(admin_user)
    client.post(_item_url(strategy, "milestone", milestone.pk, "archive"))
    client.post(_item_url(strategy, "objective", objective.pk, "archive"))  # later, apart
    response = client.post(_item_url(strategy, "milestone", milestone.pk, "restore"), follow=True)
    assert "restore that first, then restore milestone" in response.content.decode()


def test_an_add_under_a_parent_archived_meanwhile_adds_nothing(admin_user):
    from editor import archiving, ordering

    strategy = make_strategy(status="draft")
    objective = make_objective(make_priority(strategy))
    archiving.archive(objective)
    with pytest.raises(ordering.ParentArchived):
        ordering.next_number(Milestone(objective=objective))


def test_a_stale_form_onto_an_archived_row_says_it_was_archived():
    from editor import guards

    strategy = make_strategy(status="draft")
    objective = make_objective(make_priority(strategy))
    Objective.everything.filter(pk=objective.pk).update(archived_at="2026-01-01T00:00Z")
    with pytest.raises(guards.ArchivedMeanwhile, match="Someone archived this"):
        guards.lock_unchanged(objective, lambda item: {}, "anything")


def test_a_measure_code_the_app_uses_itself_is_refused(client, admin_user):
    strategy = make_strategy(status="draft")
    objective = make_objective(make_priority(strategy))
    client.force_login(admin_user)
    response = client.post(
        _item_url(strategy, "objective", objective.pk, "add_measure"),
        {"code": "import", "name": "X", "kind": "success", "unit": "count",
         "direction": "none", "tolerance": "0"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "This code is one the app uses itself" in response.content.decode()
    assert not Measure.everything.filter(code="import").exists()


def test_a_restored_objective_is_named_by_the_number_it_came_back_with(client, admin_user):
    """ "Restored objective 1.1" while another live objective was 1.1 and it came back 1.3."""
    from editor import archiving

    strategy = make_strategy(status="draft")
    priority = make_priority(strategy)
    first, *_ = (make_objective(priority, number=n, title=f"Objective {n}") for n in (1, 2, 3))
    archiving.archive(first)
    client.force_login(admin_user)
    response = client.post(_item_url(strategy, "objective", first.pk, "restore"), follow=True)
    page = response.content.decode()
    assert "Restored objective 1.3" in page


def test_each_editor_screen_puts_its_h1_before_the_outline_heading(client, admin_user):
    """A screen reader's list of headings began with "Outline" (an h2) before the page's h1
    (found by a walk-through at 390 px with axe)."""
    strategy = make_strategy(status="draft")
    priority = make_priority(strategy)
    client.force_login(admin_user)
    for url in (
        f"/edit/{strategy.slug}/",
        _item_url(strategy, "priority", priority.pk),
        _item_url(strategy, "priority", priority.pk, "archive"),
        reverse("editor:add_measure", args=[strategy.slug, "priority", priority.pk]),
        reverse("editor:import_into", args=[strategy.slug]),
    ):
        main = client.get(url).content.decode().split('<main id="main"')[1]
        first = re.search(r"<h[1-6]\b", main).group()
        assert first == "<h1", url


def test_a_targets_document_wording_is_saved_and_shown_back_in_the_measure_form(client, admin_user):
    strategy = make_strategy(status="draft")
    objective = make_objective(make_priority(strategy))
    client.force_login(admin_user)
    fields = {"code": "VAC", "name": "Vacancy rate", "kind": "success", "unit": "%"}
    fields |= {"direction": "lower", "tolerance": "0", "target_value": "12"}
    fields |= {"target_date": "2028-03-31", "target_period_text": "by 2027/28"}
    url = _item_url(strategy, "objective", objective.pk, "add_measure")
    assert client.post(url, fields).status_code == 302
    measure = Measure.objects.get(code="VAC")
    assert measure.target_period_text == "by 2027/28"

    # Saved again as the form shows it: the words come back, labelled, and stay.
    url = _item_url(strategy, "measure", measure.pk)
    page = client.get(url).content.decode()
    assert "Target date (document wording)" in page
    data = form_as_posted(page, action="")
    assert data["target_period_text"] == ["by 2027/28"]
    assert client.post(url, data | {"target_period_text": ["2027/28"]}).status_code == 302
    measure.refresh_from_db()
    assert measure.target_period_text == "2027/28"
