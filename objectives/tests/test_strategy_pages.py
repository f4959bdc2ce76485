import pytest
from django.urls import reverse

from tests.factories import make_milestone, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db


def test_the_strategy_list_shows_each_strategy_with_its_organisation(client, board_member):
    make_strategy(title="Stronger Together", slug="thurrock")
    client.force_login(board_member)

    response = client.get(reverse("objectives:strategy_list"))

    assert response.status_code == 200
    assert b"Stronger Together" in response.content
    assert b'href="/strategies/thurrock/"' in response.content


def test_the_strategy_page_lists_priorities_and_objectives_in_order(client, board_member):
    strategy = make_strategy(slug="eput")
    second = make_priority(strategy, number=2, title="Enable each other")
    first = make_priority(strategy, number=1, title="Deliver safe care")
    make_objective(first, number=1, title="Eradicate long waits")
    make_milestone(make_objective(second, number=1, title="Robust supervision"))
    client.force_login(board_member)

    response = client.get(reverse("objectives:strategy_detail", args=["eput"]))

    html = response.content.decode()
    assert html.index("Deliver safe care") < html.index("Enable each other")
    assert html.index("Eradicate long waits") < html.index("Robust supervision")
    assert 'href="/strategies/eput/priorities/2/objectives/1/"' in html


def test_an_unknown_strategy_is_not_found(client, board_member):
    client.force_login(board_member)
    assert client.get("/strategies/no-such-thing/").status_code == 404


def test_the_strategy_page_query_count_does_not_grow_with_the_strategy(
    client, board_member, django_assert_max_num_queries
):
    strategy = make_strategy(slug="big")
    for p in range(1, 7):
        priority = make_priority(strategy, number=p)
        for o in range(1, 9):
            objective = make_objective(priority, number=o)
            for _ in range(3):
                make_milestone(objective)
    client.force_login(board_member)

    # 14: the partner organisations named beside the lead one are one more since issue 19;
    # 15: the count of strategic risks since issue 21.
    with django_assert_max_num_queries(15):
        response = client.get(strategy.get_absolute_url())
    assert response.status_code == 200


def test_a_list_of_one_organisations_strategies_says_so_and_offers_them_all(client, board_member):
    from tests.factories import make_strategy

    strategy = make_strategy(title="Only this one")
    make_strategy(title="Another")
    client.force_login(board_member)
    html = client.get(f"/strategies/?organisation={strategy.organisation_id}").content.decode()
    assert f"Strategies of {strategy.organisation.name}" in html
    assert "Show every strategy" in html and "Another" not in html
    html = client.get("/strategies/?organisation=999999").content.decode()
    assert "No organisation has that number." in html and "No strategies yet" not in html


def _list_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_strategy_list_shows_twenty_a_page_in_the_same_queries_whatever_the_count(
    client, board_member, django_assert_max_num_queries
):
    from objectives.models import Organisation
    from objectives.views import STRATEGIES_PER_PAGE

    trust = Organisation.objects.create(name="Trust")
    for _ in range(3):
        make_milestone(make_objective(make_priority(make_strategy(organisation=trust))))
    client.force_login(board_member)
    few = _list_queries(client, "/strategies/")
    for _ in range(2 * STRATEGIES_PER_PAGE + 2):  # 45 in all: three pages
        make_milestone(make_objective(make_priority(make_strategy(organisation=trust))))

    with django_assert_max_num_queries(few):
        first = client.get("/strategies/").content.decode()
    last = client.get(f"/strategies/?organisation={trust.pk}&page=3").content.decode()

    assert first.count('<th scope="row">') == STRATEGIES_PER_PAGE
    assert "Strategies 1–20 of 45." in first and 'href="?page=2"' in first
    assert last.count('<th scope="row">') == 5 and "Strategies 41–45 of 45." in last
    assert f'href="?organisation={trust.pk}&amp;page=2"' in last  # the filter is kept


def test_an_objectives_milestone_table_has_a_cell_under_every_heading(client, board_member):
    import re

    objective = make_objective(make_priority(make_strategy(slug="cells")))
    make_milestone(objective, title="Only one")
    client.force_login(board_member)

    html = client.get(objective.get_absolute_url()).content.decode()

    table = html[html.index('class="data-table milestone-table') :]
    table = table[: table.index("</table>")]
    headings = len(re.findall(r"<th\b", table))
    row = table[table.index("<tbody>") :]
    row = row[: row.index("</tr>")]
    assert "Objective" not in table[: table.index("<tbody>")]
    assert row.count("<td") == headings == 6


def test_a_huge_organisation_number_finds_nothing_rather_than_failing(client, board_member):
    client.force_login(board_member)
    response = client.get("/strategies/?organisation=99999999999999999999999")
    assert response.status_code == 200
    assert "No organisation has that number" in response.content.decode()


def test_filtering_keeps_the_sort_and_a_new_sort_starts_at_the_first_page(client, board_member):
    objective = make_objective(make_priority(make_strategy(slug="order")))
    for n in range(30):
        make_milestone(objective, title=f"Step {n:02d}")
    client.force_login(board_member)
    html = client.get(
        objective.get_absolute_url() + "?sort=-title&per_page=10&page=2&status="
    ).content.decode()
    start = html.index('class="filters"')
    form = html[start : html.index("</form>", start)]
    assert '<input type="hidden" name="sort" value="-title">' in form
    assert '<input type="hidden" name="per_page" value="10">' in form
    start = html.index("<thead>", html.index("milestone-table"))
    header = html[start : html.index("</thead>", start)]
    assert 'aria-sort="descending"' in header
    assert "page=2" not in header and "sort=title" in header and "per_page=10" in header
