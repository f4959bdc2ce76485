"""A closed strategy is kept as it was when it closed (README, "Closed strategies cannot be
changed"): the editor, its risks and its returns refused already; the milestone page, the
owner and delegate form, SPC limits, sign-off, the figures import and data-quality ratings
took changes (found by an attacker's pass)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measures.models import MeasureValue
from milestones.models import Milestone
from objectives.models import Strategy
from strategy_tracker.roles import ADMIN, PROGRAMME_LEAD
from tests.factories import (
    make_measure,
    make_milestone,
    make_objective,
    make_priority,
    make_strategy,
)

pytestmark = pytest.mark.django_db
REFUSAL = "This strategy is closed: it is kept as it was when it closed"


@pytest.fixture
def closed(make_member):
    strategy = make_strategy(status=Strategy.Status.CLOSED)
    objective = make_objective(make_priority(strategy))
    organisation = strategy.organisation
    lead = make_member("closedlead", {organisation: [PROGRAMME_LEAD]})
    admin = make_member("closedadmin", {organisation: [ADMIN]})
    milestone = make_milestone(objective, owner=lead, status="on_track")
    return strategy, objective, milestone, lead, admin


def test_its_owner_cannot_update_a_milestone_and_sees_why(closed, client):
    strategy, objective, milestone, lead, _ = closed
    client.force_login(lead)
    page = client.get(milestone.get_absolute_url()).content.decode()
    assert "Update this milestone" not in page
    assert "This strategy is closed: its milestones are kept as they were" in page
    response = client.post(
        milestone.get_absolute_url() + "update/",
        {
            "status": "off_track",
            "commentary": "changed after close",
            "forecast_date": "",
            "version": milestone.version,
            "waiting": "",
        },
    )
    milestone.refresh_from_db()
    assert (milestone.status, milestone.commentary) == ("on_track", "")
    assert response.status_code == 403
    # What was typed is shown back, with the reason, and no talk of a new owner.
    text = response.content.decode()
    assert "changed after close" in text and "closed" in text
    assert "given to someone else" not in text
    assert not Milestone.objects.updatable_by(lead).exists()


def test_an_admin_cannot_reassign_its_milestones(closed, client, make_member):
    strategy, objective, milestone, lead, admin = closed
    other = make_member("closedlead2", {strategy.organisation: [PROGRAMME_LEAD]})
    client.force_login(admin)
    page = client.get(milestone.get_absolute_url()).content.decode()
    assert milestone.get_absolute_url() + "assign/" not in page
    response = client.post(
        milestone.get_absolute_url() + "assign/",
        {"read_owner": str(lead.pk), "read_delegates": "", "owner": str(other.pk)},
    )
    assert response.status_code == 403
    assert REFUSAL in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.owner_id == lead.pk
    assert not Milestone.objects.managed_by(admin).exists()


def test_an_admin_cannot_change_its_measures_spc_limits(closed, client):
    strategy, objective, milestone, lead, admin = closed
    measure = make_measure(objective)
    client.force_login(admin)
    assert 'id="spc-limits' not in client.get(measure.get_absolute_url()).content.decode()
    response = client.post(
        f"/measures/{measure.code}/spc/",
        {"read_limits": "|", "spc_baseline_points": "12", "spc_rebase_from": "", "reason": "x"},
    )
    assert response.status_code == 403
    measure.refresh_from_db()
    assert measure.spc_baseline_points is None


def test_an_admin_cannot_change_its_sign_off(closed, client):
    strategy, objective, milestone, lead, admin = closed
    client.force_login(admin)
    page = client.get(reverse("reporting:periods", args=[strategy.slug])).content.decode()
    assert "Save sign-off" not in page
    response = client.post(
        reverse("reporting:sign_off", args=[strategy.slug]),
        {"read_state": "", "requires_approval": "on", "approvers": [str(admin.pk)]},
    )
    assert response.status_code == 403
    strategy.refresh_from_db()
    assert not strategy.requires_approval


def test_its_measures_take_no_more_figures_or_ratings(closed, client):
    strategy, objective, milestone, lead, admin = closed
    measure = make_measure(objective, code="SHUT-1")
    client.force_login(admin)
    csv = f"measure_code,period_end,value\r\n{measure.code},2024-06-30,5\r\n".encode()
    upload = client.post(
        reverse("measures:import_start"), {"file": SimpleUploadedFile("f.csv", csv)}
    )
    preview = client.get(upload["Location"])
    assert "SHUT-1 is of a closed strategy" in preview.content.decode()
    assert preview.context["report"].totals["error"] == 1
    batch = preview.context["batch"]
    client.post(reverse("measures:import_confirm", args=[batch.pk]), {})
    assert not MeasureValue.objects.filter(measure=measure).exists()
    template = client.get(reverse("measures:import_template")).content.decode()
    assert "SHUT-1" not in template
    rating = client.get(reverse("measures:data_quality", args=[measure.code]))
    assert rating.status_code == 403


@pytest.mark.parametrize(
    "model", ["milestones_milestone", "measures_measure", "objectives_objective"]
)
def test_the_django_admin_shows_a_closed_strategys_items_and_changes_none(closed, client, model):
    """The app refused; the Django admin still saved a new status, or SPC limits (found by a
    second reading of the change)."""
    from django.contrib.auth import get_user_model

    strategy, objective, milestone, lead, admin = closed
    item = {
        "milestones_milestone": milestone,
        "measures_measure": make_measure(objective, code="SHUT-2"),
        "objectives_objective": objective,
    }[model]
    site_admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(site_admin)
    url = reverse(f"admin:{model}_change", args=[item.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # shown, read only
    before = type(item).objects.filter(pk=item.pk).values().get()
    assert client.post(url, {"title": "Changed", "status": "off_track"}).status_code == 403
    assert type(item).objects.filter(pk=item.pk).values().get() == before


def test_the_django_admin_adds_nothing_under_a_closed_strategy(closed, client):
    from django.contrib.auth import get_user_model

    strategy, objective, milestone, lead, admin = closed
    site_admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(site_admin)
    response = client.post(
        reverse("admin:milestones_milestone_add"),
        {
            "objective": objective.pk,
            "position": 9,
            "title": "Added after close",
            "status": "on_track",
        },
    )
    assert response.status_code == 200
    assert "That strategy is closed" in response.content.decode()
    assert not Milestone.objects.filter(title="Added after close").exists()
