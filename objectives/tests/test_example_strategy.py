"""The illustrative example strategy: every feature shows on it, and it stays made up."""

import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.utils import timezone

from conftest import TEST_PASSWORD, roles_everywhere
from measures import importing, trajectory
from measures import status as measure_rules
from measures.models import Measure, MeasureValue
from measures.spc import Assurance, Variation
from milestones import status as milestone_rules
from milestones.models import Milestone, MilestoneDelegate
from objectives.example_strategy import (
    EXAMPLE_SLUG,
    QUARTERS,
    Dates,
    build_example,
    load_example,
    milestone_plans,
    quarter_end,
    quarter_label,
)
from objectives.models import Strategy
from objectives.strategy_json import export_strategy, strategy_queryset
from strategy_tracker import status as rag
from strategy_tracker.roles import ADMIN, BOARD_MEMBER, PROGRAMME_LEAD

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 29)
NOW = timezone.make_aware(dt.datetime.combine(TODAY, dt.time(12)))
CSV_FILE = Path(django_settings.BASE_DIR) / "fixtures" / "example-quarterly-figures.csv"
CSV_CODES = {"EX-CARER-ASSESS", "EX-FALLS-RATE"}
# (colour, finding) of every rule in objectives/milestone_rules.milestone_status.
EVERY_MILESTONE_CASE = {
    (rag.Rag.RED, "overdue"),
    (rag.Rag.RED, "off track"),
    (rag.Rag.AMBER, "at risk"),
    (rag.Rag.AMBER, "forecast to finish late"),
    (rag.Rag.AMBER, "due soon and not started"),
    (rag.Rag.GREEN, "on track"),
    (rag.Rag.BLUE, "complete"),
    (rag.Rag.GREY, "cancelled"),
    (rag.Rag.GREY, "with no date or update"),
    (rag.Rag.GREY, "with nothing reported yet"),  # dated, and nobody has reported on it
}
MEASURE_COLOURS = {
    "EX-UCR-2HR": rag.Rag.GREEN,
    "EX-VW-OCCUPANCY": rag.Rag.GREEN,
    "EX-LONG-WAITS": rag.Rag.RED,
    "EX-PRESSURE-ULCERS": rag.Rag.AMBER,
    "EX-VACANCY": rag.Rag.AMBER,
    "EX-SICKNESS": rag.Rag.GREEN,
}


# (username, role, first name, last name): the people the example's history names.
PEOPLE = [
    ("board", BOARD_MEMBER, "Bola", "Board"),
    ("lead", PROGRAMME_LEAD, "Lee", "Lead"),
    ("lead2", PROGRAMME_LEAD, "Lena", "Second-Lead"),
    ("admin", ADMIN, "Ada", "Admin"),
]


@pytest.fixture(scope="module")
def _loaded(module_transaction) -> tuple[int, dict[str, int]]:
    """The example, loaded once for the module's tests (ids: each test reads its own copies)."""
    people = {}
    with roles_everywhere() as hold:
        for username, role, first_name, last_name in PEOPLE:
            people[username] = User.objects.create_user(
                username, password=TEST_PASSWORD, first_name=first_name, last_name=last_name
            )
            hold(people[username], role)
        strategy = load_example(TODAY, {k: v for k, v in people.items() if k != "board"})
    return strategy.pk, {name: user.pk for name, user in people.items()}


@pytest.fixture
def users(_loaded) -> dict:
    return {name: User.objects.get(pk=pk) for name, pk in _loaded[1].items() if name != "board"}


@pytest.fixture
def example(_loaded) -> Strategy:
    return Strategy.objects.get(pk=_loaded[0])


def _milestones(strategy: Strategy) -> list[Milestone]:
    return list(Milestone.objects.for_strategy(strategy).order_by("id"))


def _measures(strategy: Strategy) -> dict[str, Measure]:
    found = Measure.objects.for_strategies([strategy.pk]).with_latest_value()
    return {m.code: m for m in found.prefetch_related("values", "trajectory")}


# --- what it holds --------------------------------------------------------------------------


def test_it_loads_a_published_illustrative_strategy_of_an_invented_trust(example):
    assert example.slug == EXAMPLE_SLUG
    assert example.illustrative
    assert example.status == Strategy.Status.PUBLISHED
    assert example.organisation.name == "Example Community Health Trust"
    assert "Illustrative" in example.source_document
    assert example.period_start < TODAY < example.period_end
    assert example.priorities.count() == 3
    for priority in example.priorities.all():
        assert 2 <= priority.objectives.count() <= 3
        assert all(o.we_will for o in priority.objectives.all())


def test_it_is_exactly_what_build_example_describes(example):
    """Replaying the owners and updates ends where the built example says each milestone is."""
    assert export_strategy(strategy_queryset().get(pk=example.pk)) == build_example(TODAY)


def test_milestones_are_in_every_reported_status(example):
    statuses = Counter(m.status for m in _milestones(example))
    assert set(statuses) == set(Milestone.Status.values)
    assert 15 <= statuses.total() <= 20


def test_milestones_show_every_rag_case(example):
    findings = {(m.rag(TODAY).rag, m.rag(TODAY).finding) for m in _milestones(example)}
    assert findings == EVERY_MILESTONE_CASE


def test_the_database_gives_the_same_colours(example):
    in_sql = dict(
        Milestone.objects.for_strategy(example).with_rag(TODAY).values_list("pk", "rag_value")
    )
    assert in_sql == {m.pk: m.rag(TODAY).rag.value for m in _milestones(example)}


def test_every_explained_status_has_commentary(example):
    for milestone in _milestones(example):
        late = milestone.forecast_date and milestone.forecast_date > milestone.due_date
        if milestone.status in ("at_risk", "off_track", "cancelled") or late:
            assert milestone.commentary, milestone.title


def test_leads_own_the_milestones_with_delegates_named(example, users):
    owners = Counter(m.owner.username for m in _milestones(example))
    assert set(owners) == {"lead", "lead2"}
    assert owners["lead"] > owners["lead2"] > 0
    delegated = MilestoneDelegate.objects.filter(milestone__objective__priority__strategy=example)
    assert delegated.filter(user=users["lead2"]).exists()
    assert delegated.filter(user=users["lead"]).exists()
    assert Milestone.objects.for_user(users["lead"]).count() > owners["lead"]


def test_the_history_credits_who_assigned_and_who_updated(example, users):
    history = Milestone.history.filter(objective__priority__strategy=example)
    # After its creation, a milestone's history holds its assignment, then its updates.
    assignments = history.filter(history_type="~", last_updated_by__isnull=True)
    assert assignments.count() == len(_milestones(example))
    assert set(assignments.values_list("history_user__username", flat=True)) == {"admin"}
    assert assignments.filter(history_change_reason__startswith="Delegates: none → ").exists()
    updaters = set(
        history.filter(last_updated_by__isnull=False).values_list(
            "history_user__username", flat=True
        )
    )
    assert updaters == {"lead", "lead2"}
    # A delegate's update is credited to the delegate, not the owner.
    at_risk = Milestone.objects.for_strategy(example).get(status="at_risk")
    assert at_risk.owner == users["lead"]
    assert at_risk.last_updated_by == users["lead2"]
    assert at_risk.history.first().history_user == users["lead2"]


def test_the_history_is_dated_in_the_order_it_happened(example):
    for milestone in _milestones(example):
        rows = list(milestone.history.order_by("history_id"))
        dates = [row.history_date for row in rows]
        assert dates == sorted(dates), milestone.title
        assert dates[-1] < NOW
        assert rows[0].history_type == "+"
        if milestone.last_updated_at:
            assert milestone.history.order_by("-history_date")[0].last_updated_at == (
                milestone.last_updated_at
            )


def test_some_milestones_need_an_update_and_others_are_fresh(example):
    open_ones = [m for m in _milestones(example) if m.status not in ("complete", "cancelled")]
    needing = [m for m in open_ones if m.needs_update(NOW)]
    fresh = [m for m in open_ones if not m.needs_update(NOW)]
    assert len(needing) >= 3 and len(fresh) >= 3
    assert any(m.last_updated_at is None for m in needing)
    assert any(m.last_updated_at is not None for m in needing)


def test_measures_have_baselines_targets_and_a_planned_trajectory(example):
    measures = _measures(example)
    success = [m for m in measures.values() if not m.is_context]
    for measure in success:
        assert measure.baseline_value is not None and measure.baseline_period, measure.code
        assert measure.target_value is not None and measure.target_date, measure.code
        assert measure.unit and measure.direction != "none" and measure.definition
    assert any(m.trajectory.exists() for m in success)
    assert [m.code for m in measures.values() if m.is_context] == ["EX-REFERRALS"]
    assert any(m.tolerance > 0 for m in success)


def test_figures_run_quarterly_to_the_last_complete_quarter(example):
    for code, measure in _measures(example).items():
        periods = [v.period_end for v in measure.values.all()]
        if code in CSV_CODES:
            assert periods == []
            continue
        assert len(periods) == QUARTERS >= 16
        assert periods[-1] == dt.date(2026, 9, 30)
        assert periods == [quarter_end(periods[0], i) for i in range(QUARTERS)]
        assert periods[0] >= measure.baseline_period


def test_the_figures_give_every_spc_reading(example):
    readings = {
        code: (m.spc_reading().variation, m.spc_reading().assurance)
        for code, m in _measures(example).items()
        if code not in CSV_CODES
    }
    assert readings == {
        "EX-UCR-2HR": (Variation.COMMON_CAUSE, Assurance.PASS),
        "EX-VW-OCCUPANCY": (Variation.IMPROVEMENT_HIGH, Assurance.FAIL),
        "EX-LONG-WAITS": (Variation.CONCERN_HIGH, Assurance.FAIL),
        "EX-PRESSURE-ULCERS": (Variation.COMMON_CAUSE, Assurance.HIT_AND_MISS),
        "EX-VACANCY": (Variation.IMPROVEMENT_LOW, Assurance.FAIL),
        "EX-SICKNESS": (Variation.COMMON_CAUSE, Assurance.HIT_AND_MISS),
        "EX-REFERRALS": (Variation.COMMON_CAUSE, None),
    }


def test_the_measures_are_in_every_colour(example):
    colours = {code: m.rag(TODAY) for code, m in _measures(example).items()}
    assert {code: status.rag for code, status in colours.items()} == MEASURE_COLOURS | {
        "EX-REFERRALS": rag.Rag.GREY,
        "EX-CARER-ASSESS": rag.Rag.GREY,
        "EX-FALLS-RATE": rag.Rag.GREY,
    }
    assert colours["EX-VW-OCCUPANCY"].finding == "on trajectory"
    assert colours["EX-LONG-WAITS"].finding == "behind trajectory"
    assert not any(status.stale for status in colours.values())


# --- the example CSV ------------------------------------------------------------------------


def test_the_example_csv_fills_only_the_example_measures(example, users):
    admin_user = users["admin"]
    data = CSV_FILE.read_bytes()
    batch = importing.store_upload(user=admin_user, file_name=CSV_FILE.name, data=data)

    report = importing.preview(batch, TODAY)
    assert report.totals == {"new": 36, "update": 0, "unchanged": 0, "error": 0}, [
        r.messages for r in report.rows if r.messages
    ]
    importing.confirm(batch.pk, restatements_confirmed=False, today=TODAY, user=admin_user)

    filled = MeasureValue.objects.filter(note="Illustrative figure, not reported")
    imported = filled.filter(measure__code__in=CSV_CODES)
    assert imported.count() == 36
    assert {v.measure.strategy.slug for v in imported} == {EXAMPLE_SLUG}
    first, last = imported.order_by("period_end").first(), imported.order_by("period_end").last()
    assert (first.period_end, last.period_end) == (dt.date(2022, 6, 30), dt.date(2026, 9, 30))
    assert "THK-" not in data.decode() and "EPUT-" not in data.decode()


# --- building it ----------------------------------------------------------------------------


def test_build_example_is_the_same_for_the_same_day():
    assert build_example(TODAY) == build_example(TODAY)


def test_its_dates_move_with_today():
    now, later = build_example(TODAY), build_example(TODAY + dt.timedelta(days=365))
    assert now != later
    start, later_start = now["strategy"]["period_start"], later["strategy"]["period_start"]
    assert dt.date.fromisoformat(later_start) == dt.date.fromisoformat(start).replace(
        year=dt.date.fromisoformat(start).year + 1
    )
    periods = [v["period_end"] for v in _codes(now)["EX-VACANCY"]["values"]]
    later_periods = [v["period_end"] for v in _codes(later)["EX-VACANCY"]["values"]]
    assert periods[-1] == "2026-09-30" and later_periods[-1] == "2027-09-30"
    # The figures themselves stay the same: only their quarters move.
    assert [v["value"] for v in _codes(now)["EX-VACANCY"]["values"]] == [
        v["value"] for v in _codes(later)["EX-VACANCY"]["values"]
    ]


def test_quarters_are_uk_financial_quarters():
    assert quarter_end(dt.date(2026, 11, 29)) == dt.date(2026, 12, 31)
    assert quarter_end(dt.date(2026, 11, 29), -1) == dt.date(2026, 9, 30)
    assert quarter_end(dt.date(2026, 1, 1), -1) == dt.date(2025, 12, 31)
    assert quarter_end(dt.date(2026, 3, 31), -4) == dt.date(2025, 3, 31)
    assert [quarter_label(dt.date(2024, m, d)) for m, d in [(6, 30), (12, 31)]] == [
        "2024/25 Q1",
        "2024/25 Q3",
    ]
    assert quarter_label(dt.date(2025, 3, 31)) == "2024/25 Q4"


def _codes(data: dict) -> dict[str, dict]:
    measures = {}
    for priority in data["priorities"]:
        for measure in priority["measures"]:
            measures[measure["code"]] = measure
        for objective in priority["objectives"]:
            for measure in objective["measures"]:
                measures[measure["code"]] = measure
    return measures


def _final_rag(plan, today: dt.date) -> rag.Status:
    final = plan.final
    return milestone_rules.milestone_status(
        status=final.status if final else "not_started",
        due_date=plan.due,
        forecast_date=final.forecast if final else None,
        last_updated_at=final.on if final else None,
        today=today,
    )


def _measure_rag(measure: dict, today: dt.date) -> rag.Rag:
    def number(text):
        return None if text is None else Decimal(text)

    def date(text):
        return None if text is None else dt.date.fromisoformat(text)

    latest = measure["values"][-1]
    path = trajectory.build(
        direction=measure["direction"],
        baseline_value=number(measure["baseline_value"]),
        baseline_period=date(measure["baseline_period"]),
        target_value=number(measure["target_value"]),
        target_date=date(measure["target_date"]),
        planned=[(date(p["period_end"]), number(p["value"])) for p in measure["trajectory"]],
    )
    latest_end = date(latest["period_end"])
    return measure_rules.measure_status(
        direction=measure["direction"],
        unit=measure["unit"],
        target=number(measure["target_value"]),
        target_date=date(measure["target_date"]),
        expected=path.expected_at(latest_end) if path else None,
        tolerance=number(measure["tolerance"]),
        latest_value=number(latest["value"]),
        latest_period_end=latest_end,
        today=today,
    ).rag


def test_every_day_of_two_years_gives_the_same_story():
    """Whatever day it is loaded, the example is half-way through its strategy, every update
    was written after the milestones were assigned and before today, and the same colours
    appear."""
    for offset in range(0, 731, 1):
        today = dt.date(2026, 1, 1) + dt.timedelta(days=offset)
        d = Dates(today)
        assert d.start <= d.created < d.assigned < today < d.end
        findings = set()
        for plan in milestone_plans(today):
            days = [d.assigned, *(u.on for u in plan.updates), today]
            assert days == sorted(days) and len(set(days)) == len(days), (today, plan.title)
            status = _final_rag(plan, today)
            findings.add((status.rag, status.finding))
        assert findings == EVERY_MILESTONE_CASE, today
        measures = _codes(build_example(today)).values()
        colours = {
            m["code"]: _measure_rag(m, today)
            for m in measures
            if m["values"] and m["kind"] == "success"
        }
        assert colours == MEASURE_COLOURS, today
