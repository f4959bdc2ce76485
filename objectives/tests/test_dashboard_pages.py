import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from milestones.models import Milestone
from tests.factories import (
    make_big_strategy,
    make_measure,
    make_milestone,
    make_objective,
    make_priority,
    make_strategy,
    make_value,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def strategy(today):
    strategy = make_strategy(
        slug="eput", title="EPUT plan", period_end=today + dt.timedelta(days=900)
    )
    priority = make_priority(strategy, number=1, title="Deliver safe care")
    objective = make_objective(
        priority, number=1, title="Eradicate long waits", where_now="Long waits"
    )
    make_milestone(objective, title="Clear the backlog", due_date=today - dt.timedelta(days=3))
    make_milestone(
        objective,
        title="Recruit staff",
        due_date=today + dt.timedelta(days=200),
        status="at_risk",
        last_updated_at=timezone.now(),
    )
    make_milestone(
        objective,
        title="Review the model",
        due_date=today + dt.timedelta(days=300),
        status="on_track",
        last_updated_at=timezone.now(),
    )
    measure = make_measure(
        objective,
        code="WAITS",
        name="Children waiting",
        direction="lower",
        unit="count",
        target_value=Decimal(100),
        tolerance=Decimal(10),
    )
    make_value(measure, today - dt.timedelta(days=40), 112)
    make_priority(strategy, number=2, title="Enable each other")
    return strategy


def test_the_strategy_list_shows_each_strategys_overall_status_and_counts(signed_in, strategy):
    response = signed_in.get(reverse("objectives:strategy_list"))
    html = response.content.decode()
    assert "Red</span>" in html
    assert "1 milestone overdue, 1 measure 12% above target" in html
    assert "2 red" in html and "1 amber" in html and "1 green" in html
    assert f"Status as at {timezone.localdate():%-d %B %Y}" in html


def test_the_dashboard_gives_each_priority_its_status_counts_and_reason(signed_in, strategy):
    response = signed_in.get(strategy.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Deliver safe care" in html
    assert "1 milestone overdue, 1 measure 12% above target" in html
    assert "no milestones or measures" in html  # priority 2 is empty and says so
    # The overdue and at-risk list, red first.
    attention = html[html.index('id="attention"') : html.index('id="timeline"')]
    assert attention.index("Clear the backlog") < attention.index("Recruit staff")
    assert "Review the model" not in attention


def test_the_dashboard_timeline_is_chart_data_and_a_table(signed_in, strategy):
    response = signed_in.get(strategy.get_absolute_url())
    timeline = response.context["timeline"]
    names = [trace["name"] for trace in timeline["data"]]
    assert names == ["Red", "Amber", "Green"]
    symbols = [trace["marker"]["symbol"] for trace in timeline["data"]]
    assert len(set(symbols)) == 3  # shape as well as colour
    html = response.content.decode()
    assert '<script id="timeline-data" type="application/json">' in html
    assert "Timeline as a table" in html
    # The caption points to where that table is: a page of its own, not below the chart.
    caption = html[html.index('id="timeline-caption"') : html.index("</figcaption>")]
    assert "linked below the chart" in caption and "the table below" not in caption
    assert "/static/plotly/plotly.min.js" in html
    # Every script and style from this site (a random token in the page may spell "cdn").
    assert "<script src=" in html
    assert not re.search(r'<(?:script|link)[^>]+(?:src|href)="(?:https?:)?//', html)


def test_a_strategy_whose_period_has_ended_says_so(signed_in, today):
    ended = make_strategy(
        slug="old", period_start=dt.date(2013, 4, 1), period_end=dt.date(2016, 3, 31)
    )
    html = signed_in.get(ended.get_absolute_url()).content.decode()
    assert "period ended on 31 March 2016" in html


def test_the_priority_page_lists_objectives_milestones_and_measures(signed_in, strategy):
    response = signed_in.get("/strategies/eput/priorities/1/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Eradicate long waits" in html
    assert "Clear the backlog" in html and "Recruit staff" in html
    assert "Children waiting" in html
    assert 'id="chart-WAITS-data"' in html


def test_a_part_two_priority_has_its_own_address(signed_in, strategy):
    make_priority(strategy, part=2, number=1, title="Outstanding universal services")
    response = signed_in.get("/strategies/eput/priorities/part2-1/")
    assert response.status_code == 200
    assert "Outstanding universal services" in response.content.decode()
    assert signed_in.get("/strategies/eput/priorities/part2-9/").status_code == 404


def test_the_objective_page_shows_the_documents_text(signed_in, strategy):
    response = signed_in.get("/strategies/eput/priorities/1/objectives/1/")
    html = response.content.decode()
    assert "Where are we now?" in html and "Long waits" in html
    assert "Clear the backlog" in html


def test_the_milestone_tables_rows_are_given_the_priority_or_objective_their_page_read(
    signed_in, strategy
):
    """A priority's or an objective's milestone table reads each row without its hierarchy:
    every row is given the page's own priority or objective, and links to itself."""
    pages = {
        "/strategies/eput/priorities/1/": lambda m, context: (
            m.objective.priority is context["priority"]
        ),
        "/strategies/eput/priorities/1/objectives/1/": lambda m, context: (
            m.objective is context["objective"]
        ),
    }
    for url, given in pages.items():
        response = signed_in.get(url)
        rows = response.context["table"].page_rows
        assert len(rows) == 3
        for milestone, _ in rows:
            assert given(milestone, response.context)
            link = f'href="/strategies/eput/priorities/1/objectives/1/milestones/{milestone.pk}/'
            assert link in response.content.decode()


@pytest.mark.parametrize(
    "query,shown,hidden",
    [
        ("rag=red", ["Clear the backlog"], ["Recruit staff", "Review the model"]),
        ("rag=amber", ["Recruit staff"], ["Clear the backlog"]),
        ("status=on_track", ["Review the model"], ["Recruit staff"]),
        ("due=overdue", ["Clear the backlog"], ["Review the model"]),
        ("due=none", [], ["Clear the backlog", "Recruit staff"]),
    ],
)
def test_the_milestone_table_filters(signed_in, strategy, query, shown, hidden):
    table = signed_in.get(f"/strategies/eput/priorities/1/objectives/1/?{query}").context["table"]
    titles = [row.record.title for row in table.rows]
    assert all(t in titles for t in shown), titles
    assert not any(t in titles for t in hidden), titles


def test_the_milestone_table_filters_by_owner_and_rejects_an_unknown_one(
    signed_in, strategy, programme_lead
):
    Milestone.objects.filter(title="Recruit staff").update(owner=programme_lead)
    table = signed_in.get(f"/strategies/eput/priorities/1/?owner={programme_lead.id}").context[
        "table"
    ]
    assert [row.record.title for row in table.rows] == ["Recruit staff"]
    response = signed_in.get("/strategies/eput/priorities/1/?owner=99999")
    assert "Select a valid choice" in response.content.decode()


def test_the_owner_filter_offers_the_pages_owners_read_without_their_milestones_status(
    signed_in, strategy, programme_lead, admin_user
):
    Milestone.objects.filter(title="Recruit staff").update(owner=programme_lead)
    Milestone.objects.exclude(objective__priority__number=1).update(owner=admin_user)
    filterset = signed_in.get("/strategies/eput/priorities/1/").context["filter"]
    owners = filterset.filters["owner"].queryset
    assert list(owners) == [programme_lead]
    # The subquery of the owners' ids: the milestones as the page reads them, without the
    # status annotation its table sorts by, which Django would build again for it.
    (subquery,) = [c.rhs for c in owners.query.where.children if hasattr(c.rhs, "annotations")]
    assert subquery.annotations == {}


def test_the_milestone_table_sorts_worst_first_and_by_due_date(signed_in, strategy):
    table = signed_in.get("/strategies/eput/priorities/1/").context["table"]
    assert [row.record.title for row in table.rows][:2] == ["Clear the backlog", "Recruit staff"]
    table = signed_in.get("/strategies/eput/priorities/1/?sort=-due_date").context["table"]
    assert [row.record.title for row in table.rows][0] == "Review the model"


def test_the_milestone_table_is_paginated(signed_in, today):
    strategy = make_strategy(slug="many")
    objective = make_objective(make_priority(strategy, number=1), number=1)
    for n in range(30):
        make_milestone(objective, title=f"M{n}", due_date=today + dt.timedelta(days=n + 100))
    first = signed_in.get("/strategies/many/priorities/1/").context["table"]
    assert len(first.page.object_list) == 25
    second = signed_in.get("/strategies/many/priorities/1/?page=2").context["table"]
    assert len(second.page.object_list) == 5


def test_the_measure_page_has_the_chart_the_table_and_the_history(signed_in, strategy, admin_user):
    from measures.models import Measure

    measure = Measure.objects.get(code="WAITS")
    measure._history_user = admin_user
    measure.target_value = Decimal(90)
    measure.save()
    response = signed_in.get("/measures/WAITS/")
    html = response.content.decode()
    chart = response.context["chart"]
    assert [t["name"] for t in chart["data"]] == ["Reported value", "Target"]
    assert chart["data"][1]["y"] == [90.0, 90.0]
    assert "Values of Children waiting" in html
    assert "Ada Admin" in html and "<del>100</del>" in html and "<ins>90</ins>" in html
    assert "24% above target" in html


def test_the_measure_chart_draws_the_trajectory_from_baseline_to_target(signed_in, strategy):
    make_measure(
        priority=strategy.priorities.get(number=1),
        code="TRAJ",
        name="Trajectory",
        baseline_value=Decimal(20),
        baseline_period=dt.date(2024, 3, 31),
        target_value=Decimal(10),
        target_date=dt.date(2027, 3, 31),
        direction="lower",
    )
    chart = signed_in.get("/measures/TRAJ/").context["chart"]
    trajectory = next(t for t in chart["data"] if t["name"] == "Trajectory to target")
    assert trajectory["x"] == ["2024-03-31", "2027-03-31"]
    assert trajectory["y"] == [20.0, 10.0]
    assert next(t for t in chart["data"] if t["name"] == "Baseline")["marker"]["symbol"] == "star"


def test_unknown_pages_are_not_found(signed_in, strategy):
    for url in [
        "/measures/NOPE/",
        "/strategies/eput/priorities/7/",
        "/strategies/eput/priorities/1/objectives/9/",
    ]:
        assert signed_in.get(url).status_code == 404, url


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_every_model_has_an_address_that_follows_the_hierarchy(strategy):
    from measures.models import Measure

    priority = strategy.priorities.get(number=1)
    objective = priority.objectives.get(number=1)
    measure = Measure.objects.get(code="WAITS")
    assert strategy.organisation.get_absolute_url() == (
        f"/strategies/?organisation={strategy.organisation.pk}"
    )
    assert strategy.get_absolute_url() == "/strategies/eput/"
    assert priority.get_absolute_url() == "/strategies/eput/priorities/1/"
    assert objective.get_absolute_url() == "/strategies/eput/priorities/1/objectives/1/"
    assert measure.get_absolute_url() == "/measures/WAITS/"
    value = measure.values.get()
    assert value.get_absolute_url() == f"/measures/WAITS/#value-{value.period_end.isoformat()}"


def test_the_strategy_list_can_show_one_organisations_strategies(signed_in, strategy):
    other = make_strategy(slug="other", title="Another organisation's plan")
    html = signed_in.get(strategy.organisation.get_absolute_url()).content.decode()
    assert "EPUT plan" in html
    assert other.title not in html


def test_a_long_milestone_table_offers_one_page_for_printing(signed_in, today):
    strategy = make_strategy(slug="many")
    objective = make_objective(make_priority(strategy, number=1), number=1)
    for n in range(30):
        make_milestone(objective, title=f"M{n}", due_date=today + dt.timedelta(days=n + 100))
    html = signed_in.get("/strategies/many/priorities/1/?status=not_started").content.decode()
    assert "Showing milestones 1–25 of 30" in html
    assert "?status=not_started&amp;per_page=30&amp;page=1" in html
    table = signed_in.get("/strategies/many/priorities/1/?per_page=30").context["table"]
    assert len(table.page.object_list) == 30


def test_undated_milestones_sort_last(signed_in, strategy):
    make_milestone(
        strategy.priorities.get(number=1).objectives.get(),
        title="Undated",
        status="on_track",
        last_updated_at=timezone.now(),
    )
    for sort in ("due_date", "-due_date"):
        table = signed_in.get(f"/strategies/eput/priorities/1/?sort={sort}").context["table"]
        assert [row.record.title for row in table.rows][-1] == "Undated", sort
    table = signed_in.get("/strategies/eput/priorities/1/?due=none").context["table"]
    assert [row.record.title for row in table.rows] == ["Undated"]


def test_the_strategy_list_makes_the_same_number_of_queries_for_more_strategies(signed_in, today):
    make_big_strategy(size=1, today=today, slug="one")
    few = _queries(signed_in, "/strategies/")
    for n in range(4):
        make_big_strategy(size=1, today=today, slug=f"more-{n}")
    assert _queries(signed_in, "/strategies/") == few


def _cells(row: str) -> list[str]:
    """A table row's cells as text, tags dropped and spaces collapsed."""
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]


def test_the_dashboards_exceptions_say_who_owns_each_and_what_they_last_reported(
    signed_in, strategy, programme_lead, today
):
    forecast = today + dt.timedelta(days=260)
    Milestone.objects.filter(title="Recruit staff").update(
        owner=programme_lead,
        commentary="Two posts still vacant after the second advert.",
        forecast_date=forecast,
        last_updated_by=programme_lead,
    )
    html = signed_in.get(strategy.get_absolute_url()).content.decode()
    attention = html[html.index('id="attention"') : html.index('id="timeline"')]
    tbody = attention[attention.index("<tbody>") : attention.index("</tbody>")]
    backlog, recruit = (_cells(row) for row in tbody.split("</tr>")[:2])
    assert len(backlog) == len(recruit) == 5  # milestone, owner, due, status, report

    assert recruit[0].startswith("Recruit staff")
    assert recruit[1] == "Lee Lead"
    assert recruit[4] == (
        f"Reported at risk · forecast {forecast:%-d %b %Y} "
        f"Two posts still vacant after the second advert. Lee Lead, {today:%-d %b %Y}"
    )

    assert backlog[0].startswith("Clear the backlog")
    assert backlog[1] == "Nobody yet"
    assert backlog[4] == "No update reported yet"


def test_the_strategys_milestone_list_has_them_all_a_page_at_a_time(signed_in, today):
    big = make_big_strategy(size=4, today=today, slug="big")
    total = Milestone.objects.for_strategy(big).count()
    response = signed_in.get("/strategies/big/milestones/?sort=due_date")
    assert response.status_code == 200
    table = response.context["table"]
    assert table.paginator.count == total > 25
    assert len(table.page.object_list) == 25
    dues = [row.record.due_date for row in table.page.object_list]
    assert dues == sorted(dues)
    red = signed_in.get("/strategies/big/milestones/?rag=red").context["table"]
    assert {row.record.rag(today).rag.value for row in red.page.object_list} == {"red"}


def test_the_dashboard_shows_the_worst_ten_exceptions_and_links_to_all(signed_in, today):
    big = make_big_strategy(size=4, today=today, slug="big")
    response = signed_in.get(big.get_absolute_url())
    assert len(response.context["needs_attention"]) == 10
    counts = response.context["attention_counts"]
    assert counts["red"] + counts["amber"] > 10
    html = response.content.decode()
    assert "/strategies/big/milestones/?rag=red" in html


def test_the_dashboard_links_only_to_colours_that_have_milestones(signed_in, today):
    strategy = make_strategy(slug="amber-only", period_end=today + dt.timedelta(days=900))
    objective = make_objective(make_priority(strategy))
    for n in range(12):
        due = today + dt.timedelta(days=30 + n)
        make_milestone(objective, title=f"At risk {n}", status="at_risk", due_date=due)
    response = signed_in.get(strategy.get_absolute_url())
    assert response.context["attention_counts"] == {"red": 0, "amber": 12}
    html = response.content.decode()
    assert "All 12 amber</a>" in html
    assert "?rag=red" not in html and "0 red</a>" not in html


def test_the_dashboard_shows_a_stored_reading_only_while_it_is_current(signed_in, today):
    """The stored reading is what the dashboard shows while current (a wrong one planted here
    proves it is read); once a value is written, the dashboard works it out from the values."""
    from measures.models import MeasureReading
    from measures.readings import refresh

    strategy = make_big_strategy(size=1, today=today, slug="read")
    url = strategy.get_absolute_url()
    measure = strategy.priorities.first().objectives.first().measures.first()
    planted = "neither improvement nor concern (high)"

    def summary_row() -> str:
        page = signed_in.get(url).content.decode()
        return re.search(rf'<tr>\s*<td><a href="/measures/{measure.code}/">.*?</tr>', page, re.S)[0]

    stale_queries = _queries(signed_in, url)
    assert planted not in summary_row()
    refresh()
    MeasureReading.objects.filter(measure=measure).update(
        variation="neither_high", run_chart_only=False
    )
    assert _queries(signed_in, url) <= stale_queries
    assert planted in summary_row()

    make_value(measure, today.replace(day=1) - dt.timedelta(days=1), 1)
    assert planted not in summary_row()
