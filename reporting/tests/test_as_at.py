"""Every board page as at a closed quarter: chosen on the page, read from the quarter's
snapshot, saying which quarter it shows, and unchanged by later edits."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from measures.models import MeasureValue
from reporting import cycle
from reporting.quarters import Quarter
from reporting.tests.helpers import q2_strategy
from reporting.tests.test_snapshots import _close, _main
from tests.factories import make_objective, make_priority, make_strategy

Q2 = Quarter(2024, 2)

pytestmark = pytest.mark.django_db
BOARD = "/strategies/s/periods/{pk}/board/"


@pytest.fixture
def strategy(programme_lead):
    return q2_strategy(programme_lead)


@pytest.fixture
def closed(strategy, admin_user):
    return _close(strategy, admin_user)


@pytest.fixture
def reader(client, board_member):
    client.force_login(board_member)
    return client


def _pages(pk: int) -> dict[str, str]:
    base = BOARD.format(pk=pk)
    return {
        "dashboard": base,
        "priority": base + "priorities/1/",
        "objective": base + "priorities/1/objectives/1/",
        "measure": base + "measures/WAIT/",
    }


def test_every_board_page_offers_the_closed_quarters_and_goes_to_the_one_chosen(closed, reader):
    live = {
        "": "/strategies/s/",
        "priority:1": "/strategies/s/priorities/1/",
        "objective:1.1": "/strategies/s/priorities/1/objectives/1/",
        "measure:WAIT": "/measures/WAIT/",
    }
    as_at = dict(zip(live, _pages(closed.pk).values(), strict=True))
    for item, url in live.items():
        page = reader.get(url).content.decode()
        assert f'name="item" value="{item}"' in page
        assert f'<option value="{closed.pk}">as at the end of 2024/25 Q2 (30 Sep 2024)' in page
        chosen = reader.get("/strategies/s/as-at/", {"period": closed.pk, "item": item})
        assert chosen.status_code == 302 and chosen["Location"] == as_at[item]
        back = reader.get("/strategies/s/as-at/", {"period": "", "item": item})
        assert back["Location"] == url


def test_each_page_says_which_quarter_it_shows_and_links_to_today(closed, reader):
    for name, url in _pages(closed.pk).items():
        response = reader.get(url)
        assert response.status_code == 200, name
        page = _main(response)
        assert "As at 30 September 2024, the end of 2024/25 Q2." in page, name
        assert f'<option value="{closed.pk}" selected>' in page, name
        assert "See today&#x27;s position" in page or "See today's position" in page


def test_later_edits_change_today_but_not_the_quarter(strategy, closed, reader):
    pages = {name: _main(reader.get(url)) for name, url in _pages(closed.pk).items()}
    objective = strategy.priorities.get().objectives.get()
    hub = objective.milestones.get(title="Open the hub")
    hub.status, hub.commentary, hub.forecast_date = "complete", "Opened at last.", None
    hub.save()
    MeasureValue.objects.filter(period_end=dt.date(2024, 9, 30)).update(value=Decimal(8))
    assert "Opened at last." in reader.get(hub.get_absolute_url()).content.decode()
    for name, url in _pages(closed.pk).items():
        assert _main(reader.get(url)) == pages[name], name
    objective_page = pages["objective"]
    assert "<h1>Objective 1: " in objective_page  # numbered as its live page numbers it
    assert (
        "Builders delayed by a month." in objective_page and "forecast 1 Nov 2024" in objective_page
    )
    measure_page = pages["measure"]
    assert "12" in measure_page and "Chart of 3 values, Jul 2024 to Sep 2024" in measure_page


def test_the_dashboard_as_at_shows_the_roll_up_priorities_and_what_changed(closed, reader):
    page = _main(reader.get(BOARD.format(pk=closed.pk)))
    assert "Overall status" in page and "Red" in page
    assert "Care closer to home" in page
    assert f'href="/strategies/s/periods/{closed.pk}/board/priorities/1/"' in page
    assert 'id="changes"' in page and "Waits" in page


@pytest.mark.parametrize(
    "query",
    [
        {"period": "x", "item": ""},
        {"period": "999999", "item": ""},
        {"period": "1e3", "item": "priority:1"},
        {"period": "", "item": "priority:one"},
        {"period": "", "item": "objective:1.x"},
        {"period": "", "item": "measure:<script>"},
        {"period": "", "item": "elsewhere:1"},
    ],
)
def test_a_bad_choice_is_not_found_in_words(closed, reader, query):
    response = reader.get("/strategies/s/as-at/", query)
    assert response.status_code == 404


def test_an_item_not_in_the_quarter_says_so(closed, reader):
    for url, words in (
        (BOARD.format(pk=closed.pk) + "priorities/7/", "Priority 7 was not part of"),
        (BOARD.format(pk=closed.pk) + "priorities/1/objectives/9/", "Objective 1.9 was not part"),
        (BOARD.format(pk=closed.pk) + "measures/NEW/", "The measure NEW was not part"),
    ):
        response = reader.get(url)
        assert response.status_code == 404
        assert (
            words in response.content.decode() and "2024/25 Q2 closed" in response.content.decode()
        )


def test_only_a_closed_quarter_of_a_strategy_one_can_see_is_shown(
    strategy,
    closed,
    reader,
    admin_user,
):
    other = make_strategy(slug="other", period_start=dt.date(2023, 4, 1))
    assert reader.get(f"/strategies/other/periods/{closed.pk}/board/").status_code == 404
    draft = make_strategy(slug="draft", status="draft", period_start=dt.date(2023, 4, 1))
    assert reader.get("/strategies/draft/as-at/", {"period": "", "item": ""}).status_code == 404
    assert other and draft


def test_the_as_at_dashboards_queries_do_not_grow_with_the_strategy(closed, reader):
    url = BOARD.format(pk=closed.pk)
    reader.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert reader.get(url).status_code == 200
    assert len(queries) <= 12


def test_the_strategy_list_as_at_a_quarter_shows_each_strategys_status_then(
    strategy, closed, reader
):
    other = make_strategy(slug="later", title="Not closed yet", period_start=dt.date(2023, 4, 1))
    live = reader.get("/strategies/").content.decode()
    assert 'action="/quarters/"' in live and ">as at the end of 2024/25 Q2 (30 Sep 2024)<" in live
    response = reader.get("/quarters/", {"quarter": "2024/25 Q2"})
    assert response.status_code == 200
    page = _main(response)
    assert "As at 30 September 2024, the end of 2024/25 Q2." in page
    assert f'href="{BOARD.format(pk=closed.pk)}"' in page and strategy.title in page
    assert "Red" in page  # the overall status as it closed
    assert "Not closed for 2024/25 Q2 (1)" in page and other.title in page
    strategy.title = "Renamed since"
    strategy.save()
    assert "Renamed since" not in _main(reader.get("/quarters/", {"quarter": "2024/25 Q2"}))


def test_the_strategy_list_as_at_a_quarter_starts_at_the_latest_closed_one(closed, reader):
    page = _main(reader.get("/quarters/"))
    assert "Strategies as at the end of 2024/25 Q2" in page


def test_with_no_quarter_closed_the_list_as_at_a_quarter_says_so(reader):
    response = reader.get("/quarters/")
    assert response.status_code == 404
    assert "No strategy you can see has closed a quarter yet." in response.content.decode()


@pytest.mark.parametrize("quarter", ["2024/25 Q7", "Q2", "x" * 500])
def test_the_strategy_list_as_at_a_bad_quarter_says_so(closed, reader, quarter):
    response = reader.get("/quarters/", {"quarter": quarter})
    assert response.status_code == 404
    assert "is not a quarter such as 2024/25 Q2" in response.content.decode()


def test_the_strategy_list_as_at_a_quarter_shows_only_what_the_reader_may_see(
    closed, reader, admin_user
):
    from reporting.tests.helpers import close_quarter

    draft = make_strategy(slug="draft", title="Draft plan", status="draft")
    make_objective(make_priority(draft, number=1), number=1)
    draft.status = "published"
    draft.save()
    close_quarter(draft, Q2, admin_user)
    draft.status = "draft"
    draft.save()
    page = _main(reader.get("/quarters/", {"quarter": "2024/25 Q2"}))
    assert "Draft plan" not in page


def test_a_milestones_page_goes_to_it_on_its_objective_as_at_the_quarter(strategy, closed, reader):
    hub = strategy.priorities.get().objectives.get().milestones.get(title="Open the hub")
    live = reader.get(hub.get_absolute_url()).content.decode()
    item = f"milestone:1.1.{hub.pk}"
    assert f'name="item" value="{item}"' in live
    chosen = reader.get("/strategies/s/as-at/", {"period": closed.pk, "item": item})
    expected = BOARD.format(pk=closed.pk) + f"priorities/1/objectives/1/#milestone-{hub.pk}"
    assert chosen["Location"] == expected
    page = reader.get(expected.split("#")[0]).content.decode()
    assert f'id="milestone-{hub.pk}"' in page
    back = reader.get("/strategies/s/as-at/", {"period": "", "item": item})
    assert back["Location"] == hub.get_absolute_url()
    for bad in ("milestone:1.1.x", "milestone:1.1", f"milestone:1.x.{hub.pk}", "milestone:"):
        assert reader.get("/strategies/s/as-at/", {"period": "", "item": bad}).status_code == 404


def test_an_objective_renumbered_since_the_close_is_found_as_it_was_numbered_then(
    strategy, closed, reader
):
    """Objective 1.1 archived after the close, and the second renumbered 1.1: choosing the
    quarter on the second's page showed the first's page as at the quarter, Amber and all."""
    from django.utils import timezone

    from objectives.models import Objective

    priority = strategy.priorities.get()
    first = priority.objectives.get()
    second = make_objective(priority, number=2, title="A second aim")
    q3 = Q2.next()
    period = cycle.schedule(strategy, q3, *cycle.default_window(q3), by=closed.closed_by)
    cycle.open_period(period, by=closed.closed_by)
    later = cycle.close_period(period, by=closed.closed_by, today=q3.end + dt.timedelta(days=5))
    Objective.objects.filter(pk=first.pk).update(archived_at=timezone.now(), number=9)
    Objective.objects.filter(pk=second.pk).update(number=1)
    second.refresh_from_db()

    live = reader.get(second.get_absolute_url()).content.decode()
    assert f'name="item_id" value="{second.pk}"' in live
    query = {"item": "objective:1.1", "item_id": second.pk}
    chosen = reader.get("/strategies/s/as-at/", query | {"period": later.pk})
    assert chosen["Location"] == BOARD.format(pk=later.pk) + "priorities/1/objectives/2/"
    # Not in the first quarter at all: said so, rather than the first objective's page.
    gone = reader.get("/strategies/s/as-at/", query | {"period": closed.pk})
    assert gone.status_code == 404 and "was not part of this strategy" in gone.content.decode()
    # As at the later quarter, today's position is the same objective, numbered as it is now.
    page = reader.get(chosen["Location"]).content.decode()
    assert f'href="{second.get_absolute_url()}">See today' in page
    # The archived one's page as at the quarter leads to the strategy, not to its old number.
    old = reader.get(BOARD.format(pk=later.pk) + "priorities/1/objectives/1/").content.decode()
    assert 'href="/strategies/s/">See today' in old
    # And so does the quarter selector's "as it is today" there.
    today = reader.get("/strategies/s/as-at/", {"item": "objective:1.1", "item_id": first.pk})
    assert today.status_code == 302 and today["Location"] == "/strategies/s/"


def test_a_milestone_moved_since_the_close_is_found_where_it_was(strategy, closed, reader):
    from milestones.models import Milestone

    priority = strategy.priorities.get()
    hub = priority.objectives.get().milestones.get(title="Open the hub")
    elsewhere = make_objective(priority, number=2, title="Elsewhere")
    Milestone.objects.filter(pk=hub.pk).update(objective=elsewhere)
    hub.refresh_from_db()
    item = f"milestone:1.2.{hub.pk}"
    assert f'name="item" value="{item}"' in reader.get(hub.get_absolute_url()).content.decode()
    chosen = reader.get("/strategies/s/as-at/", {"period": closed.pk, "item": item})
    expected = BOARD.format(pk=closed.pk) + f"priorities/1/objectives/1/#milestone-{hub.pk}"
    assert chosen["Location"] == expected
    new = make_objective(priority, number=3, title="Added later").pk
    born_later = Milestone.objects.create(objective_id=new, title="New", position=1)
    item = f"milestone:1.3.{born_later.pk}"
    gone = reader.get("/strategies/s/as-at/", {"period": closed.pk, "item": item})
    assert gone.status_code == 404 and "was not part of this strategy" in gone.content.decode()


def test_the_measure_as_at_gives_its_charted_figures_as_a_table(closed, reader):
    """As the public page of the measure does: the chart's points were only in its SVG, which
    a chart drawn as one image keeps from a screen reader."""
    page = _main(reader.get(BOARD.format(pk=closed.pk) + "measures/WAIT/"))
    table = page.split('<h2 id="figures">The figures in the chart</h2>')[1].split("</table>")[0]
    row = closed.snapshot.get(number="WAIT")
    assert table.count('<th scope="row">') == len(row.chart_points) > 1
