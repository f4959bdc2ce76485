"""What the board report's "Changed since publication" lists of edits in the editor (found by an
editor pass: a re-planned trajectory, a new responsible partner, the strategy's own details)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from milestones.tests.posted_forms import form_as_posted
from objectives.models import Organisation, Partner
from reporting import structure_changes
from tests.factories import make_measure, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db


def _item_url(strategy, level, pk, action=""):
    name = f"editor:{action}" if action else "editor:item"
    return reverse(name, args=[strategy.slug, level, pk])


def _published():
    strategy = make_strategy(slug="s", published_at=timezone.now() - dt.timedelta(days=1))
    objective = make_objective(make_priority(strategy), title="Waits")
    measure = make_measure(
        objective,
        code="WAIT",
        unit="%",
        direction="lower",
        baseline_value=12,
        baseline_period=dt.date(2024, 3, 31),
        target_value=8,
        target_date=dt.date(2027, 3, 31),
    )
    measure.trajectory.create(period_end=dt.date(2025, 3, 31), value=11)
    return strategy, objective, measure


def _save_screen(client, strategy, level, item, **changes):
    url = _item_url(strategy, level, item.pk)
    data = form_as_posted(client.get(url).content.decode(), "")
    data |= {k: [v] for k, v in changes.items()}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_a_published_measures_trajectory_re_planned_in_the_editor_is_listed(client, admin_user):
    """The planned trajectory is what a measure is judged against before its target date
    ("4% above trajectory"): moving it is re-targeting the measure, yet the board report's
    "Changed since publication" says nothing."""
    strategy, _, measure = _published()
    start = timezone.now()
    client.force_login(admin_user)
    _save_screen(client, strategy, "measure", measure, trajectory="2025-03-31=9")
    assert [(p.period_end, p.value) for p in measure.trajectory.all()] == [
        (dt.date(2025, 3, 31), 9)
    ]
    changes = structure_changes.changes_between(strategy, start, timezone.now())
    assert [c.title for c in changes] == [measure.name], changes


def test_a_new_responsible_partner_is_not_read_as_a_move(client, admin_user):
    """Naming another organisation responsible for an objective reads "moved to another
    responsible partner": the objective did not move."""
    strategy, objective, _ = _published()
    partner = Organisation.objects.create(name="Thurrock Council")
    Partner.objects.create(strategy=strategy, organisation=partner)
    start = timezone.now()
    client.force_login(admin_user)
    _save_screen(client, strategy, "objective", objective, responsible=str(partner.pk))
    changes = structure_changes.changes_between(strategy, start, timezone.now())
    assert len(changes) == 1
    assert "moved" not in changes[0].what, changes[0].what
    assert "Thurrock Council" in changes[0].what, changes[0].what


def test_a_published_strategys_own_period_re_dated_in_the_editor_is_listed(client, admin_user):
    """The report's section says "Edits to the strategy itself": moving the published
    strategy's end date (or retitling it) is not listed, and the section reads "The
    strategy's structure did not change"."""
    strategy, _, _ = _published()
    start = timezone.now()
    client.force_login(admin_user)
    url = reverse("editor:strategy", args=[strategy.slug])
    data = form_as_posted(client.get(url).content.decode(), "")
    data |= {"period_end": ["2030-03-31"]}
    assert client.post(url, data).status_code == 302
    strategy.refresh_from_db()
    assert strategy.period_end == dt.date(2030, 3, 31)
    changes = structure_changes.changes_between(strategy, start, timezone.now())
    assert changes, "the strategy's new end date is in no change listed"
