"""A measure's figures as its pages write them: money with its £ and pence in the chart tables,
and a restated figure's value then in the unit the board saw it in."""

import datetime as dt
from decimal import Decimal as D

import pytest

from measures.models import Measure, MeasureValue
from reporting.tests.helpers import q2_strategy
from reporting.tests.test_snapshots import _close, _main

pytestmark = pytest.mark.django_db


def test_as_at_measure_chart_table_writes_money_with_pound_and_pence(
    programme_lead, admin_user, client, board_member
):
    """README: 'A sum of money with pence is written to two places wherever it is shown'; the
    as-at page's 'Latest value' says £12.50, its new chart table says 12.5."""
    strategy = q2_strategy(programme_lead)
    Measure.objects.filter(code="WAIT").update(unit="£")
    MeasureValue.objects.filter(measure__code="WAIT", period_end=dt.date(2024, 9, 30)).update(
        value=D("12.5")
    )
    closed = _close(strategy, admin_user)
    client.force_login(board_member)
    page = _main(client.get(f"/strategies/s/periods/{closed.pk}/board/measures/WAIT/"))
    assert "£12.50" in page  # the facts: Latest value
    table = page.split('<h2 id="figures">')[1].split("</table>")[0]
    assert "£12.50" in table, table


def test_live_measure_spc_table_writes_money_with_pound_and_pence(client, board_member):
    from tests.factories import make_measure, make_value

    measure = make_measure(code="SPEND", unit="£", direction="higher", target_value=D("3000000"))
    for month, value in [(4, "2395500.5"), (5, "2395600.5"), (6, "2395700.5")]:
        end = dt.date(2026, month + 1, 1) - dt.timedelta(days=1)
        make_value(measure, end, D(value))
    client.force_login(board_member)
    page = client.get(measure.get_absolute_url()).content.decode()
    table = page.split('id="spc-table"')[1].split("</table>")[0]
    assert ">£2,395,500.50<" in table and ">2,395,500.5<" not in table, table


def test_as_at_measure_restated_line_gives_the_figure_then_in_the_unit_then(client, board_member):
    """4e557ff wrote the value then in the earlier row's unit in "what changed" only; the
    as-at measure page (and the public one, same words) still says the previous report showed
    £20, a figure never shown in pounds."""
    from reporting.quarters import Quarter
    from reporting.tests.helpers import close_quarter
    from tests.factories import (
        make_measure,
        make_objective,
        make_priority,
        make_strategy,
        make_value,
    )

    march = dt.date(2024, 3, 31)
    strategy = make_strategy(slug="s", period_start=dt.date(2023, 4, 1))
    objective = make_objective(make_priority(strategy, number=1), number=1)
    spend = make_measure(
        objective, code="SPEND", name="Spend", direction="lower", target_value=10, unit="count"
    )
    make_value(spend, march, 20)
    make_value(spend, dt.date(2024, 6, 30), 21)
    close_quarter(strategy, Quarter(2024, 1))
    spend.unit = "£"
    spend.save()
    figure = MeasureValue.objects.get(measure=spend, period_end=march)
    figure.value = D(25)
    figure.save()
    q2 = close_quarter(strategy, Quarter(2024, 2))
    client.force_login(board_member)
    report = client.get(f"/strategies/s/periods/{q2.pk}/report/").content.decode()
    assert "Mar 2024: 20 → £25<" in report  # what changed: right
    page = _main(client.get(f"/strategies/s/periods/{q2.pk}/board/measures/SPEND/"))
    restated = page.split("<dt>Restated</dt>")[1].split("</dd>")[0]
    assert "was 20 in the previous quarter" in restated, restated
