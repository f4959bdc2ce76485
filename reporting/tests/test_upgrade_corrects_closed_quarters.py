"""Upgrading from the release of 2 December 2026 (2128e5c): what the upgrade's migrations
correct in closed quarters (0018 restated figures' wording, 0019 charts drawn again) must not
stay offered, uncorrected, in a board pack made before the upgrade."""

import datetime as dt
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps

from measures.models import MeasureValue
from reporting.charts import chart_data
from reporting.models import BoardPack, SnapshotItem
from reporting.quarters import Quarter
from reporting.tests.helpers import close_quarter
from reporting.tests.test_board_report_reading import _Spc
from tests.factories import make_measure, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db
Q = Quarter(2024, 2)
OLD_PDF = b"%PDF-1.7 made before the upgrade: 'Dec 2012: 83 -> 85.3', axis '1,800,000'"


def test_a_pack_made_before_the_upgrade_is_not_offered_as_ready_with_what_it_corrected(
    admin_user, client
):
    """A pack keeps its PDF as made (BoardPack.pdf). The upgrade rewords the restated year's
    figure ("Dec 2012" -> "2012", 0018) and redraws the million axis labels (0019) in the
    quarter's report and its PDF, but the pack of the same report made yesterday is still
    listed as Ready and downloads the old words and charts: the board papers and the report
    now disagree, and nothing tells the Admin to make the pack again."""
    strategy = make_strategy(slug="s", period_start=dt.date(2023, 4, 1))
    objective = make_objective(make_priority(strategy, number=1), number=1)
    measure = make_measure(objective, code="SAFE", unit="%")
    MeasureValue.objects.create(
        measure=measure, period_end=dt.date(2012, 12, 31), value=Decimal("85.3"), period_text="2012"
    )
    period = close_quarter(strategy, Q, admin_user)
    # The quarter as yesterday's release kept it: a restated figure without its wording, and a
    # chart drawn with "1,800,000" labels.
    row = SnapshotItem.objects.get(period=period, object_id=measure.pk, level="measure")
    row.restated_period_end, row.restated_period_text = dt.date(2012, 12, 31), ""
    row.restated_from, row.restated_to = Decimal(83), Decimal("85.3")
    row.chart = chart_data(_Spc([1_650_000.0, 1_540_000.0, 1_390_250.0]), Decimal(1_200_000))
    row.chart_figure = "<svg>1,800,000</svg>"
    row.save()
    pack = BoardPack.objects.create(
        year=Q.year,
        quarter=Q.number,
        requested_by=admin_user,
        total=1,
        done=1,
        state=BoardPack.State.DONE,
        pdf=OLD_PDF,
        pages=3,
        size=len(OLD_PDF),
    )
    pack.periods.set([period])

    # The upgrade.
    import_module("reporting.migrations.0018_restated_period_text").word_restated_periods(
        apps, None
    )
    import_module("reporting.migrations.0019_redraw_kept_charts").redraw(apps, None)
    row.refresh_from_db()
    assert row.restated_period_text == "2012" and "1,800,000" not in row.chart_figure

    client.force_login(admin_user)
    report = client.get(f"/strategies/s/periods/{period.pk}/report/").content.decode()
    assert "2012: 83 → 85.3" in report  # the report is corrected...
    pack.refresh_from_db()
    status = client.get(f"/board-packs/{pack.pk}/status/").json()
    # ...but the pack of it made yesterday is still offered as it was.
    assert not (pack.state == BoardPack.State.DONE and bytes(pack.pdf) == OLD_PDF), (
        f"pack still '{status['progress']}', serving the PDF made before the upgrade"
    )


def test_0018_words_a_restated_quarter_by_the_quarter_its_own_chart_kept_not_a_year_stored_since(
    admin_user, client
):
    """Yesterday's import let a year's figure ("2023/24") replace a quarter's stored by its day
    alone (31 Mar 2024) as a mere change of wording (fixed today, a8d4afd). A quarter closed
    before that restated the quarter's figure (10 -> 9), and its kept chart draws that point as
    a quarter's, "Mar 2024". 0018 takes the wording the figure at that day has *now*, so the
    same report names the restated quarter's figure "2023/24", a year's: its own chart, kept
    with the row, says which period the board was shown."""
    from reporting.tests.test_changes import _period, _row

    strategy = make_strategy(slug="s")
    q2 = _period(strategy, Quarter(2024, 1), None)
    measure = make_measure(make_objective(make_priority(strategy, number=1), number=1), code="WAIT")
    MeasureValue.objects.create(  # as yesterday's import left it: the year over the quarter
        measure=measure, period_end=dt.date(2024, 3, 31), value=9, period_text="2023/24"
    )
    chart = {  # the chart kept at close: quarterly points, 31 Mar 2024 with no own wording
        "total": 3,
        "run_chart_only": True,
        "target": None,
        "points": [
            ["2023-09-30", 12.0, None, None, None, None],
            ["2023-12-31", 11.0, None, None, None, None],
            ["2024-03-31", 9.0, None, None, None, None],
        ],
        "signals": [],
        "more_signals": 0,
        "wordings": {},
    }
    _row(
        q2,
        "measure",
        measure.pk,
        number="WAIT",
        chart=chart,
        restated_period_end=dt.date(2024, 3, 31),
        restated_from=Decimal(10),
        restated_to=Decimal(9),
    )
    import_module("reporting.migrations.0018_restated_period_text").word_restated_periods(
        apps, None
    )
    row = SnapshotItem.objects.get(period=q2, level="measure")
    assert row.restated_period_text == "", (
        f"the quarter's restated figure is now named {row.restated_period_text!r}, a year, "
        "while the row's own chart draws it as Mar 2024"
    )
