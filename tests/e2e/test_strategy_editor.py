"""The strategy editor in the browser (issue 18): a whole strategy from a workbook, a strategy
built screen by screen, the editor on a phone, and every editor form saved, reloaded and saved
again untouched."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.forms.models import model_to_dict
from playwright.sync_api import Locator, Page, expect

from measures.models import Measure
from milestones.models import Milestone
from objectives.models import Objective, Organisation, Priority, Strategy
from strategy_tracker.roles import PROGRAMME_LEAD
from tests.e2e.conftest import serious_accessibility_violations
from tests.factories import make_milestone, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.e2e

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PHONE = {"width": 390, "height": 844}
LEAD_EMAIL = "lena.lead@example.org"
NOTHING_CHANGED = "Nothing had changed, so nothing was saved."


# --- helpers ---------------------------------------------------------------------------------


def form(page: Page, name: str) -> Locator:
    """One of the screen's forms, by the heading that names it: the editor's screens hold
    several forms whose fields share labels ("Title")."""
    return page.get_by_role("form", name=name, exact=True)


def outline(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Outline")


def stored(item) -> dict:
    """Every stored field of the item, as the database has it now (archived or not)."""
    return model_to_dict(type(item)._base_manager.get(pk=item.pk))


def history_rows(item) -> int:
    return type(item).history.filter(id=item.pk).count()


def strategy_values() -> dict:
    return {
        "Title": "Thurrock Health and Wellbeing Strategy",
        "Short name in addresses": "thurrock-hwb",
        "Organisation": "Thurrock Council",
        "Period start": dt.date(2024, 4, 1),
        "Period end": dt.date(2029, 3, 31),
    }


def item_rows(due_of_the_last_milestone: object) -> list[dict]:
    """A small strategy, one row per item, as a person fills the Items sheet: by heading."""
    return [
        {"Level": "priority", "Number": "1", "Title": "Start well"},
        {"Level": "objective", "Number": "1.1", "Parent": "1", "Title": "Fewer adults smoking"},
        {
            "Level": "milestone",
            "Number": "1.1.1",
            "Parent": "1.1",
            "Title": "Stop-smoking service opens",
            "Due date": dt.date(2025, 3, 31),
            "Due (document wording)": "by March 2025",
            "Owner e-mail": LEAD_EMAIL,
        },
        {
            "Level": "milestone",
            "Number": "1.1.2",
            "Parent": "1.1",
            "Title": "Smoke-free playgrounds",
            "Due date": dt.date(2025, 9, 30),
        },
        {
            "Level": "measure",
            "Parent": "1.1",
            "Measure code": "THK-SMOKING",
            "Title": "Adults who smoke",
            "Kind": "success",
            "Unit": "%",
            "Direction": "lower",
            "Baseline": 14.2,
            "Baseline period end": dt.date(2024, 3, 31),
            "Target": 10,
            "Target date": dt.date(2029, 3, 31),
        },
        {"Level": "objective", "Number": "1.2", "Parent": "1", "Title": "More children active"},
        {
            "Level": "milestone",
            "Number": "1.2.1",
            "Parent": "1.2",
            "Title": "Daily mile in every school",
            "Due date": dt.date(2026, 7, 31),
        },
        {"Level": "priority", "Number": "2", "Title": "Live well"},
        {"Level": "objective", "Number": "2.1", "Parent": "2", "Title": "Warmer homes"},
        {
            "Level": "milestone",
            "Number": "2.1.1",
            "Parent": "2.1",
            "Title": "Insulation grants open",
            "Due date": due_of_the_last_milestone,
        },
        {
            "Level": "measure",
            "Parent": "2",
            "Measure code": "THK-COLD-HOMES",
            "Title": "Homes in fuel poverty",
            "Kind": "success",
            "Unit": "count",
            "Direction": "lower",
        },
    ]


# The row of the last milestone on the Items sheet: the header is row 1.
BAD_ROW = 1 + next(
    i for i, row in enumerate(item_rows(None), start=1) if row.get("Number") == "2.1.1"
)


def filled_workbook(template: bytes, due_of_the_last_milestone: object) -> bytes:
    """The downloaded template with the strategy typed into its sheets."""
    book = openpyxl.load_workbook(io.BytesIO(template))
    details = book["Strategy"]
    row_of = {details.cell(r, 1).value: r for r in range(2, details.max_row + 1)}
    rows = item_rows(due_of_the_last_milestone)
    for heading, value in strategy_values().items():
        details.cell(row_of[heading], 2, value)
    items = book["Items"]
    headings = [cell.value for cell in items[1]]
    for values in rows:
        assert set(values) <= set(headings), set(values) - set(headings)
        items.append([values.get(heading) for heading in headings])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(page: Page, name: str, content: bytes) -> None:
    page.get_by_label("Workbook (.xlsx) or CSV file").set_input_files(
        {"name": name, "mimeType": XLSX, "buffer": content}
    )
    page.get_by_role("button", name="Upload and preview").click()


# --- 1. A whole strategy from a workbook -----------------------------------------------------


def test_an_admin_imports_a_strategy_from_the_template_fixing_a_bad_row_then_publishes_it(
    page: Page, live_server, sign_in, admin_user, board_member, make_user
):
    # The organisation the workbook names, whose Admin imports it and whose lead holds its
    # milestones (only a site administrator adds organisations).
    Organisation.objects.create(name="Thurrock Council")
    lead = make_user("lena", PROGRAMME_LEAD, email=LEAD_EMAIL, first_name="Lena", last_name="Lead")
    sign_in(page, "admin")
    page.goto(f"{live_server.url}/strategies/")
    page.get_by_role("link", name="Import a strategy from a workbook").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Import a whole strategy from a workbook"
    )
    assert serious_accessibility_violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="the empty template (.xlsx)").click()
    assert download.value.suggested_filename == "strategy-template.xlsx"
    template = download.value.path().read_bytes()
    assert openpyxl.load_workbook(io.BytesIO(template)).sheetnames == [
        "Strategy",
        "Items",
        "Read me",
    ]

    # A date typed as the document words it: the whole file is refused, naming the row.
    upload(page, "thurrock.xlsx", filled_workbook(template, "March 2014"))
    problems = page.get_by_role("alert")
    expect(problems).to_contain_text("Nothing can be imported yet: 1 problem")
    expect(problems).to_contain_text(
        f'Sheet "Items", row {BAD_ROW}: Due date: "March 2014" is not a date'
    )
    expect(page.get_by_role("button", name="Import it")).to_have_count(0)
    assert serious_accessibility_violations(page) == []
    assert not Strategy.objects.exists()
    assert not Priority.everything.exists() and not Milestone.everything.exists()

    page.get_by_role("link", name="Upload another file").click()
    upload(page, "thurrock-fixed.xlsx", filled_workbook(template, dt.date(2027, 3, 31)))
    expect(page.locator("#import-summary")).to_contain_text(
        "A new draft strategy, Thurrock Health and Wellbeing Strategy: "
        "11 new, 0 updated, 0 unchanged, 0 to be archived."
    )
    tree = page.locator(".tree-preview")
    expect(tree.locator(".outcome-new")).to_have_count(11)
    expect(tree).to_contain_text("Objective 1.1: Fewer adults smoking — new")
    expect(tree).to_contain_text("Measure THK-COLD-HOMES: Homes in fuel poverty — new")
    assert serious_accessibility_violations(page) == []
    assert not Strategy.objects.exists()  # a preview writes nothing

    page.get_by_role("button", name="Import it").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Imported thurrock-fixed.xlsx: 11 new, 0 updated, 0 unchanged, 0 archived."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Edit Thurrock Health and Wellbeing Strategy"
    )
    strategy = Strategy.objects.get(slug="thurrock-hwb")
    assert (strategy.status, strategy.organisation.name) == ("draft", "Thurrock Council")
    assert Priority.objects.filter(strategy=strategy).count() == 2
    assert Objective.objects.filter(priority__strategy=strategy).count() == 3
    assert Milestone.objects.for_strategy(strategy).count() == 4
    assert Measure.objects.filter(code__startswith="THK-").count() == 2
    assert Milestone.objects.get(title="Stop-smoking service opens").owner == lead
    assert Milestone.objects.get(title="Insulation grants open").due_date == dt.date(2027, 3, 31)

    # Edit one objective: saved once, and saving it again untouched writes nothing.
    outline(page).get_by_role("link", name="1.2 More children active").click()
    details = form(page, "Details")
    details.get_by_label("Title").fill("More children active every day")
    details.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Saved objective 1.2.")
    objective = Objective.objects.get(priority__strategy=strategy, number=2)
    assert objective.title == "More children active every day"
    page.reload()
    expect(form(page, "Details").get_by_label("Title")).to_have_value(
        "More children active every day"
    )
    histories = Objective.history.count()
    form(page, "Details").get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text(NOTHING_CHANGED)
    assert Objective.history.count() == histories

    page.get_by_role("link", name="View the strategy").click()
    page.get_by_role("button", name="Publish this strategy").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Thurrock Health and Wellbeing Strategy is published."
    )
    assert Strategy.objects.get(pk=strategy.pk).status == "published"

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "board")
    page.goto(f"{live_server.url}/strategies/")
    page.get_by_role("link", name="Thurrock Health and Wellbeing Strategy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thurrock Health and Wellbeing Strategy"
    )
    expect(page.locator("#strategy-status")).to_contain_text("Published; published")
    page.get_by_role("link", name="1. Start well").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Priority 1: Start well")
    expect(page.get_by_role("link", name="2. More children active every day")).to_be_visible()


# --- 2. A strategy built screen by screen ----------------------------------------------------


def add(page: Page, form_name: str, button: str, **fields: str) -> None:
    """Fill the add form's fields by label (select_ for a drop-down) and submit it."""
    adding = form(page, form_name)
    for label, value in fields.items():
        if label.startswith("select_"):
            adding.get_by_label(label.removeprefix("select_")).select_option(label=value)
        else:
            adding.get_by_label(label.replace("_", " "), exact=True).fill(value)
    adding.get_by_role("button", name=button).click()


def child(page: Page, section: str, title: str) -> Locator:
    """The row of one child item in a screen's list of them ("Objectives", "Milestones")."""
    return page.get_by_role("region", name=section).get_by_role("listitem").filter(has_text=title)


def outline_labels(page: Page, level: str) -> list[str]:
    return outline(page).locator(f"li.outline-{level} > a").all_inner_texts()


def test_an_admin_builds_a_strategy_in_the_editor_archives_reorders_and_restores(
    page: Page, live_server, sign_in, admin_user, programme_lead
):
    Organisation.objects.create(name="Basildon Council")  # the Admin's organisation
    sign_in(page, "admin")
    page.goto(f"{live_server.url}/strategies/")
    page.get_by_role("link", name="New strategy", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New strategy")
    assert serious_accessibility_violations(page) == []
    # An organisation's Admin chooses among their own; only a site administrator adds one.
    expect(page.get_by_label("Or a new organisation")).to_have_count(0)
    page.get_by_label("Organisation").select_option(label="Basildon Council")
    page.get_by_label("Title", exact=True).fill("Basildon Health Plan")
    page.get_by_label("Period start").fill("2025-04-01")
    page.get_by_label("Period end").fill("2030-03-31")
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_role("status")).to_contain_text("Basildon Health Plan is saved as a draft")
    strategy = Strategy.objects.get(title="Basildon Health Plan")
    assert (strategy.slug, strategy.status, strategy.organisation.name) == (
        "basildon-health-plan",
        "draft",
        "Basildon Council",
    )
    assert (strategy.period_start, strategy.period_end) == (
        dt.date(2025, 4, 1),
        dt.date(2030, 3, 31),
    )
    assert serious_accessibility_violations(page) == []  # the strategy screen

    for title in ("Start well", "Age well"):
        add(page, "Add a priority", "Add the priority", Title=title)
        expect(page.get_by_role("status")).to_contain_text("Added priority")
    assert outline_labels(page, "priority") == ["1. Start well", "2. Age well"]

    outline(page).get_by_role("link", name="1. Start well").click()
    for title in ("Fewer smokers", "More walking", "Healthier schools"):
        add(page, "Add an objective", "Add the objective", Title=title)
        expect(page.get_by_role("status")).to_contain_text("Added objective 1.")
    assert outline_labels(page, "objective") == [
        "1.1 Fewer smokers",
        "1.2 More walking",
        "1.3 Healthier schools",
    ]

    outline(page).get_by_role("link", name="1.1 Fewer smokers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Objective 1.1")
    add(
        page,
        "Add a milestone",
        "Add the milestone",
        Title="Clinic opens",
        Due_date="2026-03-31",
        select_Owner="Lee Lead",
    )
    add(page, "Add a milestone", "Add the milestone", Title="Clinic opnes (typo)")
    add(page, "Add a milestone", "Add the milestone", Title="Campaign launched")
    expect(page.get_by_role("status")).to_contain_text("Added milestone “Campaign launched”.")
    objective = Objective.objects.get(priority__strategy=strategy, title="Fewer smokers")
    assert list(objective.milestones.values_list("position", "title", "owner")) == [
        (1, "Clinic opens", programme_lead.pk),
        (2, "Clinic opnes (typo)", None),
        (3, "Campaign launched", None),
    ]
    assert serious_accessibility_violations(page) == []  # an objective screen

    # The mistaken milestone is archived: gone from the objective's page; the rest close up.
    child(page, "Milestones", "Clinic opnes (typo)").get_by_role("link", name="Archive").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Archive milestone “Clinic opnes (typo)”?"
    )
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Archive it").click()
    expect(page.get_by_role("status")).to_contain_text("Archived milestone “Clinic opnes (typo)”.")
    mistaken = Milestone.everything.get(title="Clinic opnes (typo)")
    assert mistaken.archived_at is not None
    assert list(objective.milestones.values_list("position", "title")) == [
        (1, "Clinic opens"),
        (2, "Campaign launched"),
    ]
    assert outline_labels(page, "milestone") == ["1. Clinic opens", "2. Campaign launched"]
    page.goto(f"{live_server.url}/strategies/basildon-health-plan/priorities/1/objectives/1/")
    rows = page.locator("table.milestone-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Clinic opens")
    expect(rows.nth(1)).to_contain_text("Campaign launched")
    expect(page.get_by_text("Clinic opnes")).to_have_count(0)

    # Reordering renumbers: the outline and the numbers follow the new order.
    page.goto(f"{live_server.url}/edit/basildon-health-plan/")
    outline(page).get_by_role("link", name="1. Start well").click()
    child(page, "Objectives", "Fewer smokers").get_by_role("button", name="Move down").click()
    # The message names the objective by its new number.
    expect(page.get_by_role("status")).to_contain_text("Moved objective 1.2 down.")
    assert outline_labels(page, "objective") == [
        "1.1 More walking",
        "1.2 Fewer smokers",
        "1.3 Healthier schools",
    ]
    child(page, "Objectives", "Healthier schools").get_by_role("button", name="Move up").click()
    expect(page.get_by_role("status")).to_contain_text("Moved objective 1.2 up.")
    assert outline_labels(page, "objective") == [
        "1.1 More walking",
        "1.2 Healthier schools",
        "1.3 Fewer smokers",
    ]
    expect(
        page.get_by_role("region", name="Objectives").locator("li > a:first-child")
    ).to_have_text(["1.1 More walking", "1.2 Healthier schools", "1.3 Fewer smokers"])
    assert list(
        Objective.objects.filter(priority__strategy=strategy).values_list("number", "title")
    ) == [(1, "More walking"), (2, "Healthier schools"), (3, "Fewer smokers")]

    # The archived milestone comes back, last among its siblings.
    outline(page).get_by_role("link", name="1.3 Fewer smokers").click()
    archived = page.locator("details.archived-items")
    archived.get_by_text("Archived (1)").click()
    archived.get_by_role("listitem").filter(has_text="Clinic opnes (typo)").get_by_role(
        "button", name="Restore"
    ).click()
    expect(page.get_by_role("status")).to_contain_text("Restored milestone “Clinic opnes (typo)”.")
    mistaken.refresh_from_db()
    assert (mistaken.archived_at, mistaken.position) == (None, 3)
    assert outline_labels(page, "milestone") == [
        "1. Clinic opens",
        "2. Campaign launched",
        "3. Clinic opnes (typo)",
    ]
    expect(page.locator("details.archived-items")).to_have_count(0)


# --- 3. On a phone ---------------------------------------------------------------------------


def within_the_screen(locator: Locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_the_objective_screen_fits_a_phone_and_its_forms_work_there(
    page: Page, live_server, sign_in, admin_user
):
    strategy = make_strategy(status="draft", slug="phone-plan", title="Phone plan")
    objective = make_objective(
        make_priority(strategy, number=1, title="A priority with a rather long title to wrap"),
        number=1,
        title="An objective whose title is long enough to need wrapping on a narrow screen",
    )
    make_milestone(objective, title="A milestone " + "with many words " * 8)
    page.set_viewport_size(PHONE)
    sign_in(page, "admin")
    page.goto(f"{live_server.url}/edit/phone-plan/objective/{objective.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Objective 1.1")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_accessibility_violations(page) == []

    details = form(page, "Details")
    for control in (details.get_by_label("Title"), details.get_by_role("button", name="Save")):
        assert within_the_screen(control)
    details.get_by_label("Title").fill("A shorter title")
    details.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Saved objective 1.1.")
    assert Objective.objects.get(pk=objective.pk).title == "A shorter title"

    adding = form(page, "Add a milestone")
    assert within_the_screen(adding.get_by_label("Title"))
    assert within_the_screen(adding.get_by_role("button", name="Add the milestone"))
    adding.get_by_label("Title").fill("Added on a phone")
    adding.get_by_label("Due date").fill("2026-06-30")
    adding.get_by_role("button", name="Add the milestone").click()
    expect(page.get_by_role("status")).to_contain_text("Added milestone “Added on a phone”.")
    assert objective.milestones.get(position=2).due_date == dt.date(2026, 6, 30)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_strategy_screen_and_the_import_page_fit_a_phone(
    page: Page, live_server, sign_in, admin_user
):
    strategy = make_strategy(
        status="draft", slug="phone-plan", title="A strategy whose title is long enough to wrap"
    )
    make_priority(strategy, number=1, title="The only priority, with nothing to move")
    page.set_viewport_size(PHONE)
    sign_in(page, "admin")
    page.goto(f"{live_server.url}/edit/phone-plan/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_accessibility_violations(page) == []  # its Archive link is large enough

    # The list of strategies to start from is as wide as the longest title.
    page.goto(f"{live_server.url}/edit/import/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_accessibility_violations(page) == []


def test_the_screens_without_an_outline_use_the_whole_width(
    page: Page, live_server, sign_in, admin_user
):
    page.set_viewport_size({"width": 1280, "height": 800})
    Organisation.objects.create(name="Trust")  # the Admin's organisation
    sign_in(page, "admin")
    for address in ("/edit/new/", "/edit/import/"):
        page.goto(live_server.url + address)
        main = page.locator(".editor-main").bounding_box()
        assert main is not None and main["width"] > 800, address


# --- 4. Every editor form: save, reload, save again untouched --------------------------------


@pytest.fixture
def objective():
    strategy = make_strategy(
        status="draft", slug="round-trip", title="Round trip plan", illustrative=False
    )
    return make_objective(make_priority(strategy, number=1), number=1, title="Fewer smokers")


def fill(scope: Locator, values: dict[str, str]) -> None:
    for label, value in values.items():
        field = scope.get_by_label(label, exact=True)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def shows(scope: Locator, values: dict[str, str]) -> None:
    for label, value in values.items():
        expect(scope.get_by_label(label, exact=True)).to_have_value(value)


def save_again_untouched(page: Page, item, form_name: str, button: str = "Save") -> None:
    """Reload the screen, save the form as the browser rendered it: nothing may change."""
    page.reload()
    before, histories = stored(item), history_rows(item)
    form(page, form_name).get_by_role("button", name=button).click()
    expect(page.get_by_role("status")).to_contain_text(NOTHING_CHANGED)
    assert stored(item) == before
    assert history_rows(item) == histories


STRATEGY_DETAILS = {
    "Title": "Round trip plan, revised",
    "Period start": "2024-04-01",
    "Period end": "2029-03-31",
    "Vision": "Everyone lives well for longer.",
    "Aims": "Fewer smokers\nMore walking",
    "Source document": "Round trip plan 2024",
    "Source version": "1.2",
    "Source date": "2024-02-29",
}


def test_the_strategy_details_form_round_trips(
    page: Page, live_server, sign_in, admin_user, objective
):
    strategy = objective.priority.strategy
    sign_in(page, "admin")
    page.goto(f"{live_server.url}/edit/round-trip/")
    details = form(page, "The strategy's details")
    fill(details, STRATEGY_DETAILS)
    details.get_by_label("Illustrative").check()
    details.get_by_role("button", name="Save the details").click()
    expect(page.get_by_role("status")).to_contain_text("Saved Round trip plan, revised.")
    strategy.refresh_from_db()
    assert (strategy.title, strategy.source_date, strategy.illustrative, strategy.slug) == (
        "Round trip plan, revised",
        dt.date(2024, 2, 29),
        True,
        "round-trip",
    )
    assert strategy.aims.splitlines() == ["Fewer smokers", "More walking"]

    page.reload()
    shows(form(page, "The strategy's details"), STRATEGY_DETAILS)
    expect(form(page, "The strategy's details").get_by_label("Illustrative")).to_be_checked()
    save_again_untouched(page, strategy, "The strategy's details", "Save the details")
    # Text typed in a textarea is stored with LF line breaks, as an import stores it.
    assert strategy.aims == "Fewer smokers\nMore walking"


def test_a_priority_form_round_trips(page: Page, live_server, sign_in, admin_user, objective):
    priority = objective.priority
    values = {
        "Part title": "Part One: the plan",
        "Title": "Start well",
        "Description": "Children get the best start.\nFamilies are supported.",
        "Source reference": "p. 12",
    }
    sign_in(page, "admin")
    page.goto(f"{live_server.url}/edit/round-trip/priority/{priority.pk}/")
    fill(form(page, "Details"), values)
    form(page, "Details").get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Saved priority 1.")
    priority.refresh_from_db()
    assert (priority.part, priority.part_title, priority.title, priority.source_ref) == (
        1,
        "Part One: the plan",
        "Start well",
        "p. 12",
    )
    page.reload()
    shows(form(page, "Details"), values)
    expect(form(page, "Details").get_by_label("Part", exact=True)).to_be_disabled()
    save_again_untouched(page, priority, "Details")
    assert priority.description == "Children get the best start.\nFamilies are supported."


def test_an_objective_form_round_trips(page: Page, live_server, sign_in, admin_user, objective):
    values = {
        "Title": "Fewer adults smoking",
        "Description": "Smoking is the largest preventable cause of ill health.",
        "We will": "Open a stop-smoking clinic\nRun a campaign",
        "Where are we now": "14% of adults smoke.",
        "Where do we want to be": "Under 10% by 2029.",
        "Source reference": "p. 14",
    }
    sign_in(page, "admin")
    page.goto(f"{live_server.url}/edit/round-trip/objective/{objective.pk}/")
    fill(form(page, "Details"), values)
    form(page, "Details").get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Saved objective 1.1.")
    objective.refresh_from_db()
    assert (objective.title, objective.where_now, objective.where_want) == (
        "Fewer adults smoking",
        "14% of adults smoke.",
        "Under 10% by 2029.",
    )
    assert objective.we_will.splitlines() == ["Open a stop-smoking clinic", "Run a campaign"]
    page.reload()
    shows(form(page, "Details"), values)
    save_again_untouched(page, objective, "Details")
    assert objective.we_will == "Open a stop-smoking clinic\nRun a campaign"


def test_a_milestone_form_round_trips(
    page: Page, live_server, sign_in, admin_user, programme_lead, objective
):
    milestone = make_milestone(objective, title="Clinic opens", due_date=dt.date(2026, 3, 31))
    values = {
        "Title": "Stop-smoking clinic opens",
        "Heading": "Services",
        "Due date": "2027-03-31",
        "Due (document wording)": "by March 2027",
        "Source reference": "p. 15",
    }
    sign_in(page, "admin")
    page.goto(f"{live_server.url}/edit/round-trip/milestone/{milestone.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Milestone 1 of objective 1.1")
    fill(form(page, "Details"), values)
    form(page, "Details").get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Saved milestone “Stop-smoking clinic opens”."
    )
    milestone.refresh_from_db()
    assert (milestone.title, milestone.heading, milestone.due_date, milestone.due_text) == (
        "Stop-smoking clinic opens",
        "Services",
        dt.date(2027, 3, 31),
        "by March 2027",
    )
    page.reload()
    shows(form(page, "Details"), values)
    save_again_untouched(page, milestone, "Details")

    # Its owner, chosen in the form beside it, round-trips too.
    people = page.get_by_role("region", name="Owner and delegates")
    people.get_by_label("Owner").select_option(label="Lee Lead")
    people.get_by_role("button", name="Save owner and delegates").click()
    expect(page.get_by_role("status")).to_contain_text("Owner and delegates saved.")
    assert Milestone.objects.get(pk=milestone.pk).owner == programme_lead
    page.reload()
    before, histories = stored(milestone), history_rows(milestone)
    people = page.get_by_role("region", name="Owner and delegates")
    expect(people.get_by_label("Owner")).to_have_value(str(programme_lead.pk))
    people.get_by_role("button", name="Save owner and delegates").click()
    expect(page.get_by_role("status")).to_contain_text("nothing was changed")
    assert (stored(milestone), history_rows(milestone)) == (before, histories)


MEASURE = {
    "Measure code": "RT-SMOKING",
    "Name": "Adults who smoke",
    "Kind": "success",
    "Unit": "%",
    "Direction": "lower",
    "Baseline": "12",
    "Baseline period end": "2024-03-31",
    "Target": "8",
    "Target date": "2027-03-31",
    "Trajectory": "2025-03-31=11; 2026-03-31=9.5",
}


def trajectory(measure: Measure) -> list[tuple[dt.date, Decimal]]:
    return list(measure.trajectory.order_by("period_end").values_list("period_end", "value"))


def test_a_measure_form_round_trips(page: Page, live_server, sign_in, admin_user, objective):
    sign_in(page, "admin")
    page.goto(f"{live_server.url}/edit/round-trip/objective/{objective.pk}/")
    page.get_by_role("link", name="Add a measure").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a measure to objective 1.1")
    assert serious_accessibility_violations(page) == []
    fill(page.get_by_role("main"), MEASURE)
    page.get_by_role("button", name="Add the measure").click()
    expect(page.get_by_role("status")).to_contain_text("Added measure RT-SMOKING.")
    measure = Measure.objects.get(code="RT-SMOKING")
    assert (measure.objective, measure.unit, measure.direction) == (objective, "%", "lower")
    assert (measure.baseline_value, measure.baseline_period) == (Decimal(12), dt.date(2024, 3, 31))
    assert (measure.target_value, measure.target_date) == (Decimal(8), dt.date(2027, 3, 31))
    assert trajectory(measure) == [
        (dt.date(2025, 3, 31), Decimal(11)),
        (dt.date(2026, 3, 31), Decimal("9.5")),
    ]

    page.get_by_role("region", name="Measures of this objective").get_by_role(
        "link", name="RT-SMOKING: Adults who smoke"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Measure RT-SMOKING")
    details = form(page, "Details")
    expect(details.get_by_label("Measure code", exact=True)).to_be_disabled()
    expect(details.get_by_label("Trajectory")).to_have_value(MEASURE["Trajectory"])
    for label in ("Baseline", "Target"):
        value = details.get_by_label(label, exact=True).input_value()
        assert Decimal(value) == Decimal(MEASURE[label])
    points = trajectory(measure)
    save_again_untouched(page, measure, "Details")
    assert trajectory(measure) == points

    # An edit on its own screen, then the same again.
    fill(form(page, "Details"), {"Tolerance": "0.5", "Trajectory": "2025-03-31=11.5"})
    form(page, "Details").get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Saved measure RT-SMOKING.")
    measure.refresh_from_db()
    assert measure.tolerance == Decimal("0.5")
    assert trajectory(measure) == [(dt.date(2025, 3, 31), Decimal("11.5"))]
    save_again_untouched(page, measure, "Details")
    assert trajectory(measure) == [(dt.date(2025, 3, 31), Decimal("11.5"))]
