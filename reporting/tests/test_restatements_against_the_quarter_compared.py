"""A board report compared with an earlier quarter ("Compare … with") lists as restated each
figure whose value differs from what that quarter's report showed, written in the unit the
board saw it in then (reporting/changes.py)."""

import datetime as dt
from decimal import Decimal

import pytest

from measures.models import MeasureValue
from reporting import changes
from reporting.quarters import Quarter
from reporting.tests.helpers import close_quarter
from tests.factories import make_measure, make_objective, make_priority, make_strategy, make_value

pytestmark = pytest.mark.django_db
Q1, Q2, Q3 = Quarter(2024, 1), Quarter(2024, 2), Quarter(2024, 3)
MARCH = dt.date(2024, 3, 31)


def _waits(values):
    strategy = make_strategy(slug="s", period_start=dt.date(2023, 4, 1))
    objective = make_objective(make_priority(strategy, number=1), number=1)
    waits = make_measure(
        objective, code="WAITS", name="Long waits", direction="lower", target_value=150
    )
    for end, value in values:
        make_value(waits, end, value)
    return strategy, waits


def _restate(measure, end, value):
    figure = MeasureValue.objects.get(measure=measure, period_end=end)
    figure.value = Decimal(value)
    figure.save()


def _restated(client, period, since=None):
    """The report's list of restated figures, as text."""
    data = {"since": since.pk} if since else {}
    page = client.get(f"/strategies/s/periods/{period.pk}/report/", data).content.decode()
    if 'id="changes-restated"' not in page:
        return ""
    return page.split('id="changes-restated"')[1].split("</ul>")[0]


def test_against_an_older_quarter_a_restatement_is_from_the_figure_that_quarter_showed(
    client, board_member
):
    """Shown as 512 in Q1, restated to 520 before Q2 closed and to 530 before Q3 closed."""
    strategy, waits = _waits(
        [(dt.date(2023, 12, 31), 500), (MARCH, 512), (dt.date(2024, 6, 30), 515)]
    )
    q1 = close_quarter(strategy, Q1)
    _restate(waits, MARCH, 520)
    close_quarter(strategy, Q2)
    _restate(waits, MARCH, 530)
    q3 = close_quarter(strategy, Q3)
    client.force_login(board_member)
    since_q1 = _restated(client, q3, since=q1)
    assert "Mar 2024: 512 → 530" in since_q1 and "520" not in since_q1
    # Against the quarter before, as kept at close: what Q2's report showed.
    assert "Mar 2024: 520 → 530" in _restated(client, q3)


def test_against_an_older_quarter_a_figure_restated_before_the_quarter_between_is_listed(
    client, board_member
):
    """Restated once, between Q1 and Q2: Q3 against Q1 still differs from what Q1 showed."""
    strategy, waits = _waits([(dt.date(2023, 12, 31), 500), (MARCH, 512)])
    q1 = close_quarter(strategy, Q1)
    _restate(waits, MARCH, 520)
    close_quarter(strategy, Q2)
    q3 = close_quarter(strategy, Q3)
    client.force_login(board_member)
    assert "Mar 2024: 512 → 520" in _restated(client, q3, since=q1)
    assert _restated(client, q3) == "", "Q2 showed 520 already"


def test_a_figure_restated_and_restated_back_is_not_listed_against_the_older_quarter(
    client, board_member
):
    strategy, waits = _waits([(dt.date(2023, 12, 31), 500), (MARCH, 512)])
    q1 = close_quarter(strategy, Q1)
    _restate(waits, MARCH, 520)
    close_quarter(strategy, Q2)
    _restate(waits, MARCH, 512)
    q3 = close_quarter(strategy, Q3)
    client.force_login(board_member)
    assert _restated(client, q3, since=q1) == ""
    assert "Mar 2024: 520 → 512" in _restated(client, q3)


def test_against_an_older_quarter_the_latest_restated_period_is_given(board_member):
    """Of a measure with several figures restated, the latest period's, as at close."""
    strategy, waits = _waits([(dt.date(2023, 12, 31), 500), (MARCH, 512)])
    q1 = close_quarter(strategy, Q1)
    _restate(waits, dt.date(2023, 12, 31), 501)
    _restate(waits, MARCH, 513)
    close_quarter(strategy, Q2)
    q3 = close_quarter(strategy, Q3)
    [change] = changes.compare(q1, q3).found["restated"]
    assert change.detail == "Mar 2024: 512 → 513"


def test_against_an_older_quarter_the_figures_are_read_in_two_queries_whatever_their_number(
    django_assert_num_queries,
):
    strategy, waits = _waits([(dt.date(2023, 12, 31), 500), (MARCH, 512)])
    objective = waits.objective
    for n in range(5):
        other = make_measure(objective, code=f"M{n}", name=f"M{n}", target_value=1)
        make_value(other, MARCH, n)
    q1 = close_quarter(strategy, Q1)
    q2 = close_quarter(strategy, Q2)
    q3 = close_quarter(strategy, Q3)
    with django_assert_num_queries(2):
        assert changes.restated_between(q1, q3) == {}
    with django_assert_num_queries(0):  # against the quarter before: kept at close
        assert changes.restated_between(q2, q3) is None


def test_a_restated_figure_is_written_in_the_unit_the_board_saw_it_in(client, board_member):
    """A count's March figure, shown as 20 in Q1, restated to 25 while its unit became £."""
    strategy = make_strategy(slug="s", period_start=dt.date(2023, 4, 1))
    objective = make_objective(make_priority(strategy, number=1), number=1)
    spend = make_measure(
        objective, code="SPEND", name="Spend", direction="lower", target_value=10, unit="count"
    )
    make_value(spend, MARCH, 20)
    make_value(spend, dt.date(2024, 6, 30), 21)
    q1 = close_quarter(strategy, Q1)
    spend.unit = "£"
    spend.save()
    _restate(spend, MARCH, 25)
    q2 = close_quarter(strategy, Q2)
    client.force_login(board_member)
    assert "Mar 2024: 20 → £25<" in _restated(client, q2)
    # Against an older quarter too.
    q3 = close_quarter(strategy, Q3)
    assert "Mar 2024: 20 → £25<" in _restated(client, q3, since=q1)
