"""The measure page's trend chart and values table: one value, the baseline shown once, and
the trajectory drawn as the status judges it."""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from measures.charts import measure_trend
from measures.models import Measure, MeasureValue, TrajectoryPoint
from tests.factories import make_measure

pytestmark = pytest.mark.django_db


def _page_chart(html: str, script_id: str = "trend-data") -> dict:
    found = re.search(
        rf'<script id="{script_id}" type="application/json">(.*?)</script>', html, re.S
    )
    assert found, script_id
    return json.loads(found.group(1))


def _value(measure, period_end, value, period_text="") -> MeasureValue:
    return MeasureValue.objects.create(
        measure=measure, period_end=period_end, value=Decimal(value), period_text=period_text
    )


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# --- one value ------------------------------------------------------------------------------


@pytest.fixture
def one_value():
    measure = make_measure(code="ONE", name="Carers assessed", unit="count", direction="higher")
    _value(measure, dt.date(2024, 6, 30), 91, "2024/25 Q1")
    return measure


def test_a_chart_of_one_value_spans_half_a_year_either_side_in_months(one_value):
    axis = measure_trend(one_value, one_value.values.all())["layout"]["xaxis"]
    assert axis["range"] == ["2023-12-30", "2024-12-30"]  # 183 days either side
    assert axis["tickformat"] == "%b %Y"
    assert axis["type"] == "date"


def test_the_page_hands_that_range_to_the_chart_and_says_one_value_so_far(signed_in, one_value):
    html = signed_in.get("/measures/ONE/").content.decode()
    axis = _page_chart(html)["layout"]["xaxis"]
    assert axis["range"] == ["2023-12-30", "2024-12-30"]
    assert axis["tickformat"] == "%b %Y"
    assert "One value so far: 91 for the period ending 30 June 2024 (2024/25 Q1)." in _text(html)


def test_a_chart_of_values_years_apart_leaves_the_range_to_plotly(one_value):
    _value(one_value, dt.date(2026, 6, 30), 95)
    axis = measure_trend(one_value, one_value.values.all())["layout"]["xaxis"]
    assert "range" not in axis
    assert axis["tickformat"] == "%b %Y"


@pytest.mark.parametrize(
    "baseline, target", [(dt.date(9999, 12, 30), dt.date.max), (dt.date.min, dt.date(1, 1, 2))]
)
def test_dates_at_the_calendars_ends_are_refused_and_a_stored_one_still_draws(
    signed_in, baseline, target
):
    """A baseline and a target within half a year of the calendar's end: once a 500 on the
    measure's page and its priority's and objective's, for everyone."""
    measure = make_measure(code="EDGE", baseline_value=1, target_value=5)
    measure.baseline_period, measure.target_date = baseline, target
    with pytest.raises(ValidationError) as refused:
        measure.full_clean()
    assert set(refused.value.message_dict) == {"baseline_period", "target_date"}
    assert "Enter a date from 1 January 1990 to 31 December 2100." in str(refused.value)
    # Saved before the check (or in the database by other means), it is still drawn.
    Measure.objects.filter(pk=measure.pk).update(baseline_period=baseline, target_date=target)
    assert signed_in.get("/measures/EDGE/").status_code == 200
    axis = measure_trend(Measure.objects.get(pk=measure.pk), [])["layout"]["xaxis"]
    assert dt.date.min.isoformat() in axis["range"] or dt.date.max.isoformat() in axis["range"]


def test_two_values_do_not_say_one_value_so_far(signed_in, one_value):
    _value(one_value, dt.date(2024, 9, 30), 95)
    assert "One value so far" not in signed_in.get("/measures/ONE/").content.decode()


# --- the baseline, shown once ---------------------------------------------------------------


@pytest.fixture
def referrals():
    """EPUT's shape: a baseline of 588 for 2019/2020, and the same figure reported for it."""
    measure = make_measure(
        code="REFS",
        name="Average monthly referrals",
        unit="number",
        baseline_value=Decimal(588),
        baseline_period=dt.date(2020, 3, 31),
        baseline_period_text="2019/2020",
    )
    _value(measure, dt.date(2020, 3, 31), 588, "2019/2020")
    _value(measure, dt.date(2022, 3, 31), 624, "2021/2022")
    return measure


def _values_table(html: str) -> str:
    table = html[html.index('class="data-table values-table"') :]
    return table[: table.index("</table>")]


def test_the_baseline_shows_once_when_a_value_is_reported_for_its_period(signed_in, referrals):
    html = signed_in.get("/measures/REFS/").content.decode()
    table = _text(_values_table(html))
    assert "Baseline: 2019/2020" not in table
    assert table.count("588") == 1
    assert "2019/2020 (baseline) 588" in table


def test_each_value_on_the_measures_page_has_an_anchor_and_on_its_card_none(signed_in, referrals):
    page = _values_table(signed_in.get("/measures/REFS/").content.decode())
    assert '<tr id="value-2020-03-31" class="baseline-row">' in page
    assert '<tr id="value-2022-03-31">' in page
    card = signed_in.get(referrals.objective.get_absolute_url()).content.decode()
    assert 'id="value-' not in _values_table(card[card.index('id="chart-REFS-title"') :])


def test_the_objective_pages_card_shows_the_baseline_once_too(signed_in, referrals):
    html = signed_in.get(referrals.objective.get_absolute_url()).content.decode()
    card = html[html.index('aria-labelledby="chart-REFS-title"') :]
    table = _text(_values_table(card))
    assert "Baseline: 2019/2020" not in table
    assert table.count("588") == 1


def test_the_trend_chart_then_draws_the_baseline_as_the_value_it_is(signed_in, referrals):
    chart = _page_chart(signed_in.get("/measures/REFS/").content.decode())
    names = [trace["name"] for trace in chart["data"]]
    assert "Baseline" not in names
    reported = chart["data"][names.index("Reported value")]
    assert reported["x"] == ["2020-03-31", "2022-03-31"]
    assert reported["text"][0] == "2019/2020 (baseline)"


def test_a_baseline_with_no_value_for_its_period_keeps_its_own_row_and_star(signed_in, referrals):
    referrals.values.filter(period_end=dt.date(2020, 3, 31)).delete()
    html = signed_in.get("/measures/REFS/").content.decode()
    assert "Baseline: 2019/2020 588" in _text(_values_table(html))
    chart = _page_chart(html)
    baseline = next(trace for trace in chart["data"] if trace["name"] == "Baseline")
    assert (baseline["x"], baseline["y"]) == (["2020-03-31"], [588.0])


# --- the trajectory -------------------------------------------------------------------------


@pytest.fixture
def planned():
    measure = make_measure(
        code="VAC",
        unit="%",
        direction="lower",
        baseline_value=Decimal(12),
        baseline_period=dt.date(2024, 3, 31),
        target_value=Decimal(8),
        target_date=dt.date(2027, 3, 31),
    )
    TrajectoryPoint.objects.create(
        measure=measure, period_end=dt.date(2025, 3, 31), value=Decimal(11.5)
    )
    _value(measure, dt.date(2025, 6, 30), 11)
    return measure


def _trajectory(measure: Measure) -> dict | None:
    chart = measure_trend(measure, measure.values.all())
    return next((t for t in chart["data"] if t["name"] == "Trajectory to target"), None)


def test_the_trajectory_trace_follows_the_planned_points(planned):
    trace = _trajectory(planned)
    assert trace["x"] == ["2024-03-31", "2025-03-31", "2027-03-31"]
    assert trace["y"] == [12.0, 11.5, 8.0]
    assert trace["mode"] == "lines+markers"
    assert [(d.isoformat(), float(v)) for d, v in planned.trajectory_path().points] == list(
        zip(trace["x"], trace["y"], strict=True)
    )


def test_the_page_draws_the_same_trajectory_and_describes_it(signed_in, planned):
    html = signed_in.get("/measures/VAC/").content.decode()
    trace = next(t for t in _page_chart(html)["data"] if t["name"] == "Trajectory to target")
    assert trace["y"] == [12.0, 11.5, 8.0]
    # Each planned point the chart draws in words too, for those who cannot see the chart.
    assert "From the baseline to the target through 1 planned point" in _text(html)
    assert '(<span id="planned-points">31 March 2025: 11.5%</span>)' in html


def test_no_trajectory_is_drawn_from_a_baseline_already_on_the_good_side(planned):
    TrajectoryPoint.objects.filter(measure=planned).delete()
    planned.baseline_value = Decimal(7)  # lower is better, and already below the target
    assert _trajectory(planned) is None
    planned.baseline_value, planned.direction = Decimal(12), "none"
    assert _trajectory(planned) is None


def test_the_spc_table_shows_each_value_in_full(client, board_member):
    import datetime as dt

    from tests.factories import make_measure, make_objective, make_value

    measure = make_measure(make_objective(), code="BIG", unit="count")
    make_value(measure, dt.date(2024, 3, 31), 1234567)
    make_value(measure, dt.date(2024, 6, 30), "1234.5678")
    client.force_login(board_member)
    table = client.get("/measures/BIG/").content.decode().split('id="spc-table"')[1]
    assert "1,234,567" in table and "1,234.5678" in table
    assert "e+06" not in table


def test_a_context_indicators_page_does_not_call_it_a_success_measure(client, board_member):
    from measures.models import Kind
    from tests.factories import make_measure, make_objective

    make_measure(make_objective(), code="CTX", kind=Kind.CONTEXT)
    client.force_login(board_member)
    html = client.get("/measures/CTX/").content.decode()
    assert "Context indicator CTX" in html
    assert "Success measure CTX" not in html


def test_values_kept_out_of_the_limits_are_drawn_in_a_colour_that_shows():
    import datetime as dt
    from decimal import Decimal

    from measures.charts import spc_chart
    from measures.models import MeasureValue
    from tests.factories import make_measure, make_objective

    measure = make_measure(make_objective(), code="LEFT")
    MeasureValue.objects.create(
        measure=measure, period_end=dt.date(2020, 3, 31), value=Decimal(5), period_text="2019/20"
    )
    for n, end in enumerate([dt.date(2022, 6, 30), dt.date(2022, 9, 30), dt.date(2022, 12, 31)]):
        MeasureValue.objects.create(measure=measure, period_end=end, value=Decimal(6 + n))
    chart = spc_chart(measure, measure.spc_reading())
    trace = next(t for t in chart["data"] if t["name"] == "Not in the SPC series")
    assert trace["marker"]["color"].lower() not in ("#fff", "#ffffff", "white")


def test_the_measure_names_its_objective_as_the_board_report_and_the_return_do(signed_in):
    from tests.factories import make_objective, make_priority

    objective = make_objective(make_priority(number=3), number=2, title="Look after our staff")
    make_measure(objective, code="SICK", name="Sickness absence")
    html = signed_in.get("/measures/SICK/").content.decode()
    assert "Objective 3.2: Look after our staff</a>" in html  # "Objective 2" named no priority
