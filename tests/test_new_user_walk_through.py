"""Found by a new user's walk-through in a real browser at 390 px and on a desktop: an Approver
with no way to the updates waiting, trajectory points saved to no use, a tolerance said two ways,
an outline title cut unseen."""

import pytest
from django.urls import reverse

from milestones.models import Submission
from reporting.tests.helpers import signed_off_objective
from strategy_tracker.roles import APPROVER, BOARD_MEMBER
from tests.factories import make_milestone

pytestmark = pytest.mark.django_db


# 1. An approver has no way from any page they land on to the updates awaiting approval.
@pytest.fixture
def waiting_update(client, programme_lead, make_user):
    approver = make_user("approver", [BOARD_MEMBER, APPROVER], first_name="Ann", last_name="Prover")
    objective = signed_off_objective(approver)
    milestone = make_milestone(objective, title="Open the hub", owner=programme_lead)
    client.force_login(programme_lead)
    client.post(
        milestone.get_absolute_url() + "update/",
        {
            "status": "at_risk",
            "commentary": "Builders late.",
            "forecast_date": "",
            "version": milestone.version,
        },
    )
    assert Submission.objects.filter(milestone=milestone).exists()
    return approver, milestone


def test_an_approver_with_an_update_waiting_is_led_to_it_from_where_they_land(
    client, waiting_update
):
    approver, milestone = waiting_update
    approvals = reverse("reporting:approvals")
    client.force_login(approver)
    landing = client.get("/", follow=True)
    assert landing.status_code == 200
    assert f'href="{approvals}"' in landing.content.decode(), (
        "An Approver lands on the strategy list with no menu entry or notice leading to "
        "Updates awaiting approval; the only link is in the Sign-off paragraph of each "
        "strategy's Reporting periods page"
    )


def test_the_milestone_page_an_approver_reads_links_to_where_they_approve(client, waiting_update):
    approver, milestone = waiting_update
    client.force_login(approver)
    page = client.get(milestone.get_absolute_url()).content.decode()
    assert "An update is awaiting approval" in page
    assert f'href="{reverse("reporting:approvals")}' in page, (
        "The milestone page tells the approver the update counts once an approver approves "
        "it, but offers them no way to do so"
    )


# 2. The editor saves planned trajectory points that no page or status will ever use.
@pytest.mark.parametrize(
    "direction, baseline, target",
    [
        ("none", "10", "60"),  # the add-measure form's default direction
        ("lower", "10", "60"),  # a target on the wrong side for the direction
    ],
)
def test_the_editor_refuses_a_trajectory_the_measure_cannot_follow(
    client, admin_user, direction, baseline, target
):
    from measures.models import Measure
    from tests.factories import make_objective, make_priority, make_strategy

    strategy = make_strategy(status="draft")
    objective = make_objective(make_priority(strategy))
    client.force_login(admin_user)
    url = reverse("editor:add_measure", args=[strategy.slug, "objective", objective.pk])
    response = client.post(
        url,
        {
            "code": "EX-PORTAL",
            "name": "Patients registered on the portal",
            "kind": "success",
            "unit": "%",
            "direction": direction,
            "baseline_value": baseline,
            "baseline_period": "2024-03-31",
            "target_value": target,
            "target_date": "2028-03-31",
            "tolerance": "5",
            "trajectory": "2026-03-31=30; 2027-03-31=40",
        },
    )
    measure = Measure.objects.filter(code="EX-PORTAL").first()
    stored = list(measure.trajectory.all()) if measure else []
    assert not (stored and measure.trajectory_path() is None), (
        f"Saved {len(stored)} planned points, but the measure has no trajectory "
        "(trajectory_path() is None): the points are on no page, chart or status"
    )
    assert response.status_code == 400


# 3. A % measure's tolerance is "3 percentage points" in the measure's details and "3%" in
# its table of values on the same page (and on the priority's and objective's cards).
def test_a_percent_measures_tolerance_reads_the_same_in_its_table_as_in_its_details(
    client, board_member
):
    import datetime as dt

    from tests.factories import make_measure, make_value

    measure = make_measure(
        unit="%",
        direction="higher",
        baseline_value=38,
        baseline_period=dt.date(2024, 3, 31),
        target_value=60,
        target_date=dt.date(2028, 3, 31),
        tolerance=3,
    )
    make_value(measure, dt.date(2025, 9, 30), 50)
    client.force_login(board_member)
    page = client.get(reverse("measures:detail", args=[measure.code])).content.decode()
    assert "tolerance 3 percentage points" in page
    assert "Tolerance 3%" not in page, (
        "the values table calls a 3 percentage-point tolerance '3%', which reads as 3% of "
        "the target (1.8 points)"
    )


# 4. The editor's outline cuts a long title at 80 characters mid-word with no sign it is cut
# ("…from the ambulance service's c"); two milestones alike in their first 80 characters
# read the same.
def test_the_editor_outline_shows_a_cut_title_as_cut(client, admin_user):
    from tests.factories import make_milestone, make_objective, make_priority, make_strategy

    strategy = make_strategy(status="draft")
    objective = make_objective(make_priority(strategy))
    title = (
        "Take urgent community response referrals straight from the ambulance service's call stack"
    )
    make_milestone(objective, title=title, position=1)
    client.force_login(admin_user)
    page = client.get(reverse("editor:strategy", args=[strategy.slug])).content.decode()
    assert (
        "ambulance service&#x27;s c</a>" not in page and "ambulance service's c</a>" not in page
    ), "the outline's link text ends mid-word with no ellipsis"
