"""Every page that shows the illustrative example says its data is made up; the seed
strategies' pages, transcribed from real documents, never do."""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from measures.models import Measure
from milestones.models import Milestone
from objectives.example_strategy import EXAMPLE_SLUG
from objectives.models import Membership, Strategy
from tests.seeded import load_seeds_and_example

pytestmark = pytest.mark.django_db

LABEL = "Illustrative data — not from a published document"
SEEDS = ["eput-mse-community-2023", "thurrock-hwbs-2013"]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The seeds and the example, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            users = load_seeds_and_example()
            yield users
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _signed_in(client, username: str):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _strategy_pages(slug: str) -> list[str]:
    """Its dashboard, and a priority, objective, milestone and measure page of it."""
    strategy = Strategy.objects.get(slug=slug)
    milestone = Milestone.objects.for_strategy(strategy).order_by("id").first()
    measure = Measure.objects.for_strategies([strategy.pk]).order_by("code").first()
    return [
        strategy.get_absolute_url(),
        milestone.objective.priority.get_absolute_url(),
        milestone.objective.get_absolute_url(),
        milestone.get_absolute_url(),
        measure.get_absolute_url(),
    ]


def test_every_page_of_the_example_says_it_is_illustrative(loaded, client):
    _signed_in(client, "board")
    for url in ["/strategies/", *_strategy_pages(EXAMPLE_SLUG)]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert LABEL in response.content.decode(), url


def test_the_strategy_list_labels_the_example_and_not_the_seeds(loaded, client):
    html = _signed_in(client, "board").get("/strategies/").content.decode()
    rows = html[html.index("<tbody>") : html.index("</tbody>")].split("</tr>")[:-1]
    labelled = {
        slug: LABEL in next(row for row in rows if f"/strategies/{slug}/" in row)
        for slug in [EXAMPLE_SLUG, *SEEDS]
    }
    assert labelled == {EXAMPLE_SLUG: True, SEEDS[0]: False, SEEDS[1]: False}


def test_a_leads_milestones_in_the_example_say_it_is_illustrative(loaded, client):
    response = _signed_in(client, "lead").get(reverse("milestones:mine"))
    assert response.context["rows"]
    assert LABEL in response.content.decode()


def test_the_bulk_assign_page_labels_the_examples_milestones(loaded, client):
    response = _signed_in(client, "admin").get(reverse("milestones:bulk_assign"))
    assert response.status_code == 200
    html = response.content.decode()
    rows = html[html.index("<tbody>") : html.index("</tbody>")].split("</tr>")[:-1]
    example = Strategy.objects.get(slug=EXAMPLE_SLUG).title
    assert any(example in row for row in rows)
    for row in rows:
        assert (LABEL in row) == (example in row)


@pytest.mark.parametrize("slug", SEEDS)
def test_no_page_of_a_seed_strategy_says_it_is_illustrative(loaded, client, slug):
    _signed_in(client, "board")
    for url in _strategy_pages(slug):
        response = client.get(url)
        assert response.status_code == 200, url
        assert LABEL not in response.content.decode(), url


def test_an_import_preview_names_the_rows_for_the_example_and_only_those(loaded, client):
    from measures.importing import store_upload

    example = Measure.objects.for_strategies(
        Strategy.objects.filter(slug=EXAMPLE_SLUG).values("id")
    ).order_by("code")[0]
    seed = Measure.objects.for_strategies(
        Strategy.objects.filter(slug=SEEDS[0]).values("id")
    ).order_by("code")[0]
    data = f"measure_code,period_end,value\n{example.code},2024-03-31,1\n{seed.code},2024-03-31,1\n"
    batch = store_upload(user=loaded["admin"], file_name="mixed.csv", data=data.encode())
    html = _signed_in(client, "admin").get(batch.get_absolute_url()).content.decode()
    note = html[html.index('id="illustrative-rows"') :]
    note = note[: note.index("</p>")]
    assert LABEL in note and example.code in note and seed.code not in note


def _example_reporting(board) -> Strategy:
    """The example with its current quarter open and an update awaiting the board member's
    approval."""
    from milestones.models import Submission
    from reporting import cycle
    from reporting.quarters import Quarter

    example = Strategy.objects.get(slug=EXAMPLE_SLUG)
    quarter = Quarter.containing(timezone.localdate())
    period = cycle.schedule(example, quarter, *cycle.default_window(quarter), by=None)
    cycle.open_period(period, by=None)
    Membership.objects.create(user=board, organisation=example.organisation, role="Approver")
    example.approvers.add(board)
    lead = get_user_model().objects.get(username="lead")
    waiting = Milestone.objects.for_strategy(example).filter(owner=lead).first()
    Submission.objects.create(
        milestone=waiting, status="at_risk", base_version=waiting.version, submitted_by=lead
    )
    return example


def test_the_return_and_the_approvals_label_the_examples_milestones(loaded, client):
    example = _example_reporting(loaded["board"])
    for username, url in [("lead", "reporting:quarterly_return"), ("board", "reporting:approvals")]:
        html = _signed_in(client, username).get(reverse(url)).content.decode()
        title = html.index(example.title)
        heading = html[html.rindex("<h2", 0, title) : html.index("</h2>", title)]
        assert LABEL in heading, url


def test_the_editor_says_the_example_is_illustrative_and_the_seeds_are_not(loaded, client):
    _signed_in(client, "admin")
    milestone = Milestone.objects.for_strategy(Strategy.objects.get(slug=EXAMPLE_SLUG)).first()
    for url in [
        f"/edit/{EXAMPLE_SLUG}/",
        f"/edit/{EXAMPLE_SLUG}/milestone/{milestone.pk}/",
        f"/edit/{EXAMPLE_SLUG}/import/",
    ]:
        assert LABEL in client.get(url).content.decode(), url
    for slug in SEEDS:
        assert LABEL not in client.get(f"/edit/{slug}/").content.decode(), slug
