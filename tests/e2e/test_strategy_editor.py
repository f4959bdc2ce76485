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
from objectives.models import Objective, Priority, Strategy
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
    lead = make_user(
        "lena", PROGRAMME_LEAD, email=LEAD_EMAIL, first_name="Lena", last_name="Lead"
    )
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


def outline_labels(page: Page, level: str) -> list[str]:
    return outline(page).locator(f"li.outline-{level} > a").all_inner_texts()


def test_an_admin_builds_a_strategy_in_the_editor_archives_reorders_and_restores(
    page: Page, live_server, sign_in, admin_user, programme_lead
):
    sign_in(page, "admin")
    page.goto(f"{live_server.url}/strategies/")
    page.get_by_role("link", name="New strategy", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New strategy")
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Or a new organisation").fill("Basildon Council")
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
    assert (strategy.period_start, strategy.period_end) == (dt.date(2025, 4, 1), dt.date(2030, 3, 31))
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
    page.get_by_role("link", name="Archive: Clinic opnes (typo)").click()
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
    milestones = page.locator("#milestones ~ *").filter(has=page.get_by_role("table")).first
    expect(milestones).to_contain_text("Clinic opens")
    expect(milestones).to_contain_text("Campaign launched")
    expect(page.get_by_text("Clinic opnes")).to_have_count(0)

    # Reordering renumbers: the outline and the numbers follow the new order.
    page.goto(f"{live_server.url}/edit/basildon-health-plan/")
    outline(page).get_by_role("link", name="1. Start well").click()
    objectives = page.get_by_role("region", name="Objectives")
    objectives.get_by_role("button", name="Move down: Fewer smokers").click()
    expect(page.get_by_role("status")).to_contain_text("Moved objective 1.2 down.")
    assert outline_labels(page, "objective") == [
        "1.1 More walking",
        "1.2 Fewer smokers",
        "1.3 Healthier schools",
    ]
    objectives.get_by_role("button", name="Move up: Healthier schools").click()
    expect(page.get_by_role("status")).to_contain_text("Moved objective 1.2 up.")
    assert outline_labels(page, "objective") == [
        "1.1 More walking",
        "1.2 Healthier schools",
        "1.3 Fewer smokers",
    ]
    expect(objectives.get_by_role("listitem").get_by_role("link")).to_have_text(
        ["1.1 More walking", "1.2 Healthier schools", "1.3 Fewer smokers"]
    )
    assert list(
        Objective.objects.filter(priority__strategy=strategy).values_list("number", "title")
    ) == [(1, "More walking"), (2, "Healthier schools"), (3, "Fewer smokers")]

    # The archived milestone comes back, last among its siblings.
    outline(page).get_by_role("link", name="1.3 Fewer smokers").click()
    archived = page.locator("details.archived-items")
    archived.get_by_text("Archived (1)").click()
    archived.get_by_role("button", name="Restore: Clinic opnes (typo)").click()
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
