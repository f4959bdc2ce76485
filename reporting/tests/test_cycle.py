import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from reporting import cycle
from reporting.models import ReportingPeriod
from reporting.quarters import Quarter
from tests.factories import make_strategy

pytestmark = pytest.mark.django_db
Q2 = Quarter(2024, 2)  # July to September 2024


@pytest.fixture
def strategy():
    return make_strategy(period_start=dt.date(2024, 4, 1), period_end=dt.date(2027, 3, 31))


def _schedule(strategy, quarter=Q2, by=None):
    opens, closes = cycle.default_window(quarter)
    return cycle.schedule(strategy, quarter, opens, closes, by=by)


def test_the_default_window_opens_before_the_quarter_ends_and_has_a_grace_period(settings):
    settings.REPORTING_OPENS_DAYS_BEFORE_END = 14
    settings.REPORTING_GRACE_DAYS = 21
    assert cycle.default_window(Q2) == (dt.date(2024, 9, 16), dt.date(2024, 10, 21))


def test_the_next_quarter_follows_the_latest_period_or_today(strategy):
    assert cycle.next_quarter(strategy, dt.date(2024, 8, 1)) == Q2
    # Before the strategy starts, its first quarter.
    assert cycle.next_quarter(strategy, dt.date(2023, 1, 1)) == Quarter(2024, 1)
    _schedule(strategy)
    assert cycle.next_quarter(strategy, dt.date(2024, 8, 1)) == Quarter(2024, 3)


def test_a_period_goes_scheduled_open_closed_and_each_step_is_in_its_history(strategy, admin_user):
    period = _schedule(strategy, by=admin_user)
    assert period.state == "scheduled"
    cycle.open_period(period, by=admin_user)
    cycle.close_period(period, by=admin_user, today=dt.date(2024, 10, 1))
    period.refresh_from_db()
    assert period.state == "closed"
    assert (period.opened_by, period.closed_by) == (admin_user, admin_user)
    steps = [(h.state, h.history_change_reason, h.history_user) for h in period.history.all()]
    assert steps[::-1] == [
        ("scheduled", "Scheduled 2024/25 Q2", admin_user),
        ("open", "Opened 2024/25 Q2", admin_user),
        ("closed", "Closed 2024/25 Q2", admin_user),
    ]


def test_closing_twice_is_refused_with_who_closed_it_and_changes_nothing(strategy, admin_user):
    period = _schedule(strategy)
    cycle.open_period(period, by=admin_user)
    cycle.close_period(period, by=admin_user, today=dt.date(2024, 10, 1))
    rows = period.history.count()
    with pytest.raises(cycle.PeriodRefused, match="already closed on .* by"):
        cycle.close_period(period, by=admin_user, today=dt.date(2024, 10, 2))
    assert period.history.count() == rows


def test_a_quarter_closes_only_after_it_has_ended(strategy, admin_user):
    period = cycle.open_period(_schedule(strategy), by=admin_user)
    with pytest.raises(cycle.PeriodRefused, match="ends on 30 September 2024"):
        cycle.close_period(period, by=admin_user, today=dt.date(2024, 9, 30))
    period.refresh_from_db()
    assert period.state == "open"


def test_a_scheduled_period_cannot_close_and_a_closed_one_never_reopens(strategy, admin_user):
    period = _schedule(strategy)
    with pytest.raises(cycle.PeriodRefused, match="not been opened"):
        cycle.close_period(period, by=admin_user, today=dt.date(2024, 10, 1))
    cycle.open_period(period, by=admin_user)
    with pytest.raises(cycle.PeriodRefused, match="already open"):
        cycle.open_period(period, by=admin_user)
    cycle.close_period(period, by=admin_user, today=dt.date(2024, 10, 1))
    with pytest.raises(cycle.PeriodRefused, match="stays closed"):
        cycle.open_period(period, by=admin_user)


def test_one_period_is_open_at_a_time_and_they_open_in_order(strategy, admin_user):
    q2, q3 = _schedule(strategy), _schedule(strategy, Quarter(2024, 3))
    with pytest.raises(cycle.PeriodRefused, match="2024/25 Q2 comes first"):
        cycle.open_period(q3, by=admin_user)
    cycle.open_period(q2, by=admin_user)
    with pytest.raises(cycle.PeriodRefused, match="2024/25 Q2 is still open"):
        cycle.open_period(q3, by=admin_user)
    cycle.close_period(q2, by=admin_user, today=dt.date(2024, 10, 1))
    assert cycle.open_period(q3, by=admin_user).state == "open"


def test_periods_are_scheduled_in_order_within_the_strategy(strategy):
    _schedule(strategy, Quarter(2024, 3))
    with pytest.raises(cycle.PeriodRefused, match="next one is 2024/25 Q4"):
        _schedule(strategy, Q2)
    with pytest.raises(cycle.PeriodRefused, match="outside the strategy's period"):
        _schedule(strategy, Quarter(2027, 1))
    assert ReportingPeriod.objects.count() == 1


@pytest.mark.parametrize(
    "opens, closes, why",
    [
        (dt.date(2024, 6, 30), dt.date(2024, 10, 21), "opens within the quarter"),
        (dt.date(2024, 10, 1), dt.date(2024, 10, 21), "opens within the quarter"),
        (dt.date(2024, 9, 16), dt.date(2024, 9, 29), "closes on or after the quarter ends"),
        (dt.date(2024, 9, 16), dt.date(2025, 1, 1), "within 92 days"),
    ],
)
def test_a_window_outside_its_quarter_is_refused(strategy, opens, closes, why):
    with pytest.raises(cycle.PeriodRefused, match=why):
        cycle.schedule(strategy, Q2, opens, closes, by=None)
    assert not ReportingPeriod.objects.exists()


def test_dates_change_until_the_period_closes(strategy, admin_user):
    period = _schedule(strategy)
    assert cycle.change_window(period, dt.date(2024, 9, 1), dt.date(2024, 10, 31), admin_user)
    assert not cycle.change_window(period, dt.date(2024, 9, 1), dt.date(2024, 10, 31), admin_user)
    cycle.open_period(period, by=admin_user)
    cycle.close_period(period, by=admin_user, today=dt.date(2024, 10, 1))
    with pytest.raises(cycle.PeriodRefused, match="closed"):
        cycle.change_window(period, dt.date(2024, 9, 2), dt.date(2024, 10, 31), admin_user)
    period.refresh_from_db()
    assert (period.opens_on, period.closes_on) == (dt.date(2024, 9, 1), dt.date(2024, 10, 31))


def test_dates_changed_since_they_were_seen_are_refused_and_kept(strategy, admin_user):
    period = _schedule(strategy)
    seen = (period.state, period.opens_on, period.closes_on)
    assert cycle.change_window(period, seen[1], dt.date(2024, 11, 15), admin_user, seen=seen)
    with pytest.raises(cycle.WindowChanged, match="someone changed the dates of 2024/25 Q2"):
        cycle.change_window(period, dt.date(2024, 9, 20), seen[2], admin_user, seen=seen)
    period.refresh_from_db()
    assert (period.opens_on, period.closes_on) == (seen[1], dt.date(2024, 11, 15))


def test_scheduled_periods_open_on_their_day_when_the_one_before_is_closed(strategy, admin_user):
    q2 = _schedule(strategy)
    q3 = _schedule(strategy, Quarter(2024, 3))
    assert cycle.open_due_periods(q2.opens_on - dt.timedelta(days=1)) == []
    assert [p.pk for p in cycle.open_due_periods(q2.opens_on)] == [q2.pk]
    # Q3's day has come, but Q2 is still open: Q3 waits.
    assert cycle.open_due_periods(q3.opens_on) == []
    cycle.close_period(q2, by=admin_user, today=dt.date(2024, 10, 1))
    assert [p.pk for p in cycle.open_due_periods(q3.opens_on)] == [q3.pk]
    q3.refresh_from_db()
    assert (q3.state, q3.opened_by) == ("open", None)


def test_a_late_period_is_one_still_open_after_its_grace(strategy, admin_user):
    period = cycle.open_period(_schedule(strategy), by=admin_user)
    assert not period.is_late(period.closes_on)
    assert period.is_late(period.closes_on + dt.timedelta(days=1))


def test_the_daily_command_opens_the_periods_whose_day_has_come():
    today = timezone.localdate()
    strategy = make_strategy(
        period_start=today - dt.timedelta(days=365), period_end=today + dt.timedelta(days=365)
    )
    due = cycle.schedule(
        strategy, Quarter.containing(today), *cycle.default_window(Quarter.containing(today)), None
    )
    ReportingPeriod.objects.filter(pk=due.pk).update(opens_on=today)
    out = StringIO()
    call_command("open_due_periods", stdout=out)
    due.refresh_from_db()
    assert due.state == "open"
    assert "1 period(s) opened." in out.getvalue()


def test_no_quarter_is_skipped(strategy):
    _schedule(strategy, Quarter(2024, 3))
    with pytest.raises(cycle.PeriodRefused, match="no quarter missed.*next one is 2024/25 Q4"):
        _schedule(strategy, Quarter(2025, 1))


@pytest.mark.parametrize("status, why", [("draft", "publish it"), ("closed", "reports no more")])
def test_only_a_published_strategy_reports(strategy, admin_user, status, why):
    period = _schedule(strategy)
    type(strategy).objects.filter(pk=strategy.pk).update(status=status)
    strategy.refresh_from_db()
    with pytest.raises(cycle.PeriodRefused, match=why):
        _schedule(strategy, Quarter(2024, 3))
    with pytest.raises(cycle.PeriodRefused, match=why):
        cycle.open_period(period, by=admin_user)
    assert cycle.open_due_periods(period.opens_on) == []
    period.refresh_from_db()
    assert period.state == "scheduled"


def test_the_last_quarter_there_is_has_no_next(strategy):
    late = make_strategy(period_start=dt.date(9997, 12, 1), period_end=dt.date(9999, 12, 31))
    assert cycle.next_quarter(late, dt.date(2024, 1, 1)) == Quarter(9997, 3)
    cycle.schedule(late, Quarter(9997, 3), *cycle.default_window(Quarter(9997, 3)), by=None)
    cycle.schedule(late, Quarter(9997, 4), *cycle.default_window(Quarter(9997, 4)), by=None)
    assert cycle.next_quarter(late, dt.date(2024, 1, 1)) is None


def test_a_quarter_scheduled_meanwhile_by_another_admin_is_named_as_such(
    strategy, admin_user, django_user_model
):
    """Two Admins scheduling the same quarter: the second was told periods follow one another
    and the next one is the quarter after, as if they had chosen the wrong quarter (left out
    in the twenty-fourth session)."""
    other = django_user_model.objects.create_user("other", first_name="Olu", last_name="Adeyemi")
    _schedule(strategy, Q2, by=other)
    with pytest.raises(cycle.PeriodRefused) as refused:
        _schedule(strategy, Q2, by=admin_user)
    assert str(refused.value) == (
        "2024/25 Q2 is scheduled already, by Olu Adeyemi, to open on 16 September 2024: "
        "nothing was changed. Its dates can be changed below."
    )
    assert ReportingPeriod.objects.count() == 1
