"""Every output that shows the illustrative example's data says it is illustrative: the read
API's values, the figures exports, the editor's items CSV and the return reminders. Each
test loads the seeds and the example as `make run` does."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from api.models import ApiToken
from measures.models import Measure, MeasureValue
from milestones.models import Milestone
from objectives.example_strategy import EXAMPLE_SLUG
from objectives.models import Strategy
from reporting.quarters import Quarter
from tests.seeded import load_seeds_and_example

pytestmark = pytest.mark.django_db
CODE = "EX-CARER-ASSESS"  # an example measure shipped with a baseline and no figures yet


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            users = load_seeds_and_example()
            # A figure an Admin imported into the example (its own note, or none), as the
            # README invites ("an Admin's first import visibly changes what the board sees").
            end = Quarter.containing(timezone.localdate()).previous().end
            MeasureValue.objects.create(
                measure=Measure.objects.get(code=CODE), period_end=end, value=44, note=""
            )
            yield users
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _says_illustrative(text: str) -> bool:
    return "illustrative" in text.lower()


def _as(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_the_editors_items_csv_of_the_example_says_it_is_illustrative(loaded, client):
    """The workbook has its Illustrative row and the JSON "illustrative": true; the items CSV,
    the same items, has nothing."""
    response = _as(client, "admin").get(f"/edit/{EXAMPLE_SLUG}/items.csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "Care closer to home" in text  # the example's items
    assert _says_illustrative(text)


def test_the_read_apis_values_of_the_example_say_they_are_illustrative(loaded, client):
    """Every other resource of the API carries "illustrative"; a value does not."""
    _, key = ApiToken.issue(loaded["board"], "Power BI", days=5)
    response = client.get("/api/v1/values/", {"measure": CODE}, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    [value] = response.json()["results"]
    assert value.get("illustrative") is True, value


def test_the_read_apis_values_csv_of_the_example_says_it_is_illustrative(loaded, client):
    _, key = ApiToken.issue(loaded["board"], "Excel", days=5)
    response = client.get(
        "/api/v1/values.csv", {"measure": CODE}, HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and {r["measure"] for r in rows} == {CODE}
    assert {r["illustrative"] for r in rows} == {"true"}, rows
    # A real strategy's figures say false.
    seeds = client.get(
        "/api/v1/values.csv",
        {"strategy": "thurrock-hwbs-2013"},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    real = list(csv.DictReader(io.StringIO(b"".join(seeds.streaming_content).decode("utf-8-sig"))))
    assert real and {r["illustrative"] for r in real} == {"false"}


@pytest.mark.parametrize(
    "url", [f"/measures/{CODE}/values.csv", f"/strategies/{EXAMPLE_SLUG}/figures.csv"]
)
def test_the_figures_exports_of_the_example_say_they_are_illustrative(loaded, client, url):
    """Each row of the example's figures, or the file, says so; the public figures.csv has an
    illustrative column, these do not (the shipped figures' own note says it, an imported
    figure's does not)."""
    text = _as(client, "board").get(url).content.decode("utf-8-sig")
    header, *rows = [line for line in text.splitlines() if line]
    ours = [row for row in rows if row.startswith(f"{CODE},")]
    assert ours, text[:300]
    assert _says_illustrative(header) or all(_says_illustrative(row) for row in ours), ours


def test_a_quarterly_return_reminder_for_the_example_says_it_is_illustrative(loaded):
    """The e-mail lists the example's milestones by title under its title, and nothing says
    they are made up."""
    from reporting import cycle
    from reporting.reminders import reminder

    example = Strategy.objects.get(slug=EXAMPLE_SLUG)
    quarter = Quarter.containing(timezone.localdate())
    period = cycle.schedule(example, quarter, *cycle.default_window(quarter), by=None)
    lead = get_user_model().objects.get(username="lead")
    owned = list(Milestone.objects.for_strategy(example).filter(owner=lead)[:3])
    subject, text = reminder(lead, {period: owned}, timezone.localdate())
    assert owned[0].title in text
    assert _says_illustrative(subject + text), text


def test_the_examples_items_csv_reads_back_with_its_label_dropped(loaded, client):
    """The label column is the example's, not an item's: the reader drops it, as it drops
    the Drawn from column, rather than refuse a column it does not read."""
    from editor.workbook_files import read_strategy_file

    items = _as(client, "admin").get(f"/edit/{EXAMPLE_SLUG}/items.csv").content
    read = read_strategy_file(items, "items.csv", 10 * 1024 * 1024)

    assert all(row.problems == [] for row in read.rows), [r.problems for r in read.rows]
    assert len(read.rows) > 10
