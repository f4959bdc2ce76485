"""Every RAG rule and boundary, as a table. Today is fixed: 23 November 2026."""

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from measures.status import is_stale, measure_status
from milestones.status import milestone_status
from strategy_tracker.status import Rag, roll_up, time_in_words
from tests.examples import examples

TODAY = dt.date(2026, 11, 23)
UPDATED = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


MILESTONE_CASES = [
    # (case, status, due, forecast, updated, expected colour, words in the reason)
    ("complete, even when overdue", "complete", days(-100), None, UPDATED, Rag.BLUE, "complete"),
    ("cancelled, even when overdue", "cancelled", days(-100), None, UPDATED, Rag.GREY, "cancelled"),
    ("no due date and no update", "not_started", None, None, None, Rag.GREY, "no due date"),
    ("no due date but updated", "on_track", None, None, UPDATED, Rag.GREEN, "no due date"),
    ("no due date, off track", "off_track", None, None, UPDATED, Rag.RED, "off track"),
    ("due yesterday", "on_track", days(-1), None, UPDATED, Rag.RED, "overdue"),
    ("due yesterday, never updated", "not_started", days(-1), None, None, Rag.RED, "1 day ago"),
    ("due today is not yet overdue", "on_track", days(0), None, UPDATED, Rag.GREEN, "due 23 No"),
    ("due today and not started", "not_started", days(0), None, None, Rag.AMBER, "due today"),
    ("off track, due later", "off_track", days(200), None, UPDATED, Rag.RED, "off track"),
    ("at risk, due later", "at_risk", days(200), None, UPDATED, Rag.AMBER, "at risk"),
    ("forecast after due", "on_track", days(60), days(61), UPDATED, Rag.AMBER, "forecast"),
    ("forecast on the due date", "on_track", days(60), days(60), UPDATED, Rag.GREEN, "due"),
    ("forecast before due", "on_track", days(60), days(10), UPDATED, Rag.GREEN, "due"),
    ("due in 30 days, not started", "not_started", days(30), None, None, Rag.AMBER, "in 30 days"),
    ("due in 31 days, not started", "not_started", days(31), None, UPDATED, Rag.GREEN, "due 24 De"),
    ("due in 31 days, nothing reported", "not_started", days(31), None, None, Rag.GREY, "nothing"),
    (
        "due in 30 days, reported not started",
        "not_started",
        days(30),
        None,
        UPDATED,
        Rag.AMBER,
        "not started",
    ),
    ("due in 10 days, on track", "on_track", days(10), None, UPDATED, Rag.GREEN, "due 3 Dec"),
    ("overdue beats at risk", "at_risk", days(-5), None, UPDATED, Rag.RED, "5 days ago"),
]


@pytest.mark.parametrize(
    "status,due,forecast,updated,expected,words",
    [case[1:] for case in MILESTONE_CASES],
    ids=[case[0] for case in MILESTONE_CASES],
)
def test_milestone_rules(status, due, forecast, updated, expected, words):
    result = milestone_status(
        status=status, due_date=due, forecast_date=forecast, last_updated_at=updated, today=TODAY
    )
    assert result.rag == expected
    assert words in result.reason
    assert result.text.startswith(expected.label + ": ")


MEASURE_CASES = [
    # (case, direction, unit, target, tolerance, value, period_end, colour, words)
    ("no value", "higher", "%", D(90), D(2), None, None, Rag.GREY, "no value"),
    ("no target", "higher", "%", None, D(2), D(50), days(-30), Rag.GREY, "no target"),
    ("no direction", "none", "count", D(10), D(0), D(9), days(-30), Rag.GREY, "no direction"),
    ("higher, meets exactly", "higher", "%", D(90), D(2), D(90), days(-30), Rag.GREEN, "meets"),
    ("higher, above", "higher", "%", D(90), D(2), D(95), days(-30), Rag.GREEN, "meets"),
    (
        "higher, short by exactly the tolerance",
        "higher",
        "%",
        D(90),
        D(2),
        D(88),
        days(-30),
        Rag.AMBER,
        "2 percentage points below",
    ),
    (
        "higher, short by more than the tolerance",
        "higher",
        "%",
        D(90),
        D(2),
        D("87.9"),
        days(-30),
        Rag.RED,
        "2.1 percentage points below",
    ),
    (
        "lower, over by more than the tolerance",
        "lower",
        "count",
        D(100),
        D(5),
        D(112),
        days(-30),
        Rag.RED,
        "12% above target",
    ),
    ("lower, under target", "lower", "count", D(100), D(5), D(80), days(-30), Rag.GREEN, "meets"),
    (
        "lower, over within tolerance",
        "lower",
        "days",
        D(100),
        D(5),
        D(105),
        days(-30),
        Rag.AMBER,
        "within tolerance",
    ),
    (
        "no tolerance: any miss is red",
        "higher",
        "score",
        D(10),
        D(0),
        D("9.99"),
        days(-30),
        Rag.RED,
        "below target",
    ),
]


@pytest.mark.parametrize(
    "direction,unit,target,tolerance,value,period_end,expected,words",
    [case[1:] for case in MEASURE_CASES],
    ids=[case[0] for case in MEASURE_CASES],
)
def test_measure_rules(direction, unit, target, tolerance, value, period_end, expected, words):
    result = measure_status(
        direction=direction,
        unit=unit,
        target=target,
        tolerance=tolerance,
        latest_value=value,
        latest_period_end=period_end,
        today=TODAY,
    )
    assert result.rag == expected
    assert words in result.reason
    assert not result.stale


@pytest.mark.parametrize(
    "period_end,stale",
    [
        (dt.date(2026, 5, 23), False),  # exactly six months before today
        (dt.date(2026, 5, 22), True),
        (dt.date(2026, 9, 30), False),  # last quarter's figure
        (dt.date(2026, 3, 31), True),  # three quarters ago
    ],
)
def test_a_value_older_than_two_quarters_is_stale(period_end, stale):
    assert is_stale(period_end, TODAY) is stale


def test_six_months_before_the_end_of_august_is_the_end_of_february():
    assert not is_stale(dt.date(2026, 2, 28), dt.date(2026, 8, 31))
    assert is_stale(dt.date(2026, 2, 27), dt.date(2026, 8, 31))


def test_a_stale_value_still_gets_its_colour_and_says_it_is_stale():
    result = measure_status(
        direction="higher",
        unit="%",
        target=D(90),
        tolerance=D(0),
        latest_value=D(95),
        latest_period_end=dt.date(2025, 3, 31),
        today=TODAY,
    )
    assert result.rag == Rag.GREEN
    assert result.stale
    assert "stale (period ended 31 March 2025)" in result.reason


IN_SIXTY_DAYS = days(60)


def _milestone(status="on_track", due=IN_SIXTY_DAYS):
    return milestone_status(
        status=status, due_date=due, forecast_date=None, last_updated_at=UPDATED, today=TODAY
    )


def _measure(value, target=D(100)):
    return measure_status(
        direction="higher",
        unit="count",
        target=target,
        tolerance=D(0),
        latest_value=value,
        latest_period_end=days(-30),
        today=TODAY,
    )


def test_all_complete_rolls_up_blue():
    result = roll_up([_milestone("complete"), _milestone("complete")])
    assert result.rag == Rag.BLUE
    assert result.reason == "all 2 items complete"


def test_complete_and_cancelled_rolls_up_blue_since_cancelled_is_not_judged():
    result = roll_up([_milestone("complete"), _milestone("cancelled")])
    assert result.rag == Rag.BLUE
    assert result.counts == {Rag.BLUE: 1, Rag.GREY: 1}


def test_all_cancelled_rolls_up_grey():
    result = roll_up([_milestone("cancelled"), _milestone("cancelled")])
    assert result.rag == Rag.GREY
    assert "none of its 2 items has a status" in result.reason


def test_nothing_at_all_rolls_up_grey():
    assert roll_up([]).rag == Rag.GREY
    assert roll_up([]).reason == "no milestones or measures"


def test_the_worst_judged_child_wins_and_grey_is_ignored():
    children = [
        _milestone("complete"),
        _milestone(),
        _milestone("at_risk"),
        _milestone("cancelled"),
    ]
    assert roll_up(children).rag == Rag.AMBER
    children.append(_milestone(due=days(-3)))
    assert roll_up(children).rag == Rag.RED


def test_the_roll_up_reason_counts_what_made_it_that_colour():
    children = [
        _milestone(due=days(-3)),
        _milestone(due=days(-10)),
        _milestone(due=days(-20)),
        _milestone("off_track"),
        _measure(D(88)),
        _milestone("at_risk"),
        _milestone(),
    ]
    result = roll_up(children)
    assert (
        result.text
        == "Red: 3 milestones overdue, 1 milestone off track, 1 measure 12% below target"
    )
    assert result.counts == {Rag.RED: 5, Rag.AMBER: 1, Rag.GREEN: 1}
    assert result.counts_in_order[0] == (Rag.RED, 5)
    assert result.total == 7


@settings(max_examples=examples(50), deadline=None)
@given(st.permutations(range(8)))
def test_the_roll_up_reason_reads_the_same_in_any_order(order):
    """The strategy list counts milestones in SQL and the dashboard walks its tree: the same
    children, met in another order, give the same words."""
    children = [
        _milestone("off_track"),
        _measure(D(88)),
        _milestone(due=days(-3)),
        _milestone(due=days(-10)),
        _measure(D(50)),
        _measure(D(60)),
        _milestone("at_risk"),
        _milestone(),
    ]
    result = roll_up([children[i] for i in order])
    assert (
        result.text == "Red: 2 milestones overdue, 1 milestone off track, 3 measures below target"
    )


def test_several_measures_off_target_are_counted_together():
    result = roll_up([_measure(D(50)), _measure(D(60))])
    assert result.text == "Red: 2 measures below target"


def test_a_small_miss_never_reads_as_zero_percent():
    result = measure_status(
        direction="lower",
        unit="count",
        target=D(1000),
        tolerance=D(0),
        latest_value=D(1003),
        latest_period_end=days(-30),
        today=TODAY,
    )
    assert result.rag == Rag.RED
    assert "0.3% above target" in result.reason


def test_a_gap_of_a_half_rounds_up_as_people_round():
    result = measure_status(
        direction="higher",
        unit="count",
        target=D(80),
        tolerance=D(5),
        latest_value=D(78),  # 2.5% below
        latest_period_end=days(-30),
        today=TODAY,
    )
    assert "3% below target" in result.reason


# --- a dated target: judged against the trajectory while it is ahead ------------------------


def _against(latest, expected, *, direction="lower", unit="%", tolerance=D("0.5"), **fields):
    return measure_status(
        direction=direction,
        unit=unit,
        target=fields.get("target", D(8)),
        tolerance=tolerance,
        latest_value=latest,
        latest_period_end=dt.date(2026, 9, 30),
        today=TODAY,
        target_date=fields.get("target_date", dt.date(2027, 3, 31)),
        expected=expected,
    )


def test_a_value_on_its_trajectory_is_green_and_says_so_with_both_numbers():
    result = _against(D("8.4"), D("8.45"))
    assert result.rag == Rag.GREEN
    assert result.reason == (
        "on trajectory (latest 8.4 against 8.45 expected by 30 September 2026 on the "
        "trajectory to 8 by 31 March 2027)"
    )
    assert result.finding == "on trajectory"


def test_a_value_behind_its_trajectory_within_tolerance_is_amber():
    result = _against(D("8.6"), D("8.45"))
    assert result.rag == Rag.AMBER
    assert result.reason.startswith(
        "0.15 percentage points above trajectory, within tolerance (latest 8.6 against 8.45"
    )


def test_a_value_behind_its_trajectory_beyond_tolerance_is_red():
    result = _against(D(70), D(80), direction="higher", unit="count", tolerance=D(5), target=D(100))
    assert result.rag == Rag.RED
    assert result.reason == (
        "13% below trajectory (latest 70 against 80 expected by 30 September 2026 on the "
        "trajectory to 100 by 31 March 2027)"
    )
    assert result.finding == "behind trajectory"


def test_the_trajectory_is_judged_as_the_reason_shows_it():
    # The expected value is shown to one place more than the value, and judged as shown:
    # 8.4488 shows as 8.449, so 8.45 is behind it, and the reason says so in figures.
    result = _against(D("8.45"), D("8.4488"), tolerance=D(0))
    assert result.rag == Rag.RED
    assert "latest 8.45 against 8.449 expected" in result.reason
    # 8.44 beside 8.4404 (shown as 8.44): equal as shown, so it meets it.
    result = _against(D("8.44"), D("8.4404"), tolerance=D(0))
    assert result.rag == Rag.GREEN
    assert "latest 8.44 against 8.44 expected" in result.reason


def test_a_large_measure_ahead_of_its_trajectory_is_not_judged_behind_it():
    # Lower is better: 12,320 is 25 better than the 12,345 the line expects (shown as 12,300).
    result = _against(D(12320), D(12345), unit="count", tolerance=D(0), target=D(10000))
    assert result.rag == Rag.GREEN


def test_a_large_measure_behind_its_trajectory_is_not_judged_on_it():
    # Lower is better: 12,390 is 30 worse than the 12,360 the line expects (shown as 12,400).
    result = _against(D(12390), D(12360), unit="count", tolerance=D(0), target=D(10000))
    assert result.rag == Rag.RED


def test_a_dated_target_already_past_is_judged_against_the_target():
    result = _against(D("8.4"), None, target_date=dt.date(2026, 3, 31))
    assert result.rag == Rag.AMBER
    assert result.reason == (
        "0.4 percentage points above target, within tolerance "
        "(latest 8.4 against target 8 by 31 March 2026)"
    )
    assert "trajectory" not in result.reason


def _vacancy(baseline_period: dt.date, target_date: dt.date = dt.date(2027, 3, 31)):
    """The issue's example: vacancy 8.4% at 30 Sep 2026, lower is better, target 8%."""
    from measures.models import Measure
    from tests.factories import make_measure, make_value

    measure = make_measure(
        code="VACANCY",
        unit="%",
        direction="lower",
        baseline_value=D("9.8"),
        baseline_period=baseline_period,
        target_value=D(8),
        target_date=target_date,
        tolerance=D("0.5"),
    )
    make_value(measure, dt.date(2026, 9, 30), "8.4")
    return Measure.objects.with_latest_value().get(pk=measure.pk)


@pytest.mark.django_db
def test_the_issues_vacancy_rate_is_green_on_its_trajectory_not_amber_against_the_target():
    # From 9.8 at 31 Mar 2025 to 8 by 31 Mar 2027, the line is at 8.45 by 30 Sep 2026.
    result = _vacancy(baseline_period=dt.date(2025, 3, 31)).rag(TODAY)
    assert result.rag == Rag.GREEN
    assert result.reason.startswith("on trajectory (latest 8.4 against 8.45 expected by 30 Sep")
    assert "trajectory to 8 by 31 March 2027" in result.reason


@pytest.mark.django_db
def test_the_vacancy_rate_behind_a_trajectory_that_started_earlier_is_amber():
    # From 9.8 at 31 Mar 2024 the line is at 8.30 by 30 Sep 2026: 8.4 is 0.1 behind it.
    result = _vacancy(baseline_period=dt.date(2024, 3, 31)).rag(TODAY)
    assert result.rag == Rag.AMBER
    assert result.reason.startswith("0.1 percentage points above trajectory, within tolerance")


@pytest.mark.django_db
def test_a_measure_whose_target_date_has_passed_is_judged_against_its_target():
    result = _vacancy(dt.date(2024, 3, 31), target_date=dt.date(2026, 3, 31)).rag(TODAY)
    assert result.rag == Rag.AMBER
    assert "above target" in result.reason
    assert "trajectory" not in result.reason


# --- times in words ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "days,words",
    [
        (1, "1 day"),
        (13, "13 days"),
        (14, "2 weeks"),
        (35, "5 weeks"),
        (60, "8 weeks"),
        (122, "4 months"),
        (365, "a year"),
        (380, "about a year"),
        (397, "over a year"),
        (730, "2 years"),
        (4961, "over 13 years"),
    ],
)
def test_a_span_reads_as_a_person_says_it(days, words):
    assert time_in_words(days) == words


def test_a_long_overdue_milestone_says_how_long_in_years_not_days():
    result = _milestone(due=days(-4961))
    assert result.rag == Rag.RED
    assert result.reason.endswith("(over 13 years ago)")
    assert "4961" not in result.reason


# --- what a roll-up rests on ------------------------------------------------------------------


def _no_status():
    """An undated milestone nobody has updated: grey, not judged."""
    return milestone_status(
        status="not_started", due_date=None, forecast_date=None, last_updated_at=None, today=TODAY
    )


def test_a_roll_up_says_how_few_of_its_items_have_a_status():
    children = [_milestone(due=days(-3))] + [_no_status() for _ in range(33)]
    result = roll_up(children)
    assert result.text == "Red: 1 milestone overdue; 1 of 34 items has a status"
    assert result.counts == {Rag.RED: 1, Rag.GREY: 33}


def test_a_roll_up_with_every_item_judged_gives_no_coverage():
    result = roll_up([_milestone(due=days(-3)), _milestone(), _measure(D(100))])
    assert result.text == "Red: 1 milestone overdue"


def test_a_complete_roll_up_says_its_coverage_too():
    result = roll_up([_milestone("complete"), _milestone("complete"), _no_status()])
    assert result.text == "Complete: all 2 items complete; 2 of 3 items have a status"


def test_a_whole_number_is_judged_against_the_trajectory_to_two_places():
    # A rate of 6.0 is stored as 6: judged against 5.96 expected, not against 6.
    result = _against(D("6"), D("5.964"), unit="rate per 1,000", tolerance=D("0.3"))
    assert result.rag == Rag.AMBER
    assert "latest 6 against 5.96 expected" in result.reason


def test_a_count_is_judged_against_the_trajectory_to_one_place():
    result = _against(D(551), D("249.96"), unit="count", tolerance=D(0))
    assert "latest 551 against 250 expected" in result.reason


def test_a_roll_up_of_one_item_with_no_status_says_so_plainly():
    result = roll_up([_milestone("cancelled")])
    assert result.reason == "its one item has no status yet"


decimals = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False)


@settings(max_examples=examples(300), deadline=None)
@given(
    direction=st.sampled_from(["higher", "lower", ""]),
    unit=st.sampled_from(["%", "count", "rate"]),
    target=st.none() | decimals,
    tolerance=decimals.map(abs),
    value=st.none() | decimals,
    period_end=st.none() | st.dates(dt.date(2020, 1, 1), dt.date(2027, 12, 31)),
    target_date=st.none() | st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
    expected=st.none() | decimals,
)
def test_a_measure_judged_without_words_is_judged_the_same(
    direction, unit, target, tolerance, value, period_end, target_date, expected
):
    """The strategy list judges measures without putting each in words (words=False): the
    same colour, finding and staleness, with the finding as the reason."""
    assume(expected is None or period_end is not None)  # a trajectory is read at a period
    facts = dict(
        direction=direction,
        unit=unit,
        target=target,
        tolerance=tolerance,
        latest_value=value,
        latest_period_end=period_end,
        today=TODAY,
        target_date=target_date,
        expected=expected,
    )
    worded, bare = measure_status(**facts), measure_status(**facts, words=False)
    assert (bare.rag, bare.finding, bare.stale, bare.kind) == (
        worded.rag,
        worded.finding,
        worded.stale,
        worded.kind,
    )
    assert bare.reason == worded.finding


@pytest.mark.parametrize(
    "facts,reason",
    [
        ({"latest_value": None, "target": D(10)}, "no value reported yet"),
        ({"latest_value": D(5), "target": None}, "no target set"),
        (
            {"latest_value": D(5), "target": D(10), "direction": ""},
            "no direction, so no comparison with the target",
        ),
    ],
)
def test_a_measure_that_cannot_be_judged_says_why(facts, reason):
    given = {"direction": "higher", "unit": "count", "tolerance": D(0)} | facts
    status = measure_status(**given, latest_period_end=TODAY, today=TODAY)
    assert (status.rag, status.reason) == (Rag.GREY, reason)
