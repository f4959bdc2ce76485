"""A measure's trajectory from its baseline to its dated target (measures/trajectory.py),
as the model builds it (Measure.trajectory_path) and checks its planned points."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from measures.models import TrajectoryPoint
from measures.trajectory import Trajectory, build
from tests.factories import make_measure

BASELINE = dt.date(2024, 3, 31)
TARGET = dt.date(2027, 3, 31)  # 1,095 days after the baseline


def _build(**changes) -> Trajectory | None:
    fields = {
        "direction": "lower",
        "baseline_value": D(20),
        "baseline_period": BASELINE,
        "target_value": D(10),
        "target_date": TARGET,
    }
    return build(**fields | changes)


def test_it_is_a_straight_line_from_the_baseline_to_the_dated_target():
    path = _build()
    assert path.points == [(BASELINE, D(20)), (TARGET, D(10))]
    assert (path.start, path.end) == ((BASELINE, D(20)), (TARGET, D(10)))


def test_a_higher_is_better_measure_climbs_to_its_target():
    path = _build(direction="higher", baseline_value=D(60), target_value=D(80))
    assert path.points == [(BASELINE, D(60)), (TARGET, D(80))]


@pytest.mark.parametrize(
    "days,expected",
    [
        (219, D("18")),  # a fifth of the way: 20 - 10 × 0.2
        (438, D("16")),
        (876, D("12")),
        (1, D("19.990868")),  # 20 - 10 / 1095
        (1094, D("10.009132")),
    ],
)
def test_it_expects_the_exact_value_on_the_line(days, expected):
    value = _build().expected_at(BASELINE + dt.timedelta(days=days))
    assert round(value, 6) == expected


@pytest.mark.parametrize(
    "date",
    [
        BASELINE - dt.timedelta(days=1),
        TARGET,  # on the target date the target itself applies
        TARGET + dt.timedelta(days=1),
    ],
)
def test_it_expects_nothing_outside_the_window(date):
    assert _build().expected_at(date) is None


def test_at_the_baseline_date_it_expects_the_baseline():
    # A value reported for the baseline's own period is judged against the baseline, not
    # against the distant target.
    assert _build().expected_at(BASELINE) == D(20)


def test_it_passes_through_the_planned_points():
    planned = [(dt.date(2025, 3, 31), D(19)), (dt.date(2026, 3, 31), D(15))]
    path = _build(planned=list(reversed(planned)))  # in any order

    assert path.points == [(BASELINE, D(20)), *planned, (TARGET, D(10))]
    assert path.expected_at(dt.date(2025, 3, 31)) == D(19)
    # Halfway (in days) between the two planned points: 182 of 365 days from 19 to 15.
    assert round(path.expected_at(dt.date(2025, 9, 29)), 6) == D("17.005479")  # 19 - 4 × 182/365
    # Between the baseline and the first planned point, the line from 20 to 19.
    assert round(path.expected_at(dt.date(2024, 9, 30)), 6) == D("19.498630")  # 20 - 183/365


def test_planned_points_outside_the_window_are_ignored():
    path = _build(planned=[(BASELINE, D(5)), (dt.date(2023, 1, 1), D(25)), (TARGET, D(1))])
    assert path.points == [(BASELINE, D(20)), (TARGET, D(10))]


@pytest.mark.parametrize(
    "changes",
    [
        {"baseline_value": None},
        {"baseline_period": None},
        {"target_value": None},
        {"target_date": None},
        {"baseline_period": TARGET},  # on the target date
        {"baseline_period": TARGET + dt.timedelta(days=1)},  # after it
        {"baseline_value": D(5)},  # lower is better and already below the target
        {"baseline_value": D(10)},  # already at the target
        {"direction": "higher", "baseline_value": D(10)},
        {"direction": "higher"},  # from 20 down to 10 is no improvement when higher is better
        {"direction": "none"},
    ],
    ids=[
        "no baseline value",
        "baseline undated",
        "no target value",
        "target undated",
        "baseline on the target date",
        "baseline after the target date",
        "baseline already on the good side (lower)",
        "baseline equal to the target (lower)",
        "baseline equal to the target (higher)",
        "baseline already on the good side (higher)",
        "no direction",
    ],
)
def test_there_is_no_trajectory_that_would_say_nothing_true(changes):
    assert _build(**changes) is None


# --- through the model ----------------------------------------------------------------------


@pytest.fixture
def measure(db):
    return make_measure(
        code="VAC",
        unit="%",
        direction="lower",
        baseline_value=D(20),
        baseline_period=BASELINE,
        target_value=D(10),
        target_date=TARGET,
    )


def test_the_measure_builds_its_path_through_its_own_planned_points(measure):
    assert measure.trajectory_path().points == [(BASELINE, D(20)), (TARGET, D(10))]
    TrajectoryPoint.objects.create(measure=measure, period_end=dt.date(2025, 3, 31), value=D(19))

    assert measure.trajectory_path().points == [
        (BASELINE, D(20)),
        (dt.date(2025, 3, 31), D(19)),
        (TARGET, D(10)),
    ]


def test_a_measure_with_no_dated_target_has_no_path(measure):
    measure.target_date = None
    assert measure.trajectory_path() is None


def test_a_planned_point_between_the_baseline_and_the_target_is_valid(measure):
    TrajectoryPoint(measure=measure, period_end=dt.date(2025, 3, 31), value=D(15)).clean()


@pytest.mark.parametrize(
    "period_end,value,field",
    [
        (BASELINE, D(15), "period_end"),
        (dt.date(2023, 12, 31), D(15), "period_end"),
        (TARGET, D(15), "period_end"),
        (dt.date(2025, 3, 31), D(21), "value"),  # worse than the baseline
        (dt.date(2025, 3, 31), D(9), "value"),  # beyond the target
    ],
)
def test_a_planned_point_off_the_way_from_baseline_to_target_is_refused(
    measure, period_end, value, field
):
    with pytest.raises(ValidationError) as refused:
        TrajectoryPoint(measure=measure, period_end=period_end, value=value).clean()
    assert field in refused.value.message_dict


@pytest.mark.parametrize(
    "missing", ["baseline_value", "baseline_period", "target_date"], ids=lambda name: name
)
def test_a_planned_point_needs_the_baseline_and_a_dated_target_first(measure, missing):
    setattr(measure, missing, None)
    with pytest.raises(ValidationError, match="needs the measure's baseline"):
        TrajectoryPoint(measure=measure, period_end=dt.date(2025, 3, 31), value=D(15)).clean()


def test_a_planned_point_for_a_measure_with_a_target_date_but_no_target_value_is_refused(
    measure,
):
    measure.target_value = None
    with pytest.raises(ValidationError, match="needs the measure's baseline"):
        TrajectoryPoint(measure=measure, period_end=dt.date(2025, 3, 31), value=D(15)).clean()


def test_a_planned_point_with_no_date_is_refused_with_a_message(measure):
    with pytest.raises(ValidationError) as refused:
        TrajectoryPoint(measure=measure, period_end=None, value=D(15)).full_clean()
    assert "period_end" in refused.value.message_dict


def test_the_admin_refuses_a_planned_point_with_no_date_with_a_message(client, site_admin, measure):
    from django.urls import reverse

    from milestones.tests.posted_forms import form_as_posted

    client.force_login(site_admin)
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    data = form_as_posted(client.get(url).content.decode(), form_id="measure_form")
    data |= {
        "trajectory-TOTAL_FORMS": ["1"],
        "trajectory-0-measure": [str(measure.pk)],
        "trajectory-0-period_end": [""],
        "trajectory-0-value": ["15"],
        "_save": ["Save"],
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not TrajectoryPoint.objects.filter(measure=measure).exists()
