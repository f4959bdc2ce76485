"""Every page on a 390 px phone: nothing scrolls the page sideways, charts keep their size and
axes, and axe finds nothing serious or critical at that width."""

import datetime as dt

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.conftest import serious_accessibility_violations

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
EXAMPLE = "/strategies/example-community-health"


def _pages_of(example) -> dict[str, list[str]]:
    from pathlib import Path

    from django.conf import settings
    from django.contrib.auth.models import User

    from measures.importing import store_upload
    from milestones.models import Milestone, Submission
    from objectives.models import Membership
    from reporting import cycle
    from reporting.quarters import Quarter, file_name_of

    milestone = Milestone.objects.for_strategy(example).filter(status="at_risk").first()
    from tests.factories import make_risk

    objectives = [o for p in example.priorities.all() for o in p.objectives.all()]
    make_risk(*objectives[:3], title="A strategic risk with a title long enough to wrap twice")
    figures = Path(settings.BASE_DIR) / "fixtures" / "example-quarterly-figures.csv"
    batch = store_upload(
        user=User.objects.get(username="admin"), file_name=figures.name, data=figures.read_bytes()
    )
    # A period in each state the page shows: closed, open (its dates form), scheduled.
    quarter = Quarter.containing(dt.date.today()).previous().previous()
    for step in ("closed", "open", "scheduled"):
        period = cycle.schedule(example, quarter, *cycle.default_window(quarter), by=None)
        if step == "closed":
            closed_key = file_name_of(quarter)
            report = f"{EXAMPLE}/periods/{period.pk}/report/"
            board = f"{EXAMPLE}/periods/{period.pk}/board/"
        if step != "scheduled":
            cycle.open_period(period, by=None)
        if step == "closed":
            cycle.close_period(period, by=None, today=quarter.end + dt.timedelta(days=1))
        quarter = quarter.next()
    # An update awaiting the board member's approval, and one returned to the lead.
    board_member = User.objects.get(username="board")
    Membership.objects.get_or_create(
        user=board_member, organisation=example.organisation, role="Approver"
    )
    example.approvers.add(board_member)
    lead = User.objects.get(username="lead")
    waiting = Milestone.objects.for_strategy(example).filter(owner=lead).first()
    Submission.objects.create(
        milestone=waiting,
        status="at_risk",
        commentary="Supplier late; a long explanation that has to wrap on a narrow screen.",
        base_version=waiting.version,
        submitted_by=lead,
    )
    from public.models import Publication

    Publication.objects.create(strategy=example, is_public=True)
    public_quarter = "/public/example-community-health/" + closed_key + "/"
    shared = [
        "/strategies/",
        f"{EXAMPLE}/",
        f"{EXAMPLE}/priorities/1/",
        f"{EXAMPLE}/priorities/2/objectives/1/",
        "/measures/EX-VW-OCCUPANCY/",
        "/measures/EPUT-DIS-MONTHLY-REFERRALS/",
        "/strategies/thurrock-hwbs-2013/",
        milestone.get_absolute_url(),
        f"{EXAMPLE}/periods/",
        report,
        board,
        f"{board}priorities/2/",
        f"{board}priorities/2/objectives/1/",
        f"{board}measures/EX-VW-OCCUPANCY/",
        "/quarters/",
        f"{EXAMPLE}/risks/",
        f"{EXAMPLE}/risks/1/",
    ]
    return {
        # Signed out: the public view.
        "": [
            "/public/",
            "/public/example-community-health/",
            public_quarter,
            f"{public_quarter}priorities/2/",
            f"{public_quarter}priorities/2/objectives/1/",
            f"{public_quarter}measures/EX-VW-OCCUPANCY/",
            f"{public_quarter}report/",
            "/public/accessibility/",
        ],
        "board": [*shared, "/milestones/approvals/"],
        "lead": [
            "/milestones/mine/",
            "/milestones/return/",
            milestone.get_absolute_url(),
            "/measures/import/",
        ],
        "admin": [
            "/milestones/assign/",
            milestone.get_absolute_url(),
            "/measures/import/",
            "/measures/import/history/",
            f"/measures/import/{batch.pk}/",
            "/measures/EX-VACANCY/",
            f"{EXAMPLE}/periods/",
            f"{EXAMPLE}/publication/",
            "/board-packs/",
            f"{EXAMPLE}/risks/new/",
            f"{EXAMPLE}/risks/1/edit/",
            "/measures/EX-VACANCY/data-quality/",
        ],
    }


def _check_page(page: Page, url: str) -> list[str]:
    """What is wrong with the page as a phone shows it, as readable lines."""
    problems = []
    page.goto(url)
    charts = page.locator("[data-chart]")
    for i in range(charts.count()):
        charts.nth(i).scroll_into_view_if_needed()
        page.wait_for_selector(f"#{charts.nth(i).get_attribute('id')}[data-rendered='true']")
    # What is folded away on screen must fit too once opened.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        problems.append(f"{url}: the page is {width} px wide")
    for chart in page.evaluate(
        """() => [...document.querySelectorAll('[data-chart]')].map(el => {
            const plot = el.querySelector('.draglayer .nsewdrag');
            return {id: el.id, box: el.getBoundingClientRect().width,
                    svg: el.querySelector('svg.main-svg').getBoundingClientRect().width,
                    plot: plot ? plot.getBoundingClientRect().width : 0,
                    xticks: el.querySelectorAll('.xtick').length,
                    yticks: el.querySelectorAll('.ytick').length};
        })"""
    ):
        if chart["svg"] > chart["box"] + 1:
            problems.append(f"{url} {chart['id']}: chart wider than its box")
        if chart["plot"] < 200:
            problems.append(f"{url} {chart['id']}: plot area only {chart['plot']} px wide")
        if not chart["xticks"] or not chart["yticks"]:
            problems.append(f"{url} {chart['id']}: lost its axes")
    # A checkbox is a box beside its label, never stretched across the form nor too small to
    # tap; a wide table's caption is a sentence that stays on the screen while the table
    # scrolls.
    found = page.evaluate(
        """(screen) => [
            ...[...document.querySelectorAll('input[type=checkbox], input[type=radio]')]
                .filter(box => box.getBoundingClientRect().width > 40)
                .map(box => `${box.name || box.id}: a box stretched across the form`),
            // Nor the browser's 13 px square, too small to tap; nor a list squeezed shut.
            ...[...document.querySelectorAll('input[type=checkbox], input[type=radio], select')]
                .filter(el => el.getClientRects().length)
                .filter(el => el.getBoundingClientRect().height < 20)
                .map(el => `${el.name || el.id}: ${el.tagName.toLowerCase()} too small to tap`),
            ...[...document.querySelectorAll('.table-scroll caption')]
                .filter(c => !c.classList.contains('visually-hidden'))
                .filter(c => c.getBoundingClientRect().right > screen)
                .map(c => `caption "${c.textContent.trim().slice(0, 40)}" runs off the screen`),
        ]""",
        PHONE["width"],
    )
    problems += [f"{url}: {v}" for v in found]
    problems += [f"{url}: {v}" for v in serious_accessibility_violations(page)]
    return problems


def test_every_page_fits_a_phone(browser: Browser, live_server, example, sign_in):
    problems = []
    for username, urls in _pages_of(example).items():
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        if username:
            sign_in(page, username)
        for url in urls:
            problems += _check_page(page, live_server.url + url)
        context.close()
    assert problems == [], "\n".join(problems)


def test_a_sortable_list_keeps_its_sort_links_visible_on_a_phone(
    page: Page, live_server, example, sign_in
):
    page.set_viewport_size(PHONE)
    sign_in(page, "board")
    page.goto(f"{live_server.url}{EXAMPLE}/priorities/1/")
    sort = page.locator("table.milestone-table thead a").first
    sort.focus()
    box = sort.bounding_box()
    assert box and box["width"] > 10 and box["height"] > 10
    assert box["x"] + box["width"] <= PHONE["width"]


def test_long_lists_read_as_one_block_per_row_on_a_phone(page: Page, live_server, example, sign_in):
    page.set_viewport_size(PHONE)
    sign_in(page, "board")
    page.goto(f"{live_server.url}{EXAMPLE}/")
    row = page.locator("table.exceptions tbody tr").first
    # Each cell names its column, and the row is no wider than the screen.
    owner = row.locator("td[data-label='Owner']")
    assert page.evaluate("e => getComputedStyle(e, '::before').content", owner.element_handle())
    assert row.bounding_box()["width"] <= PHONE["width"]
