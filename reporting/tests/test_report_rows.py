"""The board report's risk, measure and change rows, written in Python (report_parts): what a
person typed is escaped, and each judgement is in words."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from reporting.changes import EarlierItem
from reporting.models import Level, RiskSnapshot, SnapshotItem
from reporting.templatetags.report_parts import (
    above_appetite_rows,
    change_items,
    measure_rows,
    risk_rows,
)
from strategy_tracker.status import Rag

HOSTILE = '<script>alert("x")</script>'


def _risk_snapshot(**fields) -> RiskSnapshot:
    values = dict(
        number=3,
        title=HOSTILE,
        owner=HOSTILE,
        threatens=HOSTILE,
        inherent_likelihood=5,
        inherent_impact=5,
        current_likelihood=4,
        current_impact=4,
        target_likelihood=1,
        target_impact=2,
        appetite="minimal",
        review_date=dt.date(2025, 3, 1),
        review_overdue=True,
    )
    return RiskSnapshot(**(values | fields))


def test_risk_rows_say_above_appetite_and_overdue_in_words():
    above = _risk_snapshot()
    within = _risk_snapshot(number=4, title="Fine", current_likelihood=1, review_overdue=False)
    html = risk_rows([above, within])
    first, second = html.split("</tr>")[:2]
    assert "&lt;script&gt;" in first and HOSTILE not in html
    assert '<strong class="flag">above</strong>' in first and "overdue</strong>" in first
    assert "(L4 × I4)" in first and "1 Mar 2025" in first
    assert ": within" in second and "overdue" not in second
    owned = above_appetite_rows([above])
    assert "up to 6" in owned and HOSTILE not in owned
    assert "Threatens &lt;script&gt;" in owned and 'data-label="Owner">&lt;script&gt;' in owned
    nobody = above_appetite_rows([_risk_snapshot(owner="")])
    assert 'data-label="Owner">—<' in nobody


def test_measure_rows_escape_and_give_the_period_of_the_latest_value():
    row = SnapshotItem(
        level=Level.MEASURE,
        number="M&1",
        title=HOSTILE,
        rag=Rag.RED.value,
        reason="Below <target>",
        value=Decimal("12.5000"),
        unit="%",
        value_period_end=dt.date(2025, 3, 31),
    )
    html = measure_rows([row], dt.date(2025, 3, 31))
    assert HOSTILE not in html and "&lt;script&gt;" in html and "M&amp;1" in html
    assert "12.5%" in html and "Mar 2025" in html and "Below &lt;target&gt;" in html
    assert "No values yet" in html  # no SPC reading kept
    empty = SnapshotItem(level=Level.MEASURE, title="None yet", rag=Rag.GREY.value, reason="")
    blank = measure_rows([empty], dt.date(2025, 3, 31))
    assert 'class="num">—</td>' in blank and "<br>" not in blank.split('class="num">')[1]


def test_change_items_name_where_each_item_is():
    milestone = SnapshotItem(level=Level.MILESTONE, number="2.1", title=HOSTILE)
    removed = EarlierItem({"level": Level.MEASURE, "number": "M1", "title": "Gone"})
    found = [
        SimpleNamespace(row=milestone, detail="amber → <red>"),
        SimpleNamespace(row=removed, detail=""),
    ]
    html = change_items(found)
    assert HOSTILE not in html and "(objective 2.1)</span>: amber → &lt;red&gt;</li>" in html
    assert '<li>Gone <span class="muted">(success measure M1)</span></li>' in html


def test_a_milestone_among_the_changes_is_named_as_one():
    """ "X (objective 1.1): Red → Amber" was the objective itself; a milestone in it read the
    same."""
    milestone = SnapshotItem(level=Level.MILESTONE, number="1.1", title="Add a falls pick-up")
    objective = SnapshotItem(level=Level.OBJECTIVE, number="1.1", title="Respond within two hours")
    html = change_items(
        [
            SimpleNamespace(row=milestone, detail="Red → Complete"),
            SimpleNamespace(row=objective, detail="Red → Amber"),
        ]
    )
    assert '<li><span class="muted">Milestone:</span> Add a falls pick-up <span' in html
    assert "<li>Respond within two hours <span" in html


def test_a_measure_with_no_figures_at_close_says_so_and_names_no_owner():
    """It read "Run chart only (fewer than 15 points)" and "Owner: none named"; a measure
    has no owner."""
    from reporting.templatetags.report_parts import exception_items, snapshot_spc_icons

    row = SnapshotItem(
        level=Level.MEASURE, number="EX-CARER", title="Carers assessed", rag=Rag.RED,
        run_chart_only=True, value=None,
    )  # fmt: skip
    assert snapshot_spc_icons(row) == "No values yet"
    assert "Owner" not in exception_items([row])


def test_an_exception_waiting_for_sign_off_at_close_says_so():
    """The report listed it as "waiting for an approver's sign-off" among the changes, while
    its exception read "No update reported"."""
    from reporting.templatetags.report_parts import exception_items

    row = SnapshotItem(
        level=Level.MILESTONE, number="3.1", title="Hire", rag=Rag.RED, awaiting_approval=True
    )
    html = exception_items([row])
    assert "No update reported" in html
    assert "An update was waiting for an approver&#x27;s sign-off" in html or (
        "An update was waiting for an approver's sign-off" in html
    )


def test_a_figure_for_a_year_is_named_as_its_source_words_it():
    """ "FY2021/22" was printed "Mar 2022", which reads as a month's figure."""
    from reporting.templatetags.report_parts import exception_items

    row = SnapshotItem(
        level=Level.MEASURE, number="M", title="Contacts", rag=Rag.RED, value=Decimal(10),
        unit="count", value_period_end=dt.date(2022, 3, 31), value_period_text="FY2021/22",
    )  # fmt: skip
    html = exception_items([row]) + measure_rows([row], None)
    assert "FY2021/22" in html and "Mar 2022" not in html


def test_a_closed_quarter_keeps_its_figures_wording(admin_user):
    from measures.models import MeasureValue
    from reporting import cycle
    from reporting.quarters import Quarter
    from tests.factories import make_measure, make_objective, make_priority, make_strategy

    strategy = make_strategy(period_start=dt.date(2020, 4, 1))
    measure = make_measure(make_objective(make_priority(strategy)), code="M", kind="context")
    MeasureValue.objects.create(
        measure=measure, period_end=dt.date(2022, 3, 31), period_text="FY2021/22", value=10
    )
    quarter = Quarter(2024, 2)
    period = cycle.schedule(strategy, quarter, *cycle.default_window(quarter), by=admin_user)
    cycle.open_period(period, by=admin_user)
    period = cycle.close_period(period, by=admin_user, today=dt.date(2024, 10, 5))
    assert period.snapshot.get(number="M").value_period_text == "FY2021/22"


def test_every_milestone_awaiting_sign_off_at_close_says_so_in_the_appendix():
    """A green milestone's waiting update appeared nowhere in the report."""
    from reporting.templatetags.report_parts import appendix_lines

    row = SnapshotItem(
        level=Level.MILESTONE, number="1.1", title="Hub", rag=Rag.GREEN, awaiting_approval=True
    )
    assert "an update awaiting sign-off at close" in appendix_lines([row])
