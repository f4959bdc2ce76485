"""The Django admin's change forms, saved the way an Admin meets them: change one field, "Save
and continue editing", reload, save again untouched. The admin's date fields are text inputs
in the en-gb format (31/03/2027); what was saved must come back as it was, and the second
save must change nothing: no field, no inline row, no history row, no milestone version.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from measures.models import MeasureValue, TrajectoryPoint
from milestones.models import Milestone
from objectives.models import JobTitle
from tests.e2e.test_forms_round_trip import differences, history_counts, stored_rows
from tests.factories import (
    make_measure,
    make_milestone,
    make_objective,
    make_priority,
    make_strategy,
    make_value,
)

pytestmark = pytest.mark.e2e

SAVE_AND_CONTINUE = "Save and continue editing"


@pytest.fixture
def objective():
    strategy = make_strategy(
        slug="eput",
        title="EPUT plan",
        source_document="Strategic Plan 2023/24-2027/28",
        source_date=dt.date(2023, 5, 15),
    )
    priority = make_priority(strategy, number=1, title="Our people")
    return make_objective(priority, number=1, title="Eradicate waits")


@pytest.fixture
def admin(page: Page, live_server, sign_in, site_admin):
    """The admin page of an object, open in the browser of a signed-in site administrator
    (the Django admin is theirs alone)."""
    sign_in(page, "siteadmin")

    def open_change_form(obj) -> None:
        meta = obj._meta
        page.goto(f"{live_server.url}/admin/{meta.app_label}/{meta.model_name}/{obj.pk}/change/")
        expect(page.get_by_role("button", name=SAVE_AND_CONTINUE)).to_be_visible()

    return open_change_form


def save_and_continue(page: Page) -> None:
    page.get_by_role("button", name=SAVE_AND_CONTINUE).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(page.locator(".errornote")).to_have_count(0)


def resave_untouched_changes_nothing(page: Page) -> None:
    """Reloaded already: save the form as the page shows it, and find nothing changed."""
    before, histories = stored_rows(), history_counts()
    save_and_continue(page)
    assert differences(before, stored_rows()) == set()
    assert history_counts() == histories


def changed(obj, *names: str) -> set[tuple[str, int, str]]:
    return {(obj._meta.label, obj.pk, name) for name in names}


def field(page: Page, name: str):
    return page.locator(f"#id_{name}")


def test_the_admin_milestone_form_keeps_its_dates_and_resaving_it_changes_nothing(
    page: Page, admin, programme_lead, objective
):
    milestone = make_milestone(
        objective,
        heading="Lighthouse",
        title="Open the Lighthouse clinic",
        due_date=dt.date(2027, 3, 31),
        due_text="by March 2027",
        owner=programme_lead,
        status="at_risk",
        forecast_date=dt.date(2027, 6, 30),
        commentary="Recruitment is slower than planned.",
        source_ref="Page 12, table 3",
    )
    first = stored_rows()
    admin(milestone)
    expect(field(page, "due_date")).to_have_value("31/03/2027")
    expect(field(page, "forecast_date")).to_have_value("30/06/2027")
    field(page, "due_date").fill("30/09/2027")
    save_and_continue(page)
    assert differences(first, stored_rows()) == changed(milestone, "due_date", "version")
    milestone.refresh_from_db()
    assert (milestone.due_date, milestone.forecast_date) == (
        dt.date(2027, 9, 30),
        dt.date(2027, 6, 30),
    )

    page.reload()
    expect(field(page, "objective")).to_have_value(str(objective.pk))
    expect(field(page, "position")).to_have_value("1")
    expect(field(page, "heading")).to_have_value("Lighthouse")
    expect(field(page, "title")).to_have_value("Open the Lighthouse clinic")
    expect(field(page, "due_date")).to_have_value("30/09/2027")
    expect(field(page, "due_text")).to_have_value("by March 2027")
    expect(field(page, "owner")).to_have_value(str(programme_lead.pk))
    expect(field(page, "status")).to_have_value("at_risk")
    expect(field(page, "forecast_date")).to_have_value("30/06/2027")
    expect(field(page, "commentary")).to_have_value("Recruitment is slower than planned.")
    expect(field(page, "source_ref")).to_have_value("Page 12, table 3")
    version = Milestone.objects.get(pk=milestone.pk).version

    resave_untouched_changes_nothing(page)
    assert Milestone.objects.get(pk=milestone.pk).version == version


def test_the_admin_measure_form_keeps_its_dates_and_inline_rows_and_resaving_changes_nothing(
    page: Page, admin, objective
):
    measure = make_measure(
        objective,
        code="VACANCY",
        name="Vacancy rate",
        unit="%",
        direction="lower",
        baseline_value=Decimal("9.8"),
        baseline_period=dt.date(2023, 3, 31),
        baseline_period_text="2022/23",
        target_value=Decimal("8"),
        target_date=dt.date(2027, 3, 31),
        tolerance=Decimal("0.5"),
        definition="Vacant posts as a share of the establishment.",
        source_ref="Page 20",
    )
    for period_end, value in [(dt.date(2024, 3, 31), "9.4"), (dt.date(2025, 3, 31), "8.75")]:
        TrajectoryPoint.objects.create(measure=measure, period_end=period_end, value=value)
    for period_end, text, value, note in [
        (dt.date(2024, 6, 30), "2024/25 Q1", "9.6", "After the spring intake"),
        (dt.date(2024, 9, 30), "2024/25 Q2", "9.25", ""),
    ]:
        MeasureValue.objects.create(
            measure=measure,
            period_end=period_end,
            period_text=text,
            value=Decimal(value),
            note=note,
            source="ESR",
        )
    first = stored_rows()
    admin(measure)
    expect(field(page, "baseline_period")).to_have_value("31/03/2023")
    expect(field(page, "target_date")).to_have_value("31/03/2027")
    field(page, "target_date").fill("30/09/2027")
    save_and_continue(page)
    assert differences(first, stored_rows()) == changed(measure, "target_date")
    measure.refresh_from_db()
    assert (measure.baseline_period, measure.target_date) == (
        dt.date(2023, 3, 31),
        dt.date(2027, 9, 30),
    )

    page.reload()
    expect(field(page, "objective")).to_have_value(str(objective.pk))
    expect(field(page, "code")).to_have_value("VACANCY")
    expect(field(page, "unit")).to_have_value("%")
    expect(field(page, "direction")).to_have_value("lower")
    expect(field(page, "baseline_value")).to_have_value("9.8000")
    expect(field(page, "baseline_period")).to_have_value("31/03/2023")
    expect(field(page, "target_date")).to_have_value("30/09/2027")
    expect(field(page, "spc_rebase_from")).to_have_value("")
    expect(field(page, "trajectory-0-period_end")).to_have_value("31/03/2024")
    expect(field(page, "trajectory-1-period_end")).to_have_value("31/03/2025")
    expect(field(page, "trajectory-1-value")).to_have_value("8.7500")
    # Figures are shown, not edited, here: they arrive by import, under its rules.
    values = page.locator("#values-group")
    expect(values).to_contain_text("After the spring intake")
    expect(values).to_contain_text("9.25")
    expect(page.locator("[name='values-0-value']")).to_have_count(0)

    resave_untouched_changes_nothing(page)


def test_the_admin_strategy_form_keeps_its_dates_and_priorities_and_resaving_changes_nothing(
    page: Page, admin, objective
):
    strategy = objective.priority.strategy
    make_priority(strategy, number=2, title="Our places", part_title="Adults")
    first = stored_rows()
    admin(strategy)
    expect(field(page, "period_start")).to_have_value("01/04/2023")
    expect(field(page, "period_end")).to_have_value("31/03/2028")
    expect(field(page, "source_date")).to_have_value("15/05/2023")
    # A new title for a saved strategy must not move its slug (and so its address).
    field(page, "title").fill("EPUT Strategic Plan")
    save_and_continue(page)
    assert differences(first, stored_rows()) == changed(strategy, "title")
    strategy.refresh_from_db()
    assert (strategy.title, strategy.slug) == ("EPUT Strategic Plan", "eput")

    page.reload()
    expect(field(page, "organisation")).to_have_value(str(strategy.organisation_id))
    expect(field(page, "title")).to_have_value("EPUT Strategic Plan")
    expect(field(page, "slug")).to_have_value("eput")
    expect(field(page, "period_start")).to_have_value("01/04/2023")
    expect(field(page, "period_end")).to_have_value("31/03/2028")
    # Shown, not an input: it moves on the strategy's dashboard, which records who and when.
    expect(page.locator(".field-status .readonly")).to_have_text("Published")
    expect(field(page, "source_document")).to_have_value("Strategic Plan 2023/24-2027/28")
    expect(field(page, "source_date")).to_have_value("15/05/2023")
    expect(field(page, "priorities-0-title")).to_have_value("Our people")
    expect(field(page, "priorities-1-title")).to_have_value("Our places")
    expect(field(page, "priorities-1-part_title")).to_have_value("Adults")

    resave_untouched_changes_nothing(page)


DESCRIPTION = "Everyone who works here is valued.\nTyped on two lines."


def test_the_admin_priority_form_keeps_its_rows_and_resaving_it_changes_nothing(
    page: Page, admin, objective
):
    priority = objective.priority
    priority.source_ref = "Page 8"
    priority.save()
    make_objective(priority, number=2, title="Grow our own", we_will="Train and retain")
    make_measure(
        priority=priority, code="STAFF", name="Staff survey", unit="score", baseline_value=7
    )
    first = stored_rows()
    admin(priority)
    field(page, "description").fill(DESCRIPTION)
    save_and_continue(page)
    assert differences(first, stored_rows()) == changed(priority, "description")
    priority.refresh_from_db()
    assert priority.description.splitlines() == DESCRIPTION.splitlines()

    page.reload()
    expect(field(page, "strategy")).to_have_value(str(priority.strategy_id))
    expect(field(page, "number")).to_have_value("1")
    expect(field(page, "title")).to_have_value("Our people")
    expect(field(page, "description")).to_have_value(DESCRIPTION)
    expect(field(page, "source_ref")).to_have_value("Page 8")
    expect(field(page, "objectives-1-title")).to_have_value("Grow our own")
    expect(field(page, "objectives-1-we_will")).to_have_value("Train and retain")
    expect(field(page, "measures-0-code")).to_have_value("STAFF")
    expect(field(page, "measures-0-baseline_value")).to_have_value("7.0000")

    resave_untouched_changes_nothing(page)


def test_the_admin_objective_form_keeps_its_milestones_dates_and_resaving_changes_nothing(
    page: Page, admin, programme_lead, objective
):
    make_milestone(
        objective,
        title="Open the Lighthouse clinic",
        due_date=dt.date(2027, 3, 31),
        due_text="by March 2027",
        owner=programme_lead,
        status="on_track",
    )
    make_milestone(objective, title="Recruit twelve nurses", position=2, due_text="Year on year")
    make_measure(objective, code="WAITS", name="Waits over 18 weeks", unit="count")
    versions = dict(Milestone.objects.values_list("pk", "version"))
    first = stored_rows()
    admin(objective)
    field(page, "where_now").fill("Four hundred children wait over 18 weeks.")
    save_and_continue(page)
    assert differences(first, stored_rows()) == changed(objective, "where_now")
    objective.refresh_from_db()
    assert objective.where_now == "Four hundred children wait over 18 weeks."

    page.reload()
    expect(field(page, "title")).to_have_value("Eradicate waits")
    expect(field(page, "where_now")).to_have_value("Four hundred children wait over 18 weeks.")
    expect(field(page, "milestones-0-title")).to_have_value("Open the Lighthouse clinic")
    expect(field(page, "milestones-0-due_date")).to_have_value("31/03/2027")
    expect(field(page, "milestones-0-due_text")).to_have_value("by March 2027")
    # The owner and reported status are shown, not inputs: they change on the milestone's
    # own page, which checks its version.
    row = page.locator("#milestones-0")
    expect(row.locator(".field-owner_name")).to_contain_text("Lee Lead")
    expect(row.locator(".field-status")).to_contain_text("On track")
    expect(page.locator("[name='milestones-0-owner']")).to_have_count(0)
    expect(field(page, "milestones-1-due_date")).to_have_value("")
    expect(field(page, "measures-0-code")).to_have_value("WAITS")

    resave_untouched_changes_nothing(page)
    assert dict(Milestone.objects.values_list("pk", "version")) == versions


def test_the_admin_shows_a_value_but_cannot_change_it(
    page: Page, live_server, sign_in, site_admin, objective
):
    measure = make_measure(objective, code="WAITS", name="Waits over 18 weeks", unit="count")
    value = make_value(measure, dt.date(2024, 6, 30), "412")
    first = stored_rows()
    sign_in(page, "siteadmin")
    page.goto(f"{live_server.url}/admin/measures/measurevalue/{value.pk}/change/")
    expect(page.locator("#content")).to_contain_text("412")
    expect(page.locator("[name='value']")).to_have_count(0)
    expect(page.get_by_role("button", name=SAVE_AND_CONTINUE)).to_have_count(0)
    assert differences(first, stored_rows()) == set()


def test_the_admin_organisation_form_resaved_untouched_changes_nothing(
    page: Page, admin, objective
):
    organisation = objective.priority.strategy.organisation
    first = stored_rows()
    admin(organisation)
    field(page, "short_name").fill("EPUT")
    save_and_continue(page)
    assert differences(first, stored_rows()) == changed(organisation, "short_name")
    organisation.refresh_from_db()
    assert organisation.short_name == "EPUT"

    page.reload()
    expect(field(page, "name")).to_have_value(organisation.name)
    expect(field(page, "short_name")).to_have_value("EPUT")

    resave_untouched_changes_nothing(page)


def test_the_admin_user_form_keeps_the_users_memberships_and_resaving_it_changes_nothing(
    page: Page, admin, objective, make_member
):
    trust = objective.priority.strategy.organisation
    lead = make_member("lena", {trust: ["Programme lead"]})

    def stored_user() -> tuple[dict, list[tuple[str, str]], list[str]]:
        user = get_user_model().objects.filter(pk=lead.pk)
        held = user.get().memberships.values_list("organisation__name", "role")
        title = JobTitle.objects.filter(user=lead).values_list("title", flat=True)
        return user.values().get(), sorted(held), list(title)

    admin(lead)
    page.get_by_role("button", name="Add another Role in an organisation").click()
    page.locator("select[name='memberships-1-organisation']").select_option(label=trust.name)
    page.locator("select[name='memberships-1-role']").select_option("Board member")
    # The job title public pages may show instead of a name (public/).
    page.get_by_role("button", name="Add another Job title").click()
    page.locator("input[name='job_title-0-title']").fill("Head of Community Services")
    save_and_continue(page)
    assert stored_user()[1] == [(trust.name, "Board member"), (trust.name, "Programme lead")]
    assert stored_user()[2] == ["Head of Community Services"]

    page.reload()
    roles = page.locator("select[name$='-role']:not([name*='__prefix__'])")
    expect(roles).to_have_count(2)
    assert sorted(roles.nth(i).input_value() for i in range(2)) == [
        "Board member",
        "Programme lead",
    ]
    expect(field(page, "is_active")).to_be_checked()
    expect(page.locator("input[name='job_title-0-title']")).to_have_value(
        "Head of Community Services"
    )

    before = stored_user()
    save_and_continue(page)
    assert stored_user() == before


# Multi-line text as the seeds, the example strategy and a strategy JSON import store it.
LOADED = "Care closer to home\nSafe, timely care"
LOADED_WITH_LINE_BREAKS = {
    "strategy": lambda objective: make_strategy(aims=LOADED),
    "priority and its objective rows": lambda objective: (
        make_objective(objective.priority, number=2, we_will=LOADED).priority
    ),
    "milestone": lambda objective: make_milestone(objective, commentary=LOADED),
}


@pytest.mark.parametrize("kind", LOADED_WITH_LINE_BREAKS)
def test_an_admin_form_saved_untouched_keeps_multi_line_text_as_it_was_loaded(
    page: Page, admin, objective, kind
):
    obj = LOADED_WITH_LINE_BREAKS[kind](objective)
    admin(obj)
    resave_untouched_changes_nothing(page)
