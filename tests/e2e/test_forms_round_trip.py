"""Every data form of the app, saved the way a person meets it: fill, save, reload, save again
untouched. What was saved must be what the browser shows, and the second save must change
nothing (issue 14, part 1: a forecast rendered as 31/03/2027 in a date input came back empty
and the next save wiped it; the test client, posting ISO strings, never saw it).

The Django admin's change forms are in test_forms_round_trip_admin.py.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from measures.models import Measure, MeasureValue, TrajectoryPoint
from measures.tests.test_spc import quarters
from milestones.history import milestone_change_log
from milestones.models import Milestone, MilestoneDelegate, Submission
from objectives.models import Objective, Organisation, Priority, Strategy
from reporting.models import ReportingPeriod
from strategy_tracker.roles import PROGRAMME_LEAD
from tests.e2e.conftest import serious_accessibility_violations
from tests.factories import (
    make_measure,
    make_milestone,
    make_objective,
    make_priority,
    make_strategy,
    make_value,
)

pytestmark = pytest.mark.e2e

DATA_MODELS = [
    Organisation,
    Strategy,
    Priority,
    Objective,
    Milestone,
    MilestoneDelegate,
    Measure,
    TrajectoryPoint,
    MeasureValue,
    ReportingPeriod,
    Submission,
    Strategy.approvers.through,
]


def stored_rows() -> dict[str, list[dict]]:
    """Every stored field of every row of the app's data, as the database has it now."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in DATA_MODELS
    }


def history_counts() -> dict[str, int]:
    """How many history rows each tracked model has."""
    return {
        model._meta.label: model.history.count()
        for model in DATA_MODELS
        if hasattr(model, "history")
    }


def differences(before: dict, after: dict) -> set[tuple[str, int, str]]:
    """(model, id, column) of every stored field that differs; "added" or "removed" for rows."""
    found = set()
    for label in before.keys() | after.keys():
        old = {row["id"]: row for row in before.get(label, [])}
        new = {row["id"]: row for row in after.get(label, [])}
        found |= {(label, pk, "added") for pk in new.keys() - old.keys()}
        found |= {(label, pk, "removed") for pk in old.keys() - new.keys()}
        for pk in old.keys() & new.keys():
            found |= {(label, pk, name) for name in old[pk] if old[pk][name] != new[pk][name]}
    return found


@pytest.fixture
def deputy(make_user):
    return make_user("deputy", PROGRAMME_LEAD, first_name="Dee", last_name="Deputy")


@pytest.fixture
def objective():
    strategy = make_strategy(slug="eput", title="EPUT plan")
    return make_objective(make_priority(strategy, number=1), number=1, title="Eradicate waits")


# --- 1. A lead's milestone update ----------------------------------------------------------

COMMENTARY = "Recruitment is slower than planned.\nTwo of the six posts are still open."


def test_the_milestone_update_form_shows_what_was_saved_and_resaving_it_changes_nothing(
    page: Page, live_server, sign_in, programme_lead, objective
):
    milestone = make_milestone(
        objective,
        title="Open the Lighthouse clinic",
        due_date=dt.date(2027, 3, 31),
        owner=programme_lead,
    )
    first = stored_rows()
    sign_in(page, "lead")
    page.goto(live_server.url + milestone.get_absolute_url())
    page.get_by_label("Status").select_option(label="At risk")
    page.get_by_label("Commentary").fill(COMMENTARY)
    page.get_by_label("Forecast date").fill("2027-06-30")
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_role("status")).to_contain_text("Milestone updated.")
    assert serious_accessibility_violations(page) == []  # the message's list, too
    milestone.refresh_from_db()
    assert (milestone.status, milestone.commentary.splitlines(), milestone.forecast_date) == (
        "at_risk",
        COMMENTARY.splitlines(),
        dt.date(2027, 6, 30),
    )
    assert differences(first, stored_rows()) == {
        (Milestone._meta.label, milestone.pk, name)
        for name in (
            "status",
            "commentary",
            "forecast_date",
            "version",
            "last_updated_at",
            "last_updated_by_id",
        )
    }

    page.reload()
    expect(page.get_by_label("Status")).to_have_value("at_risk")
    expect(page.get_by_label("Commentary")).to_have_value(COMMENTARY)
    expect(page.get_by_label("Forecast date")).to_have_value("2027-06-30")

    before, histories = stored_rows(), history_counts()
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Milestone confirmed as it was: nothing in it changed."
    )
    expect(page.get_by_label("Forecast date")).to_have_value("2027-06-30")

    # The lead confirmed the milestone as it was: only when, and the version, move.
    label = Milestone._meta.label
    assert differences(before, stored_rows()) == {
        (label, milestone.pk, "version"),
        (label, milestone.pk, "last_updated_at"),
    }
    assert history_counts() == histories | {label: histories[label] + 1}
    latest = milestone_change_log(milestone)[0]
    assert (latest.action, latest.changes) == ("confirmed, with no change", [])
    history = page.get_by_role("table", name="Changes, newest first")
    expect(history.locator("tbody tr").first).to_contain_text("confirmed, with no change")


def test_a_commentary_only_update_keeps_the_saved_forecast(
    page: Page, live_server, sign_in, programme_lead, objective
):
    """The issue's own scenario: the forecast came back empty, and this update wiped it."""
    milestone = make_milestone(
        objective,
        title="Open the Lighthouse clinic",
        due_date=dt.date(2027, 3, 31),
        owner=programme_lead,
    )
    sign_in(page, "lead")
    page.goto(live_server.url + milestone.get_absolute_url())
    page.get_by_label("Status").select_option(label="On track")
    page.get_by_label("Commentary").fill("Slipping a quarter: the building is late.")
    page.get_by_label("Forecast date").fill("2027-06-30")
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_role("status")).to_contain_text("Milestone updated.")

    page.reload()
    expect(page.get_by_label("Forecast date")).to_have_value("2027-06-30")
    page.get_by_label("Commentary").fill("Building handed over; fitting out has started.")
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_role("status")).to_contain_text("Milestone updated.")

    milestone.refresh_from_db()
    assert milestone.forecast_date == dt.date(2027, 6, 30)
    assert milestone.commentary == "Building handed over; fitting out has started."
    assert milestone.status == "on_track"
    expect(page.get_by_label("Forecast date")).to_have_value("2027-06-30")
    latest = milestone_change_log(milestone)[0]
    assert [change.field for change in latest.changes] == ["commentary"]


def test_confirming_a_milestone_whose_commentary_was_loaded_with_line_breaks_changes_nothing(
    page: Page, live_server, sign_in, programme_lead, objective
):
    milestone = make_milestone(
        objective,
        title="Open the Lighthouse clinic",
        due_date=dt.date(2027, 3, 31),
        owner=programme_lead,
        status="on_track",
        commentary=COMMENTARY,  # as the seeds, the example strategy and a JSON import store it
    )
    sign_in(page, "lead")
    page.goto(live_server.url + milestone.get_absolute_url())
    expect(page.get_by_label("Commentary")).to_have_value(COMMENTARY)
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Milestone confirmed as it was: nothing in it changed."
    )
    history = page.get_by_role("table", name="Changes, newest first")
    expect(history.locator("tbody tr").first).to_contain_text("confirmed, with no change")
    milestone.refresh_from_db()
    assert milestone.commentary == COMMENTARY


# --- 2. An Admin's owner and delegates on one milestone ------------------------------------


def test_the_owner_and_delegates_form_shows_what_was_saved_and_resaving_it_changes_nothing(
    page: Page, live_server, sign_in, admin_user, programme_lead, deputy, make_user, objective
):
    make_user("second", PROGRAMME_LEAD, first_name="Sam", last_name="Second")
    milestone = make_milestone(objective, title="Open the Lighthouse clinic")
    sign_in(page, "admin")
    page.goto(live_server.url + milestone.get_absolute_url())
    people = page.get_by_role("region", name="Owner and delegates")
    people.get_by_label("Owner").select_option(label="Lee Lead")
    people.get_by_label("Dee Deputy").check()
    people.get_by_role("button", name="Save owner and delegates").click()
    expect(page.get_by_role("status")).to_contain_text("Owner and delegates saved.")
    milestone.refresh_from_db()
    assert milestone.owner == programme_lead
    assert list(milestone.delegates.all()) == [deputy]

    page.reload()
    expect(people.get_by_label("Owner")).to_have_value(str(programme_lead.pk))
    expect(people.get_by_label("Dee Deputy")).to_be_checked()
    for name in ("Ada Admin", "Lee Lead", "Sam Second"):
        expect(people.get_by_label(name)).not_to_be_checked()

    before, histories = stored_rows(), history_counts()
    people.get_by_role("button", name="Save owner and delegates").click()
    expect(page.get_by_role("status")).to_contain_text(
        "The owner and delegates are as they were; nothing was changed."
    )
    expect(people.get_by_label("Owner")).to_have_value(str(programme_lead.pk))
    expect(people.get_by_label("Dee Deputy")).to_be_checked()
    assert differences(before, stored_rows()) == set()
    assert history_counts() == histories


# --- 3. An Admin's bulk assignment ----------------------------------------------------------


def test_assigning_milestones_in_bulk_leaves_nothing_ticked_and_resaving_changes_nothing(
    page: Page, live_server, sign_in, admin_user, programme_lead, deputy, objective
):
    first = make_milestone(objective, title="Open the Lighthouse clinic", position=1)
    second = make_milestone(objective, title="Recruit twelve nurses", position=2)
    make_milestone(objective, title="Close the old ward", position=3)
    sign_in(page, "admin")
    page.goto(f"{live_server.url}/milestones/assign/")
    form = page.locator("form").filter(has=page.get_by_role("button", name="Assign", exact=True))
    form.get_by_label("Open the Lighthouse clinic").check()
    form.get_by_label("Recruit twelve nurses").check()
    owner = form.get_by_label("Owner")
    owner.select_option(label="Lee Lead")
    form.get_by_label("Add delegates").select_option(label="Dee Deputy")
    form.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Assigned 2 milestones to Lee Lead.")
    for milestone in (first, second):
        milestone.refresh_from_db()
        assert milestone.owner == programme_lead
        assert list(milestone.delegates.all()) == [deputy]

    page.reload()
    expect(form.get_by_role("checkbox", checked=True)).to_have_count(0)
    expect(form.get_by_role("checkbox")).to_have_count(3)
    expect(owner).to_have_value("")
    expect(form.get_by_label("Add delegates")).to_have_values([])
    expect(form.get_by_label("Remove delegates")).to_have_values([])

    before, histories = stored_rows(), history_counts()
    form.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Tick at least one milestone.")
    expect(page.get_by_role("alert")).to_contain_text("Nothing was assigned")
    assert differences(before, stored_rows()) == set()
    assert history_counts() == histories


def test_assigning_within_a_strategy_filter_keeps_the_filter_and_resaving_changes_nothing(
    page: Page, live_server, sign_in, admin_user, programme_lead, objective
):
    other = make_objective(
        make_priority(make_strategy(slug="thurrock", title="Thurrock plan"), number=1), number=1
    )
    ours = make_milestone(objective, title="Open the Lighthouse clinic", position=1)
    theirs = make_milestone(other, title="Open the Grays hub", position=1)
    sign_in(page, "admin")
    page.goto(f"{live_server.url}/milestones/assign/")
    filters = page.get_by_role("form", name="Filter milestones")
    filters.get_by_label("Strategy").select_option(label="EPUT plan")
    filters.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"/milestones/assign/\?.*strategy=eput"))
    form = page.locator("form").filter(has=page.get_by_role("button", name="Assign", exact=True))
    expect(form.get_by_role("checkbox")).to_have_count(1)
    form.get_by_label("Open the Lighthouse clinic").check()
    form.get_by_label("Owner").select_option(label="Lee Lead")
    form.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Assigned 1 milestone to Lee Lead.")
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert (ours.owner, theirs.owner) == (programme_lead, None)

    page.reload()
    assert "strategy=eput" in page.url
    expect(filters.get_by_label("Strategy")).to_have_value("eput")
    expect(form.get_by_role("checkbox")).to_have_count(1)
    expect(form.get_by_role("checkbox", checked=True)).to_have_count(0)

    before, histories = stored_rows(), history_counts()
    form.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was assigned")
    assert "strategy=eput" in page.url
    assert differences(before, stored_rows()) == set()
    assert history_counts() == histories


def test_the_bulk_assign_forms_owner_select_is_labelled_owner(
    page: Page, live_server, sign_in, admin_user, programme_lead, objective
):
    make_milestone(objective, title="Open the Lighthouse clinic", owner=programme_lead)
    sign_in(page, "admin")
    page.goto(f"{live_server.url}/milestones/assign/")
    form = page.locator("form").filter(has=page.get_by_role("button", name="Assign", exact=True))
    expect(form.locator("select[name=owner]")).to_have_count(1)
    expect(form.get_by_label("Owner")).to_have_count(1, timeout=2000)


# --- 4. An Admin's SPC limits on a measure page ---------------------------------------------


def test_the_spc_limits_form_shows_the_saved_rebase_date_and_resaving_it_changes_nothing(
    page: Page, live_server, sign_in, admin_user, objective
):
    measure = make_measure(
        objective, code="WAITS", name="Children waiting over 18 weeks", unit="count"
    )
    for period, value in zip(quarters(20), [11, 9] * 10, strict=True):
        make_value(measure, period, value)
    first = stored_rows()
    sign_in(page, "admin")
    page.goto(f"{live_server.url}/measures/WAITS/")
    limits = page.locator("#spc-limits")
    limits.get_by_text("Fix or rebase the SPC limits (Admin)").click()
    limits.get_by_label("Baseline points").fill("12")
    limits.get_by_label("Rebase from").fill("2021-06-30")
    limits.get_by_label("Reason").fill("A new triage pathway started in April 2021.")
    limits.get_by_role("button", name="Save SPC limits").click()
    expect(page.get_by_role("status")).to_contain_text("SPC limits saved.")
    measure.refresh_from_db()
    assert (measure.spc_baseline_points, measure.spc_rebase_from) == (12, dt.date(2021, 6, 30))
    assert differences(first, stored_rows()) == {
        (Measure._meta.label, measure.pk, "spc_baseline_points"),
        (Measure._meta.label, measure.pk, "spc_rebase_from"),
    }

    page.reload()
    limits.get_by_text("Fix or rebase the SPC limits (Admin)").click()
    expect(limits.get_by_label("Baseline points")).to_have_value("12")
    expect(limits.get_by_label("Rebase from")).to_have_value("2021-06-30")
    expect(limits.get_by_label("Reason")).to_have_value("")

    before, histories = stored_rows(), history_counts()
    limits.get_by_role("button", name="Save SPC limits").click()
    expect(page.get_by_role("status")).to_contain_text(
        "The SPC limits are as they were; nothing was changed."
    )
    assert differences(before, stored_rows()) == set()
    assert history_counts() == histories


# --- 5. An Admin's import of figures ---------------------------------------------------------

FIGURES = (
    "measure_code,period,value,note,source\n"
    "THK-SMOKING,2024/25 Q1,21.5%,First quarter,GP survey\n"
    "THK-SMOKING,2024/25 Q2,20.75%,,GP survey\n"
    'THK-REFERRALS,2024/25 Q1,"1,234",Includes self-referrals,Monthly return\n'
)


def test_importing_the_same_figures_again_finds_them_unchanged_and_writes_nothing(
    page: Page, live_server, sign_in, admin_user, objective, tmp_path
):
    make_measure(objective, code="THK-SMOKING", name="Adult smoking", unit="%")
    make_measure(objective, code="THK-REFERRALS", name="Referrals", unit="count")
    figures = tmp_path / "q1-q2.csv"
    figures.write_text(FIGURES, encoding="utf-8")
    sign_in(page, "admin")

    def upload() -> None:
        page.goto(f"{live_server.url}/measures/import/")
        page.get_by_label("CSV file of figures").set_input_files(str(figures))
        page.get_by_role("button", name="Upload and preview").click()

    upload()
    expect(page.locator("#totals")).to_have_text("3 new, 0 updated, 0 unchanged, 0 with errors.")
    page.get_by_role("button", name="Confirm and import").click()
    expect(page.get_by_role("status")).to_contain_text("3 new, 0 updated, 0 unchanged")
    assert MeasureValue.objects.get(
        measure__code="THK-SMOKING", period_end=dt.date(2024, 9, 30)
    ).value == Decimal("20.75")

    before, histories = stored_rows(), history_counts()
    upload()
    expect(page.locator("#totals")).to_have_text("0 new, 0 updated, 3 unchanged, 0 with errors.")
    page.reload()
    expect(page.locator("#totals")).to_have_text("0 new, 0 updated, 3 unchanged, 0 with errors.")
    expect(page.get_by_label("I confirm these rows restate figures")).to_have_count(0)
    page.get_by_role("button", name="Confirm and import").click()
    expect(page.get_by_role("status")).to_contain_text("0 new, 0 updated, 3 unchanged")
    assert differences(before, stored_rows()) == set()
    assert history_counts() == histories
