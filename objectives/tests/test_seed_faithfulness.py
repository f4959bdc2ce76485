"""What the app shows of the seed strategies is what their documents say, and every view of
the illustrative example says it is made up: with one quarter of each closed and published."""

import datetime as dt
import json
import re
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from measures.models import Measure
from measures.status import status_of
from milestones.models import Milestone
from milestones.status import milestone_status
from objectives.example_strategy import EXAMPLE_SLUG
from objectives.models import Strategy
from public.models import Publication
from reporting import cycle
from reporting.quarters import Quarter
from strategy_tracker.status import Rag
from tests.seeded import load_seeds_and_example

pytestmark = pytest.mark.django_db

LABEL = "Illustrative data — not from a published document"
EPUT = "eput-mse-community-2023"
THURROCK = "thurrock-hwbs-2013"


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            users = load_seeds_and_example()
            admin = users["admin"]
            # One closed quarter each: Thurrock's last, EPUT's first, the example's last.
            closed = {}
            today = timezone.localdate()
            last = Quarter.containing(today)
            for slug, quarter in [
                (THURROCK, Quarter.parse("2015/16 Q4")),
                (EPUT, Quarter.parse("2023/24 Q1")),
                (EXAMPLE_SLUG, Quarter.containing(last.start - dt.timedelta(days=1))),
            ]:
                strategy = Strategy.objects.get(slug=slug)
                opens, closes = cycle.default_window(quarter)
                period = cycle.schedule(strategy, quarter, opens, closes, admin)
                cycle.open_period(period, admin)
                closed[slug] = cycle.close_period(period, admin)
                Publication.objects.update_or_create(
                    strategy=strategy, defaults={"is_public": True}
                )
            users["closed"] = closed
            yield users
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _admin(client):
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def _eput_milestone():
    return Milestone.objects.get(objective__priority__strategy__slug=EPUT)


# --- Seeds: nothing the documents do not say ------------------------------------------------


def test_a_never_updated_seed_milestone_claims_no_reported_status(loaded, client):
    """The document gives no status and nobody has reported one: not "Not started"."""
    html = _admin(client).get(_eput_milestone().get_absolute_url()).content.decode()
    assert "Never updated" in html
    reported = re.search(r"<dt>Reported status</dt><dd>([^<]*)</dd>", html).group(1)
    assert reported == "Nothing reported yet"


def test_the_report_appendix_says_nothing_was_reported_and_gives_the_documents_words(
    loaded, client
):
    """ "Due 31 Mar 2024 · reported not started" for "in Year 1", which nobody reported."""
    period = loaded["closed"][EPUT]
    html = _admin(client).get(f"/strategies/{EPUT}/periods/{period.pk}/report/").content.decode()
    assert "Due 31 Mar 2024 (“in Year 1”) · nothing reported ·" in html
    assert "reported not started" not in html


def test_the_measure_page_gives_the_documents_period_for_the_latest_figure(loaded, client):
    """Document (line 43): "for April 2021 onwards the figure was 1182"; the page said
    "1,182 (period ending 31 March 2022)", a date the document does not give."""
    html = _admin(client).get("/measures/EPUT-DIS-MONTHLY-REFERRALS/").content.decode()
    latest = re.search(r"<dt>Latest</dt><dd>([^<]*)</dd>", html).group(1)
    assert latest == "1,182 (April 2021 onwards)"


def test_a_stale_figures_reason_gives_its_documents_period():
    """ "latest value is stale (period ended 31 March 2022)" named a day the document does not."""
    measure = Measure(direction="higher", unit="count", kind="success", tolerance=0)
    measure.latest_value, measure.latest_period_end = 1182, dt.date(2022, 3, 31)
    measure.latest_period_text = "April 2021 onwards"
    reason = status_of(measure, [], dt.date(2026, 12, 2)).reason
    assert reason.endswith("latest value is stale (for April 2021 onwards)"), reason
    measure.latest_period_text = "2022-03"
    reason = status_of(measure, [], dt.date(2026, 12, 2)).reason
    assert reason.endswith("latest value is stale (period ended 31 March 2022)"), reason


def test_the_public_objective_page_gives_the_documents_due_wording(loaded, client):
    """Document (line 465): "Scoping paper concerning the move to moderate needs in reablement
    Sept 2013". The public page showed only "30 Sep 2013", a day the document does not give."""
    period = loaded["closed"][THURROCK]
    assert period.label == "2015/16 Q4"
    url = f"/public/{THURROCK}/2015-16-q4/priorities/1/objectives/1/"
    html = client.get(url).content.decode()
    row = html[html.index("Scoping paper concerning the move to moderate needs") :][:400]
    assert '<td data-label="Due">Sept 2013</td>' in row, row


def test_part_two_priorities_are_numbered_as_printed(loaded, client):
    """Document lines 165-182: Part Two's priorities are "1. Outstanding universal services …"
    to "4. Protection when needed"; public pages, the report and the as-at pages showed
    "part2-1. Outstanding …", an address, not a number."""
    period = loaded["closed"][THURROCK]
    pages = [
        client.get(f"/public/{THURROCK}/2015-16-q4/"),
        _admin(client).get(f"/strategies/{THURROCK}/periods/{period.pk}/report/"),
        _admin(client).get(f"/strategies/{THURROCK}/periods/{period.pk}/board/"),
        _admin(client).get(f"/strategies/{THURROCK}/priorities/part2-1/"),
    ]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert "part2-1." not in html and "Priority part2-" not in html
        assert "Part 2, 1" in html


# --- The illustrative example: labelled wherever its data goes ------------------------------


def test_every_page_of_the_examples_pdf_report_says_it_is_illustrative(loaded, client):
    """Only page 1 of the PDF said so; the footer on every page names the strategy, so a page
    taken out of the board papers now says it too."""
    period = loaded["closed"][EXAMPLE_SLUG]
    titles = []

    def fake_pdf(html, title):
        titles.append(title)
        return b"%PDF-1.7"

    with mock.patch("reporting.views.pdf_of", fake_pdf):
        response = _admin(client).get(f"/strategies/{EXAMPLE_SLUG}/periods/{period.pk}/report.pdf")
    assert response.status_code == 200
    assert titles[0].endswith("(illustrative data, not from a published document)"), titles
    seeded = loaded["closed"][EPUT]
    with mock.patch("reporting.views.pdf_of", fake_pdf):
        _admin(client).get(f"/strategies/{EPUT}/periods/{seeded.pk}/report.pdf")
    assert "llustrative" not in titles[1]


def test_the_board_packs_page_labels_the_example(loaded, client):
    html = _admin(client).get("/board-packs/").content.decode()
    title = Strategy.objects.get(slug=EXAMPLE_SLUG).title
    row = html[html.index(title) : html.index("</label>", html.index(title))]
    assert "illustrative data, not from a published document" in row, row
    html = client.get("/board-packs/?quarter=2023/24 Q1").content.decode()
    seed = Strategy.objects.get(slug=EPUT).title
    row = html[html.index(seed) : html.index("</label>", html.index(seed))]
    assert "llustrative" not in row


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/milestones/?strategy={slug}",
        "/api/v1/objectives/?strategy={slug}",
        "/api/v1/priorities/?strategy={slug}",
        "/api/v1/snapshots/?strategy={slug}",
    ],
)
def test_the_api_marks_each_item_of_the_example_as_illustrative(loaded, client, url):
    _admin(client)
    for slug, expected in [(EXAMPLE_SLUG, True), (EPUT, False)]:
        data = json.loads(client.get(url.format(slug=slug)).content)
        rows = data["results"]
        assert rows, url
        assert {row["illustrative"] for row in rows} == {expected}, url


def test_the_api_marks_the_examples_measures_as_illustrative(loaded, client):
    _admin(client)
    assert json.loads(client.get("/api/v1/measures/EX-REFERRALS/").content)["illustrative"]
    seeded = json.loads(client.get("/api/v1/measures/EPUT-DIS-MONTHLY-REFERRALS/").content)
    assert seeded["illustrative"] is False


def test_a_measure_without_figures_gives_its_documents_baseline_on_the_board_pages(loaded, client):
    """Document line 257: "23.2% of adults in Thurrock smoke", the fixture's baseline of a
    measure with no figures. The report, dashboard and public pages said only "no value
    reported yet"; only the measure's own page showed it."""
    period = loaded["closed"][THURROCK]
    said = "no value reported yet; the baseline is 23.2% ("
    pages = [
        _admin(client).get(f"/strategies/{THURROCK}/periods/{period.pk}/report/"),
        _admin(client).get(f"/strategies/{THURROCK}/"),
        client.get(f"/public/{THURROCK}/2015-16-q4/report/"),
    ]
    for response in pages:
        assert response.status_code == 200
        assert said in response.content.decode(), response.request["PATH_INFO"]


def test_an_exception_outside_part_one_names_its_priority_as_printed(loaded):
    from types import SimpleNamespace

    from objectives.templatetags.dashboard_parts import exception_rows

    milestone = Milestone.objects.filter(
        objective__priority__strategy__slug=THURROCK, objective__priority__part=1
    ).first()
    milestone.objective.priority.part = 2  # as a Part Two priority's would be
    item = SimpleNamespace(obj=milestone, status=milestone.rag(dt.date(2026, 12, 2)))
    row = exception_rows([(SimpleNamespace(priority=milestone.objective.priority), item)])
    number = milestone.objective.priority.number
    assert f'<span class="muted">Priority Part 2, {number}</span>' in row, row


def _plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- 1. A milestone nobody has reported on is given a colour as if someone had --------------


def test_a_seed_milestone_nobody_reported_on_is_not_shown_green_on_the_public_page(loaded, client):
    """EPUT line 177: "We will be committing to clearing the backlog for the Children's
    Lighthouse Centre in Year 1." No status. Nobody has updated it ("No update reported"),
    yet the public objective page for 2023/24 Q1 shows it "● Green … not reported at risk"
    and rolls it up as "1 milestone on track"."""
    html = client.get(f"/public/{EPUT}/2023-24-q1/priorities/1/objectives/5/").content.decode()
    text = _plain(html)
    assert "No update reported" in text  # the page itself says nobody reported
    assert "on track" not in text, "a status nobody reported"
    assert "● Green" not in text


def test_the_board_report_does_not_call_an_unreported_seed_milestone_on_track(loaded, client):
    """The 2023/24 Q1 board report: "Overall status ● Green 1 milestone on track" and "No
    milestone or measure was red or amber", about the one EPUT milestone that has "No
    update reported"."""
    period = loaded["closed"][EPUT]
    text = _plain(
        _admin(client).get(f"/strategies/{EPUT}/periods/{period.pk}/report/").content.decode()
    )
    assert "1 milestone on track" not in text
    assert "● Green" not in text


@pytest.mark.parametrize("days_ahead", [10, 90])
def test_the_status_rule_gives_no_colour_or_progress_to_a_milestone_never_updated(days_ahead):
    """The rule (milestones/status.py) greys an *undated* never-updated milestone ("no due
    date and no update yet") but gives a *dated* one Green "on track", or Amber "due in 10
    days and not started": "Not started" is what README says no document and no lead said."""
    today = dt.date(2024, 1, 1)
    status = milestone_status(
        status="not_started",
        due_date=today + dt.timedelta(days=days_ahead),
        forecast_date=None,
        last_updated_at=None,
        today=today,
    )
    assert status.rag != Rag.GREEN, status
    assert "not started" not in status.reason, status.reason


# --- 2. "published 2 December 2026" on a 2013 draft ------------------------------------------


@pytest.mark.parametrize("slug", [THURROCK, EPUT])
def test_the_dashboard_does_not_give_the_load_day_as_the_day_the_strategy_was_published(
    loaded, client, slug
):
    """Thurrock lines 24-25: "Version 1.1 24/01/13", "Status Draft Strategy"; EPUT prints no
    date at all. The dashboard says "Strategy: Published; published 2 December 2026" (the
    day `load_seeds` ran), next to "Source … version 1.1 (24 January 2013)"."""
    strategy = Strategy.objects.get(slug=slug)
    html = _admin(client).get(strategy.get_absolute_url()).content.decode()
    said = re.search(r'<dd id="strategy-status">(.*?)</dd>', html, re.S).group(1)
    loaded_on = strategy.published_at.strftime("%-d %B %Y")
    assert f"published {loaded_on}" not in said, said


# --- 3. A day the document does not give, in the milestone's reason --------------------------


def test_an_overdue_reason_gives_the_documents_date_words_not_a_day_it_does_not_print(loaded):
    """Thurrock line 476: "Joint Market Position Statement published April 2014". The report
    appendix prints "Due April 2014" (the month alone, as README's rule says the day adds
    nothing the document says) and beside it the reason "overdue: was due 30 April 2014";
    EPUT line 177 "in Year 1" becomes "overdue: was due 31 March 2024" (the API's rag_reason,
    the dashboard's exceptions, the timeline's hover). A measure's target reason gives the
    document's words ("against target 12 by 2027/28"); a milestone's does not."""
    milestone = Milestone.objects.get(
        objective__priority__strategy__slug=THURROCK,
        title="Joint Market Position Statement published",
    )
    reason = milestone.rag(dt.date(2016, 3, 31)).reason
    assert "30 April 2014" not in reason, reason
    eput = Milestone.objects.get(objective__priority__strategy__slug=EPUT)
    reason = eput.rag(dt.date(2026, 12, 2)).reason
    assert "31 March 2024" not in reason or "Year 1" in reason, reason
