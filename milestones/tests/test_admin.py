"""The Django admin keeps the same rules as the app's own pages."""

import datetime as dt

import pytest
from django.urls import reverse

from milestones.models import Milestone

pytestmark = pytest.mark.django_db


def _admin_post_data(client, milestone, **changes):
    url = reverse("admin:milestones_milestone_change", args=[milestone.pk])
    form = client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k != "delegates"}
    data["read_version"] = form["read_version"].value()
    data["due_date"] = milestone.due_date.isoformat()
    return url, data | changes


def test_an_admin_edit_of_a_milestone_changed_since_it_was_opened_is_refused(
    client, site_admin, milestone, programme_lead
):
    client.force_login(site_admin)
    url, data = _admin_post_data(client, milestone, title="Retitled by the admin")
    milestone.record_update(
        by=programme_lead,
        expected_version=milestone.version,
        status="at_risk",
        commentary="Slipping.",
        forecast_date=None,
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assert "changed by someone else since you opened it" in response.content.decode()
    milestone.refresh_from_db()
    assert (milestone.title, milestone.status, milestone.commentary) == (
        "Clear the Lighthouse backlog",
        "at_risk",
        "Slipping.",
    )


def test_an_admin_edit_of_status_counts_as_an_update(client, site_admin, milestone):
    client.force_login(site_admin)
    url, data = _admin_post_data(client, milestone, status="off_track", commentary="Stopped.")
    assert client.post(url, data).status_code == 302
    milestone.refresh_from_db()
    assert milestone.last_updated_by == site_admin
    assert milestone.version == 2


@pytest.mark.parametrize(
    "change, error",
    [
        ({"status": "off_track", "commentary": ""}, "Say why the milestone is off track."),
        ({"forecast_date": "2001-01-01"}, "The forecast cannot be before the strategy starts"),
    ],
)
def test_an_admin_edit_of_status_follows_a_leads_rules(
    client, site_admin, milestone, change, error
):
    client.force_login(site_admin)
    url, data = _admin_post_data(client, milestone, **change)
    response = client.post(url, data)
    assert response.status_code == 200
    assert error in response.content.decode()
    milestone.refresh_from_db()
    assert (milestone.status, milestone.version) == ("not_started", 1)


def test_an_admin_edit_judges_a_forecast_against_the_due_date_it_sets(
    client, site_admin, milestone
):
    client.force_login(site_admin)
    later = milestone.due_date + dt.timedelta(days=60)
    moved = {"due_date": later.isoformat(), "forecast_date": later.isoformat()}
    url, data = _admin_post_data(client, milestone)
    assert client.post(url, data | moved).status_code == 302
    milestone.refresh_from_db()
    assert (milestone.due_date, milestone.forecast_date) == (later, later)
    # Brought forward before the forecast, it needs a reason, as a lead's update would.
    url, data = _admin_post_data(client, milestone)
    earlier = {"due_date": (later - dt.timedelta(days=30)).isoformat()}
    response = client.post(url, data | earlier)
    assert "Say why the forecast is later than the due date" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.due_date == later


def test_only_leads_and_admins_can_be_made_owners_in_the_admin(
    client, site_admin, milestone, board_member
):
    client.force_login(site_admin)
    url, data = _admin_post_data(client, milestone, owner=board_member.pk)
    response = client.post(url, data)
    assert "Select a valid choice" in response.content.decode()
    assert Milestone.objects.get(pk=milestone.pk).owner != board_member


def test_an_organisation_admin_cannot_reach_the_django_admin_or_make_anyone_a_superuser(
    client, admin_user, board_member
):
    """The Django admin is not scoped to organisations: only site administrators use it."""
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[board_member.pk])
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(url).status_code == 302
    client.post(url, {"username": "board", "is_superuser": "on", "is_staff": "on"})
    board_member.refresh_from_db()
    assert not board_member.is_superuser and not board_member.is_staff


def _change_page(client, url: str, form_id: str) -> dict:
    """The admin change form as a browser would post it back, untouched."""
    from milestones.tests.posted_forms import form_as_posted

    page = client.get(url)
    assert page.status_code == 200
    return form_as_posted(page.content.decode(), form_id=form_id) | {"_save": ["Save"]}


def test_saving_a_milestone_in_the_admin_untouched_writes_nothing(
    client, site_admin, milestone, programme_lead
):
    import datetime as dt

    milestone.record_update(
        by=programme_lead,
        expected_version=milestone.version,
        status="on_track",
        commentary="On plan.\nThe supplier has confirmed.",  # sent back as CRLF
        forecast_date=milestone.due_date - dt.timedelta(days=7),
    )
    milestone.refresh_from_db()
    before = (milestone.version, milestone.history.count(), milestone.last_updated_by)
    client.force_login(site_admin)
    url = reverse("admin:milestones_milestone_change", args=[milestone.pk])

    response = client.post(url, _change_page(client, url, "milestone_form"))

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.version, milestone.history.count(), milestone.last_updated_by) == before
    assert (milestone.status, milestone.commentary) == (
        "on_track",
        "On plan.\nThe supplier has confirmed.",
    )


def test_saving_a_milestone_in_the_admin_with_a_change_still_writes_it(
    client, site_admin, milestone
):
    client.force_login(site_admin)
    url = reverse("admin:milestones_milestone_change", args=[milestone.pk])
    data = _change_page(client, url, "milestone_form") | {"title": ["Retitled"]}
    history = milestone.history.count()
    assert client.post(url, data).status_code == 302
    milestone.refresh_from_db()
    assert (milestone.title, milestone.version) == ("Retitled", 2)
    assert milestone.history.count() == history + 1


def test_saving_a_measure_in_the_admin_untouched_writes_nothing(client, site_admin, milestone):
    import datetime as dt
    from decimal import Decimal

    from measures.models import Measure, MeasureValue, TrajectoryPoint
    from tests.factories import make_measure

    measure = make_measure(
        milestone.objective,
        code="VACANCY",
        unit="%",
        direction="lower",
        baseline_value=Decimal("9.8"),
        baseline_period=dt.date(2024, 3, 31),
        target_value=Decimal(8),
        target_date=dt.date(2027, 3, 31),
        tolerance=Decimal("0.5"),
        definition="Vacant posts as a share of funded posts.\nBank staff are not counted.",
    )
    MeasureValue.objects.create(
        measure=measure,
        period_end=dt.date(2026, 9, 30),
        period_text="2026/27 Q2",
        value=Decimal("8.4"),
        note="Provisional.\nTo be confirmed by payroll.",
    )
    TrajectoryPoint.objects.create(
        measure=measure, period_end=dt.date(2025, 3, 31), value=Decimal(9)
    )
    counts = (
        Measure.history.count(),
        MeasureValue.history.count(),
        TrajectoryPoint.history.count(),
    )
    client.force_login(site_admin)
    url = reverse("admin:measures_measure_change", args=[measure.pk])

    response = client.post(url, _change_page(client, url, "measure_form"))

    assert response.status_code == 302
    assert (
        Measure.history.count(),
        MeasureValue.history.count(),
        TrajectoryPoint.history.count(),
    ) == counts
    measure.refresh_from_db()
    assert (measure.baseline_value, measure.target_date) == (
        Decimal("9.8"),
        dt.date(2027, 3, 31),
    )


def test_an_objectives_page_opened_before_a_leads_update_does_not_undo_it(
    client, site_admin, milestone, programme_lead
):
    client.force_login(site_admin)
    url = reverse("admin:objectives_objective_change", args=[milestone.objective_id])
    data = _change_page(client, url, "objective_form") | {"title": ["A clearer title"]}
    milestone.record_update(
        by=programme_lead,
        expected_version=milestone.version,
        status="at_risk",
        commentary="Slipping.",
        forecast_date=None,
    )

    assert client.post(url, data).status_code == 302

    milestone.refresh_from_db()
    assert (milestone.status, milestone.commentary) == ("at_risk", "Slipping.")
    assert milestone.objective.title == "A clearer title"


def test_an_objectives_milestone_rows_cannot_give_a_milestone_to_anyone(
    client, site_admin, milestone, board_member
):
    client.force_login(site_admin)
    url = reverse("admin:objectives_objective_change", args=[milestone.objective_id])
    data = _change_page(client, url, "objective_form")
    owner_fields = [name for name in data if name.startswith("milestones-0-owner")]
    assert owner_fields == []  # shown, not an input
    data["milestones-0-owner"] = [str(board_member.pk)]  # forged anyway
    assert client.post(url, data).status_code == 302
    milestone.refresh_from_db()
    assert milestone.owner.username == "lead"


def test_saving_untouched_keeps_an_owner_who_has_lost_the_lead_role(
    client, site_admin, milestone, programme_lead
):
    programme_lead.groups.clear()
    client.force_login(site_admin)
    url = reverse("admin:milestones_milestone_change", args=[milestone.pk])

    assert client.post(url, _change_page(client, url, "milestone_form")).status_code == 302

    milestone.refresh_from_db()
    assert milestone.owner == programme_lead


def test_reverting_from_the_admins_history_is_turned_off_and_never_crashes(
    client, site_admin, milestone, programme_lead
):
    first = milestone.history.earliest()
    milestone.record_update(
        by=programme_lead,
        expected_version=milestone.version,
        status="at_risk",
        commentary="Slipping.",
        forecast_date=None,
    )
    client.force_login(site_admin)
    url = reverse(
        "admin:milestones_milestone_simple_history", args=[milestone.pk, first.history_id]
    )
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # no "Revert" button
    # A forged revert is refused, not saved, and never a 500.
    data = {"title": first.title, "objective": first.objective_id, "status": "not_started"}
    assert client.post(url, data).status_code == 403
    milestone.refresh_from_db()
    assert milestone.status == "at_risk"
