"""The next report lists how a published strategy's structure changed since publication."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from editor import archiving
from objectives.strategy_json import export_strategy, import_strategy
from reporting import cycle, snapshots, structure_changes
from reporting.models import ReportingPeriod
from reporting.quarters import Quarter
from tests.factories import make_milestone, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db


def _closed_period(strategy, quarter, closed_at):
    opens, closes = cycle.default_window(quarter)
    return ReportingPeriod.objects.create(
        strategy=strategy,
        year=quarter.year,
        quarter=quarter.number,
        opens_on=opens,
        closes_on=closes,
        state="closed",
        opened_at=closed_at,
        closed_at=closed_at,
    )


def test_the_report_lists_structure_edits_made_after_publication_and_before_its_close(
    client, admin_user, programme_lead
):
    strategy = make_strategy(slug="s")
    objective = make_objective(make_priority(strategy), title="Before publication")
    mistake = make_milestone(objective, title="Added by mistake", due_date=dt.date(2025, 3, 31))
    kept = make_milestone(objective, title="Kept", position=2, owner=programme_lead)
    strategy.published_at = timezone.now()
    strategy.save()
    objective.title = "Reworded after publication"
    objective.save()
    archiving.archive(mistake)
    kept.refresh_from_db()
    kept.status, kept.commentary = "on_track", "A lead's update is progress, not structure"
    kept.save()
    period = _closed_period(strategy, Quarter(2024, 2), timezone.now())
    snapshots.take(period)
    objective.title = "Reworded after the report closed"
    objective.save()

    client.force_login(admin_user)
    response = client.get(reverse("reporting:period_report", args=["s", period.pk]))
    page = response.content.decode()
    section = page[page.index('id="changed-since-publication"') :]
    assert "Changed since publication (3)" in page
    assert "title changed from “Before publication” to “Reworded after publication”" in section
    assert 'Milestone: Added by mistake</td><td data-label="Change">archived' in section
    assert "renumbered 2 → 1" in section  # the kept milestone closed up
    assert "after the report closed" not in section
    assert "progress, not structure" not in section


def test_a_strategy_published_after_the_report_closed_has_no_such_section(client, admin_user):
    strategy = make_strategy(slug="s", published_at=timezone.now())
    make_milestone(make_objective(make_priority(strategy)))
    period = _closed_period(strategy, Quarter(2024, 2), timezone.now() - dt.timedelta(days=3))
    snapshots.take(period)
    client.force_login(admin_user)
    page = client.get(reverse("reporting:period_report", args=["s", period.pk])).content.decode()
    assert "changed-since-publication" not in page


def test_many_progress_updates_do_not_hide_a_structure_change_and_queries_stay_few(
    admin_user, django_assert_max_num_queries
):
    strategy = make_strategy(slug="s")
    objective = make_objective(make_priority(strategy))
    milestones = [make_milestone(objective, title=f"M{n}", position=n) for n in range(1, 31)]
    start = timezone.now()
    for _ in range(8):  # 240 quarterly updates: progress, not structure
        for milestone in milestones:
            milestone.refresh_from_db()
            milestone.commentary += "."
            milestone.save()
    archiving.archive(milestones[-1])
    with django_assert_max_num_queries(14):
        changes = structure_changes.changes_between(strategy, start, timezone.now())
    assert [(c.title, c.what) for c in changes] == [("M30", "archived")]


def test_a_strategy_loaded_as_published_counts_its_changes_from_when_it_was_loaded(
    client, admin_user
):
    source = make_strategy(slug="source", status="published")
    make_milestone(make_objective(make_priority(source), title="Loaded"), title="As loaded")
    data = export_strategy(source)
    data["strategy"]["slug"] = "loaded"
    loaded = import_strategy(data)
    assert loaded.published_at is not None
    objective = loaded.priorities.get().objectives.get()
    make_milestone(objective, title="Added after loading", position=2)
    period = _closed_period(loaded, Quarter(2024, 2), timezone.now())
    snapshots.take(period)
    client.force_login(admin_user)
    page = client.get(reverse("reporting:period_report", args=["loaded", period.pk]))
    html = page.content.decode()
    start = html.index('id="changed-since-publication"')
    section = html[start : html.index("<h2", start)]
    assert "Changed since publication (1)" in section
    assert "Added after loading" in section and "As loaded" not in section


def test_a_move_names_where_to_and_a_number_reads_as_typed(admin_user):
    """ "moved to another objective" said not which; a target read "70.0000"."""
    from measures.models import Measure
    from milestones.models import Milestone
    from tests.factories import make_measure

    strategy = make_strategy(slug="s")
    priority = make_priority(strategy, number=2)
    first, second = make_objective(priority, number=1), make_objective(priority, number=3)
    hub = make_milestone(first, title="Hub")
    measure = make_measure(first, code="M", target_value=70)
    strategy.published_at = timezone.now()
    strategy.save()
    hub = Milestone.objects.get(pk=hub.pk)
    hub.objective = second
    hub.save()
    measure = Measure.objects.get(pk=measure.pk)
    measure.target_value = 90
    measure.save()
    period = _closed_period(strategy, Quarter(2024, 2), timezone.now())
    changes = structure_changes.changes_between(strategy, *structure_changes.window(period))
    said = " ".join(c.what for c in changes)
    assert "moved to objective 2.3" in said
    assert "from “70” to “90”" in said


def test_a_closed_report_keeps_its_changes_as_they_read_at_close(client, admin_user):
    """The section was worked out again on every view: renaming the person who made a change
    renamed them in a closed report."""
    from reporting.tests.test_snapshots import AFTER, Q2

    strategy = make_strategy(slug="s", period_start=dt.date(2023, 4, 1))
    objective = make_objective(make_priority(strategy), title="Before")
    make_milestone(objective, title="Hub", due_date=dt.date(2024, 12, 31))
    strategy.published_at = timezone.now() - dt.timedelta(days=1)
    strategy.save()
    objective.title = "After"
    objective._history_user = admin_user
    objective.save()
    admin_user.first_name, admin_user.last_name = "Ada", "Admin"
    admin_user.save()
    period = cycle.schedule(strategy, Q2, *cycle.default_window(Q2), by=admin_user)
    cycle.open_period(period, by=admin_user)
    period = cycle.close_period(period, by=admin_user, today=AFTER)
    url = reverse("reporting:period_report", args=["s", period.pk])
    client.force_login(admin_user)
    before = client.get(url).content.decode()
    assert "Ada Admin" in before.split('id="changed-since-publication"')[1]
    admin_user.first_name, admin_user.last_name = "Renamed", "Since"
    admin_user.save()
    objective.title = "Reworded after the close"
    objective.save()
    after = client.get(url).content.decode()
    section = after.split('id="changed-since-publication"')[1].split("</table>")[0]
    assert "Ada Admin" in section and "Renamed" not in section
    assert section == before.split('id="changed-since-publication"')[1].split("</table>")[0]
